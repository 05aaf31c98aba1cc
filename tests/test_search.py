"""Search end to end: records saved through the Catalogue, indexed by its listener, searched.

Each test builds a fresh library; the records are small but bilingual, with one
English/Burmese translation pair, so grouping, expansion and both scripts are exercised.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import shared_path

from reslib.analysis import unicode_to_zawgyi, zawgyi_probability
from reslib.analysis.zawgyi import AMBIGUOUS_LOW
from reslib.catalogue import Catalogue
from reslib.config import Home
from reslib.errors import InvalidInput
from reslib.index import IndexUpdater
from reslib.models import Record
from reslib.search import MAX_DEPTH, MAX_QUERY_LENGTH, SearchRequest, search

RECORDS = [
    Record(
        id="karenni-report",
        type="report",
        title="Displacement in Karenni State",
        language="en",
        date="2023-09-15",
        organizations=["Karen Human Rights Group"],
        summary="Airstrikes forced thousands from their homes.",
        body="Voice of America reported that the junta bombed a school. "
        "Villagers fled to the forest near Loikaw.",
        places=["Karenni"],
    ),
    Record(
        id="karenni-report-my",
        type="report",
        title="ကရင်နီပြည်နယ် အိုးမဲ့အိမ်မဲ့ အစီရင်ခံစာ",
        language="my",
        date="2023-09-16",
        organizations=["Karen Human Rights Group"],
        body="လေကြောင်းတိုက်ခိုက်မှုများကြောင့် ရွာသားများ ထွက်ပြေးခဲ့ရသည်။ ဝန်ကြီးဌာနက ထုတ်ပြန်ချက် မထုတ်ပါ။",
        places=["Karenni"],
        translations=["karenni-report"],
    ),
    Record(
        id="sagaing-statement",
        type="statement",
        title="Statement on the Sagaing massacre",
        language="en",
        date="2023-11-20",
        organizations=["Progressive Voice"],
        body="The military burned villages in Sagaing Region. Women and children were killed.",
        places=["Sagaing"],
    ),
    Record(
        id="election-update",
        type="update",
        title="Weekly update: the junta's sham election",
        language="en",
        date="2023-10-02",
        organizations=["Progressive Voice"],
        body="Civil society rejects the election plan. Human rights defenders were arrested.",
    ),
    Record(
        id="kachin-news",
        type="news",
        title="ကချင်ပြည်နယ် သတင်း",
        language="my",
        date="2022-05-01",
        organizations=["Kachin Women's Association Thailand"],
        body="ကချင်ပြည်နယ်တွင် စစ်တပ်က ရွာကို မီးရှို့ခဲ့သည်။ အမျိုးသမီးများ ဘေးကင်းရာသို့ ပြေးရသည်။",
        places=["Kachin"],
    ),
]


@pytest.fixture
def home(tmp_path: Path) -> Home:
    h = Home(tmp_path)
    catalogue = Catalogue(h, listeners=[IndexUpdater(h)])
    catalogue.init()
    glossary = catalogue.glossary
    glossary.add(["Karenni", "Kayah"], ["ကရင်နီ"], "place")
    glossary.save()
    for record in RECORDS:
        catalogue.add(record.with_changes(organizations=list(record.organizations)))
    return h


def ids(home: Home, q: str = "", **kwargs: object) -> list[str]:
    response = search(home, SearchRequest(q=q, **kwargs))  # type: ignore[arg-type]
    return [r.id for r in response.results]


# -- query forms --------------------------------------------------------------------------


def test_bare_words_must_all_match(home: Home) -> None:
    assert ids(home, "villages Sagaing") == ["sagaing-statement"]
    assert ids(home, "burned Loikaw") == []


def test_english_words_match_by_stem(home: Home) -> None:
    assert ids(home, "massacres") == ["sagaing-statement"]


def test_quoted_phrase_matches_only_the_exact_sequence(home: Home) -> None:
    assert ids(home, '"Voice of America"') == ["karenni-report"]
    # The same words out of order are not the phrase.
    assert ids(home, '"America of Voice"') == []


def test_stop_words_are_optional_outside_phrases(home: Home) -> None:
    assert ids(home, "the massacre of Sagaing") == ["sagaing-statement"]


def test_or_matches_either_side(home: Home) -> None:
    assert set(ids(home, "Sagaing OR election")) == {"sagaing-statement", "election-update"}


def test_minus_excludes(home: Home) -> None:
    assert set(ids(home, "junta")) == {"karenni-report", "election-update"}
    assert ids(home, "junta -election") == ["karenni-report"]


def test_type_and_org_filters(home: Home) -> None:
    assert ids(home, "type:statement") == ["sagaing-statement"]
    assert set(ids(home, 'org:"progressive voice"')) == {"sagaing-statement", "election-update"}
    assert ids(home, 'villages org:"Progressive Voice"') == ["sagaing-statement"]


def test_lang_filter_in_query_and_request(home: Home) -> None:
    assert set(ids(home, "lang:my")) == {"karenni-report-my", "kachin-news"}
    assert set(ids(home, lang="my")) == {"karenni-report-my", "kachin-news"}


def test_date_range_filter_includes_whole_months(home: Home) -> None:
    assert set(ids(home, "date:2023-10..2023-11")) == {"sagaing-statement", "election-update"}
    assert ids(home, date="2023-11") == ["sagaing-statement"]
    assert ids(home, "date:..2022-12") == ["kachin-news"]


def test_place_and_year_filters(home: Home) -> None:
    assert ids(home, "place:sagaing") == ["sagaing-statement"]
    assert ids(home, year=["2022"]) == ["kachin-news"]


def test_burmese_run_is_a_syllable_phrase_whatever_the_spacing(home: Home) -> None:
    # Typed with a space the document does not have, and without the one it has.
    assert ids(home, '"ရွာသား များ"') == ["karenni-report-my"]
    assert ids(home, "ထုတ်ပြန်ချက်မထုတ်") == ["karenni-report-my"]


def test_burmese_syllables_out_of_order_do_not_match(home: Home) -> None:
    assert ids(home, "ပြေးထွက်") == []


def test_english_and_burmese_mixed_in_one_query(home: Home) -> None:
    assert ids(home, "ကချင် type:news", exact=True) == ["kachin-news"]
    assert ids(home, "Sagaing ကချင်") == []


def groups(home: Home, q: str) -> set[str]:
    """The results of ``q`` as translation groups (whichever member a result shows)."""
    response = search(home, SearchRequest(q=q, limit=100))
    assert response.total == len(response.results)
    return {min([r.id, *(t.id for t in r.translations)]) for r in response.results}


@pytest.mark.parametrize(
    ("q", "plain"),
    [
        ('"unbalanced quote', "unbalanced quote"),
        ("villages OR", "villages"),
        ("OR villages", "villages"),
        ("(villages)", "villages"),
        ("villages -", "villages"),
        ("type: villages", "villages"),
        # Dropped, as documented: an operator with nothing to join is not a word.
        ("OR", ""),
        ("- -", ""),
        ("type:", ""),
        ("((", ":::"),
        ('"', ":::"),
    ],
)
def test_a_stray_operator_degrades_to_the_plain_query(home: Home, q: str, plain: str) -> None:
    assert groups(home, q) == groups(home, plain)


def test_unbalanced_quote_degrades_to_plain_words(home: Home) -> None:
    assert ids(home, '"Sagaing villages') == ["sagaing-statement"]


def test_punctuation_only_query_matches_nothing(home: Home) -> None:
    assert search(home, SearchRequest(q="။ ?")).total == 0


def test_empty_query_lists_everything_newest_first(home: Home) -> None:
    response = search(home, SearchRequest())
    # The translation pair is one result.
    assert response.total == 4
    dates = [r.date for r in response.results]
    assert dates == sorted(dates, reverse=True)


# -- expansion ----------------------------------------------------------------------------


def test_glossary_expands_english_to_burmese_and_variants(home: Home) -> None:
    response = search(home, SearchRequest(q="Kayah"))
    assert set(response.expanded) == {"Karenni", "ကရင်နီ"}
    found = {r.id for r in response.results} | {
        t.id for r in response.results for t in r.translations
    }
    assert found == {"karenni-report", "karenni-report-my"}


def test_glossary_expands_burmese_to_english(home: Home) -> None:
    response = search(home, SearchRequest(q="ကရင်နီ", lang="en"))
    assert "Karenni" in response.expanded
    assert [r.id for r in response.results] == ["karenni-report"]


def test_exact_switches_expansion_off(home: Home) -> None:
    response = search(home, SearchRequest(q="Kayah", exact=True))
    assert response.expanded == []
    assert response.total == 0


def test_quoted_phrase_is_not_expanded(home: Home) -> None:
    assert search(home, SearchRequest(q='"Kayah"')).expanded == []


# -- results ------------------------------------------------------------------------------


def test_translations_are_grouped_under_one_result(home: Home) -> None:
    response = search(home, SearchRequest(q="Karenni"))
    assert response.total == 1
    (result,) = response.results
    other = {"karenni-report": "karenni-report-my", "karenni-report-my": "karenni-report"}
    assert [t.id for t in result.translations] == [other[result.id]]
    assert result.translations[0].language in {"en", "my"}


@pytest.mark.parametrize(
    ("query", "shown", "other"),
    [
        ("Karenni", "karenni-report", "karenni-report-my"),
        ("ကရင်နီ", "karenni-report-my", "karenni-report"),
    ],
)
def test_a_group_is_shown_by_its_member_in_the_query_language(
    home: Home, query: str, shown: str, other: str
) -> None:
    (result,) = search(home, SearchRequest(q=query)).results
    assert result.id == shown
    assert [t.id for t in result.translations] == [other]


def test_translation_shown_when_only_one_language_matches(home: Home) -> None:
    (result,) = search(home, SearchRequest(q="Loikaw")).results
    assert result.id == "karenni-report"
    assert result.translations[0].id == "karenni-report-my"
    assert result.translations[0].title.startswith("ကရင်နီ")


def test_facets_count_results_as_the_total_does(home: Home) -> None:
    # A record and its translations are one result, in the total and in every facet count.
    facets = search(home, SearchRequest(q="")).to_dict()["facets"]
    assert {"value": "report", "count": 1} in facets["type"]
    assert search(home, SearchRequest(q="", type=["report"])).total == 1
    assert {"value": "Progressive Voice", "count": 2} in facets["organizations"]
    assert facets["year"][0] == {"value": "2023", "count": 3}
    assert search(home, SearchRequest(q="", year=["2023"])).total == 3
    narrowed = search(home, SearchRequest(q="burned")).to_dict()["facets"]
    assert narrowed["type"] == [{"value": "statement", "count": 1}]


def test_sort_by_date_is_newest_first(home: Home) -> None:
    response = search(home, SearchRequest(q="junta OR villages", sort="date"))
    assert [r.id for r in response.results] == [
        "sagaing-statement",
        "election-update",
        "karenni-report",
    ]
    # Still scored: the page shows how well each matched.
    assert all(r.score > 0 for r in response.results)


def test_pagination_returns_disjoint_pages(home: Home) -> None:
    first = ids(home, "", limit=2, page=1)
    second = ids(home, "", limit=2, page=2)
    third = ids(home, "", limit=2, page=3)
    assert len(first) == 2 and len(second) == 2 and third == []
    assert not set(first) & set(second)


def test_english_snippet_marks_matches_and_escapes_html(home: Home, tmp_path: Path) -> None:
    catalogue = Catalogue(home, listeners=[IndexUpdater(home)])
    catalogue.add(
        Record(
            id="html-item",
            type="news",
            title="Markup",
            language="en",
            date="2024-01-01",
            body='A <script>alert("x")</script> & the Loikaw "camp".',
        )
    )
    (result,) = [r for r in search(home, SearchRequest(q="camp")).results]
    assert result.snippet == (
        "A &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; the Loikaw "
        "&quot;<mark>camp</mark>&quot;."
    )


def test_burmese_snippet_marks_whole_syllables(home: Home) -> None:
    (result,) = search(home, SearchRequest(q="ရွာသား")).results
    marked = re.findall("<mark>(.*?)</mark>", result.snippet)
    assert marked == ["ရွာသား"]
    # The character after a mark never is a combining mark of the marked syllable.
    after = result.snippet.split("</mark>")[1][:1]
    assert not re.match("[\u102b-\u103e]", after)


def test_phrase_snippet_marks_the_whole_phrase(home: Home) -> None:
    (result,) = search(home, SearchRequest(q='"voice of america"')).results
    assert "<mark>Voice of America</mark>" in result.snippet


def test_did_you_mean_suggests_a_known_word(home: Home) -> None:
    response = search(home, SearchRequest(q="Saigang villages"))
    assert response.total == 0
    assert response.did_you_mean == "sagaing villages"


def test_no_suggestion_for_known_words(home: Home) -> None:
    assert search(home, SearchRequest(q="villages")).did_you_mean is None


def test_response_has_the_api_shape(home: Home) -> None:
    data = search(home, SearchRequest(q="Sagaing")).to_dict()
    assert list(data) == [
        "query",
        "total",
        "page",
        "limit",
        "sort",
        "results",
        "facets",
        "expanded",
        "did_you_mean",
    ]
    assert list(data["results"][0]) == [
        "id",
        "title",
        "type",
        "language",
        "date",
        "organizations",
        "snippet",
        "translations",
        "score",
    ]
    assert list(data["facets"]) == ["type", "language", "organizations", "year", "places"]


def test_too_long_query_is_refused_politely(home: Home) -> None:
    with pytest.raises(InvalidInput, match="too long"):
        search(home, SearchRequest(q="a" * (MAX_QUERY_LENGTH + 1)))


def test_paging_too_deep_is_refused_politely(home: Home) -> None:
    with pytest.raises(InvalidInput, match="narrow"):
        search(home, SearchRequest(q="x", page=MAX_DEPTH // 10 + 1, limit=10))


def test_invalid_date_parameter_is_refused(home: Home) -> None:
    with pytest.raises(InvalidInput, match="date range"):
        search(home, SearchRequest(date="last week"))


# -- Zawgyi and zero/wa, end to end -------------------------------------------------------


def test_zawgyi_query_finds_unicode_record(home: Home) -> None:
    assert ids(home, unicode_to_zawgyi("ထွက်ပြေး")) == ["karenni-report-my"]


def test_zawgyi_record_is_found_by_unicode_query(home: Home) -> None:
    catalogue = Catalogue(home, listeners=[IndexUpdater(home)])
    catalogue.add(
        Record(
            id="zawgyi-item",
            type="news",
            title="Zawgyi",
            language="my",
            date="2024-02-01",
            body=unicode_to_zawgyi("ရှမ်းပြည်နယ်တွင် တိုက်ပွဲများ ဖြစ်ပွားသည်။"),
        )
    )
    assert ids(home, "တိုက်ပွဲ") == ["zawgyi-item"]


def test_ambiguous_zawgyi_query_searches_both_readings(home: Home) -> None:
    # ကရင်နီ rendered in Zawgyi is also well-formed Unicode (a stacked consonant), so the
    # normalizer does not convert it; search tries both readings.
    query = unicode_to_zawgyi("ကရင်နီ")
    assert zawgyi_probability(query) > AMBIGUOUS_LOW
    assert ids(home, query, exact=True) == ["karenni-report-my"]


def test_digit_zero_typed_for_wa_finds_the_word(home: Home) -> None:
    assert ids(home, "\u1040န်ကြီး") == ["karenni-report-my"]


def test_record_with_digit_zero_for_wa_is_found_with_wa(home: Home) -> None:
    catalogue = Catalogue(home, listeners=[IndexUpdater(home)])
    catalogue.add(
        Record(
            id="zero-wa",
            type="news",
            title="Zero",
            language="my",
            date="2024-03-01",
            body="\u1040ိုင်းဝန်း ကူညီကြသည်။",
        )
    )
    assert ids(home, "ဝိုင်းဝန်း") == ["zero-wa"]


# -- a user-supplied glossary ---------------------------------------------------------------


def test_transliteration_dictionary_as_user_glossary(home: Home) -> None:
    source = shared_path("corpora", "en-my-translit", "alt.all.dict.ver1.0.uniq.txt")
    catalogue = Catalogue(home, listeners=[IndexUpdater(home)])
    read, _ = catalogue.glossary.import_tsv(source)
    catalogue.glossary.save()
    assert read > 14_000
    catalogue.add(
        Record(
            id="swiss",
            type="news",
            title="ဆွစ်ဇာလန် သတင်း",
            language="my",
            date="2024-04-01",
            body="ဆွစ်ဇာလန်နိုင်ငံမှ အကူအညီ ရောက်ရှိသည်။",
        )
    )
    response = search(home, SearchRequest(q="Switzerland"))
    assert "ဆွစ်ဇာလန်" in response.expanded
    assert [r.id for r in response.results] == ["swiss"]
    assert search(home, SearchRequest(q="Switzerland", exact=True)).total == 0


def test_words_typed_apart_rank_the_document_that_has_them_together(home: Home) -> None:
    catalogue = Catalogue(home, listeners=[IndexUpdater(home)])
    catalogue.add(
        Record(
            id="apart",
            type="news",
            title="One",
            language="my",
            date="2024-05-01",
            body="ကရင်လူငယ်များ စုဝေးသည်။ အမျိုးသမီးများ ပါဝင်သည်။",
        )
    )
    catalogue.add(
        Record(
            id="together",
            type="news",
            title="Two",
            language="my",
            date="2024-05-02",
            body="ကရင်အမျိုးသမီးများ အသင်း ထုတ်ပြန်ချက်။ ဒေသခံများ စုဝေးသည်။ လူငယ်များ ပါဝင်သည်။",
        )
    )
    assert ids(home, "ကရင် အမျိုးသမီး", exact=True) == ["together", "apart"]


def test_title_holding_the_query_word_ranks_above_its_syllables_across_a_word_boundary(
    home: Home,
) -> None:
    # Both titles hold the syllables က ရင် in a row and have four syllables; ICU reads the
    # first as the word ကရင် (Karen) and the second as ရွာ | က | ရင်ပြင် (the village's
    # platform). Bodies are the same: only the title's dictionary words tell them apart.
    catalogue = Catalogue(home, listeners=[IndexUpdater(home)])
    for record_id, title in (("boundary", "ရွာက ရင်ပြင်"), ("word", "ကရင်လူမျိုး")):
        catalogue.add(
            Record(
                id=record_id,
                type="news",
                title=title,
                language="my",
                date="2024-05-01",
                body="အစည်းအဝေး ထုတ်ပြန်ချက်။",
            )
        )
    response = search(home, SearchRequest(q="ကရင်", exact=True))
    scores = {r.id: r.score for r in response.results}
    assert [r.id for r in response.results][:2] == ["word", "boundary"]
    assert scores["word"] > scores["boundary"]


def test_a_burmese_query_boosts_the_dictionary_words_of_its_text() -> None:
    from reslib.search.compile import unit_words
    from reslib.search.parse import Unit, parse

    [unit] = parse("ကရင်အမျိုးသမီး").clauses
    assert isinstance(unit, Unit)
    assert unit_words(unit) == ["ကရင်", "အမျိုးသမီး"]
    [zawgyi] = parse(unicode_to_zawgyi("ကရင်အမျိုးသမီး")).clauses
    assert isinstance(zawgyi, Unit) and unit_words(zawgyi) == unit_words(unit)
    [english] = parse("Karen").clauses
    assert isinstance(english, Unit) and unit_words(english) == []


def test_ranking_equals_scoring_every_match_with_its_boosts(home: Home) -> None:
    # Phrase queries score boosts only on candidates: the order must be what scoring every
    # match in full gives, including a title match whose body mentions the phrase once.
    from reslib.index import snapshot
    from reslib.search.compile import text_query
    from reslib.search.parse import parse

    catalogue = Catalogue(home, listeners=[IndexUpdater(home)])
    with catalogue.batch():
        for n in range(40):
            body = " ".join(["Villagers fled to the forest."] * (n % 5 + 1))
            catalogue.add(
                Record(
                    id=f"fled-{n:02d}",
                    type="news",
                    title="Villagers fled to the forest" if n == 33 else f"News {n}",
                    language="en",
                    date="2024-01-01",
                    body=body + " Other words fill the page. " * (n % 7),
                )
            )
    searcher = snapshot(home).searcher
    for q in ('"fled to the forest"', "fled forest", "villagers fled OR forest"):
        expected = [
            searcher.stored_fields(hit.docnum)["id"]
            for hit in searcher.search(text_query(parse(q)), limit=None)
        ]
        got = ids(home, q, limit=50)
        assert got == expected[: len(got)], q
        assert got[0] == "fled-33", q
    q = '"fled to the forest"'
    assert search(home, SearchRequest(q=q)).total == 41  # and karenni-report
