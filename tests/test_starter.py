"""A fresh library that knows Myanmar (issue 13, item 5): the starter glossary and authority
file, what they hold, how ``install`` writes them, and what a new library finds with them."""

from __future__ import annotations

import fnmatch
import json
import tomllib
from pathlib import Path

import pytest

from reslib.analysis import normalize_text
from reslib.authority import Organizations
from reslib.catalogue import Catalogue
from reslib.config import Home
from reslib.glossary import Glossary, variant_key
from reslib.library import open_library
from reslib.models import Record
from reslib.search import SearchRequest, search
from reslib.starter import Installed, install, starter_glossary, starter_organizations

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "src" / "reslib" / "data"
OCHA = "UN Office for the Coordination of Humanitarian Affairs"

OLD_AND_NEW = [
    ("Burma", "Myanmar"),
    ("Rangoon", "Yangon"),
    ("Arakan", "Rakhine"),
    ("Karenni", "Kayah"),
    ("Karen", "Kayin"),
    ("Pegu", "Bago"),
    ("Irrawaddy", "Ayeyarwady"),
    ("Moulmein", "Mawlamyine"),
    ("Tenasserim", "Tanintharyi"),
    ("Akyab", "Sittwe"),
    ("Bassein", "Pathein"),
    ("Tavoy", "Dawei"),
    ("Mergui", "Myeik"),
]
STATES_AND_REGIONS = {
    "Kachin State": "ကချင်ပြည်နယ်",
    "Kayah State": "ကယားပြည်နယ်",
    "Kayin State": "ကရင်ပြည်နယ်",
    "Chin State": "ချင်းပြည်နယ်",
    "Mon State": "မွန်ပြည်နယ်",
    "Rakhine State": "ရခိုင်ပြည်နယ်",
    "Shan State": "ရှမ်းပြည်နယ်",
    "Sagaing Region": "စစ်ကိုင်း",
    "Tanintharyi Region": "တနင်္သာရီ",
    "Bago Region": "ပဲခူး",
    "Magway Region": "မကွေး",
    "Mandalay Region": "မန္တလေး",
    "Yangon Region": "ရန်ကုန်",
    "Ayeyarwady Region": "ဧရာဝတီ",
    "Naypyidaw": "နေပြည်တော်",
}
#: Names the authority file must know, each with the preferred name it stands for.
ORGANIZATIONS = {
    "OCHA": OCHA,
    "UNHCR": "UN High Commissioner for Refugees",
    "UNICEF": "UN Children’s Fund",
    "OHCHR": "UN Office of the High Commissioner for Human Rights",
    "UNDP": "UN Development Programme",
    "WFP": "World Food Programme",
    "ASEAN": "Association of Southeast Asian Nations (ASEAN)",
    "AICHR": "ASEAN Intergovernmental Commission on Human Rights",
    "KHRG": "Karen Human Rights Group",
    "ကရင်လူ့အခွင့်အရေးအဖွဲ့": "Karen Human Rights Group",
    "AAPP": "Assistance Association for Political Prisoners",
    "Progressive Voice": "Progressive Voice",
    "Fortify Rights": "Fortify Rights",
    "FORUM-ASIA": "Asian Forum for Human Rights and Development",
    "AJAR": "Asia Justice and Rights",
    "Burma Campaign UK": "Burma Campaign UK",
    "ALTSEAN-Burma": "ALTSEAN-Burma",
    "HRW": "Human Rights Watch",
    "Amnesty International": "Amnesty International",
    "Women's League of Burma": "Women’s League of Burma",
    "KnHRG": "Karenni Human Rights Group",
    "CHRO": "Chin Human Rights Organization",
    "HURFOM": "Human Rights Foundation of Monland",
    "SHRF": "Shan Human Rights Foundation",
    "KWAT": "Kachin Women’s Association Thailand",
    "BACS": "Burma Affairs and Conflict Study",
    "India for Myanmar": "India for Myanmar",
    "NUG": "National Unity Government",
    "အမျိုးသားညီညွတ်ရေးအစိုးရ": "National Unity Government",
}


def strings(value: object) -> list[str]:
    """Every string in a JSON value."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return []


# -- the data ----------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["starter_glossary.json", "starter_organizations.json"])
def test_stored_text_is_its_own_normal_form(name: str) -> None:
    texts = strings(json.loads((DATA / name).read_text("utf-8")))
    assert len(texts) > 300
    assert [t for t in texts if normalize_text(t) != t] == []


def test_every_glossary_spelling_belongs_to_one_entry_and_has_another() -> None:
    glossary = starter_glossary()
    owners: dict[str, list[str]] = {}
    for entry in glossary.entries:
        assert len({variant_key(v) for v in entry.variants()}) >= 2, entry.id
        for v in entry.variants():
            owners.setdefault(variant_key(v), []).append(entry.id)
    assert {k: ids for k, ids in owners.items() if len(ids) > 1} == {}


@pytest.mark.parametrize(("old", "new"), OLD_AND_NEW)
def test_old_and_new_names_expand_to_each_other_and_to_burmese(old: str, new: str) -> None:
    glossary = starter_glossary()
    assert new in glossary.variants_of(old)
    assert old in glossary.variants_of(new)
    (entry,) = glossary.lookup(old)
    assert entry.my, f"{old}/{new} has no Burmese spelling"


def test_states_and_regions_have_their_burmese_names() -> None:
    glossary = starter_glossary()
    assert {
        name: my for name, my in STATES_AND_REGIONS.items() if my not in glossary.variants_of(name)
    } == {}


def test_the_juntas_names_are_one_entry() -> None:
    variants = starter_glossary().variants_of("SAC")
    for name in ("State Administration Council", "military council", "junta", "စစ်ကောင်စီ"):
        assert name in variants
    assert "Myanmar" in starter_glossary().variants_of("ဗမာပြည်")
    assert "Burma" in starter_glossary().variants_of("မြန်မာ")


def test_every_name_of_an_organization_stands_for_it_alone() -> None:
    orgs = starter_organizations()
    taken = {org.id: [n for n in org.all_names() if orgs.resolve(n) is not org] for org in orgs}
    assert {i: names for i, names in taken.items() if names} == {}
    assert len({o.id for o in orgs}) == len(orgs) > 80


@pytest.mark.parametrize(("name", "preferred"), ORGANIZATIONS.items())
def test_the_authority_file_knows_the_major_organizations(name: str, preferred: str) -> None:
    assert starter_organizations().canonical(name) == preferred


def test_the_data_files_ship_in_the_wheel() -> None:
    config = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["reslib.data"]
    files = sorted(p.name for p in DATA.iterdir() if p.is_file())
    assert files == ["starter_glossary.json", "starter_organizations.json"]
    assert all(any(fnmatch.fnmatch(f, p) for p in patterns) for f in files)


# -- install ------------------------------------------------------------------------------------
def initialized(root: Path) -> Home:
    """A library as ``reslib init --empty`` leaves it: empty glossary and authority file."""
    home = Home(root)
    Catalogue(home).init()
    return home


def test_install_writes_both_files_into_a_new_library(tmp_path: Path) -> None:
    home = initialized(tmp_path)
    installed = install(home)
    glossary = Glossary.load(home.library / "glossary.json")
    orgs = Organizations.load(home.library / "organizations.json")
    assert installed == Installed(glossary=len(glossary), organizations=len(orgs))
    assert len(glossary) == len(starter_glossary()) and len(orgs) == len(starter_organizations())
    assert "Myanmar" in glossary.variants_of("Burma")
    assert orgs.canonical("OCHA") == OCHA


def test_install_into_a_folder_with_no_library_yet(tmp_path: Path) -> None:
    home = Home(tmp_path / "new")
    assert install(home) == Installed(len(starter_glossary()), len(starter_organizations()))


def test_installing_twice_changes_nothing(tmp_path: Path) -> None:
    home = initialized(tmp_path)
    install(home)
    before = {p.name: p.read_bytes() for p in home.library.glob("*.json")}
    assert install(home) == Installed(glossary=0, organizations=0)
    assert {p.name: p.read_bytes() for p in home.library.glob("*.json")} == before


def test_install_never_touches_a_librarians_entries(tmp_path: Path) -> None:
    home = initialized(tmp_path)
    catalogue = Catalogue(home)
    catalogue.add_glossary_entry(["Hpruso"], ["ဖရူဆို"], "place")
    glossary_before = (home.library / "glossary.json").read_bytes()

    installed = install(home)

    assert installed == Installed(glossary=0, organizations=len(starter_organizations()))
    assert (home.library / "glossary.json").read_bytes() == glossary_before
    catalogue.add_organization("Our Own Network")
    orgs_before = (home.library / "organizations.json").read_bytes()
    assert install(home) == Installed(glossary=0, organizations=0)
    assert (home.library / "organizations.json").read_bytes() == orgs_before


# -- a new library finds Myanmar --------------------------------------------------------------
def record(record_id: str, title: str, language: str = "en", **fields: object) -> Record:
    return Record(
        id=record_id, type="report", title=title, language=language, date="2023-11", **fields
    )


def found(home: Home, q: str) -> list[str]:
    return sorted(r.id for r in search(home, SearchRequest(q=q, limit=50)).results)


@pytest.fixture
def new_library(tmp_path: Path) -> Home:
    """A new library with the starter (what ``reslib init`` makes), three records added."""
    home = initialized(tmp_path / "starter")
    install(home)
    fill(home)
    return home


def fill(home: Home) -> None:
    library = open_library(home)
    library.add(record("update-32", "Myanmar Humanitarian Update No. 32", organizations=[OCHA]))
    library.add(record("yangon", "ရန်ကုန်မြို့ရှိ စစ်ဘေးရှောင်များ", language="my"))
    library.add(record("kachin", "Displacement in Kachin State"))


def test_a_new_library_finds_myanmar_for_burma(new_library: Home) -> None:
    assert found(new_library, "Burma humanitarian update") == ["update-32"]
    assert found(new_library, "Burma") == ["update-32"]


def test_a_new_library_finds_burmese_records_for_english_names(new_library: Home) -> None:
    assert found(new_library, "Rangoon") == ["yangon"]
    assert found(new_library, "ကချင်") == ["kachin"]


def test_a_new_library_finds_an_organizations_records_by_its_acronym(new_library: Home) -> None:
    assert found(new_library, "OCHA") == ["update-32"]


def test_an_empty_library_knows_none_of_it(tmp_path: Path) -> None:
    home = initialized(tmp_path / "empty")
    fill(home)
    assert found(home, "Burma humanitarian update") == []
    assert found(home, "Rangoon") == []
    assert found(home, "OCHA") == []
