"""The wheel carries the site's assets: built, installed into a fresh virtualenv, and served
from a directory outside the checkout, so nothing can be found through the repository."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

REPO = Path(__file__).resolve().parents[1]

# Run by the installed wheel's interpreter: what one library's site answers.
PROBE = r"""
import json, re, sys
import reslib
from reslib.config import Home
from reslib.web import create_app

client = create_app(Home(sys.argv[1])).test_client()
home = client.get("/")
link = re.search(r'<link rel="stylesheet" href="([^"]+)"', home.text)
css = client.get(link.group(1)) if link else None
print(json.dumps({
    "reslib": reslib.__file__,
    "home_status": home.status_code,
    "stylesheet": link.group(1) if link else None,
    "css_status": css.status_code if css else None,
    "css_type": css.mimetype if css else None,
    "css": css.text if css else "",
    "burmese_home": client.get("/?ui=my").text,
    "search": client.get("/?q=watershed").text,
    "about": client.get("/about").text,
}))
"""


def run(*args: str | Path, cwd: Path) -> str:
    # Nothing from the checkout may leak in through the environment.
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "RESLIB_HOME")}
    done = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, f"{args}\n{done.stdout}\n{done.stderr}"
    return done.stdout


def build_wheel(work: Path) -> Path:
    """Built from a copy of the sources, so the build leaves nothing in the checkout."""
    source = work / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, source / name)
    skip = shutil.ignore_patterns("__pycache__", "*.egg-info")
    shutil.copytree(REPO / "src", source / "src", symlinks=True, ignore=skip)
    shutil.copytree(REPO / "web", source / "web", ignore=skip)
    dist = work / "dist"
    build = ["wheel", "--no-deps", "--no-build-isolation", "--no-index", "-w", dist, source]
    run(sys.executable, "-m", "pip", *build, cwd=work)
    (wheel,) = dist.glob("reslib-*.whl")
    return wheel


def fresh_venv(work: Path, wheel: Path) -> Path:
    """A virtualenv holding the wheel's reslib; its dependencies come from ours (no download)."""
    venv = work / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=work)
    python = venv / "bin" / "python"
    where = "import sysconfig; print(sysconfig.get_path('purelib'))"
    site = Path(run(python, "-c", where, cwd=work).strip())
    # A path line only: the .pth files over there (our editable reslib) are not read.
    (site / "dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    install = ["--python", python, "install", "--no-deps", "--no-index", wheel]
    run(sys.executable, "-m", "pip", *install, cwd=work)
    return venv


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    work = tmp_path_factory.mktemp("wheel")
    venv = fresh_venv(work, build_wheel(work))
    reslib = venv / "bin" / "reslib"
    elsewhere = work / "elsewhere"
    elsewhere.mkdir()
    run(reslib, "init", "lib", cwd=elsewhere)
    run(
        reslib, "--home", "lib", "add", "--title", "Watershed report", "--type", "report",
        "--language", "en", "--date", "2024", "--summary", "Rivers and villages.",
        cwd=elsewhere,
    )  # fmt: skip
    # One template of the library root's own replaces ours; the rest still come from the wheel.
    override = elsewhere / "lib" / "web" / "templates"
    override.mkdir(parents=True)
    (override / "about.html").write_text(
        '{% extends "base.html" %}{% block main %}<p>Our own about page</p>{% endblock %}'
    )
    return {
        **json.loads(run(venv / "bin" / "python", "-c", PROBE, "lib", cwd=elsewhere)),
        "venv": venv,
    }


def test_reslib_is_imported_from_the_installed_wheel(served: dict) -> None:
    assert Path(served["reslib"]).resolve().is_relative_to(Path(served["venv"]).resolve())


def test_home_page_links_its_stylesheet_and_the_stylesheet_is_served(served: dict) -> None:
    assert served["home_status"] == 200
    assert served["stylesheet"] == "/static/site.css"
    assert served["css_status"] == 200
    assert served["css_type"] == "text/css"
    assert served["css"] == (REPO / "web" / "static" / "site.css").read_text("utf-8")


def test_burmese_ui_strings_are_installed(served: dict) -> None:
    burmese = json.loads((REPO / "web" / "i18n" / "my.json").read_text("utf-8"))
    assert burmese["search.heading"] in served["burmese_home"]


def test_search_page_lists_the_added_record(served: dict) -> None:
    # The title as text: the page marks the query's words in it (<mark>Watershed</mark>).
    page = BeautifulSoup(served["search"], "html.parser")
    assert [a.get_text() for a in page.select(".result-title a")] == ["Watershed report"]


def test_library_root_template_overrides_the_installed_one(served: dict) -> None:
    assert "Our own about page" in served["about"]
    assert 'href="/static/site.css"' in served["about"]
