"""Shared fixtures: the ../shared corpora, a fresh library root per test, CLI runners."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("RESLIB_SHARED", REPO.parent / "shared"))


def shared_path(*parts: str) -> Path:
    """A file under ../shared; CI always has it, so only a local run may skip."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        if os.environ.get("CI"):
            raise FileNotFoundError(f"{path} is missing: CI must run with ../shared beside")
        pytest.skip(f"{path} not present")
    return path


@pytest.fixture
def shared() -> type:
    class _Shared:
        path = staticmethod(shared_path)

    return _Shared
