"""Files and folders reslib creates follow the process's umask, so another user can read them."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from reslib.storage import unique_dir, write_atomic, write_json


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_an_atomically_written_file_is_readable_by_others(tmp_path: Path, umask_022: None) -> None:
    target = tmp_path / "records" / "a.json"
    write_json(target, {"id": "a"})
    assert mode(target) == 0o644
    write_atomic(target, "replaced\n")
    assert mode(target) == 0o644
    assert target.read_text() == "replaced\n"
    assert not [p for p in target.parent.iterdir() if p.name.endswith(".tmp")]


def test_a_stricter_umask_is_honoured(tmp_path: Path) -> None:
    old = os.umask(0o077)
    try:
        write_atomic(tmp_path / "private.txt", "x")
        made = unique_dir(tmp_path, "ix-")
    finally:
        os.umask(old)
    assert mode(tmp_path / "private.txt") == 0o600
    assert mode(made) == 0o700


def test_a_new_index_folder_is_readable_by_others(tmp_path: Path, umask_022: None) -> None:
    first = unique_dir(tmp_path / "indexes", "ix-20261201-")
    second = unique_dir(tmp_path / "indexes", "ix-20261201-")
    assert first != second and first.name.startswith("ix-20261201-")
    assert mode(first) == 0o755
