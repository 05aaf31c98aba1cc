"""Undo of an import run: created records removed with tombstones, updated ones restored,
records changed since left alone, an interrupted undo finished by running it again, and the
search index agreeing with library/ throughout."""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path

import pytest
from click.testing import CliRunner
from import_fixtures.library import make_catalogue

from reslib.catalogue import Catalogue
from reslib.cli import cli
from reslib.errors import NotFound
from reslib.importers import ImportOptions, import_paths
from reslib.importers import log as runlog
from reslib.importers.undo import Undo, undo_run
from reslib.library import check_library, open_library

HOLDINGS = (
    "accession,title,date,summary\n"
    "A-1,Coup Watch October 2023,2023-11-20,Monthly summary of the junta's airstrikes\n"
    "A-2,Open letter to Finland,2023-11-21,A letter about arms embargoes\n"
)
# A wrong second run: one title changed for the worse, one summary, two new records.
WRONG = (
    "accession,title,date,summary\n"
    "A-1,Quarterly zebra digest,2023-11-20,Monthly summary of the junta's airstrikes\n"
    "A-2,Open letter to Finland,2023-11-21,Wrong summary about giraffes\n"
    "A-3,Okapi survey,2023-12-01,\n"
    "A-4,Flamingo census,2023-12-02,\n"
)


def cli_run(root: Path, *args: str):
    return CliRunner().invoke(cli, ["--home", str(root), *args])


def titles_found(root: Path, query: str) -> list[str]:
    result = cli_run(root, "search", query, "--exact", "--json")
    assert result.exit_code == 0, result.output
    return [r["title"] for r in json.loads(result.stdout)["results"]]


def import_csv(catalogue: Catalogue, path: Path, text: str):
    path.write_text(text, encoding="utf-8")
    return import_paths(catalogue, [path], ImportOptions(key="accession"))


@pytest.fixture
def wrong_run(tmp_path):
    """A library of two records, then a wrong run that changed both and added two."""
    root = tmp_path / "lib"
    make_catalogue(root)
    catalogue = open_library(root)
    import_csv(catalogue, tmp_path / "h.csv", HOLDINGS)
    before = {r.id: r for r in catalogue.records()}
    summary = import_csv(catalogue, tmp_path / "h2.csv", WRONG)
    assert summary.counts()["created"] == 2 and summary.counts()["updated"] == 2
    return root, catalogue, before, summary


def test_undo_removes_created_records_with_tombstones_and_restores_updated_ones(wrong_run):
    root, catalogue, before, summary = wrong_run
    assert titles_found(root, "zebra") == ["Quarterly zebra digest"]

    report = undo_run(open_library(root), summary.run)

    assert sorted(report.removed) == sorted(summary.created)
    assert sorted(report.restored) == sorted(summary.updated)
    assert report.left == [] and not report.interrupted
    assert catalogue.ids() == sorted(before)
    assert all(catalogue.is_retired(i) for i in summary.created)
    for record_id, old in before.items():
        now = catalogue.get(record_id)
        assert (now.title, now.summary, now.imported) == (old.title, old.summary, old.imported)
    assert titles_found(root, "zebra") == []
    assert titles_found(root, "okapi") == []
    assert titles_found(root, "Coup Watch") == ["Coup Watch October 2023"]
    assert titles_found(root, "arms embargoes") == ["Open letter to Finland"]
    assert [p for p in check_library(catalogue) if p.severity == "error"] == []


def test_after_undo_the_spreadsheet_updates_the_restored_records_as_before(wrong_run, tmp_path):
    _, catalogue, before, summary = wrong_run
    undo_run(catalogue, summary.run)

    again = import_csv(catalogue, tmp_path / "h3.csv", HOLDINGS.replace("Finland", "Finland!"))

    assert again.conflicts == []
    assert again.updated == [i for i in before if catalogue.get(i).title.endswith("!")]


def test_a_record_edited_since_the_run_is_left_alone_and_reported(wrong_run):
    _, catalogue, before, summary = wrong_run
    edited_new = sorted(summary.created)[0]
    edited_old = sorted(summary.updated)[0]
    catalogue.update(edited_new, ["summary=Checked by the librarian"])
    catalogue.update(edited_old, ["topics=Sanctions"])

    report = undo_run(catalogue, summary.run)

    assert sorted(e["id"] for e in report.left) == sorted([edited_new, edited_old])
    assert all("changed since the import" in e["reason"] for e in report.left)
    assert catalogue.get(edited_new).summary == "Checked by the librarian"
    assert catalogue.get(edited_old).topics == ["Sanctions"]
    assert catalogue.get(edited_old).title != before[edited_old].title
    other_new = sorted(summary.created)[1]
    assert not catalogue.exists(other_new)
    log = runlog.load(catalogue.home, summary.run)
    assert log["undone"]["left"] == report.left


def test_a_record_a_later_run_changed_is_left_alone(wrong_run, tmp_path):
    _, catalogue, _, summary = wrong_run
    later = import_csv(catalogue, tmp_path / "h4.csv", WRONG.replace("giraffes", "lions"))
    assert len(later.updated) == 1

    report = undo_run(catalogue, summary.run)

    assert [e["id"] for e in report.left] == later.updated
    assert "lions" in catalogue.get(later.updated[0]).summary


def test_an_interrupted_undo_leaves_whole_records_and_a_second_undo_finishes(
    wrong_run, monkeypatch
):
    root, catalogue, before, summary = wrong_run
    after = {r.id: r.to_dict() for r in catalogue.records()}
    original = Undo._undo_entry
    calls = []

    def interrupted_on_the_third(self, entry):
        calls.append(entry["id"])
        if len(calls) == 3:
            raise KeyboardInterrupt
        original(self, entry)

    monkeypatch.setattr(Undo, "_undo_entry", interrupted_on_the_third)
    report = undo_run(open_library(root), summary.run)
    monkeypatch.undo()

    assert report.interrupted
    assert len(report.removed) + len(report.restored) == 2
    assert "undone" not in runlog.load(catalogue.home, summary.run)
    for record_id in set(before) | set(after):
        if not catalogue.exists(record_id):
            assert record_id in report.removed and catalogue.is_retired(record_id)
            continue
        now = catalogue.get(record_id).to_dict()
        whole = {k: v for k, v in now.items() if k not in ("updated", "translations", "related")}
        as_after = {k: v for k, v in after[record_id].items() if k in whole}
        old = before.get(record_id)
        as_before = old and {k: v for k, v in old.to_dict().items() if k in whole}
        assert whole in (as_after, as_before), f"{record_id} is half undone"

    second = undo_run(open_library(root), summary.run)

    assert not second.interrupted and second.left == []
    assert sorted(report.removed + report.restored + second.removed + second.restored) == sorted(
        summary.created + summary.updated
    )
    assert sorted(second.done_before) == sorted(report.removed + report.restored)
    assert catalogue.ids() == sorted(before)
    assert titles_found(root, "zebra") == [] and titles_found(root, "flamingo") == []
    assert titles_found(root, "Coup Watch") == ["Coup Watch October 2023"]


def test_undo_takes_back_a_translation_link_written_into_an_existing_record(tmp_path):
    root = tmp_path / "lib"
    make_catalogue(root)
    catalogue = open_library(root)
    (tmp_path / "a.csv").write_text("id,title,date\nen-report,Report,2023-01-01\n", "utf-8")
    import_paths(catalogue, [tmp_path / "a.csv"], ImportOptions())
    text = "id,title,date,language,translations\nmy-report,အစီရင်ခံစာ,2023-01-01,my,en-report\n"
    (tmp_path / "b.csv").write_text(text, encoding="utf-8")
    summary = import_paths(catalogue, [tmp_path / "b.csv"], ImportOptions())
    assert catalogue.get("en-report").translations == ["my-report"]

    report = undo_run(catalogue, summary.run)

    assert report.removed == ["my-report"] and report.restored == ["en-report"]
    assert catalogue.get("en-report").translations == []


def test_undo_of_an_unknown_run_is_not_found(tmp_path):
    catalogue = make_catalogue(tmp_path / "lib")

    with pytest.raises(NotFound, match="no import run '20990101-000000-abcd'"):
        undo_run(catalogue, "20990101-000000-abcd")
    with pytest.raises(NotFound, match=r"no import run '\.\./records/x'"):
        undo_run(catalogue, "../records/x")


def test_ctrl_c_while_a_record_is_removed_lets_that_record_finish(wrong_run, monkeypatch):
    root, catalogue, before, summary = wrong_run
    library = open_library(root)
    delete = library.files.delete

    def delete_then_ctrl_c(record_id):
        delete(record_id)
        os.kill(os.getpid(), signal.SIGINT)  # as if typed now, half-way through the removal

    monkeypatch.setattr(library.files, "delete", delete_then_ctrl_c)
    report = undo_run(library, summary.run)

    assert report.interrupted
    assert len(report.removed) == 1 and report.restored == []
    gone = report.removed[0]
    assert catalogue.is_retired(gone) and not catalogue.exists(gone)
    assert len(catalogue.ids()) == len(before) + 1
    found = titles_found(root, "okapi") + titles_found(root, "flamingo")
    assert found == [catalogue.get(next(i for i in summary.created if i != gone)).title]
