"""The packed layout of a posting block: document numbers, weights and values as arrays.

Whoosh 2.7.4 stores a block's contents as a pickled tuple of Python objects (a tuple of
ints, a tuple of floats, a tuple of byte strings), so reading a block of 128 postings
creates some 400 objects one by one: ~110 µs a block, the largest single cost of a query
over common terms (a bigram in 40,000 of 50,000 records has 310 blocks). Here the same
contents are laid out as arrays that decode in C (``array.frombytes``), and the values are
cut into byte strings only when a caller asks for them (a phrase's candidates, not a
term's score map).

Layout, all integers little-endian (the header before it, with the block's posting count,
is Whoosh's, ``reslib.index.codec``)::

    u8   weights kind: 0 every weight 1.0, 1 one weight for all, 2 one per posting
    u8   value length size: 2 or 4 (bytes per entry of the value lengths)
    u32  number of values (Whoosh keeps only non-empty ones, so it may be under the count)
    u32 * count                    document number deltas (the first from 0)
    f32 * (0 | 1 | count)          weights, by kind
    then, by the field format's value size (``fixed_value_size``):
      variable: u16|u32 * values   each value's length, then the values concatenated
      fixed n:  the values concatenated (n bytes each)
      0:        nothing

The weights are stored as 32-bit floats, which is what Whoosh's writer holds them in
(``array("f")``): a block read back gives the weights, and so the scores, Whoosh's
pickled block gives.
"""

from __future__ import annotations

import struct
import sys
from array import array
from collections.abc import Iterator, Sequence
from itertools import accumulate, islice, pairwise
from operator import sub
from typing import Any, overload

_HEAD = struct.Struct("<BBI")
_SWAP = sys.byteorder != "little"

ALL_ONE, ONE_FOR_ALL, PER_POSTING = 0, 1, 2


def _le(values: array[Any]) -> bytes:
    if _SWAP:
        values = array(values.typecode, values)
        values.byteswap()
    return values.tobytes()


def _read(typecode: str, data: memoryview, start: int, count: int) -> tuple[array[Any], int]:
    out = array(typecode)
    end = start + count * out.itemsize
    out.frombytes(data[start:end])
    if _SWAP:
        out.byteswap()
    return out, end


def pack_block(
    ids: Sequence[int], weights: Sequence[float], values: Sequence[bytes], value_size: int | None
) -> bytes:
    """A block's contents in the packed layout (``value_size``: the format's
    ``fixed_value_size()``, None or negative for values of any length)."""
    deltas = array("I", [b - a for a, b in pairwise([0, *ids])])
    first = weights[0] if len(weights) else 1.0
    if all(w == 1.0 for w in weights):
        kind, packed_weights = ALL_ONE, b""
    elif all(w == first for w in weights):
        kind, packed_weights = ONE_FOR_ALL, _le(array("f", [first]))
    else:
        kind, packed_weights = PER_POSTING, _le(array("f", weights))
    size = 2
    tail: list[bytes] = []
    if value_size is None or value_size < 0:
        lengths = [len(v) for v in values]
        size = 2 if max(lengths, default=0) < 1 << 16 else 4
        tail = [_le(array("H" if size == 2 else "I", lengths)), *values]
    elif value_size > 0:
        tail = list(values)
    head = _HEAD.pack(kind, size, len(values))
    return b"".join([head, _le(deltas), packed_weights, *tail])


class PackedBlock:
    """A packed block's contents, decoded: ``deltas`` and ``weights`` at once (arrays),
    ``values()`` on demand."""

    __slots__ = ("_count", "_data", "_size", "_start", "_value_size", "deltas", "weights")

    def __init__(self, data: bytes, count: int, value_size: int | None) -> None:
        view = memoryview(data)
        kind, size, values = _HEAD.unpack_from(view)
        self.deltas, at = _read("I", view, _HEAD.size, count)
        if kind == ALL_ONE:
            self.weights = array("f", [1.0]) * count
        elif kind == ONE_FOR_ALL:
            one, at = _read("f", view, at, 1)
            self.weights = one * count
        else:
            self.weights, at = _read("f", view, at, count)
        self._data, self._start, self._count = data, at, values
        self._size, self._value_size = size, value_size

    def values(self) -> PackedValues | bytes | None:
        """The values as Whoosh's block reader hands them over for the format: a sequence
        of byte strings (values of any length), the values concatenated (a fixed size), or
        None (no values)."""
        fixed = self._value_size
        data, at = self._data, self._start
        if fixed is not None and fixed >= 0:
            return data[at:] if fixed > 0 else None
        lengths, at = _read("H" if self._size == 2 else "I", memoryview(data), at, self._count)
        return PackedValues(data, list(accumulate(lengths, initial=at)))


class PackedValues(Sequence[bytes]):
    """A block's values of any length, each cut from the block's bytes when asked for: a
    phrase reads the positions of its candidates only, often a few of a block's 128."""

    __slots__ = ("_data", "_ends")

    def __init__(self, data: bytes, ends: list[int]) -> None:
        self._data = data
        #: Where each value starts, and the last one's end.
        self._ends = ends

    def __len__(self) -> int:
        return len(self._ends) - 1

    @overload
    def __getitem__(self, i: int) -> bytes: ...

    @overload
    def __getitem__(self, i: slice) -> tuple[bytes, ...]: ...

    def __getitem__(self, i: int | slice) -> bytes | tuple[bytes, ...]:
        if isinstance(i, slice):
            return tuple(self)[i]
        ends = self._ends
        if i < 0:
            i += len(ends) - 1
        if not 0 <= i < len(ends) - 1:
            raise IndexError("value index out of range")
        return self._data[ends[i] : ends[i + 1]]

    def __iter__(self) -> Iterator[bytes]:
        ends = self._ends
        return map(self._data.__getitem__, map(slice, ends, islice(ends, 1, None)))

    def joined(self) -> tuple[bytes, list[int]]:
        """The values one after the other, and each one's length (no string per value)."""
        ends = self._ends
        return self._data[ends[0] : ends[-1]], list(map(sub, islice(ends, 1, None), ends))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, (str, bytes)):
            return tuple(self) == tuple(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]


__all__ = ["PackedBlock", "PackedValues", "pack_block"]
