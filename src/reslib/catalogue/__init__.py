"""The catalogue: records in ``library/`` and the operations librarians perform on them.

``library/`` is the source of truth. Each record is one JSON file (``records/ID.json``), written
atomically under the library lock; original documents live in ``files/ID/``; removed ids keep a
tombstone in ``tombstones/ID.json`` so they are never reused. Text fields are stored normalized,
with the pre-conversion text kept in ``original`` when Zawgyi was converted. Links are
symmetric. Listeners hear about every saved or removed record.

| module | what it owns |
| --- | --- |
| ``records`` | the file layout, ids and id minting, reads, raw writes, tombstones, attachments |
| ``prepare`` | the normalization policy: text, organizations through the authority file, lists |
| ``links`` | symmetric ``translations``/``related``: which other records change |
| ``edits`` | ``field=value`` / ``+=`` / ``-=`` assignments |
| ``filters`` | the filters of ``list`` and ``export`` |
| ``checks`` | ``reslib check``, one function per rule |
| ``bus`` | the listeners and batches |
| ``core`` | ``Catalogue``: composes the above; locked writes; organization and glossary edits |

Open a library to change it with ``reslib.library.open_library(home)``: it attaches the index
updater. ``Catalogue(home)`` alone is for readers.
"""

from __future__ import annotations

from .bus import Listener, ListenerBus
from .checks import Problem
from .core import Catalogue, SaveReport
from .edits import apply_assignment
from .filters import RecordFilter, select
from .records import RecordFiles, slugify_title

__all__ = [
    "Catalogue",
    "Listener",
    "ListenerBus",
    "Problem",
    "RecordFiles",
    "RecordFilter",
    "SaveReport",
    "apply_assignment",
    "select",
    "slugify_title",
]
