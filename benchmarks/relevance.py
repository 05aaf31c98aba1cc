"""Relevance: known-item search over typings, and word ranking against hand segmentation.

    .venv/bin/python benchmarks/relevance.py [--queries 300] [--seed 5] [--titles]
    .venv/bin/python benchmarks/relevance.py --only words     # the word-ranking table alone

**Known-item search.** Does a short Burmese span find the line it came from?

Documents are the lines of ../shared/corpora (TALPCo Burmese and English sentences, the
Burmese UDHR), one record each, indexed by reslib. For random spans of 1-4 syllables or
words of the Burmese lines, typed three ways (Unicode as is; Zawgyi, converted with ICU's
``my-Zawgyi``; with the letter ``ဝ`` typed as the digit ``၀``), it reports the share of
queries whose source line is in the top 10 (success@10) and the mean reciprocal rank (MRR).

Two baselines run on the same documents and queries:

- whitespace: tokens split on spaces, every query token required, BM25 ranking (what a
  WordPress-style search does);
- ICU words: ICU dictionary word breaks of the raw text, any query token, BM25 ranking (what
  Elasticsearch's ``icu_tokenizer`` with a ``match`` query does).

A span is kept only when at most 10 lines contain it (after normalization, spaces ignored):
a span found in 200 lines cannot single out its source for any engine, so it tests nothing.
Words are TALPCo's hand-made tokens, and space-separated phrases for the UDHR. A line with
the same text as the source counts as the source. Target (issue 5): success@10 >= 0.98 on
every variant, strictly above both baselines.

A record's title is its id, so title boosts play no part. With ``--titles`` each line is its
record's title as well (a catalogue of headlines): the title boosts rank the lines holding a
span, and reslib is also run without the ICU title words (``title_words``) to show their
share.

**Word ranking** (issue 13). Burmese has no spaces between words, so a syllable phrase finds a
word inside longer words too: ``ပန်း`` ("flower") inside ``ပင်ပန်း`` ("tired"). Documents are
the TALPCo Burmese sentences; queries are the hand-segmented words of ``data_myn-token.txt``
whose syllables also occur inside another hand-segmented word (a proper, syllable-aligned
part of it); a sentence is relevant when its hand segmentation holds the query as a whole
word. Reported: nDCG@10 (binary gains) of reslib, of reslib without its word ranking (the
syllable phrase alone, as before issue 13), and of SQLite FTS5 (bm25) over three
segmentations of the same sentences, each asked the query as a phrase of its own
segmentation: ICU dictionary words (what Elasticsearch's ``icu_tokenizer`` does), syllables,
and the hand segmentation (the upper bound: it knows the answer). Target: reslib at least
0.90 x the hand-segmentation figure and above both other baselines.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import shutil
import sqlite3
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _shared import SHARED

from reslib.analysis import icu_words, normalize_text, unicode_to_zawgyi
from reslib.analysis.segment import myanmar_runs, tokens
from reslib.config import Home
from reslib.index import rebuild
from reslib.search import SearchRequest, cohesion, search
from reslib.search import compile as compile_module

WA, ZERO = "\u101d", "\u1040"


def load_lines() -> list[dict]:
    """Every document: id, text, language, and its Burmese words where known."""
    c = SHARED / "corpora"
    docs: list[dict] = []
    hand_tokens: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in (c / "talpco" / "data_myn-token.txt").read_text("utf-8").splitlines():
        line = line.strip()
        if re.fullmatch(r"\d+", line):
            current = hand_tokens.setdefault(line, [])
        elif current is not None and re.search("[\u1000-\u109f]", line):
            current.append(line)  # words only: no "<EOS>" marker, no lone punctuation
    for name, lang in (("data_myn", "my"), ("data_eng", "en")):
        for line in (c / "talpco" / f"{name}.txt").read_text("utf-8").splitlines():
            if "\t" in line:
                sid, text = line.split("\t", 1)
                words = hand_tokens.get(sid) if lang == "my" else None
                docs.append(
                    {"id": f"talpco-{lang}-{sid}", "text": text, "lang": lang, "words": words}
                )
    udhr = (c / "myanmar-tools" / "udhr_mya_unicode_src.txt").read_text("utf-8").splitlines()
    for n, text in enumerate(udhr):
        if text.strip():
            docs.append({"id": f"udhr-{n:03d}", "text": text, "lang": "my", "words": text.split()})
    return docs


def write_library(home: Home, docs: list[dict], titles: bool = False) -> None:
    home.records.mkdir(parents=True, exist_ok=True)
    for d in docs:
        record = {
            "id": d["id"],
            "type": "other",
            "title": d["text"] if titles else d["id"],
            "language": d["lang"],
            "date": "2020",
            "organizations": [],
            "summary": "",
            "body": d["text"],
        }
        (home.records / f"{d['id']}.json").write_text(json.dumps(record, ensure_ascii=False))


def squash(text: str) -> str:
    return re.sub(r"\s+", "", normalize_text(text))


def sample_spans(docs: list[dict], n: int, rng: random.Random) -> tuple[list[dict], int]:
    """Spans of 1-4 syllables or words, each found in at most 10 lines."""
    burmese = [d for d in docs if d["lang"] == "my"]
    squashed = [squash(d["text"]) for d in burmese]
    out: list[dict] = []
    rejected = 0
    while len(out) < n:
        d = rng.choice(burmese)
        size = rng.randint(1, 4)
        if rng.random() < 0.5 or not d["words"]:
            syl = [t for t in tokens(d["text"]) if t.kind == "my"]
            if len(syl) < size:
                continue
            i = rng.randrange(len(syl) - size + 1)
            span = d["text"][syl[i].start : syl[i + size - 1].end]
            unit = "syllables"
        else:
            words = d["words"]
            if len(words) < size:
                continue
            i = rng.randrange(len(words) - size + 1)
            span = " ".join(words[i : i + size])
            unit = "words"
        key = squash(span)
        if key not in squash(d["text"]):
            continue  # a hand token spelled otherwise than the sentence (ပုဝါ for ပဝါ)
        if not key or sum(key in s for s in squashed) > 10:
            rejected += 1
            continue
        out.append({"doc": d["id"], "text": d["text"], "span": span, "unit": unit})
    return out, rejected


class BM25:
    """A small BM25 (k1=1.2, b=0.75) over given token lists: the baselines' engine."""

    def __init__(self, docs: dict[str, list[str]]) -> None:
        self.postings: dict[str, dict[str, int]] = defaultdict(dict)
        self.length = {i: len(t) for i, t in docs.items()}
        self.avg = sum(self.length.values()) / max(1, len(docs))
        for i, toks in docs.items():
            for tok, tf in Counter(toks).items():
                self.postings[tok][i] = tf
        self.n = len(docs)

    def search(self, terms: list[str], require_all: bool) -> list[str]:
        terms = list(dict.fromkeys(terms))
        if not terms:
            return []
        sets = [set(self.postings.get(t, {})) for t in terms]
        candidates = set.intersection(*sets) if require_all else set.union(*sets)
        scores: dict[str, float] = {}
        for doc in candidates:
            s = 0.0
            for t in terms:
                tf = self.postings.get(t, {}).get(doc, 0)
                if not tf:
                    continue
                df = len(self.postings[t])
                idf = math.log(1 + (self.n - df + 0.5) / (df + 0.5))
                norm = tf + 1.2 * (1 - 0.75 + 0.75 * self.length[doc] / self.avg)
                s += idf * tf * 2.2 / norm
            scores[doc] = s
        return sorted(scores, key=lambda d: (-scores[d], d))[:10]


def whitespace_tokens(text: str) -> list[str]:
    return [t for t in (w.strip("။၊.,?!\"'()") for w in text.split()) if t]


def icu_tokens(text: str) -> list[str]:
    out: list[str] = []
    for chunk in text.split():
        out.extend(w for _, w in icu_words(chunk) if w.strip("။၊.,?!\"'()"))
    return out


def rank_of(results: list[str], wanted: set[str]) -> int | None:
    for n, doc in enumerate(results, 1):
        if doc in wanted:
            return n
    return None


def known_item(args: argparse.Namespace) -> None:
    """The known-item table: success@10 and MRR per typing and system."""
    rng = random.Random(args.seed)

    docs = load_lines()
    same_text: dict[str, set[str]] = defaultdict(set)
    for d in docs:
        same_text[d["text"].strip()].add(d["id"])
    root = Path(tempfile.mkdtemp(prefix="reslib-relevance-"))
    home = Home(root)
    write_library(home, docs, titles=args.titles)
    t0 = time.perf_counter()
    rebuild(home)
    print(f"{len(docs)} documents indexed in {time.perf_counter() - t0:.1f} s")

    spans, rejected = sample_spans(docs, args.queries, rng)
    with_wa = [
        s
        for s in sample_spans(docs, args.queries * 20, random.Random(args.seed + 1))[0]
        if WA in s["span"]
    ][: args.queries]
    print(
        f"{len(spans)} spans ({Counter(s['unit'] for s in spans)}); {rejected} spans found in "
        f"more than 10 lines were skipped; {len(with_wa)} spans holding ဝ for the ဝ->၀ variant"
    )

    variants = {
        "Unicode": [(s, s["span"]) for s in spans],
        "Zawgyi": [(s, unicode_to_zawgyi(s["span"])) for s in spans],
        "ဝ typed as ၀": [(s, s["span"].replace(WA, ZERO)) for s in with_wa],
    }
    whitespace = BM25({d["id"]: whitespace_tokens(d["text"]) for d in docs})
    icu = BM25({d["id"]: icu_tokens(d["text"]) for d in docs})

    def reslib(q: str, title_words: bool = True) -> list[str]:
        boost = compile_module.TITLE_WORDS_BOOST
        if not title_words:
            compile_module.TITLE_WORDS_BOOST = 0.0  # the terms stay, adding nothing
        try:
            return [r.id for r in search(home, SearchRequest(q=q, limit=10, exact=True)).results]
        finally:
            compile_module.TITLE_WORDS_BOOST = boost

    systems: dict[str, Callable[[str], list[str]]] = {
        "reslib": reslib,
        "whitespace": lambda q: whitespace.search(whitespace_tokens(q), require_all=True),
        "ICU words": lambda q: icu.search(icu_tokens(q), require_all=False),
    }
    if args.titles:
        systems["reslib -words"] = lambda q: reslib(q, title_words=False)
    print(f"\n{'variant':<14}{'system':<14}{'success@10':>11}{'MRR':>8}{'queries':>9}")
    for variant, queries in variants.items():
        for system, run in systems.items():
            hits, rr = 0, 0.0
            for span, q in queries:
                rank = rank_of(run(q), same_text[span["text"].strip()])
                if rank is not None:
                    hits += 1
                    rr += 1 / rank
            n = len(queries)
            print(f"{variant:<14}{system:<14}{hits / n:>11.3f}{rr / n:>8.3f}{n:>9}")
    shutil.rmtree(root, ignore_errors=True)


# -- word ranking -------------------------------------------------------------------------


def syllable_key(word: str) -> tuple[str, ...]:
    """A word as its Burmese syllables (normalized): how words are compared."""
    return tuple(t.text for t in tokens(normalize_text(word)) if t.kind == "my")


def talpco_sentences() -> tuple[dict[str, str], dict[str, list[str]]]:
    """TALPCo's Burmese sentences by id, and their hand-segmented words (punctuation and
    the ``<EOS>`` marker left out), for the sentences that have both."""
    c = SHARED / "corpora" / "talpco"
    hand: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in (c / "data_myn-token.txt").read_text("utf-8").splitlines():
        line = line.strip()
        if re.fullmatch(r"\d+", line):
            current = hand.setdefault(line, [])
        elif current is not None and re.search("[\u1000-\u109f]", line):
            current.append(line)
    sentences: dict[str, str] = {}
    for line in (c / "data_myn.txt").read_text("utf-8").splitlines():
        if "\t" in line:
            sid, text = line.split("\t", 1)
            if sid in hand:
                sentences[sid] = text
    return sentences, {sid: hand[sid] for sid in sentences}


def word_queries(hand: dict[str, list[str]]) -> list[tuple[str, set[str]]]:
    """(query word, relevant sentence ids): each hand-segmented word whose syllables occur
    inside another hand-segmented word, with the sentences holding it as a word."""
    spelled: dict[tuple[str, ...], str] = {}
    holding: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for sid, words in hand.items():
        for word in words:
            key = syllable_key(word)
            if key:
                spelled.setdefault(key, word)
                holding[key].add(sid)

    def inside(part: tuple[str, ...], whole: tuple[str, ...]) -> bool:
        n = len(part)
        return len(whole) > n and any(whole[i : i + n] == part for i in range(len(whole) - n + 1))

    keys = list(spelled)
    return [(spelled[k], holding[k]) for k in keys if any(inside(k, o) for o in keys)]


def ndcg_at_10(ranked: list[str], relevant: set[str]) -> float:
    """nDCG@10 with binary gains."""
    dcg = sum(1 / math.log2(i + 2) for i, d in enumerate(ranked[:10]) if d in relevant)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(10, len(relevant))))
    return dcg / ideal if ideal else 0.0


def icu_segmentation(text: str) -> list[str]:
    """ICU dictionary words of the Burmese runs of ``text`` (normalized)."""
    text = normalize_text(text)
    return [w for _, run in myanmar_runs(text) for _, w in icu_words(run)]


def fts5_table(con: sqlite3.Connection, name: str, docs: dict[str, list[str]]) -> None:
    """An FTS5 table of space-joined tokens (a tokenizer that keeps Myanmar marks)."""
    con.execute(
        f"create virtual table {name} using fts5(sid unindexed, body, "
        "tokenize=\"unicode61 remove_diacritics 0 categories 'L* N* Co M*'\")"
    )
    con.executemany(
        f"insert into {name}(sid, body) values (?, ?)",
        ((sid, " ".join(toks)) for sid, toks in docs.items()),
    )


def fts5_search(con: sqlite3.Connection, name: str, toks: list[str]) -> list[str]:
    if not toks:
        return []
    phrase = '"' + " ".join(t.replace('"', "") for t in toks) + '"'
    rows = con.execute(
        f"select sid from {name} where {name} match ? order by rank limit 10", (phrase,)
    )
    return [r[0] for r in rows]


def word_ranking(args: argparse.Namespace) -> None:
    """The word-ranking table: nDCG@10 of reslib and the FTS5 baselines."""
    sentences, hand = talpco_sentences()
    queries = word_queries(hand)
    root = Path(tempfile.mkdtemp(prefix="reslib-words-"))
    home = Home(root)
    docs = [{"id": sid, "text": text, "lang": "my"} for sid, text in sentences.items()]
    write_library(home, docs)
    t0 = time.perf_counter()
    rebuild(home)
    print(
        f"\nWord ranking: {len(sentences)} TALPCo Burmese sentences indexed in "
        f"{time.perf_counter() - t0:.1f} s; {len(queries)} hand-segmented words found inside "
        "other words, as queries"
    )
    con = sqlite3.connect(":memory:")
    fts5_table(con, "icu", {sid: icu_segmentation(t) for sid, t in sentences.items()})
    fts5_table(con, "syl", {sid: list(syllable_key(t)) for sid, t in sentences.items()})
    fts5_table(con, "hand", {sid: [normalize_text(w) for w in ws] for sid, ws in hand.items()})

    def reslib(q: str) -> list[str]:
        return [r.id for r in search(home, SearchRequest(q=q, limit=10, exact=True)).results]

    def reslib_one_phase(q: str) -> list[str]:
        saved = cohesion.WINDOW
        cohesion.WINDOW = 0
        try:
            return reslib(q)
        finally:
            cohesion.WINDOW = saved

    def reslib_syllables(q: str) -> list[str]:
        saved = compile_module.INSIDE_WEIGHT, compile_module.WORD_BOOST
        compile_module.INSIDE_WEIGHT, compile_module.WORD_BOOST = 1.0, 0.0
        try:
            return reslib_one_phase(q)
        finally:
            compile_module.INSIDE_WEIGHT, compile_module.WORD_BOOST = saved

    systems: dict[str, Callable[[str], list[str]]] = {
        "reslib": reslib,
        "reslib, first phase only": reslib_one_phase,
        "reslib, syllable phrase only": reslib_syllables,
        "FTS5, ICU words": lambda q: fts5_search(con, "icu", icu_segmentation(q)),
        "FTS5, syllables": lambda q: fts5_search(con, "syl", list(syllable_key(q))),
        "FTS5, hand segmentation": lambda q: fts5_search(con, "hand", [normalize_text(q)]),
    }
    print(f"\n{'system':<32}{'nDCG@10':>8}{'queries':>9}")
    for system, run in systems.items():
        total = sum(ndcg_at_10(run(q), relevant) for q, relevant in queries)
        print(f"{system:<32}{total / len(queries):>8.3f}{len(queries):>9}")
    shutil.rmtree(root, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--queries", type=int, default=300, help="spans per variant")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument(
        "--titles", action="store_true", help="each line is its record's title as well"
    )
    parser.add_argument("--only", choices=["known", "words"], help="one table only")
    args = parser.parse_args()
    if args.only != "words":
        known_item(args)
    if args.only != "known":
        word_ranking(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
