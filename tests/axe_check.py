"""axe-core (Deque's accessibility rules, from the npm registry) run on a Playwright page.

``scripts/setup.sh`` installs the pinned release into ``tests/.axe/``. The script is handed
to the page through the DevTools protocol (``page.evaluate``), which our Content-Security-
Policy does not govern, so pages are checked under their real CSP. Helpers only, no tests.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

AXE = Path(__file__).resolve().parent / ".axe" / "node_modules" / "axe-core" / "axe.min.js"
#: The impacts a page must not have (axe's scale: minor, moderate, serious, critical).
BLOCKING = ("serious", "critical")

_RUN = """async (context) => {
  const found = await axe.run(context || document, {resultTypes: ["violations"]});
  return found.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ")),
  }));
}"""


def axe_source() -> str:
    if not AXE.exists():
        if os.environ.get("CI"):
            raise FileNotFoundError(f"{AXE} is missing: scripts/setup.sh installs axe-core")
        pytest.skip("axe-core is not installed (scripts/setup.sh installs it)")
    return AXE.read_text("utf-8")


def violations(page: Any, context: str | None = None) -> list[dict[str, Any]]:
    """axe's violations on the page (or inside the element ``context`` selects)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source() + "\n;true")
    found: list[dict[str, Any]] = page.evaluate(_RUN, context)
    return found


def blocking(page: Any, context: str | None = None) -> list[dict[str, Any]]:
    """The serious and critical violations: what the issue's bar allows none of."""
    return [v for v in violations(page, context) if v["impact"] in BLOCKING]
