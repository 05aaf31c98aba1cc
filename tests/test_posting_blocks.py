"""Packed posting blocks hold exactly what Whoosh's pickled blocks hold.

The packed layout (``reslib.index.blocks``) round-trips any block; an index written by
reslib's codec gives, term by term and through Whoosh's public matcher interface, the same
postings (documents, weights, values) and the same block statistics as the same documents
written by Whoosh's stock codec; and an index whose older segments hold Whoosh's pickled
blocks (every index built before the packed layout) answers queries as Whoosh's matchers
do, beside segments written packed.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from records import random_record
from whoosh.codec.whoosh3 import W3Codec, W3PostingsWriter
from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import BufferFile, StructFile
from whoosh_reference import whoosh_scores

from reslib.index import build_schema, document
from reslib.index import codec as codec_module
from reslib.index.blocks import PackedBlock, pack_block
from reslib.index.codec import FastLengthsCodec, SmallBlocksPlainWriter
from reslib.models import Record
from reslib.search.compile import text_query
from reslib.search.evaluate import evaluate
from reslib.search.parse import parse

WORDS = ["military", "villages", "burned", "sagaing", "junta", "teachers", "forest", "fled"]
BURMESE = ["ရွာကို", "မီးရှို့", "ခဲ့သည်", "စစ်တပ်", "ကျောင်း", "ဆရာ"]


def _random_block(rng: random.Random, value_size: int | None) -> tuple[list[int], list, list]:
    count = rng.choice([1, 2, 5, 128, rng.randint(1, 300)])
    ids: list[int] = []
    doc = rng.choice([0, 7, 70_000])
    for _ in range(count):
        ids.append(doc)
        doc += rng.choice([1, 1, 2, 300, 70_000, 2**31])
    shape = rng.choice(["ones", "same", "varied"])
    same = rng.choice([2.0, 0.5, 3.25])
    weights = [
        1.0 if shape == "ones" else same if shape == "same" else float(rng.randint(1, 40))
        for _ in ids
    ]
    if value_size == 0:
        values: list[bytes] = []
    elif value_size and value_size > 0:
        values = [rng.randbytes(value_size) for _ in ids]
    else:
        # Whoosh keeps only non-empty values; some long enough to need 4-byte lengths.
        long = rng.random() < 0.1
        values = [rng.randbytes(rng.choice([4, 8, 12, 70_000 if long else 9])) for _ in ids[1:]]
    return ids, weights, values


@pytest.mark.parametrize("value_size", [None, -1, 0, 4, 8])
def test_a_packed_block_gives_back_its_documents_weights_and_values(
    value_size: int | None,
) -> None:
    rng = random.Random(value_size or 11)
    for _ in range(150):
        ids, weights, values = _random_block(rng, value_size)
        block = PackedBlock(pack_block(ids, weights, values, value_size), len(ids), value_size)
        got_ids = [sum(block.deltas[: i + 1]) for i in range(len(ids))]
        assert got_ids == ids
        # Weights come back as the 32-bit floats Whoosh's writer holds them in.
        assert list(block.weights) == weights
        got = block.values()
        if value_size is None or value_size < 0:
            assert got is not None and not isinstance(got, bytes)
            assert tuple(got) == tuple(values)
            assert len(got) == len(values)
            assert [got[i] for i in range(-len(values), len(values))] == values + values
            with pytest.raises(IndexError):
                got[len(values)]
        elif value_size == 0:
            assert got is None
        else:
            assert got == b"".join(values)


def _record(n: int, rng: random.Random) -> Record:
    burmese = "".join(rng.choice(BURMESE) for _ in range(rng.randint(1, 12)))
    return random_record(n, rng, WORDS, burmese=burmese, longest=60)


def _index(path: Path, codec: Any, records: list[Record]) -> Any:
    path.mkdir()
    ix = FileStorage(str(path)).create_index(build_schema())
    with ix.writer(codec=codec) as writer:
        for r in records:
            writer.add_document(**document(r))
    return ix


def _postings(reader: Any, field: str, btext: bytes) -> tuple[list[Any], list[Any]]:
    """A term's postings and per-block statistics, through Whoosh's public interface."""
    m = reader.postings(field, btext)
    rows, blocks = [], []
    new_block = True
    while m.is_active():
        if new_block:
            blocks.append(
                (
                    m.block_min_id(),
                    m.block_max_id(),
                    m.block_max_weight(),
                    m.block_min_length(),
                    m.block_max_length(),
                )
            )
        rows.append((m.id(), m.weight(), m.value()))
        new_block = m.next()  # True: it moved on to the next block
    return rows, blocks


@pytest.mark.parametrize("region", [codec_module.REGION_BYTES, 0])
def test_the_codec_writes_the_postings_and_block_statistics_whoosh_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, region: int
) -> None:
    # Read a term's posting list at once, and (region 0) a block at a time.
    monkeypatch.setattr(codec_module, "REGION_BYTES", region)
    rng = random.Random(3)
    records = [_record(n, rng) for n in range(300)]
    stock = _index(tmp_path / "stock", W3Codec(), records)
    decoded = []

    class Counted(PackedBlock):
        def __init__(self, data: bytes, count: int, value_size: int | None) -> None:
            decoded.append(count)
            super().__init__(data, count, value_size)

    monkeypatch.setattr(codec_module, "PackedBlock", Counted)
    ours = _index(tmp_path / "ours", FastLengthsCodec(), records)
    with stock.reader() as want, ours.reader() as got:
        fields = [n for n in build_schema().names() if build_schema()[n].indexed]
        terms = 0
        for field in fields:
            lexicon = list(want.lexicon(field))
            assert lexicon == list(got.lexicon(field)), field
            for btext in lexicon:
                assert _postings(got, field, btext) == _postings(want, field, btext)
                terms += 1
    assert terms > 1000
    # The packed layout was read, compressed blocks of full size among them.
    assert decoded and max(decoded) == 128


def test_older_segments_of_pickled_blocks_are_read_beside_packed_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(4)
    records = [_record(n, rng) for n in range(400)]
    ix = FileStorage(str(tmp_path)).create_index(build_schema())
    # The first segments as reslib wrote them before blocks were packed: Whoosh's pickle.
    with monkeypatch.context() as m:
        m.setattr(SmallBlocksPlainWriter, "_write_block", W3PostingsWriter._write_block)
        for start in (0, 150):
            with ix.writer(codec=FastLengthsCodec()) as writer:
                for r in records[start : start + 150]:
                    writer.add_document(**document(r))
    with ix.writer(codec=FastLengthsCodec()) as writer:
        for r in records[300:]:
            writer.add_document(**document(r))
        writer.delete_by_term("id", "d010")
    searcher = ix.searcher()
    try:
        assert len(list(searcher.leaf_searchers())) == 3
        for q in ["military villages", '"junta teachers"', "ရွာကို မီးရှို့", "forest -fled"]:
            query = text_query(parse(q))
            want = whoosh_scores(searcher, query)
            assert want, q
            assert evaluate(searcher, query, ("mixed", q)) == pytest.approx(want, rel=1e-9)
    finally:
        searcher.close()


def test_a_term_of_many_blocks_is_read_from_the_segment_file_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(5)
    ix = _index(tmp_path / "ix", FastLengthsCodec(), [_record(n, rng) for n in range(1500)])
    reads: list[int] = []
    # A segment file is a StructFile, or a BufferFile when the storage maps it in memory.
    for cls in (StructFile, BufferFile):

        def counted(self: Any, position: int, length: int, real: Any = cls.get) -> bytes:
            reads.append(length)
            return real(self, position, length)  # type: ignore[no-any-return]

        monkeypatch.setattr(cls, "get", counted)
    with ix.reader() as reader:
        reader.postings("english", b"militari")  # the term's look-up, remembered
        blocks = {}
        for region in (codec_module.REGION_BYTES, 0):
            monkeypatch.setattr(codec_module, "REGION_BYTES", region)
            reads.clear()
            rows, blocks[region] = _postings(reader, "english", b"militari")
            assert len(rows) > 500
            if region:
                assert len(reads) == 1
            else:
                assert len(reads) >= 2 * len(blocks[0])
        assert len(blocks[0]) >= 4
        assert blocks[0] == blocks[codec_module.REGION_BYTES]


def test_documents_deleted_from_later_segments_are_never_matched(tmp_path: Path) -> None:
    rng = random.Random(6)
    records = [_record(n, rng) for n in range(300)]
    ix = FileStorage(str(tmp_path)).create_index(build_schema())
    for start in (0, 100, 200):
        with ix.writer(codec=FastLengthsCodec()) as writer:
            for r in records[start : start + 100]:
                writer.add_document(**document(r))
    gone = {"d005", "d120", "d150", "d260"}  # in every segment, the last two past the first
    with ix.writer(codec=FastLengthsCodec()) as writer:
        for key in gone:
            writer.delete_by_term("id", key)
    searcher = ix.searcher()
    try:
        assert len(list(searcher.leaf_searchers())) == 3
        for q in ["military villages", "junta", '"junta teachers"', "ရွာကို"]:
            query = text_query(parse(q))
            want = whoosh_scores(searcher, query)
            got = evaluate(searcher, query, ("deleted later", q))
            assert got == pytest.approx(want, rel=1e-9), q
            assert not {searcher.stored_fields(d)["id"] for d in got} & gone
        # Each deleted record holds some word of WORDS: any of them finds all but those.
        anything = text_query(parse(" OR ".join(WORDS)))
        found = {searcher.stored_fields(d)["id"] for d in evaluate(searcher, anything, ("any",))}
        holding = {r.id for r in records if any(w in f"{r.title} {r.body}".lower() for w in WORDS)}
        assert gone <= holding
        assert found == holding - gone
    finally:
        searcher.close()
