"""What a record becomes in the index: the schema, its version and the document mapping.

Whoosh pickles the schema into every index (field types, analyzers, the position format of
``bigrams``), so the classes it names (``reslib.analysis.terms.StreamText``,
``PackedPositions``, ``BigramFilter`` and the analyzers) keep their import paths.
``SCHEMA_VERSION`` changes whenever the schema or the mapping does: an index built with
another version is refused (``reslib.index.layout.check_versions``) until a reindex.
"""

from __future__ import annotations

from typing import Any

from whoosh.analysis import RegexTokenizer
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema

from ..analysis import english_analyzer, syllable_analyzer, word_analyzer
from ..analysis.analyzers import unstemmed
from ..analysis.boundaries import span_analyzer
from ..analysis.terms import StreamText, bigram_analyzer, title_analyzer
from ..models import Record

#: Bump when the schema or the way a record becomes a document changes.
#: 2: no ``spell`` field (the lexicon file replaces it), no ``words`` field, terms from one
#: analysis pass per record.
#: 3: ``title_words``: ICU dictionary words of the title and organization names.
#: 4: ``bigrams`` positions packed as integers (``PackedPositions``), not pickled.
#: 5: ``spans`` and ``title_spans``: Burmese whole-word spans of the content and of the
#: title and organization names, weighted by their word edges.
#: 6: posting blocks packed as arrays (``reslib.index.blocks``), not pickled.
SCHEMA_VERSION = 6
#: Schemas this code searches and updates. A schema 5 index (the same fields, Whoosh's
#: pickled posting blocks) is read as it is and updated in its own block format, so the
#: reslib that built it (a replica not yet upgraded) still reads it; a rebuild makes it 6.
READABLE_SCHEMAS = (5, 6)
#: The first schema whose posting blocks are packed.
PACKED_BLOCKS_SINCE = 6
#: Separates the values of a multi-valued facet field (organization names contain spaces
#: and commas, never this control character).
VALUE_SEP = "\x1f"
#: Facet fields: one term per value, exactly as the record spells it.
FACET_FIELDS = ("type", "language", "organizations", "year", "places", "topics")


def _values_field() -> KEYWORD:
    # One term per value, case and spaces kept: these terms are the facet values shown.
    return KEYWORD(analyzer=RegexTokenizer(f"[^{VALUE_SEP}]+"))


def build_schema() -> Schema:
    """The fields of one record's document.

    Matching: ``syllables`` (Burmese syllables, numbers), ``english`` (stems), ``bigrams``
    (token pairs with positions: phrases). Ranking aids, boosted at query time:
    ``title_terms`` and ``org_terms`` (tokens and token pairs), ``title_words`` (ICU
    dictionary words of the title and organization names), ``spans`` (Burmese spans of one
    to three syllables of the content, weighted by how sure their edges are word edges,
    ``reslib.analysis.boundaries``: a Burmese query word scores the records that hold it as
    a word above those that hold it inside a longer one) and ``title_spans`` (the title
    and organization names' spans with word edges on both sides). The suggestion lexicon is a file
    (``reslib.index.lexicon``). The content fields take their terms from one analysis pass
    per record (``StreamText``).

    ICU words are indexed for the title and organization names only, the short text where a
    whole-word match says most: a title holding the word ranks above one holding its
    syllables across a word boundary, which syllable bigrams cannot tell apart. Over the
    whole text (the ``words`` field of the analysis issue) they cost ~200 postings per
    record, a sixth of indexing time, and an OR of boost terms over large posting lists per
    Burmese query, for the same success@10 in ``benchmarks/relevance.py`` (MRR 0.861 ->
    0.860 Unicode, 0.840 -> 0.836 Zawgyi, 0.880 -> 0.883 for ဝ/၀ without them).
    """
    return Schema(
        id=ID(stored=True, unique=True),
        title=STORED(),
        type=ID(stored=True),
        language=ID(stored=True),
        langs=KEYWORD(),
        date=ID(stored=True, sortable=True),
        year=ID(),
        organizations=_values_field(),
        places=_values_field(),
        topics=_values_field(),
        org_names=STORED(),
        translations=STORED(),
        group=ID(sortable=True),
        syllables=StreamText("syllables", syllable_analyzer()),
        english=StreamText("english", english_analyzer()),
        bigrams=StreamText("bigrams", bigram_analyzer(), phrase=True),
        title_terms=StreamText("title", title_analyzer()),
        org_terms=StreamText("title", title_analyzer()),
        title_words=TEXT(analyzer=word_analyzer(), phrase=False),
        spans=StreamText("spans", span_analyzer()),
        title_spans=StreamText("word spans", span_analyzer(weak=False)),
    )


def group_key(record: Record) -> str:
    """Records linked as translations share a key, so results can show them as one."""
    return min([record.id, *record.translations])


def content(record: Record) -> str:
    """The text the content fields (and the lexicon) are made from."""
    return "\n\n".join(
        part
        for part in (
            record.title,
            "\n".join(record.organizations),
            record.summary,
            record.body,
            "\n".join(record.places),
            "\n".join(record.topics),
        )
        if part
    )


def document(record: Record) -> dict[str, Any]:
    """The Whoosh document of a record."""
    # One text for the content fields: ``StreamText`` fields analyze it once between them.
    # A record in a language other than English keeps its Latin words unstemmed.
    text = unstemmed(content(record), record.language)
    langs = "en my" if record.language == "en+my" else record.language
    doc: dict[str, Any] = {
        "id": record.id,
        "title": record.title,
        "type": record.type,
        "language": record.language,
        "langs": langs,
        "date": record.date,
        "year": record.year,
        "org_names": list(record.organizations),
        "translations": list(record.translations),
        "group": group_key(record),
        "syllables": text,
        "english": text,
        "bigrams": text,
        "spans": text,
        "title_terms": unstemmed(record.title, record.language),
    }
    for name in ("organizations", "places", "topics"):
        values = [v for v in getattr(record, name) if v]
        if values:
            doc[name] = VALUE_SEP.join(values)
    if record.organizations:
        doc["org_terms"] = "\n".join(record.organizations)
    doc["title_words"] = doc["title_spans"] = "\n".join([record.title, *record.organizations])
    return doc


__all__ = [
    "FACET_FIELDS",
    "SCHEMA_VERSION",
    "VALUE_SEP",
    "build_schema",
    "content",
    "document",
    "group_key",
]
