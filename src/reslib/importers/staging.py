"""Group commit of an import group's record files: staged, then made durable together.

While a group is written (``staged_records``), the catalogue's record files are a
``StagedRecordFiles``: each record file is written to a temporary file beside its target and
not yet fsynced; every ``SYNC_RECORDS`` records (and when the group ends, even by an error)
``flush`` fsyncs the temporaries at once, renames them in the order they were written and
fsyncs the folder once (``storage.replace_together``). Until then reads see the staged
version, so the catalogue's checks (an id in use, the version a save states, the other side
of a link) work as if the file were renamed already.

The promise of ``storage.write_atomic`` holds: a process killed (or a power cut) at any
moment leaves every record file old or new, and a temporary that ``reslib check`` removes.
A flush that fails midway (a disk error) removes the temporaries it did not rename and tells
the catalogue's listeners the version on disk of each of those records (none: removed), so
the index, which heard of the staged versions, commits what the files hold.
The index journal is written before the first record, as for any write, and the files keep
the time they were written, so a replay finds every record renamed before the kill. The
index hears of the group at its end, after the last flush (``Catalogue.batch`` closes
outside this block). The caller writes the run's log only after a flush (``flushed``), so
the log never names a record that was not renamed. After each flush the catalogue's
listeners are told the records renamed, with their bytes (``ListenerBus.durable``): the index
updater analyses them in worker processes while the next stage is written, and commits them
when the group ends, as before.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path

from ..catalogue import Catalogue
from ..catalogue.records import RecordFiles
from ..errors import InvalidInput
from ..models import Record
from ..storage import dumps_json, parse_json, replace_together, write_temporary

#: Records staged before they are made durable and renamed together: a few megabytes held.
SYNC_RECORDS = 1000


class StagedRecordFiles(RecordFiles):
    """``RecordFiles`` whose writes wait for ``flush`` (see the module docstring)."""

    def __init__(
        self,
        files: RecordFiles,
        lost: Callable[[list[str]], None] = lambda ids: None,
        durable: Callable[[dict[str, bytes]], None] = lambda files: None,
    ) -> None:
        super().__init__(files.home)
        #: Record id -> (temporary file, the bytes in it); in the order written.
        self._staged: dict[str, tuple[str, bytes]] = {}
        #: Told the ids of the records a failed flush did not rename into place.
        self.lost = lost
        #: Told the records a flush renamed into place, with their bytes.
        self.durable = durable

    def __len__(self) -> int:
        return len(self._staged)

    def full(self) -> bool:
        return len(self._staged) >= SYNC_RECORDS

    def write(self, record: Record) -> None:
        path = self.record_path(record.id)
        data = dumps_json(record.to_dict()).encode("utf-8")
        tmp = write_temporary(path, data)
        previous = self._staged.pop(record.id, None)
        if previous is not None:  # written twice in one stage (a link written back)
            with contextlib.suppress(FileNotFoundError):
                os.unlink(previous[0])
        self._staged[record.id] = (tmp, data)

    def flush(self) -> None:
        """Make every staged record durable and rename it into place."""
        staged, self._staged = self._staged, {}
        try:
            replace_together([(tmp, self.record_path(i)) for i, (tmp, _) in staged.items()])
        except BaseException:
            lost = [i for i, (tmp, _) in staged.items() if os.path.exists(tmp)]
            for record_id in lost:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(staged[record_id][0])
            self.lost(lost)
            raise
        self.durable({record_id: data for record_id, (_, data) in staged.items()})

    # -- reads see the staged versions ---------------------------------------------------
    def exists(self, record_id: str) -> bool:
        return record_id in self._staged or super().exists(record_id)

    def get(self, record_id: str) -> Record:
        if record_id in self._staged:
            return self._parse(record_id)
        return super().get(record_id)

    def read(self, path: Path) -> Record:
        if path.stem in self._staged and path == self.record_path(path.stem):
            return self._parse(path.stem)
        return super().read(path)

    def _parse(self, record_id: str) -> Record:
        where = f"record {record_id} (staged)"
        data = parse_json(self._staged[record_id][1], where)
        if not isinstance(data, dict):
            raise InvalidInput(f"{where}: expected a JSON object")
        return Record.from_dict(data, where)

    def ids(self) -> list[str]:
        return sorted(set(super().ids()) | set(self._staged))

    def mtimes(self) -> dict[str, int]:
        out = super().mtimes()
        for record_id, (tmp, _) in self._staged.items():
            with contextlib.suppress(FileNotFoundError):
                out[record_id] = os.stat(tmp).st_mtime_ns
        return out

    # -- removals are not staged: what is staged goes first ------------------------------
    def retire(self, record: Record) -> None:
        self.flush()
        super().retire(record)

    def delete(self, record_id: str) -> None:
        self.flush()
        super().delete(record_id)


@contextlib.contextmanager
def staged_records(catalogue: Catalogue) -> Iterator[StagedRecordFiles]:
    """Stage ``catalogue``'s record writes for the block; flushed when it ends, even by an
    error (what was written before it stays written, as without staging)."""
    plain = catalogue.files

    def lost(ids: list[str]) -> None:
        # The listeners heard of these versions: tell them what is on disk instead.
        for record_id in ids:
            if plain.exists(record_id):
                catalogue.bus.saved(plain.get(record_id))
            else:
                catalogue.bus.removed(record_id)

    staged = StagedRecordFiles(plain, lost, catalogue.bus.durable)
    catalogue.files = staged
    try:
        yield staged
    finally:
        catalogue.files = plain
        staged.flush()
