"""Organization names as search words: the authority file's names, looked up in a query.

A run of bare query words that is an organization's preferred name, acronym, alias or
Burmese name (``library/organizations.json``) stands for that organization: expansion
(``expand``) adds the organization's preferred name, its Burmese name and its other names of
several words as phrases, so ``OCHA``, ``KHRG``, ``FORUM-ASIA`` and ``ကရင်လူ့အခွင့်အရေးအဖွဲ့``
find the records the organization published (every record carries its organizations'
preferred names in its indexed text, where the organization-name boost ranks them) as well
as texts that mention it by name.

Precision, because some names are ordinary words (``TWO`` is the Ta'ang Women's
Organization, ``AI`` Amnesty International, ``PV`` Progressive Voice):

- a name of one Latin word (an acronym, or a one-word name or alias) matches only as the
  authority file spells it or typed all in capitals: people type acronyms in capitals, and
  "two" or "ai" in lower case is almost always the word, not the organization;
- a name of several words matches whatever the case, but only as a whole run of query words
  (``Karen Human Rights Group``, not ``Karen`` or ``Rights Group``): a run of several words
  that is exactly a name is very unlikely to mean anything else;
- a Burmese name matches as a whole run, its spaces ignored (Burmese is written without
  spaces between words, and people add them in different places);
- what expansion adds is the preferred name (what the records carry), the Burmese name
  and the other names of several words, never another one-word name: searched in the index
  (which keeps no case), an added ``TWO`` would find every "two".

Quoted phrases are not looked up (quotes ask for exactly what was typed), and ``exact``
switches the lookup off with the rest of expansion.
"""

from __future__ import annotations

import re
import unicodedata

from ..authority import Organization, Organizations, name_key
from ..glossary import variant_key

_MYANMAR_RE = re.compile("[\u1000-\u109f]")
#: Longest name looked up, in query words (longer runs are never names).
MAX_NAME_WORDS = 16


def _is_burmese(text: str) -> bool:
    return bool(_MYANMAR_RE.search(text))


def _one_word(text: str) -> bool:
    return len(text.split()) == 1


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


class NameIndex:
    """The names of an authority file, keyed for lookup by the rules above."""

    def __init__(self, organizations: Organizations) -> None:
        #: One Latin word, as spelled; the same in capitals (typed all in capitals).
        self._spelled: dict[str, Organization] = {}
        self._capitals: dict[str, Organization] = {}
        #: Several Latin words, compared without case (``name_key``).
        self._words: dict[str, Organization] = {}
        #: Burmese names, normalized, spaces removed (``variant_key``).
        self._burmese: dict[str, Organization] = {}
        #: The most query words a name spans.
        self.longest = 0
        #: Every run of leading words of a Latin name (``_word_key`` each), and every
        #: leading part of a Burmese name's key: what ``reach`` walks.
        self._word_prefixes: set[tuple[str, ...]] = set()
        self._burmese_prefixes: set[str] = set()
        for org in organizations:
            for name in org.all_names():
                self._add(name, org)

    def _add(self, name: str, org: Organization) -> None:
        name = _nfkc(name)
        if not name:
            return
        if _is_burmese(name):
            key = variant_key(name)
            self._burmese.setdefault(key, org)
            self._burmese_prefixes.update(key[:i] for i in range(1, len(key) + 1))
        elif _one_word(name):
            self._spelled.setdefault(name, org)
            self._capitals.setdefault(name.upper(), org)
        else:
            self._words.setdefault(name_key(name), org)
            # As written and as compared (``name_key`` drops a leading "The").
            for words in (name.split(), name_key(name).split()):
                keys = tuple(_word_key(w) for w in words)
                self._word_prefixes.update(keys[:i] for i in range(1, len(keys) + 1))
        self.longest = max(self.longest, min(len(name.split()), MAX_NAME_WORDS))

    def __len__(self) -> int:
        return len(self._spelled) + len(self._words) + len(self._burmese)

    def reach(self, words: list[str]) -> int:
        """How many of ``words`` (consecutive query words, as typed) a name could span: the
        length of the longest run of them that begins some name, at least 1 (a one-word
        name is looked up anyway). Expansion looks up longer runs only up to it, so a long
        query costs a set look-up per word, not one per word and run length."""
        if not words:
            return 0
        reach = 1
        if _is_burmese(words[0]):
            joined = ""
            for i, word in enumerate(words[:MAX_NAME_WORDS], 1):
                joined += variant_key(word)
                if joined not in self._burmese_prefixes:
                    break
                reach = i
        else:
            keys: tuple[str, ...] = ()
            for i, word in enumerate(words[:MAX_NAME_WORDS], 1):
                keys += (_word_key(word),)
                if keys not in self._word_prefixes:
                    break
                reach = i
        return reach

    def find(self, text: str) -> Organization | None:
        """The organization ``text`` (a whole run of query words) names, if any."""
        text = _nfkc(text)
        if not text:
            return None
        if _is_burmese(text):
            return self._burmese.get(variant_key(text))
        if _one_word(text):
            found = self._spelled.get(text)
            if found is None and text.isupper():
                found = self._capitals.get(text)
            return found
        return self._words.get(name_key(text))

    def variants(self, texts: list[str]) -> list[str]:
        """What a run of query words (in each of its readings, ``texts``) adds when it names
        an organization: its preferred name, its Burmese name and its other names of several
        words, each but the one typed."""
        out: list[str] = []
        for text in texts:
            org = self.find(text)
            if org is None:
                continue
            typed = _key(text)
            for name in [org.name, org.name_my, *org.acronyms, *org.aliases]:
                name = _nfkc(name)
                if not name:
                    continue
                if name != org.name and _one_word(name) and not _is_burmese(name):
                    continue
                if _key(name) != typed and name not in out:
                    out.append(name)
        return out


def _word_key(word: str) -> str:
    return name_key(word) or word


def _key(text: str) -> str:
    return variant_key(text) if _is_burmese(text) else name_key(text)


__all__ = ["MAX_NAME_WORDS", "NameIndex"]
