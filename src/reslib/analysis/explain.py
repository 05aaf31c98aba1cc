"""What the engine does with a text, field by field: the data behind ``reslib analyze``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .analyzers import ANALYSIS_VERSION, FIELD_ANALYZERS
from .normalize import normalize
from .segment import tokens


@dataclass(frozen=True)
class Analysis:
    """The normalized text, the Zawgyi verdict and each index field's terms in order."""

    original: str
    normalized: str
    zawgyi_probability: float | None
    converted_from_zawgyi: bool
    segments: list[dict[str, Any]]
    fields: dict[str, list[str]]

    def to_dict(self) -> dict[str, Any]:
        return {
            "analysis_version": ANALYSIS_VERSION,
            "original": self.original,
            "normalized": self.normalized,
            "zawgyi_probability": self.zawgyi_probability,
            "converted_from_zawgyi": self.converted_from_zawgyi,
            "segments": self.segments,
            "fields": self.fields,
        }


def analyze(text: str, mode: str = "index") -> Analysis:
    """Run ``text`` through normalization and every field analyzer (``mode``: index or query)."""
    norm = normalize(text)
    fields = {
        name: [t.text for t in make()(norm.text, mode=mode)]
        for name, make in FIELD_ANALYZERS.items()
    }
    segs = [
        {"kind": s.kind, "text": s.text, "start": s.start, "end": s.end} for s in tokens(norm.text)
    ]
    return Analysis(
        original=text,
        normalized=norm.text,
        zawgyi_probability=norm.zawgyi_probability,
        converted_from_zawgyi=norm.converted_from_zawgyi,
        segments=segs,
        fields=fields,
    )
