"""Language detection's feature counting walked a word at a time (``language._visit_counts``)
gives the scores of py3langid's own walk, byte for byte: a speed-only change."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import shared_path
from py3langid.langid import MODEL_FILE, LanguageIdentifier

from reslib.analysis import language
from reslib.analysis.language import SAMPLE_CHARS, _identifier, detect_language

CORPORA = [
    "talpco/data_eng.txt",
    "talpco/data_myn.txt",
    "myanmar-tools/mmgov_zawgyi_src.txt",
    "en-my-translit/alt.all.dict.ver1.0.uniq.txt",
]

MIXED = [
    "",
    " ",
    "   leading and trailing spaces   ",
    "Les organisations de la société civile condamnent les frappes aériennes.",
    "Déclaration conjointe\tsur les\nfrappes aériennes",
    "Российские войска и армия Мьянмы",
    "ကျေးရွာများကို တိုက်ခိုက်မှု and English words",
    "AN UPPER CASE TITLE",
    "12345 67890 !!!",
]


def texts() -> list[str]:
    out = list(MIXED)
    for name in CORPORA:
        path = shared_path("corpora", *name.split("/"))
        lines = path.read_text("utf-8", errors="replace").splitlines()
        out += lines[:1500]
        # Paragraph-sized texts too, cut where the detector cuts them.
        out += [" ".join(lines[i : i + 40])[:SAMPLE_CHARS] for i in range(0, 1500, 40)]
    return out


@pytest.fixture(scope="module")
def stock() -> LanguageIdentifier:
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def test_the_word_walk_scores_every_corpus_text_as_py3langid_does(
    stock: LanguageIdentifier,
) -> None:
    memo = _identifier()
    compared = 0
    for text in texts():
        assert memo.rank(text) == stock.rank(text), text[:80]
        mine, theirs = memo._decide(text), stock._decide(text)
        assert np.array_equal(mine, theirs), text[:80]
        compared += 1
    assert compared > 4000


def test_the_walks_remembered_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(language, "MEMO_WORDS", 10)
    for n in range(50):
        detect_language(f"words never seen before number {n} x{n}y z{n * 7}w")
    assert len(_identifier()._walks) <= 10 + 10
    assert detect_language("Airstrikes on villages in Sagaing this week.") == "en"


def reference_language(stock: LanguageIdentifier, *texts: str) -> str:
    """``detect_language`` as it was before the memo: letters counted one by one, the stock
    identifier."""
    text = " ".join(t for t in texts if t)
    burmese = len(language.MYANMAR_RE.findall(text))
    rest = language.MYANMAR_RE.sub(" ", text) if burmese else text
    latin = len(language.LATIN_RE.findall(rest))
    others = language._ASCII_OR_LATIN_RE.sub("", rest)
    other = sum(1 for c in others if language.unicodedata.category(c)[0] in "LM")
    if not burmese + latin + other:
        return "en"
    share = burmese / (burmese + latin + other)
    if share >= language.BURMESE:
        return "my"
    if share > language.NOT_BURMESE:
        return "en+my" if latin >= other else "my"
    ranked = stock.rank(rest[:SAMPLE_CHARS])
    if latin >= other:
        english = next((p for code, p in ranked if code == "en"), 0.0)
        if ranked[0][0] == "en" or english > language.MAX_ENGLISH:
            return "en"
        best = ranked[0][0]
    else:
        best = next(code for code, _ in ranked if code != "en")
    return best if best in language.LANGUAGES else "en"


def test_detect_language_answers_as_before_on_every_corpus_text(
    stock: LanguageIdentifier,
) -> None:
    for text in texts():
        assert detect_language(text) == reference_language(stock, text), text[:80]
        assert detect_language(text, "Title in English") == reference_language(
            stock, text, "Title in English"
        )
