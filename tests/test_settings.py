"""Settings: every tunable documented in the README, read when used, bad values one line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from reslib import settings
from reslib.errors import InvalidInput

ROOT = Path(__file__).resolve().parents[1]


def test_every_setting_is_documented_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    section = readme.split("## Settings", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"^\| `(RESLIB_[A-Z_]+)` \|", section, re.MULTILINE))
    assert documented == {s.env for s in settings.SETTINGS.values()}


def test_no_module_reads_a_reslib_variable_outside_settings() -> None:
    offenders = []
    for path in (ROOT / "src" / "reslib").rglob("*.py"):
        if path.name == "settings.py":
            continue
        text = path.read_text("utf-8")
        if re.search(r"environ(\.get)?\(?\[?[\"']RESLIB_", text):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_a_setting_is_read_when_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RESLIB_LOCK_TIMEOUT", raising=False)
    assert settings.get("lock_timeout") == 30.0
    monkeypatch.setenv("RESLIB_LOCK_TIMEOUT", "2.5")
    assert settings.get("lock_timeout") == 2.5


@pytest.mark.parametrize(
    ("env", "raw", "says"),
    [
        ("RESLIB_LOCK_TIMEOUT", "abc", "is not a number"),
        ("RESLIB_LOCK_TIMEOUT", "-1", "is below 0"),
        ("RESLIB_CACHE_POSTINGS", "1.5", "is not a whole number"),
        ("RESLIB_NO_PROMPT", "maybe", "is not 1 or 0"),
    ],
)
def test_a_bad_value_names_the_variable(
    monkeypatch: pytest.MonkeyPatch, env: str, raw: str, says: str
) -> None:
    monkeypatch.setenv(env, raw)
    name = env.removeprefix("RESLIB_").lower()
    with pytest.raises(InvalidInput) as caught:
        settings.get(name)
    assert env in caught.value.message and says in caught.value.message
    assert "\n" not in caught.value.message


def test_a_bad_lock_timeout_is_one_line_from_the_cli(tmp_path: Path) -> None:
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "reslib", "--home", str(tmp_path), "init"],
        capture_output=True,
        text=True,
        env={"RESLIB_LOCK_TIMEOUT": "abc", "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert result.returncode == 1, result.stderr
    assert result.stderr.strip().count("\n") == 0
    assert "RESLIB_LOCK_TIMEOUT" in result.stderr
