"""Burmese/English text analysis: normalization, segmentation and the Whoosh analyzers.

Public entry points: ``normalize`` (one function for index and query time), ``syllables``,
``tokens`` and ``icu_words`` (segmentation), the field analyzers, and ``analyze`` (a report of
all of it, behind ``reslib analyze``).
"""

from .analyzers import (
    ANALYSIS_VERSION,
    FIELD_ANALYZERS,
    english_analyzer,
    syllable_analyzer,
    word_analyzer,
)
from .explain import Analysis, analyze
from .normalize import Normalized, burmese_rules, normalize, normalize_text
from .segment import Segment, fold_digits, icu_words, segments, syllables, tokens
from .zawgyi import unicode_to_zawgyi, zawgyi_probability, zawgyi_to_unicode

__all__ = [
    "ANALYSIS_VERSION",
    "FIELD_ANALYZERS",
    "Analysis",
    "Normalized",
    "Segment",
    "analyze",
    "burmese_rules",
    "english_analyzer",
    "fold_digits",
    "icu_words",
    "normalize",
    "normalize_text",
    "segments",
    "syllable_analyzer",
    "syllables",
    "tokens",
    "unicode_to_zawgyi",
    "word_analyzer",
    "zawgyi_probability",
    "zawgyi_to_unicode",
]
