"""A searcher or server running as another user than the librarian reads what reslib wrote
(issue 11, item 5: index folders were 0700 and every page answered 500).

The librarian (root here) builds a library in a 0755 folder outside pytest's own temporary
folder (which is 0700); a process then gives up root for ``nobody`` and searches it, through
the command line and through the web app. The interpreter of this virtualenv may live where
``nobody`` cannot read (``/root/.pyenv``), so the process imports everything it needs first
and drops its privileges before it touches the library.
"""

from __future__ import annotations

import json
import os
import pwd
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from reslib.config import Home
from reslib.library import open_library
from reslib.models import Record

SEARCH_AS_NOBODY = r"""
import io, json, os, sys
from contextlib import redirect_stdout
from pathlib import Path
from reslib.cli import cli
from reslib.config import Home
from reslib.web.app import create_app
import reslib.search, reslib.web, reslib.web.search_views

warm = Path(sys.argv[2])
# Everything a search imports, imported while this process may still read /root.
with redirect_stdout(io.StringIO()):
    cli.main(["--home", str(warm), "search", "Sagaing", "--json"], standalone_mode=False)
    create_app(Home(warm)).test_client().get("/?q=Sagaing")
uid = int(sys.argv[3])
os.setgroups([])
os.setgid(uid)
os.setuid(uid)
home = Path(sys.argv[1])
out = io.StringIO()
with redirect_stdout(out):
    cli.main(["--home", str(home), "search", "Sagaing", "--json"], standalone_mode=False)
client = create_app(Home(home)).test_client()
page = client.get("/?q=Sagaing")
item = client.get("/items/burning-in-sagaing")
print(json.dumps({
    "uid": os.getuid(),
    "cli": [r["id"] for r in json.loads(out.getvalue())["results"]],
    "page_status": page.status_code,
    "page_has_result": "burning-in-sagaing" in page.get_data(as_text=True),
    "item_status": item.status_code,
}))
"""


def nobody_uid() -> int:
    if os.geteuid() != 0:
        pytest.skip("needs root, to run a process as another user")
    try:
        return pwd.getpwnam("nobody").pw_uid
    except KeyError:
        pytest.skip("no user 'nobody' on this machine")


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


@pytest.fixture
def open_folder() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="reslib-modes-", dir="/tmp"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def make_library(root: Path) -> Home:
    home = Home(root)
    library = open_library(home)
    library.init()
    library.add(
        Record(
            id="burning-in-sagaing",
            type="report",
            title="Burning of villages in Sagaing",
            language="en",
            date="2023-11",
            body="Villages in Sagaing were burned.",
        )
    )
    return home


def test_the_index_folder_and_its_files_are_readable_by_others(
    open_folder: Path, umask_022: None
) -> None:
    home = make_library(open_folder / "library-root")
    index = home.indexes / (home.indexes / "CURRENT").read_text().strip()
    for path in [home.indexes, index, *index.iterdir(), home.indexes / "CURRENT"]:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode & 0o004, f"{path} is {oct(mode)}"
        if path.is_dir():
            assert mode & 0o001, f"{path} is {oct(mode)}"


def test_a_searcher_running_as_another_user_reads_the_library(
    open_folder: Path, umask_022: None
) -> None:
    uid = nobody_uid()
    home = make_library(open_folder / "library-root")
    warm = make_library(Path(tempfile.mkdtemp(prefix="reslib-warm-")))
    try:
        proc = subprocess.run(
            [sys.executable, "-c", SEARCH_AS_NOBODY, str(home.root), str(warm.root), str(uid)],
            capture_output=True,
            text=True,
            timeout=120,
            env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        )
    finally:
        shutil.rmtree(warm.root, ignore_errors=True)
    assert proc.returncode == 0, proc.stderr
    seen = json.loads(proc.stdout.strip().splitlines()[-1])
    assert seen["uid"] == uid
    assert seen["cli"] == ["burning-in-sagaing"]
    assert seen["page_status"] == 200
    assert seen["page_has_result"]
    assert seen["item_status"] == 200
