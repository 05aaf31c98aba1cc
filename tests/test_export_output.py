"""``reslib export -o PATH`` writes into what is at PATH, and never replaces a FIFO, a device,
a link or a stream with a regular file (issue 11, item 4).

A regular file is replaced atomically (temporary file and rename); a FIFO, a character
device or ``/dev/stdout`` is written through; a symbolic link keeps pointing where it did;
a folder that does not exist is refused with nothing created.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from reslib.cli import cli

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def home(tmp_path: Path) -> Path:
    root = tmp_path / "lib"
    assert CliRunner().invoke(cli, ["init", str(root)]).exit_code == 0
    for title in ("Open Letter", "Coup Watch"):
        result = run(
            root, "add", "--title", title, "--type", "report", "--language", "en", "--date", "2023"
        )
        assert result.exit_code == 0, result.output
    return root


def run(home: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--home", str(home), *args])


def exported(home: Path) -> bytes:
    result = run(home, "export")
    assert result.exit_code == 0
    return result.stdout_bytes


def test_a_regular_file_is_replaced_whole_with_no_temporary_file_left(
    home: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out" / "records.jsonl"
    out.parent.mkdir()
    out.write_text("old export\n")
    assert run(home, "export", "-o", str(out)).exit_code == 0
    assert out.read_bytes() == exported(home)
    assert [p.name for p in out.parent.iterdir()] == ["records.jsonl"]


def test_a_fifo_is_written_into_and_stays_a_fifo(home: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    result = run(home, "export", "-o", str(fifo))
    reader.join(timeout=30)
    assert result.exit_code == 0, result.output
    assert received == [exported(home)]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_character_device_is_written_into_and_stays_a_device(home: Path, tmp_path: Path) -> None:
    if os.geteuid() == 0:
        # A null device of our own: as root, a regression here would otherwise replace the
        # machine's /dev/null (the next test covers that name, with two guards in its way).
        device = tmp_path / "null"
        os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    else:
        device = Path("/dev/null")
    result = run(home, "export", "-o", str(device))
    assert result.exit_code == 0, result.output
    assert stat.S_ISCHR(os.lstat(device).st_mode)


def test_dev_null_stays_a_device(home: Path) -> None:
    result = run(home, "export", "--format", "csv", "-o", "/dev/null")
    assert result.exit_code == 0, result.output
    assert stat.S_ISCHR(os.lstat("/dev/null").st_mode)


def test_a_symbolic_link_stays_and_its_file_is_replaced(home: Path, tmp_path: Path) -> None:
    target = tmp_path / "exports" / "latest.jsonl"
    target.parent.mkdir()
    target.write_text("old export\n")
    link = tmp_path / "link.jsonl"
    link.symlink_to(target)
    assert run(home, "export", "-o", str(link)).exit_code == 0
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_bytes() == exported(home)
    assert [p.name for p in target.parent.iterdir()] == ["latest.jsonl"]


def test_a_link_to_a_fifo_writes_into_the_fifo(home: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    link = tmp_path / "link"
    link.symlink_to(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    assert run(home, "export", "-o", str(link)).exit_code == 0
    reader.join(timeout=30)
    assert received == [exported(home)]
    assert link.is_symlink() and stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_folder_that_does_not_exist_is_refused_and_not_created(
    home: Path, tmp_path: Path
) -> None:
    missing = tmp_path / "no" / "such" / "dir" / "x.jsonl"
    result = run(home, "export", "-o", str(missing))
    assert result.exit_code == 1
    assert result.output.strip() == (
        f"Error: {missing}: no folder {missing.parent}: create it first"
    )
    assert not (tmp_path / "no").exists()


def test_a_dangling_link_whose_folder_is_missing_is_refused(home: Path, tmp_path: Path) -> None:
    link = tmp_path / "link"
    link.symlink_to(tmp_path / "gone" / "x.jsonl")
    result = run(home, "export", "-o", str(link))
    assert result.exit_code == 1 and "no folder" in result.output
    assert not (tmp_path / "gone").exists() and link.is_symlink()


def reslib(home: Path, *args: str, **kw) -> subprocess.CompletedProcess:  # type: ignore[no-untyped-def]
    return subprocess.run(
        [sys.executable, "-m", "reslib", "--home", str(home), *args],
        check=False,
        cwd=REPO,
        **kw,
    )


def test_dev_stdout_goes_to_the_standard_output_of_a_real_process(home: Path) -> None:
    proc = reslib(home, "export", "-o", "/dev/stdout", capture_output=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == exported(home)


@pytest.mark.parametrize("name", ["/dev/stdout", "/dev/fd/1", "/proc/self/fd/1", "link"])
def test_standard_output_appended_to_a_file_keeps_what_the_file_held(
    home: Path, tmp_path: Path, name: str
) -> None:
    if name == "link":
        name = str(tmp_path / "to-stdout")
        os.symlink("/dev/stdout", name)
    log = tmp_path / "log.txt"
    log.write_bytes(b"before\n")
    with open(log, "ab") as out:
        proc = reslib(home, "export", "-o", name, stdout=out, stderr=subprocess.PIPE)
    assert proc.returncode == 0, proc.stderr
    assert log.read_bytes() == b"before\n" + exported(home)
