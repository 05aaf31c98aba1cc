"""Weekly-update text dumps in the shape of ../shared/seeds, with chosen listings."""

from __future__ import annotations

from collections.abc import Sequence

NAMING_FOOTNOTE = (
    "[1] One year following the 1988 pro-democracy uprising, the former military junta "
    "changed the country’s name from Burma to Myanmar overnight."
)
CLOSING = (
    "Progressive Voice is a participatory, rights-based policy research and advocacy "
    "organization that was born out of Burma Partnership."
)


def update_dump(
    title: str,
    date: str,
    paragraphs: list[str],
    statements: Sequence[tuple[str, str]] = (),
    reports: Sequence[tuple[str, str]] = (),
    footnotes: Sequence[str] = (),
) -> str:
    """A dump: title, date line, body, footnotes, then statements and an untitled report list."""
    lines = [
        title,
        "",
        f"{date}  •  Author:   Progressive Voice  •  3 minute read",
        "Featured image",
        "",
    ]
    for p in paragraphs:
        lines += [p, ""]
    lines += ["", *[x for f in [NAMING_FOOTNOTE, *footnotes] for x in (f, "")]]
    lines += ["Resources from the past week", "", ""]
    if statements:
        lines += ["Statements and Press Releases", ""]
        for listing, by in statements:
            lines += [listing, "", f"By {by}", ""]
    if reports:
        lines += ["", ""]
        for listing, by in reports:
            lines += [listing, "", f"By {by}", ""]
    lines.append(CLOSING)
    return "\n".join(lines)
