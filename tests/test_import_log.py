"""The import log (``library/imports/RUN.json``): what a run did, per record, as a diffable
file, and a run killed before its end still leaves one."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from import_fixtures.library import make_catalogue

from reslib.catalogue import Catalogue
from reslib.errors import Conflict
from reslib.importers import ImportOptions, import_paths
from reslib.importers import log as runlog
from reslib.importers.log import RunLog, fingerprint

HOLDINGS = (
    "accession,title,date,summary\n"
    "A-1,Coup Watch October 2023,2023-11-20,Monthly summary\n"
    "A-2,Open letter to Finland,2023-11-21,A letter\n"
)
CORRECTED = (
    "accession,title,date,summary\n"
    "A-1,Coup Watch: October 2023,2023-11-20,Monthly summary\n"
    "A-2,Open letter to Finland,2023-11-21,A letter\n"
    "A-3,Third,2023-12-01,\n"
    ",No key,2023-12-02,\n"
)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def run(catalogue: Catalogue, *paths: Path, **options):
    return import_paths(catalogue, list(paths), ImportOptions(**options))


def logs(catalogue: Catalogue) -> list[Path]:
    return sorted((catalogue.home.library / "imports").glob("*"))


def test_a_run_logs_created_updated_with_previous_values_and_skipped_with_reasons(tmp_path):
    catalogue = make_catalogue(tmp_path / "lib")
    first = run(catalogue, write(tmp_path / "h.csv", HOLDINGS), key="accession", by="Thida")
    coup_id = next(i for i in first.created if i.startswith("2023-11-20"))
    before = catalogue.get(coup_id)
    manifest = write(tmp_path / "h2.csv", CORRECTED)

    summary = run(catalogue, manifest, key="accession", by="Thida")

    log = runlog.load(catalogue.home, summary.run)
    assert log["run"] == summary.run
    assert log["by"] == "Thida"
    assert log["options"]["key"] == "accession"
    assert log["options"]["paths"] == [str(manifest)]
    assert log["files"] == [
        {
            "path": str(manifest),
            "format": "csv",
            "bytes": len(manifest.read_bytes()),
            "sha256": hashlib.sha256(manifest.read_bytes()).hexdigest(),
        }
    ]
    assert log["counts"] == {"created": 1, "updated": 1, "unchanged": 1, "skipped": 1}
    entries = {e.get("id", e.get("where")): e for e in log["records"]}
    updated = entries[coup_id]
    assert updated["action"] == "updated"
    assert updated["previous"] == {"title": before.title, "imported": before.imported}
    assert updated["written"] == fingerprint(catalogue.get(coup_id))
    third_id = summary.created[0]
    assert entries[third_id] == {
        "action": "created",
        "id": third_id,
        "where": str(manifest),
        "written": fingerprint(catalogue.get(third_id)),
    }
    skipped = [e for e in log["records"] if e["action"] == "skipped"]
    assert skipped == [
        {"action": "skipped", "where": str(manifest), "reason": summary.skipped[0]["reason"]}
    ]
    assert "no value in the key column" in skipped[0]["reason"]


def test_the_log_file_has_sorted_keys_and_one_line_per_record(tmp_path):
    catalogue = make_catalogue(tmp_path / "lib")

    summary = run(catalogue, write(tmp_path / "h.csv", HOLDINGS), key="accession")

    path = catalogue.home.library / "imports" / f"{summary.run}.json"
    text = path.read_text(encoding="utf-8")
    data = json.loads(text)
    assert list(data) == sorted(data)
    lines = text.splitlines()
    start = lines.index('  "records": [')
    entries = lines[start + 1 : start + 3]
    assert [json.loads(line.strip().rstrip(",")) for line in entries] == data["records"]
    assert lines[start + 3].startswith("  ]")


def test_a_run_that_changes_nothing_and_a_dry_run_leave_no_log(tmp_path):
    catalogue = make_catalogue(tmp_path / "lib")
    manifest = write(tmp_path / "h.csv", HOLDINGS)
    run(catalogue, manifest, key="accession")

    again = run(catalogue, manifest, key="accession")
    dry = run(catalogue, write(tmp_path / "h2.csv", CORRECTED), key="accession", dry_run=True)

    assert (again.run, dry.run) == ("", "")
    assert len(logs(catalogue)) == 1


def test_link_written_back_into_an_existing_record_is_logged(tmp_path):
    catalogue = make_catalogue(tmp_path / "lib")
    first = run(
        catalogue, write(tmp_path / "a.csv", "id,title,date\nen-report,Report,2023-01-01\n")
    )
    text = "id,title,date,language,translations\nmy-report,အစီရင်ခံစာ,2023-01-01,my,en-report\n"

    summary = run(catalogue, write(tmp_path / "b.csv", text))

    assert first.created == ["en-report"]
    entries = {e["id"]: e for e in runlog.load(catalogue.home, summary.run)["records"]}
    assert entries["en-report"] == {
        "action": "updated",
        "id": "en-report",
        "previous": {},
        "links_added": {"translations": ["my-report"]},
    }


def test_a_killed_runs_partial_log_becomes_an_interrupted_log(tmp_path):
    catalogue = make_catalogue(tmp_path / "lib")
    summary = run(catalogue, write(tmp_path / "h.csv", HOLDINGS), key="accession")
    record = catalogue.get(summary.created[0])
    killed = RunLog(catalogue.home, {"paths": ["x.csv"]}, by="Thida")
    killed.created(record, "x.csv")
    killed.flush(sync=True)
    # The process dies here: its lock on the partial log goes with it.
    assert runlog.run_ids(catalogue.home) == [summary.run]  # still locked: a run under way
    with pytest.raises(Conflict, match="is still under way"):
        runlog.load(catalogue.home, killed.run_id)
    killed.close()

    assert runlog.run_ids(catalogue.home) == sorted([summary.run, killed.run_id])
    log = runlog.load(catalogue.home, killed.run_id)
    assert log["interrupted"] is True
    assert log["finished"] is None
    assert log["records"] == [
        {"action": "created", "id": record.id, "where": "x.csv", "written": fingerprint(record)}
    ]
    assert not list((catalogue.home.library / "imports").glob(".*"))


def test_a_torn_last_line_of_a_partial_log_is_dropped(tmp_path):
    catalogue = make_catalogue(tmp_path / "lib")
    summary = run(catalogue, write(tmp_path / "h.csv", HOLDINGS), key="accession")
    killed = RunLog(catalogue.home, {}, by="x")
    killed.created(catalogue.get(summary.created[0]), "x.csv")
    killed.flush()
    killed.close()
    partial = catalogue.home.library / "imports" / f".{killed.run_id}.jsonl"
    with partial.open("a", encoding="utf-8") as fh:
        fh.write('{"event": "created", "id": "half')

    log = runlog.load(catalogue.home, killed.run_id)

    assert [e["id"] for e in log["records"]] == [summary.created[0]]


def test_an_import_stopped_by_ctrl_c_logs_what_it_wrote_and_says_so(tmp_path, monkeypatch):
    from reslib.importers.write import DocumentWriter

    catalogue = make_catalogue(tmp_path / "lib")
    write(tmp_path / "a.csv", "title,date\nFirst,2023-01-01\n")
    write(tmp_path / "b.csv", "title,date\nSecond,2023-01-02\n")
    real = DocumentWriter.write

    def stop_at_b(self, path, doc, prepared):
        if path.name == "b.csv":
            raise KeyboardInterrupt
        real(self, path, doc, prepared)

    monkeypatch.setattr(DocumentWriter, "write", stop_at_b)

    summary = run(catalogue, tmp_path / "a.csv", tmp_path / "b.csv")

    assert summary.interrupted
    log = runlog.load(catalogue.home, summary.run)
    assert log["interrupted"] is True
    assert [e["id"] for e in log["records"]] == catalogue.ids() == summary.created
    assert len(log["files"]) == 2
