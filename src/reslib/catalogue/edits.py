"""Field assignments as a librarian types them: ``field=value``, ``field+=v``, ``field-=v``."""

from __future__ import annotations

import re

from ..errors import InvalidInput
from ..models import EDITABLE_FIELDS, LIST_FIELDS, Record


def apply_assignment(record: Record, assignment: str) -> None:
    """``field=value`` sets, ``field+=value`` appends (lists), ``field-=value`` removes.

    List values are separated by ``;``. Changes ``record`` in memory only.
    """
    m = re.match(r"^\s*([a-z_]+)\s*([+-]?=)(.*)$", assignment, re.DOTALL)
    if not m:
        raise InvalidInput(f"record {record.id}: cannot read {assignment!r}: use field=value")
    name, op, value = m.group(1), m.group(2), m.group(3).strip()
    if name not in EDITABLE_FIELDS:
        raise InvalidInput(
            f"record {record.id}: field {name!r} cannot be set: use one of "
            + ", ".join(EDITABLE_FIELDS)
        )
    if name in LIST_FIELDS:
        values = [v.strip() for v in value.split(";") if v.strip()]
        current: list[str] = getattr(record, name)
        if op == "=":
            setattr(record, name, values)
        elif op == "+=":
            setattr(record, name, current + [v for v in values if v not in current])
        else:
            setattr(record, name, [v for v in current if v not in values])
        return
    if op != "=":
        raise InvalidInput(f"record {record.id}: field {name!r} is not a list: use {name}=value")
    setattr(record, name, value)
