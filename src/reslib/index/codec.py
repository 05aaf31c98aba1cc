"""Every override of Whoosh's codec: how segments are written and read, faster than stock.

The files are Whoosh 2.7.4's (its table of contents, term index, length columns and
posting-block headers); what changes is the work done per posting and per block, and the
layout inside a posting block:

- ``LengthsInMemory`` reads a field's length column whole, once, instead of one byte per
  call; ``length_bytes`` hands the column to ``reslib.index.postings`` (BM25 needs every
  scored document's length).
- ``OneReadLeafMatcher`` reads a posting block's header in one read.
- ``SmallBlocksPlainWriter`` leaves small posting blocks uncompressed and writes them
  packed (``blocks``: arrays, not a pickle), or Whoosh's pickled way for an index of
  schema 5 (``FastLengthsCodec(packed=False)``, chosen by ``layout.index_codec``);
  ``OneReadLeafMatcher`` reads both kinds, told apart by a flag in the block header.
- ``RememberingTermsReader`` keeps the term infos a segment's term index gave.
- ``BulkSegmentWriter`` builds a whole segment's postings in lists and hands them to
  Whoosh's postings writer a block at a time (rebuilds only).

Segments remember the codec that wrote them: every built index's table of contents pickles
``FastLengthsCodec``. Indexes written before ``reslib.index`` became a package name it
``reslib.index.FastLengthsCodec``, which the package re-exports for them; never rename or
move this class without keeping that alias (``tests/test_index_compat.py`` checks).

With ``reslib.index.postings`` this is the only module that uses Whoosh's private members
(``reslib.index.compat.PRIVATE_NAMES`` lists them; a test checks the list and that no other
module uses any).
"""

from __future__ import annotations

import io
import pickle
import zlib
from array import array
from itertools import accumulate
from typing import Any

from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import (
    LENGTHS_COLUMN,
    WHOOSH3_HEADER_MAGIC,
    W3Codec,
    W3LeafMatcher,
    W3PerDocReader,
    W3PostingsWriter,
    W3TermInfo,
    W3TermsReader,
    _lenfield,
)
from whoosh.reading import TermNotFound
from whoosh.system import _INT_SIZE, unpack_int
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.writing import SegmentWriter

from .blocks import PackedBlock, pack_block

#: Field length byte (Whoosh stores lengths as one logarithmic byte) -> length.
BYTE_TO_LENGTH = tuple(byte_to_length(i) for i in range(256))


class LengthsInMemory(W3PerDocReader):  # type: ignore[misc]
    """Whoosh's per-document reader with each field's length column read into memory whole.

    Whoosh reads one byte from the column file per ``doc_field_length`` call (a seek, a
    read and three Python layers, ~4 µs). Writing a segment asks it once per posting (for
    the per-block length statistics that let searches skip blocks) and BM25 once per scored
    document and term; a column is one byte per document.
    """

    def __init__(self, storage: Any, segment: Any) -> None:
        super().__init__(storage, segment)
        #: Field -> its length column, read on first use.
        self.length_columns: dict[str, bytes | None] = {}

    def length_bytes(self, fieldname: str) -> bytes | None:
        """The field's length column: byte ``d`` is document ``d``'s length as Whoosh stores
        it (``BYTE_TO_LENGTH``; 0: none recorded), or None when no document has one.
        Read once per reader."""
        columns = self.length_columns
        if fieldname not in columns:
            lenfield = _lenfield(fieldname)
            if not self.has_column(lenfield):
                columns[fieldname] = None
            else:
                self.column_reader(lenfield, LENGTHS_COLUMN)  # opens (and later closes) it
                colfile, offset, length = self._colfiles[lenfield]
                columns[fieldname] = bytes(colfile.get(offset, length)) if length else b""
        return columns[fieldname]

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int | None:
        data = self.length_bytes(fieldname)
        if data is None:
            return default
        b = data[docnum] if docnum < len(data) else 0
        # As Whoosh's reader: a zero byte (no length recorded) gives None.
        return BYTE_TO_LENGTH[b] if b else None


#: Posting blocks of at most this many postings are written uncompressed.
SMALL_BLOCK = 4


#: Set in a posting block header's compression field (Whoosh's zlib level, 0-9) when the
#: block is packed (``blocks``); blocks without it are Whoosh's pickled ones.
PACKED = 0x40


class SmallBlocksPlainWriter(W3PostingsWriter):  # type: ignore[misc]
    """Whoosh's postings writer, writing blocks packed and leaving small ones uncompressed.

    Whoosh compresses every block with zlib (its check meant to skip blocks under 20 bytes
    is overwritten by the next line). Most terms of a segment have one or two postings:
    zlib makes such a block longer, and starting a compressor (~10 µs) was the largest
    single cost of writing a segment. A block's contents are laid out by ``blocks`` rather
    than pickled; the header (read before deciding to decode a block) is Whoosh's, its
    compression field carrying ``PACKED``. Term vectors (whose ids are terms) are written
    Whoosh's way.
    """

    #: False: blocks written as Whoosh writes them (pickled), for an index of schema 5.
    packed = True

    def _write_block(self, last: bool = False) -> None:
        if self._byteids or not self.packed:
            self._write_pickled_block(last)
            return
        postfile = self._postfile
        if not self._blockcount:
            postfile.write(WHOOSH3_HEADER_MAGIC)
        self._terminfo.add_block(self)  # the term's statistics, from this block's
        ids = self._ids
        data = pack_block(ids, self._weights, self._values, self._format.fixed_value_size())
        level = self._compression if len(ids) > SMALL_BLOCK else 0
        if level:
            data = zlib.compress(data, level)
        # Whoosh's header, as its reader (and ``OneReadLeafMatcher._goto``) reads it.
        info = pickle.dumps(
            (
                len(ids),
                ids[-1],
                self._maxweight,
                level | PACKED,
                length_to_byte(self._minlength),
                length_to_byte(self._maxlength),
            ),
            2,
        )
        size = len(info) + len(data)
        postfile.write_int(-size if last else size)  # negative: the term's last block
        postfile.write(info)
        postfile.write(data)
        self._blockcount += 1
        self._new_block()

    def _write_pickled_block(self, last: bool) -> None:
        if len(self._ids) > SMALL_BLOCK:
            super()._write_block(last)
            return
        compression, self._compression = self._compression, 0
        try:
            super()._write_block(last)
        finally:
            self._compression = compression


#: Bytes read at once for a posting block's header: its length and a pickled 6-tuple
#: (about 40 bytes); a header that does not fit is read Whoosh's way.
_HEADER_READ = 96


#: A term's postings up to this size are read from the segment file at once.
REGION_BYTES = 16 << 20


class OneReadLeafMatcher(W3LeafMatcher):  # type: ignore[misc]
    """Whoosh's on-disk postings matcher, reading a term's whole posting list in one read.

    Whoosh unpickles each block's header straight from the segment file: about twenty
    ``read`` calls of a few bytes, each through the compound-file layers (~1.5 µs apiece),
    and one more read for the block's data. A search visits every header of a term it
    reads, even to skip to a few candidates (Whoosh keeps no skip list), so here the term's
    postings (``terminfo.extent()``: a common Burmese bigram's are a few hundred KB) are
    read at once and each block is cut from memory; the state set is the one Whoosh's
    ``_goto`` sets. A list over ``REGION_BYTES`` is read a block at a time, each header in
    one read.
    """

    def __init__(
        self,
        postfile: Any,
        startoffset: int,
        length: int,
        format_: Any,
        term: Any = None,
        byteids: Any = None,
        scorer: Any = None,
    ) -> None:
        # Whoosh 2.7.4 reads a term info's length back as a 1-tuple (``unpack_int``).
        size = length[0] if isinstance(length, tuple) else length
        self._region: bytes | None = None
        if isinstance(size, int) and 4 <= size <= REGION_BYTES:
            region = postfile.get(startoffset, size)
            if len(region) == size and region[:4] == WHOOSH3_HEADER_MAGIC:
                self._region = region
        super().__init__(postfile, startoffset, length, format_, term, byteids, scorer)

    def _get(self, position: int, size: int, *, header: bool = False) -> bytes:
        """``size`` bytes of the segment's postings file at ``position``: from the term's
        postings when they were read whole and hold them (a ``header`` read may be cut
        short at their end: the header itself is inside)."""
        region = self._region
        if region is not None:
            at = position - self._startoffset
            if at >= 0 and (at + size <= len(region) or (header and at < len(region))):
                return region[at : at + size]
        return self._postfile.get(position, size)  # type: ignore[no-any-return]

    def _read_header(self) -> None:
        if self._region is None:
            super()._read_header()
            return
        self._baseoffset = self._startoffset + 4

    def _goto(self, position: int) -> None:
        head = self._get(position, _HEADER_READ, header=True)
        buf = io.BytesIO(head)
        buf.seek(_INT_SIZE)
        try:
            info = pickle.load(buf)
        except (pickle.UnpicklingError, EOFError):  # a short read: the file's end, or a long header
            super()._goto(position)
            return
        self._data = None
        self._ids = None
        self._weights = None
        self._values = None
        self._i = 0
        length = unpack_int(head[:_INT_SIZE])[0]
        if length < 0:
            self._lastblock = True
            length = -length
        self._nextoffset = position + _INT_SIZE + length
        self._dataoffset = position + buf.tell()
        (self._blocklength, self._maxid, self._maxweight, self._compression, mnlen, mxlen) = info
        self._minlength = byte_to_length(mnlen)
        self._maxlength = byte_to_length(mxlen)

    # -- a block's contents: packed (``blocks``) or Whoosh's pickle -----------------------
    def _read_data(self) -> None:
        compression = self._compression
        if not compression or not compression & PACKED or self._byteids:
            super()._read_data()
            return
        data = self._get(self._dataoffset, self._nextoffset - self._dataoffset)
        data = zlib.decompress(data) if compression & ~PACKED else bytes(data)
        block = PackedBlock(data, self._blocklength, self._fixedsize)
        # The shape Whoosh's block holds (ids as deltas, as its pickle has them), so any
        # reader of ``_data`` (``reslib.index.postings``) reads either kind of block.
        self._data = (block.deltas, block.weights, block)

    def _read_ids(self) -> None:
        if self._data is None:
            self._read_data()
        if isinstance(self._data[2], PackedBlock):
            self._ids = list(accumulate(self._data[0]))
        else:
            super()._read_ids()

    def _read_weights(self) -> None:
        if self._data is None:
            self._read_data()
        if isinstance(self._data[2], PackedBlock):
            self._weights = self._data[1]
        else:
            super()._read_weights()

    def _read_values(self) -> None:
        if self._data is None:
            self._read_data()
        block = self._data[2]
        if not isinstance(block, PackedBlock):
            super()._read_values()
            return
        values = block.values()
        fixed = self._fixedsize
        if fixed is None or fixed < 0:
            self._values = values
        elif fixed == 0:
            self._values = (None,) * self._blocklength
        else:
            assert isinstance(values, bytes)
            self._values = tuple(values[i : i + fixed] for i in range(0, len(values), fixed))


#: Term look-ups a segment's terms reader remembers (found or not) before starting afresh.
REMEMBERED_TERMS = 4096


class RememberingTermsReader(W3TermsReader):  # type: ignore[misc]
    """Whoosh's term index reader, remembering the term infos it looked up.

    A search looks each term up in every segment three times: its document frequency to
    order an ``And``, again for the scorer's idf, and again to open its postings; each
    look-up is a hash probe through the compound-file layers (~10 µs). The reader lives as
    long as the searcher (a generation, per thread), so a term asked again by the next
    search is not looked up either. A segment never changes, so what was found stays true.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.remembered: dict[tuple[str, bytes], W3TermInfo | None] = {}

    def term_info(self, fieldname: str, tbytes: bytes) -> W3TermInfo:
        key = (fieldname, tbytes)
        remembered = self.remembered
        if key in remembered:
            found = remembered[key]
        else:
            try:
                found = super().term_info(fieldname, tbytes)
            except TermNotFound:
                found = None
            if len(remembered) >= REMEMBERED_TERMS:
                remembered.clear()  # a bound, simpler than least-recently-used order
            remembered[key] = found
        if found is None:
            raise TermNotFound(f"No term {fieldname}:{tbytes!r}")
        return found

    # Whoosh's reader answers these from the term's bytes in the index; a missing term is a
    # KeyError there, which its segment reader turns into 0.
    def doc_frequency(self, fieldname: str, tbytes: bytes) -> int:
        try:
            return int(self.term_info(fieldname, tbytes).doc_frequency())
        except TermNotFound as exc:
            raise KeyError(tbytes) from exc

    def frequency(self, fieldname: str, tbytes: bytes) -> float:
        try:
            return float(self.term_info(fieldname, tbytes).weight())
        except TermNotFound as exc:
            raise KeyError(tbytes) from exc


class FastLengthsCodec(W3Codec):  # type: ignore[misc]
    """Whoosh's default codec, reading field lengths through ``LengthsInMemory``, posting
    blocks through ``OneReadLeafMatcher``, and writing small posting blocks uncompressed
    (``SmallBlocksPlainWriter``).

    Pickled into every segment it writes: see the module docstring before moving it.
    ``packed`` (default True) says how it writes posting blocks; it reads both kinds.
    """

    #: Read from the class by codecs unpickled from segments written before the attribute.
    packed = True

    def __init__(self, *args: Any, packed: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.packed = packed

    def per_document_reader(self, storage: Any, segment: Any) -> LengthsInMemory:
        return LengthsInMemory(storage, segment)

    def terms_reader(self, storage: Any, segment: Any) -> RememberingTermsReader:
        # Whoosh's own, with the reader class swapped.
        name = segment.make_filename(self.TERMS_EXT)
        postings = segment.open_file(storage, self.POSTS_EXT)
        return RememberingTermsReader(
            self, storage.open_file(name), storage.file_length(name), postings
        )

    def postings_reader(
        self, dbfile: Any, terminfo: Any, format_: Any, term: Any = None, scorer: Any = None
    ) -> Any:
        if terminfo.is_inlined():
            return super().postings_reader(dbfile, terminfo, format_, term=term, scorer=scorer)
        offset, length = terminfo.extent()
        return OneReadLeafMatcher(dbfile, offset, length, format_, term=term, scorer=scorer)

    def postings_writer(self, dbfile: Any, byteids: bool = False) -> SmallBlocksPlainWriter:
        writer = SmallBlocksPlainWriter(
            dbfile,
            blocklimit=self._blocklimit,
            byteids=byteids,
            compression=self._compression,
            inlinelimit=self._inlinelimit,
        )
        writer.packed = self.packed
        return writer


#: One field's postings while a segment is built: term -> (document numbers, weights, values).
_FieldPostings = dict[bytes, tuple[list[int], list[float], list[bytes]]]


class BulkSegmentWriter(SegmentWriter):  # type: ignore[misc]
    """A Whoosh segment writer for rebuilds: postings kept per term, written a block at a time.

    Whoosh's writer sends each posting through a sorting pool as a 5-tuple and then through
    ``add_posting`` one by one, several Python calls per posting (~6 µs; a record has
    ~1,000 postings and most terms of a segment have few). Here a posting is three appends
    to its term's lists (lists: appending to an ``array`` costs twice as much, and the
    values appended are shared objects, a document number per document and the counts'
    weights and encodings); at the end each term's postings go to Whoosh's own postings writer
    a block (``blocklimit`` postings) at a time, with the block statistics it would have
    computed, so the segment files are the ones Whoosh writes.

    It takes no lock: a rebuild's committing writer holds the index lock for all of them
    (``commit_segments``).
    """

    def __init__(self, ix: whoosh_index.Index, codec: W3Codec) -> None:
        super().__init__(ix, _lk=False, codec=codec)
        self.term_postings: dict[str, _FieldPostings] = {}
        #: field -> document number -> field length (as Whoosh stores it: a rounded byte).
        self.field_lengths: dict[str, dict[int, int]] = {}

    def add_document(self, **fields: Any) -> None:
        self._check_state()
        perdoc = self.perdocwriter
        schema = self.schema
        docnum = self.docnum
        perdoc.start_doc(docnum)
        for name in sorted(fields):
            value = fields[name]
            if value is None:
                continue
            field = schema[name]
            length = 0
            if field.indexed:
                terms = self.term_postings.setdefault(name, {})
                for tbytes, freq, weight, vbytes in field.index(value):
                    entry = terms.get(tbytes)
                    if entry is None:
                        entry = terms[tbytes] = ([], [], [])
                    entry[0].append(docnum)
                    entry[1].append(weight)
                    entry[2].append(vbytes)
                    length += freq
                if not field.scorable:
                    length = 0
                if length:
                    lengths = self.field_lengths.setdefault(name, {})
                    lengths[docnum] = BYTE_TO_LENGTH[length_to_byte(length)]
            perdoc.add_field(name, field, value if field.stored else None, length)
            if field.column_type:
                perdoc.add_column_value(name, field.column_type, field.to_column_value(value))
        perdoc.finish_doc()
        self._added = True
        self.docnum += 1

    def finish(self) -> Any:
        """Write the segment's files; its Whoosh segment (None without documents), to be
        committed with ``commit_segments``."""
        if self.docnum:
            return self._finalize_segment()
        self._close_segment()
        return None

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        fieldwriter = self.fieldwriter
        blocklimit = self.codec._blocklimit
        for name in sorted(self.term_postings):
            terms = self.term_postings[name]
            if not terms:
                continue  # as Whoosh: a field without postings is not started
            lengths = self.field_lengths.get(name, {})
            fieldwriter.start_field(name, self.schema[name])
            for tbytes in sorted(terms):
                ids, weights, values = terms[tbytes]
                fieldwriter.start_term(tbytes)
                block = fieldwriter._postwriter
                count = len(ids)
                for i in range(0, count, blocklimit):
                    if i:
                        block._write_block()  # the previous block (the last: finish_term)
                    if count <= blocklimit:  # most terms: no slicing
                        block_ids, block_weights, block_values = ids, weights, values
                    else:
                        block_ids = ids[i : i + blocklimit]
                        block_weights = weights[i : i + blocklimit]
                        block_values = values[i : i + blocklimit]
                    block._ids = block_ids
                    block._weights = array("f", block_weights)
                    block._values = list(filter(None, block_values))
                    known = list(filter(None, map(lengths.get, block_ids)))
                    block._minlength = min(known) if known else None
                    block._maxlength = max(known) if known else 0
                    block._maxweight = max(0, max(block_weights))
                fieldwriter.finish_term()
            fieldwriter.finish_field()
        fieldwriter.close()
        self.term_postings = {}
        self.field_lengths = {}


def commit_segments(writer: SegmentWriter, segments: list[Any]) -> None:
    """Commit ``segments`` (from ``BulkSegmentWriter.finish``) into the index through
    ``writer``, which holds the index lock: what Whoosh's multiprocessing writer does with
    its workers' segments (``multisegment=True``)."""
    writer._close_segment()
    writer._commit_toc(list(writer.segments) + segments)
    writer._finish()


__all__ = [
    "BYTE_TO_LENGTH",
    "BulkSegmentWriter",
    "FastLengthsCodec",
    "LengthsInMemory",
    "OneReadLeafMatcher",
    "SmallBlocksPlainWriter",
    "commit_segments",
]
