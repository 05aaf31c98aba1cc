"""The reference answers the evaluator is checked against: Whoosh's own matchers.

``whoosh_scores(searcher, q)`` walks a query tree document by document through Whoosh's
matcher objects, per segment, and returns every match with its score. Two nodes differ from
Whoosh's stock behaviour, on purpose:

- ``BigramPhrase`` is matched by ``ReferenceBigramPhrase``: the leapfrogging matcher the
  engine used before the evaluator matched phrases itself (it lived in ``search/compile.py``
  and moved here when only tests ran it). A phrase of bigrams matches where bigram ``i`` starts
  ``i`` positions after bigram 0, scored as the sum of its terms' scores, boosted.
  ``test_reference_phrase_agrees_with_whoosh_span_phrase`` checks it against Whoosh's own
  (span-based) ``Phrase`` matcher, so the reference is not only our word.
- ``AndNot`` is matched by ``ExactAndNot``: Whoosh 2.7.4's ``AndNotMatcher`` does not check
  the first document of its left side when the excluded side's postings start earlier (see
  ``test_evaluate.test_exclusion_removes_every_document_holding_the_excluded_word``), and its
  ``skip_to`` reads past the end when its left side runs out (an exclusion inside an
  exclusion); the engine excludes exactly, and so does the reference.
- ``AndMaybe`` is matched by ``ExactAndMaybe``: when Whoosh 2.7.4's ``AndMaybeMatcher`` is
  skipped (inside an ``And``, which skips its children to a common document) it moves its
  optional side to the target rather than to where its required side landed, and loses the
  optional score of that document. The engine adds it, and so does the reference (found by
  ``test_evaluate_property``).
"""

from __future__ import annotations

from typing import Any

from whoosh import query as wq
from whoosh.matching import AndMaybeMatcher, AndNotMatcher, ListMatcher, Matcher, NullMatcher
from whoosh.searching import Searcher, TermNotFound

from reslib.search.compile import BigramPhrase

ScoreMap = dict[int, float]


class ReferenceBigramPhrase(BigramPhrase):
    """A phrase of bigrams matched with Whoosh's term matchers, one segment at a time.

    The rarest bigram leads and the others skip to its documents; a document holding every
    bigram is checked for a start where bigram ``i`` sits at ``start + i``.
    """

    def matcher(self, searcher: Searcher, context: Any = None) -> Matcher:
        weighting = context.weighting if context is not None else searcher.weighting
        ids, scores = self._evaluate(searcher, context, weighting)
        return ListMatcher(ids, weights=scores) if ids else NullMatcher()

    def _evaluate(
        self, searcher: Searcher, context: Any, weighting: Any
    ) -> tuple[list[int], list[float]]:
        field = self.fieldname
        reader = searcher.reader()
        ids: list[int] = []
        scores: list[float] = []
        if field not in searcher.schema or not self.words:
            return ids, scores
        words = [searcher.schema[field].to_bytes(w) for w in self.words]
        if any((field, w) not in reader for w in words):
            return ids, scores
        if weighting is not None:
            ms = [wq.Term(field, w).matcher(searcher, context) for w in words]
        else:
            ms = [reader.postings(field, w) for w in words]
        decode = searcher.schema[field].format.decode_positions
        order = sorted(range(len(words)), key=lambda i: reader.doc_frequency(field, words[i]))
        lead, others = ms[order[0]], [ms[i] for i in order[1:]]
        while lead.is_active():
            d = lead.id()
            target = d
            for m in others:
                m.skip_to(d)
                if not m.is_active():
                    return ids, scores
                target = max(target, m.id())
            if target != d:
                lead.skip_to(target)
                continue
            starts: set[int] | None = None
            for i, m in enumerate(ms):
                shifted = {p - i for p in decode(m.value())}
                starts = shifted if starts is None else starts & shifted
                if not starts:
                    break
            if starts:
                ids.append(d)
                scores.append(sum(m.score() for m in ms) * self.boost if weighting else 1.0)
            lead.next()
        return ids, scores


class _ExactAndNotMatcher(AndNotMatcher):  # type: ignore[misc]
    def _find_first(self) -> None:
        # Whoosh checks only whether both sides start on the same document; skipping the
        # excluded side forward first is what its own ``_find_next`` does for later ones.
        if self.a.is_active() and self.b.is_active():
            self._find_next()

    def _find_next(self) -> bool | None:
        # Whoosh's ``skip_to`` looks for the next kept document even when its left side
        # ran out (an exclusion nested in an exclusion): nothing is left to look for.
        if not self.a.is_active():
            return False
        return super()._find_next()  # type: ignore[no-any-return]


class ExactAndNot(wq.AndNot):  # type: ignore[misc]
    """Whoosh's ``AndNot`` with its first-document check done as for every later one."""

    def matcher(self, searcher: Searcher, context: Any = None) -> Matcher:
        scored = self.a.matcher(searcher, context)
        excluded = self.b.matcher(searcher, searcher.boolean_context())
        return _ExactAndNotMatcher(scored, excluded)


class _ExactAndMaybeMatcher(AndMaybeMatcher):  # type: ignore[misc]
    def skip_to(self, id: int) -> bool:
        # Whoosh skips the optional side to ``id`` rather than to where the required side
        # landed, which may be later: the optional score of that document is then lost.
        moved = self.a.skip_to(id)
        if self.a.is_active() and self.b.is_active():
            moved = self.b.skip_to(self.a.id()) or moved
        return bool(moved)


class ExactAndMaybe(wq.AndMaybe):  # type: ignore[misc]
    """Whoosh's ``AndMaybe`` whose optional side follows its required side when skipped."""

    def matcher(self, searcher: Searcher, context: Any = None) -> Matcher:
        return _ExactAndMaybeMatcher(
            self.a.matcher(searcher, context), self.b.matcher(searcher, context)
        )


def reference_tree(q: wq.Query) -> wq.Query:
    """``q`` with its phrases and exclusions replaced by the reference nodes."""
    if type(q) is BigramPhrase:
        return ReferenceBigramPhrase(q.fieldname, q.words, slop=q.slop, boost=q.boost)
    if type(q) is wq.AndNot:
        return ExactAndNot(reference_tree(q.a), reference_tree(q.b))
    if type(q) is wq.AndMaybe:
        return ExactAndMaybe(reference_tree(q.a), reference_tree(q.b))
    return q.apply(reference_tree)


def drain(searcher: Searcher, q: wq.Query) -> ScoreMap:
    """Every match of ``q`` as Whoosh's matchers give it, per segment (global docnums)."""
    out: ScoreMap = {}
    context = searcher.context(needs_current=True)
    for leaf, offset in searcher.leaf_searchers():
        try:
            m = q.matcher(leaf, context)
        except TermNotFound:
            continue
        while m.is_active():
            out[m.id() + offset] = m.score()
            m.next()
    return out


def whoosh_scores(searcher: Searcher, q: wq.Query) -> ScoreMap:
    """Every match and score of ``q``, by the reference matchers."""
    return drain(searcher, reference_tree(q))
