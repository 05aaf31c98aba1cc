"""The re-import rule on its own: one test per branch, values in and decisions out."""

from __future__ import annotations

from reslib.importers.merge import (
    Outcome,
    checksum,
    merge_fields,
    merge_links,
)

IMPORTED = {"title": "Coup Watch", "summary": "Monthly summary", "topics": ["Sanctions"]}


def sums_of(values: dict) -> dict[str, str]:
    return {name: checksum(value) for name, value in values.items()}


def reimport(current: dict, source: dict, *, stored=None, same_origin=True):
    """The rule for a record imported as ``IMPORTED`` (unless ``stored`` says otherwise)."""
    return merge_fields(
        current, source, sums_of(IMPORTED) if stored is None else stored, same_origin=same_origin
    )


# -- the record's own document ----------------------------------------------------------------


def test_unchanged_source_and_record_give_same_and_keep_the_checksums():
    merge = reimport(IMPORTED, IMPORTED)

    assert set(merge.outcomes.values()) == {Outcome.SAME}
    assert merge.values == {}
    assert merge.checksums == sums_of(IMPORTED)


def test_changed_source_value_is_taken_when_nobody_edited_the_field():
    source = {**IMPORTED, "summary": "A better summary"}

    merge = reimport(IMPORTED, source)

    assert merge.outcomes["summary"] is Outcome.TAKE
    assert merge.values == {"summary": "A better summary"}
    assert merge.checksums["summary"] == checksum("A better summary")
    assert merge.conflicts == []


def test_hand_edit_of_a_field_the_source_did_not_change_is_kept_quietly():
    current = {**IMPORTED, "title": "Coup Watch (October)"}

    merge = reimport(current, IMPORTED)

    assert merge.outcomes["title"] is Outcome.KEEP_EDIT
    assert merge.values == {}
    assert merge.conflicts == []
    assert merge.checksums["title"] == checksum("Coup Watch"), "still the imported value's"


def test_hand_edit_of_a_field_the_source_changed_is_kept_and_reported_as_a_conflict():
    current = {**IMPORTED, "summary": "Librarian's summary"}
    source = {**IMPORTED, "summary": "A new summary from the source"}

    merge = reimport(current, source)

    assert merge.outcomes["summary"] is Outcome.CONFLICT
    assert merge.values == {}
    assert merge.conflicts == ["summary"]
    assert merge.checksums["summary"] == checksum("Monthly summary")


def test_conflicts_are_listed_in_field_order():
    current = {"title": "Edited title", "summary": "Edited summary", "topics": ["Edited"]}
    source = {"title": "New title", "summary": "New summary", "topics": ["Sanctions"]}

    assert reimport(current, source).conflicts == ["title", "summary"]


def test_edit_the_source_later_agrees_with_stays_an_edit():
    current = {**IMPORTED, "title": "Coup Watch (October)"}
    source = {**IMPORTED, "title": "Coup Watch (October)"}

    merge = reimport(current, source)

    assert merge.outcomes["title"] is Outcome.SAME
    assert merge.checksums["title"] == checksum("Coup Watch"), "not refreshed: still an edit"


def test_field_without_a_stored_checksum_counts_as_not_edited():
    stored = sums_of({"title": IMPORTED["title"]})
    source = {**IMPORTED, "topics": ["Sanctions", "Resistance"]}

    merge = reimport(IMPORTED, source, stored=stored)

    assert merge.outcomes["topics"] is Outcome.TAKE
    assert merge.outcomes["summary"] is Outcome.SAME
    assert merge.checksums == sums_of(source)


# -- another document that lists the same record ----------------------------------------------


def test_other_document_fills_a_blank_field_nobody_edited():
    imported = {**IMPORTED, "summary": ""}
    source = {**IMPORTED, "summary": "Summary from a later listing"}

    merge = reimport(imported, source, stored=sums_of(imported), same_origin=False)

    assert merge.outcomes["summary"] is Outcome.FILL_BLANK
    assert merge.values == {"summary": "Summary from a later listing"}
    assert merge.checksums["summary"] == checksum("Summary from a later listing")


def test_other_document_never_changes_a_value_already_there():
    source = {"title": "Coup Watch Oct.", "summary": "Another summary", "topics": []}

    merge = reimport(IMPORTED, source, same_origin=False)

    assert set(merge.outcomes.values()) == {Outcome.KEEP}
    assert merge.values == {}
    assert merge.conflicts == []
    assert merge.checksums == sums_of(IMPORTED)


def test_other_document_does_not_refill_a_field_the_librarian_emptied():
    current = {**IMPORTED, "summary": ""}
    source = {**IMPORTED, "summary": "Monthly summary"}

    merge = reimport(current, source, same_origin=False)

    assert merge.outcomes["summary"] is Outcome.KEEP
    assert merge.values == {}


# -- a record made by hand ---------------------------------------------------------------------


def test_record_made_by_hand_takes_nothing_and_reports_nothing():
    by_hand = {"title": "Coup Watch, catalogued by hand", "summary": "", "topics": []}

    merge = merge_fields(by_hand, IMPORTED, None, same_origin=False)

    assert set(merge.outcomes.values()) == {Outcome.KEEP}
    assert merge.values == {} and merge.conflicts == [] and merge.checksums == {}


def test_merge_leaves_its_inputs_as_they_were():
    current = {**IMPORTED, "summary": "Edited"}
    source = {**IMPORTED, "topics": ["Resistance"]}
    stored = sums_of(IMPORTED)
    before = (dict(current), dict(source), dict(stored))

    merge_fields(current, source, stored, same_origin=True)

    assert (current, source, stored) == before


# -- checksums and links -----------------------------------------------------------------------


def test_checksum_tells_values_apart_and_ignores_key_order():
    assert checksum({"a": 1, "b": "မြန်မာ"}) == checksum({"b": "မြန်မာ", "a": 1})
    assert checksum(["a", "b"]) != checksum(["b", "a"])
    assert checksum("") != checksum([])
    assert len(checksum("x")) == 16


def test_links_are_added_never_removed_and_never_to_the_record_itself():
    translations, related = merge_links(
        "r1",
        translations=["t1"],
        related=["a", "b"],
        new_translations=["t2", "t1", "r1"],
        new_related=["b", "c", "r1"],
    )

    assert translations == ["t1", "t2"]
    assert related == ["a", "b", "c"]


def test_a_translation_is_not_also_listed_as_related():
    translations, related = merge_links(
        "r1", translations=[], related=["x", "y"], new_translations=["y"], new_related=[]
    )

    assert (translations, related) == (["y"], ["x"])


def test_a_checksum_is_the_digest_of_the_value_s_json_whatever_its_shape() -> None:
    # The fast paths for text and lists of text must give the digests stored in existing
    # records: those of json.dumps(value, ensure_ascii=False, sort_keys=True).
    import hashlib
    import json
    import random

    def reference(value: object) -> str:
        data = json.dumps(value, ensure_ascii=False, sort_keys=True).encode("utf-8")
        return hashlib.sha256(data).hexdigest()[:16]

    rng = random.Random(7)
    alphabet = 'aZ09 "\\/\n\t\r\x00\x1f\x7f\u2028\u2029ကြ့်\u200b😀é'
    texts = ["", "plain", 'quote " and \\ backslash', "မြန်မာ", "\x08\x0c"]
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 30))) for _ in range(300)]
    values: list[object] = [*texts, [], texts[:3], texts[5:40], ["solo"]]
    values += [None, 3, 2.5, True, {"b": "x", "a": ["y"]}, ["mixed", 1], [["nested"]]]
    for value in values:
        assert checksum(value) == reference(value), repr(value)
