"""The catalogue package's parts on their own: prepare, links, checks, the listener bus."""

from __future__ import annotations

import json
from pathlib import Path

from reslib.authority import Organizations
from reslib.catalogue import Catalogue, ListenerBus
from reslib.catalogue.checks import RULES, Library, Problem
from reslib.catalogue.links import reverse_links
from reslib.catalogue.prepare import prepare
from reslib.config import Home
from reslib.models import Record


def rec(record_id: str, **kw) -> Record:  # type: ignore[no-untyped-def]
    return Record(id=record_id, type="report", title=record_id, language="en", date="2023", **kw)


def test_prepare_maps_names_reports_new_ones_and_tidies_lists(tmp_path: Path) -> None:
    orgs = Organizations(tmp_path / "organizations.json")
    orgs.add("Asian Forum for Human Rights and Development", acronyms=["FORUM-ASIA"])
    record = rec(
        "a",
        organizations=["FORUM-ASIA", " New Group ", "", "forum-asia"],
        places=[" Sagaing", "Sagaing", "Magway"],
    )
    assert prepare(record, orgs) == ["New Group"]
    assert record.organizations == ["Asian Forum for Human Rights and Development", "New Group"]
    assert record.places == ["Sagaing", "Magway"]
    assert not (tmp_path / "organizations.json").exists()  # the caller saves


def test_reverse_links_change_only_records_whose_link_changes() -> None:
    stored = {
        "b": rec("b", translations=["a"]),
        "c": rec("c"),
        "d": rec("d", related=["a"]),
    }
    previous = rec("a", translations=["b"], related=["d"])
    now = rec("a", translations=["b"], related=["c"])
    changed = reverse_links(now, previous, stored.get)
    assert [(r.id, r.related) for r in changed] == [("c", ["a"]), ("d", [])]
    assert all(r.updated for r in changed)


def test_reverse_links_skip_ids_without_a_record() -> None:
    assert reverse_links(rec("a", related=["gone"]), None, lambda _id: None) == []


def test_check_lists_each_records_problems_together_in_rule_order(tmp_path: Path) -> None:
    catalogue = Catalogue(Home(tmp_path))
    catalogue.init()
    for record_id, extra in (("a", {"organizations": ["Nobody"]}), ("b", {"related": ["x"]})):
        path = catalogue.record_path(record_id)
        path.write_text(json.dumps({**rec(record_id).to_dict(), **extra}), "utf-8")
    found = [(p.where, p.field) for p in catalogue.check()]
    # The link rule runs first, but record a's problems come before record b's.
    assert found == [("a", "organizations"), ("b", "related")]


def test_check_runs_the_rules_a_layer_above_passes(tmp_path: Path) -> None:
    catalogue = Catalogue(Home(tmp_path))
    catalogue.init()
    catalogue.add(rec("a"))

    def everything_is_wrong(lib: Library) -> list[Problem]:
        return [Problem(record_id, "-", "checked by an extra rule") for record_id in lib.records]

    assert catalogue.check() == []
    problems = catalogue.check(rules=(*RULES, everything_is_wrong))
    assert [(p.where, p.message) for p in problems] == [("a", "checked by an extra rule")]


def test_the_bus_begins_and_ends_a_batch_once_for_listeners_that_batch() -> None:
    events: list[str] = []

    class Batching:
        def record_saved(self, record: Record) -> None:
            events.append("saved " + record.id)

        def record_removed(self, record_id: str) -> None:
            events.append("removed " + record_id)

        def batch_begin(self) -> None:
            events.append("begin")

        def batch_end(self) -> None:
            events.append("end")

    class Plain:
        def record_saved(self, record: Record) -> None:
            events.append("plain saved " + record.id)

        def record_removed(self, record_id: str) -> None:
            events.append("plain removed " + record_id)

    bus = ListenerBus([Batching(), Plain()])
    with bus.batch(), bus.batch():
        bus.saved(rec("a"))
    bus.removed("a")
    assert events == [
        "begin",
        "saved a",
        "plain saved a",
        "end",
        "removed a",
        "plain removed a",
    ]
