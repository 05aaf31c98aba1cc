"""``reslib edit --editor`` never saves over a change made while the editor was open, and
never loses what was typed (issue 11, item 6).

The editor in these tests is a Python script (``$EDITOR``). In the race, the script plays a
second librarian first: it runs a real ``reslib edit --set`` on the same record, then writes
its own change into the file it was given, as a person would after a while.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from reslib.cli import cli

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def drafts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where this test's drafts go (the temporary folder, as $TMPDIR would set it)."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.fixture
def home(tmp_path: Path) -> Path:
    root = tmp_path / "lib"
    assert CliRunner().invoke(cli, ["init", str(root)]).exit_code == 0
    result = run(
        root,
        "add",
        "--id",
        "letter",
        "--title",
        "Open Letter",
        "--type",
        "open-letter",
        "--language",
        "en",
        "--date",
        "2023-09-15",
    )
    assert result.exit_code == 0, result.output
    return root


def run(home: Path, *args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, ["--home", str(home), *args], env=env)


def editor(tmp_path: Path, body: str) -> dict[str, str]:
    script = tmp_path / "editor.py"
    script.write_text("import json, subprocess, sys\npath = sys.argv[1]\n" + body)
    return {"EDITOR": f"{sys.executable} {script}"}


def stored(home: Path) -> dict:
    return json.loads((home / "library" / "records" / "letter.json").read_text("utf-8"))


def library_files(home: Path) -> dict[str, bytes]:
    lib = home / "library"
    return {str(p): p.read_bytes() for p in lib.rglob("*") if p.is_file() and p.name != ".lock"}


OTHER_LIBRARIAN = f"""
other = subprocess.run(
    [sys.executable, "-m", "reslib", "--home", sys.argv[2], "edit", "letter",
     "--set", "summary=Their summary", "--set", "topics=aid"],
    capture_output=True, text=True, cwd={str(REPO)!r},
)
assert other.returncode == 0, other.stderr
data = json.load(open(path, encoding="utf-8"))
data["title"] = "My better title"
json.dump(data, open(path, "w", encoding="utf-8"), ensure_ascii=False)
"""


def test_a_save_over_a_change_made_while_the_editor_was_open_is_refused(
    home: Path, tmp_path: Path, drafts: Path
) -> None:
    script = editor(tmp_path, OTHER_LIBRARIAN.replace("sys.argv[2]", repr(str(home))))
    result = run(home, "edit", "letter", "--editor", env=script)
    assert result.exit_code == 1
    message = result.output.strip()
    assert len(message.splitlines()) == 1
    assert "record letter was saved by someone else while you were editing it" in message
    assert "changed: summary, topics" in message and "nothing saved" in message
    # The other librarian's change is intact, and nothing of this edit was written.
    record = stored(home)
    assert (record["title"], record["summary"], record["topics"]) == (
        "Open Letter",
        "Their summary",
        ["aid"],
    )
    # What was typed is kept, in the file the message names.
    [draft] = drafts.iterdir()
    assert f"your text is kept in {draft}" in message
    assert json.loads(draft.read_text("utf-8"))["title"] == "My better title"


def test_an_edit_over_the_version_opened_saves_and_leaves_no_draft(
    home: Path, tmp_path: Path, drafts: Path
) -> None:
    script = editor(
        tmp_path,
        "data = json.load(open(path, encoding='utf-8'))\ndata['summary'] = 'Edited'\n"
        "json.dump(data, open(path, 'w', encoding='utf-8'))\n",
    )
    result = run(home, "edit", "letter", "--editor", env=script)
    assert result.exit_code == 0, result.output
    assert stored(home)["summary"] == "Edited"
    assert list(drafts.iterdir()) == []


@pytest.mark.parametrize(
    ("written", "message"),
    [
        (b"{broken", "invalid JSON at line 1"),
        (b'{"id": "letter", "type": "report", "title": "T", "language": "en", "date": "2023-13"}',
         "field 'date'"),
        (b"\xff\xfe not utf-8", "not UTF-8"),
    ],
)  # fmt: skip
def test_text_refused_after_the_editor_closed_is_kept(
    home: Path, tmp_path: Path, drafts: Path, written: bytes, message: str
) -> None:
    script = editor(tmp_path, f"open(path, 'wb').write({written!r})\n")
    before = library_files(home)
    result = run(home, "edit", "letter", "--editor", env=script)
    assert result.exit_code == 1
    assert message in result.output and len(result.output.strip().splitlines()) == 1
    [draft] = drafts.iterdir()
    assert result.output.strip().endswith(f"your text is kept in {draft}")
    assert draft.read_bytes() == written
    assert library_files(home) == before


def test_closing_the_editor_without_saving_changes_nothing_and_keeps_no_draft(
    home: Path, tmp_path: Path, drafts: Path
) -> None:
    before = library_files(home)
    result = run(home, "edit", "letter", "--editor", env=editor(tmp_path, "pass\n"))
    assert result.exit_code == 0
    assert result.output.strip() == "no changes saved"
    assert library_files(home) == before
    assert list(drafts.iterdir()) == []


def test_drafts_are_readable_by_their_owner_only(home: Path, tmp_path: Path, drafts: Path) -> None:
    script = editor(tmp_path, "open(path, 'w').write('{broken')\n")
    run(home, "edit", "letter", "--editor", env=script)
    [draft] = drafts.iterdir()
    assert draft.stat().st_mode & 0o077 == 0
