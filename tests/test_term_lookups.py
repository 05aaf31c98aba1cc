"""A segment's terms reader remembers its look-ups and answers exactly as Whoosh's does.

Every term of the index (and terms it lacks) asked of reslib's reader and of Whoosh's stock
reader over the same segment files: the same term infos, document frequencies, weights and
"not found"; a term asked again is not looked up in the term index again.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from records import random_record
from whoosh.codec.whoosh3 import W3Codec
from whoosh.filedb.filestore import FileStorage
from whoosh.reading import TermNotFound

from reslib.index import build_schema, document
from reslib.index import codec as codec_module
from reslib.index.codec import FastLengthsCodec, RememberingTermsReader

WORDS = ["military", "villages", "burned", "sagaing", "junta", "ရွာကို", "မီးရှို့", "ခဲ့သည်"]


@pytest.fixture
def segment(tmp_path: Path) -> Iterator[tuple[Any, Any]]:
    rng = random.Random(2)
    ix = FileStorage(str(tmp_path)).create_index(build_schema())
    with ix.writer(codec=FastLengthsCodec()) as writer:
        for n in range(60):
            record = random_record(n, rng, WORDS, longest=30)
            writer.add_document(**document(record))
    reader = ix.reader()
    # The segment's files are inside its compound file: the storage the reader opened.
    yield reader._storage, reader.segment()
    reader.close()


def _answers(reader: Any, field: str, btext: bytes) -> tuple[Any, ...]:
    try:
        info = reader.term_info(field, btext)
    except TermNotFound:
        info = None
    answers = []
    for ask in (reader.doc_frequency, reader.frequency):
        try:
            answers.append(ask(field, btext))
        except KeyError:
            answers.append("missing")
    seen = None if info is None else (info.doc_frequency(), info.weight(), info.extent())
    return (seen, *answers)


def test_the_remembering_reader_answers_every_term_as_whoosh_does(segment: Any) -> None:
    storage, seg = segment
    ours = FastLengthsCodec().terms_reader(storage, seg)
    stock = W3Codec().terms_reader(storage, seg)
    assert isinstance(ours, RememberingTermsReader)
    terms = list(stock.terms())
    assert len(terms) > 100
    asked = [*terms, ("english", b"nosuchterm"), ("bigrams", b"no such"), ("nofield", b"x")]
    for _ in range(2):  # the second time from what it remembers
        for field, btext in asked:
            assert _answers(ours, field, btext) == _answers(stock, field, btext), (field, btext)
    ours.close()
    stock.close()


def test_a_term_asked_again_is_not_looked_up_again(
    segment: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    storage, seg = segment
    reader = FastLengthsCodec().terms_reader(storage, seg)
    probes: list[bytes] = []
    index_get = type(reader._tindex).__getitem__

    def counted(self: Any, key: bytes) -> Any:
        probes.append(key)
        return index_get(self, key)

    monkeypatch.setattr(type(reader._tindex), "__getitem__", counted)
    for _ in range(3):
        assert reader.doc_frequency("english", b"militari") > 0
        with pytest.raises(KeyError):
            reader.doc_frequency("english", b"nosuchterm")
    assert len(probes) == 2
    # The bound: past it the reader starts afresh rather than growing.
    monkeypatch.setattr(codec_module, "REMEMBERED_TERMS", 1)
    reader.term_info("english", b"militari")
    assert len(reader.remembered) <= 2
    reader.close()
