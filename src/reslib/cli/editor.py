"""``reslib edit --editor``: a record's JSON in $EDITOR, saved only over the version opened.

The editor may stay open for minutes while other librarians save the same record. The
version opened (its ``updated`` stamp) goes with the save, and the catalogue refuses it if
the record was saved meanwhile (``Conflict``): their change stays, and this one is not
silently written over it.

Whatever is refused after the editor closed (a save over a newer version, invalid JSON, a
field that fails validation) keeps the text typed: the editor works on a draft file that is
deleted only once the record is saved, and the message gives its path. The draft lives in
the temporary folder ($TMPDIR, else /tmp), not in ``library/``: a refused command writes
nothing into the library (which may be published, backed up or under version control), and
the draft is created readable by its owner only, as it may hold unpublished text.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import fields
from pathlib import Path

import click

from ..catalogue import Catalogue, SaveReport, apply_assignment
from ..errors import Conflict, InvalidInput, ReslibError
from ..models import Record
from ..storage import parse_json


class Draft:
    """The file the editor works on, with a way to tell whether it was saved."""

    def __init__(self, record_id: str, version: str, text: str) -> None:
        stamp = version.replace(":", "").replace("-", "") or "new"
        fd, name = tempfile.mkstemp(prefix=f"reslib-edit-{record_id}-{stamp}-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        self.path = Path(name)
        self.text = text
        # As click does: date the file back, so a save within the same second still shows.
        st = self.path.stat()
        os.utime(self.path, (st.st_atime, st.st_mtime - 2))
        self.mtime = self.path.stat().st_mtime

    def saved(self) -> bool:
        return self.path.stat().st_mtime != self.mtime or self.read() != self.text

    def read(self) -> str:
        try:
            return self.path.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InvalidInput(f"the edited text is not UTF-8 (byte {exc.start})") from None

    def discard(self) -> None:
        self.path.unlink(missing_ok=True)


def changed_fields(before: Record, after: Record) -> list[str]:
    """The fields whose values differ, bookkeeping stamps left out."""
    return [
        f.name
        for f in fields(Record)
        if f.name not in ("added", "updated") and getattr(before, f.name) != getattr(after, f.name)
    ]


def _parse(text: str, record_id: str) -> Record:
    data = parse_json(text, f"record {record_id}", "nothing saved")
    if isinstance(data, dict) and data.get("id") != record_id:
        raise InvalidInput(f"record {record_id}: field 'id' cannot be changed; nothing saved")
    return Record.from_dict(data, f"record {record_id}")


def edit_in_editor(
    catalogue: Catalogue, record_id: str, assignments: list[str]
) -> SaveReport | None:
    """Open the record (with ``assignments`` applied) in $EDITOR and save what comes back.

    Returns None when the editor closed without saving. A refusal keeps the draft and names
    it in the error's message.
    """
    opened = catalogue.get(record_id)
    record = catalogue.get(record_id)
    for assignment in assignments:
        apply_assignment(record, assignment)
    text = json.dumps(record.to_dict(), ensure_ascii=False, indent=2) + "\n"
    draft = Draft(record_id, opened.updated, text)
    try:
        click.edit(filename=str(draft.path))
    except click.ClickException as exc:
        # The editor could not start, or exited with an error (vim's :cq aborts on purpose).
        message = f"record {record_id}: {exc.message}; nothing saved"
        if not draft.saved():
            draft.discard()
            raise InvalidInput(message) from None
        raise InvalidInput(f"{message}; your text is kept in {draft.path}") from None
    if not draft.saved():
        draft.discard()
        return None
    try:
        report = catalogue.save(_parse(draft.read(), record_id), expected_updated=opened.updated)
    except Conflict as exc:
        current = catalogue.get(record_id)
        if current.updated != opened.updated:
            raise Conflict(_conflict_message(opened, current, draft.path)) from None
        raise Conflict(f"{exc.message}; your text is kept in {draft.path}") from None
    except ReslibError as exc:
        raise type(exc)(f"{exc.message}; your text is kept in {draft.path}") from None
    draft.discard()
    return report


def _conflict_message(opened: Record, current: Record, kept: Path) -> str:
    theirs = changed_fields(opened, current)
    what = ", ".join(theirs) if theirs else "no field (only its version)"
    return (
        f"record {opened.id} was saved by someone else while you were editing it "
        f"(version {opened.updated} became {current.updated}; changed: {what}): nothing saved; "
        f"your text is kept in {kept}: run 'reslib edit {opened.id} --editor' again "
        "and copy your changes from that file"
    )
