"""A large manifest imported a chunk of rows at a time (issue 15: memory bounded by streaming):
the same records as a manifest read whole, whole-file checks kept whole, links across chunks,
Ctrl-C between chunks, and the undo of a streamed run."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from import_fixtures.library import make_catalogue

from reslib.catalogue import Catalogue
from reslib.importers import ImportOptions, import_paths, manifest, prepare, run
from reslib.importers import log as runlog
from reslib.importers.base import Document, Item, ParseOptions
from reslib.importers.tabular import parse_tabular
from reslib.importers.undo import undo_run
from reslib.library import open_library

CHUNK = 7


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunks of ``CHUNK`` rows, each written as a group of its own."""
    monkeypatch.setattr(manifest, "CHUNK_ROWS", CHUNK)
    monkeypatch.setattr(run, "WRITE_GROUP_ITEMS", CHUNK)


def rows(count: int) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for n in range(count):
        burmese = n % 2 == 1
        out.append(
            {
                "id": f"report-{n}",
                "title": f"{'အစီရင်ခံစာ' if burmese else 'Situation report'} {n}",
                "date": f"2023-{1 + n % 12:02d}-{1 + n % 28:02d}",
                "summary": (f"ကျေးရွာများကို တိုက်ခိုက်မှု {n}" if burmese else f"Villages burned ({n})."),
                "organizations": ["Progressive Voice"],
                "accession": f"A-{n}",
            }
        )
    # Links across chunks, both directions, by id and by title; a ref naming no row.
    out[20].pop("id")
    out[1]["translations"] = [out[20]["title"]]  # a later chunk, by title
    out[2]["type"] = "open-letter"
    out[24]["translations"] = ["report-2"]  # an earlier chunk: takes its original's type
    out[25]["related"] = ["report-3", "report-26", "no-such-record"]
    # A row repeating an earlier row's title in a later chunk, and a bad row.
    out[27]["title"], out[27]["id"] = out[5]["title"], ""
    out[5]["id"] = ""
    out[16]["date"] = "2023-13-45"
    return out


def write_jsonl(path: Path, values: list[dict[str, Any]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(v, ensure_ascii=False) + "\n" for v in values), "utf-8")
    return path


def comparable(catalogue: Catalogue) -> dict[str, dict[str, Any]]:
    """Every record as a dict, but the stamps of when it was written."""
    out = {}
    for record in catalogue.records():
        data = record.to_dict()
        data.pop("added")
        data.pop("updated")
        out[record.id] = data
    return out


def options() -> ParseOptions:
    return ParseOptions(
        read_author_line=lambda text: None,  # type: ignore[arg-type,return-value]
        resolve_organization=lambda name: True,
    )


def streamed(path: Path, fmt: str, parse_options: ParseOptions) -> Document:
    """The chunks of ``path`` put back together as one document."""
    stream = manifest.ManifestStream(path, fmt, parse_options)
    stream.check(2**30)
    whole = Document(key=stream.key, format=fmt)
    try:
        for chunk in stream.chunks():
            assert chunk.offset == len(whole.items)
            assert all(
                chunk.offset <= b < chunk.offset + len(chunk.items) for _, b in chunk.translations
            )
            whole.items += chunk.items
            whole.translations += chunk.translations
            whole.related += chunk.related
    finally:
        stream.close()
    return whole


def item_fields(item: Item) -> dict[str, Any]:
    return dict(vars(item))


# -- the same items, records and links as a manifest read whole ---------------------------------


LINE_ENDS = "a\r\nb\rc\u2028d\x85e\n\n"


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "json", "jsonl-not-all-utf8", "jsonl-crlf"])
def test_a_manifest_read_in_chunks_gives_the_items_and_links_of_the_whole_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, small_chunks: None, fmt: str
) -> None:
    monkeypatch.setattr(manifest, "BLOCK", 5)  # line ends across the blocks read
    values = rows(30)
    path = tmp_path / "in" / "rows.jsonl"
    if fmt == "csv":
        path = path.with_suffix(".csv")
        columns = ["id", "title", "date", "type", "summary", "translations", "related"]
        lines = [",".join(columns)]
        for v in values:
            cells = [v.get(c, "") for c in columns]
            lines.append(",".join(";".join(c) if isinstance(c, list) else c for c in cells))
        path.parent.mkdir(parents=True)
        path.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8"))
    elif fmt == "json":
        path = path.with_suffix(".json")
        path.parent.mkdir(parents=True)
        path.write_text(json.dumps({"records": values}, ensure_ascii=False), "utf-8")
    else:
        if fmt == "jsonl-crlf":
            values[3]["summary"] = LINE_ENDS  # U+2028 and NEL unescaped: they end lines
        write_jsonl(path, values)
        data = path.read_bytes()
        if fmt == "jsonl-crlf":
            text = data.decode("utf-8").replace("\n", "\r\n")
            text += json.dumps({"title": "Torn", "date": "2023"}) + "\r" + "{broken\u2029"
            data = text.encode("utf-8")
        if fmt == "jsonl-not-all-utf8":
            data = data.replace(b"\n", b"\n\xff not UTF-8\n", 1)
        path.write_bytes(data)
    kind = fmt.split("-")[0]
    parse_options = options()
    parse_options.ignore_extra = True

    whole = parse_tabular(path, path.read_bytes(), kind, parse_options)
    chunks = streamed(path, kind, parse_options)

    assert len(chunks.items) == len(whole.items) > 4 * CHUNK
    assert [item_fields(i) for i in chunks.items] == [item_fields(i) for i in whole.items]
    assert chunks.translations == whole.translations != []
    assert chunks.related == whole.related != []


@pytest.mark.parametrize("in_workers", [False, True])
def test_a_manifest_larger_than_a_chunk_makes_the_records_of_one_chunk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, in_workers: bool
) -> None:
    if in_workers:  # each chunk's items prepared in worker processes
        monkeypatch.setattr(prepare, "PARALLEL_ITEMS", 4)
        monkeypatch.setenv("RESLIB_IMPORT_WORKERS", "2")
    values = rows(30)
    one = make_catalogue(tmp_path / "one")
    one_summary = import_paths(
        one,
        [write_jsonl(tmp_path / "a" / "in" / "rows.jsonl", values)],
        ImportOptions(ignore_extra=True),
    )
    monkeypatch.setattr(manifest, "CHUNK_ROWS", CHUNK)
    monkeypatch.setattr(run, "WRITE_GROUP_ITEMS", CHUNK)
    sizes: list[int] = []
    real = prepare.prepare_document

    def counted(doc: Document, options: Any) -> Any:
        sizes.append(len(doc.items))
        return real(doc, options)

    monkeypatch.setattr(run, "prepare_document", counted)
    many = make_catalogue(tmp_path / "many")
    many_summary = import_paths(
        many,
        [write_jsonl(tmp_path / "b" / "in" / "rows.jsonl", values)],
        ImportOptions(ignore_extra=True),
    )

    assert sizes == [CHUNK] * 4 + [2], "prepared (and held) a chunk at a time"
    assert len(many.ids()) == 28  # a bad date and a repeated title skipped
    assert comparable(many) == comparable(one)
    assert many_summary.counts() == one_summary.counts()
    assert sorted(s["reason"] for s in many_summary.skipped) == sorted(
        s["reason"] for s in one_summary.skipped
    )
    assert sorted(many_summary.notes) == sorted(one_summary.notes)


def test_rows_linked_across_chunks_are_linked_both_ways(tmp_path: Path, small_chunks: None) -> None:
    catalogue = make_catalogue(tmp_path / "lib")
    values = rows(30)
    summary = import_paths(
        catalogue,
        [write_jsonl(tmp_path / "in" / "rows.jsonl", values)],
        ImportOptions(ignore_extra=True),
    )

    by_title = {r.title: r for r in catalogue.records()}
    first, twentieth = by_title[values[1]["title"]], by_title[values[20]["title"]]
    assert first.translations == [twentieth.id] and twentieth.translations == [first.id]
    original, translation = catalogue.get("report-2"), catalogue.get("report-24")
    assert translation.translations == ["report-2"] and original.translations == ["report-24"]
    assert translation.type == "open-letter", "a translation takes its original's type"
    assert catalogue.get("report-25").related == ["report-3", "report-26"]
    assert catalogue.get("report-3").related == ["report-25"]
    assert catalogue.get("report-26").related == ["report-25"]
    assert any("no record 'no-such-record'" in n for n in summary.notes)


# -- whole-file checks -------------------------------------------------------------------------


def test_a_repeated_key_in_the_last_chunk_refuses_the_whole_file_with_nothing_written(
    tmp_path: Path, small_chunks: None
) -> None:
    catalogue = make_catalogue(tmp_path / "lib")
    values = rows(30)
    values[29]["accession"] = "A-3"
    source = write_jsonl(tmp_path / "in" / "rows.jsonl", values)

    summary = import_paths(catalogue, [source], ImportOptions(key="accession"))

    assert catalogue.ids() == []
    assert summary.skipped == [
        {
            "path": str(source),
            "reason": "the key column 'accession' repeats 'A-3' (line 4 and line 30): each row "
            "must have its own value; nothing imported from this file",
        }
    ]
    assert runlog.run_ids(catalogue.home) == []


def test_an_unknown_column_in_the_last_chunk_refuses_the_whole_file(
    tmp_path: Path, small_chunks: None
) -> None:
    catalogue = make_catalogue(tmp_path / "lib")
    values = rows(30)
    source = write_jsonl(tmp_path / "in" / "rows.jsonl", values)

    summary = import_paths(catalogue, [source])

    assert catalogue.ids() == []
    assert summary.skipped[0]["reason"].startswith("unknown column 'accession'")


def test_a_manifest_over_the_size_setting_is_refused_before_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    catalogue = make_catalogue(tmp_path / "lib")
    source = tmp_path / "in" / "huge.jsonl"
    source.parent.mkdir()
    with source.open("wb") as fh:
        fh.write(b'{"title": "A", "date": "2023"}\n')
        fh.truncate(2 * 2**30)  # 2 GB, sparse: no disk used

    summary = import_paths(catalogue, [source])

    assert catalogue.ids() == []
    assert summary.skipped == [
        {
            "path": str(source),
            "reason": "too large (2048 MB; the limit is 100 MB: RESLIB_IMPORT_FILE_MB)",
        }
    ]


# -- interruptions, the log and undo -----------------------------------------------------------


def test_ctrl_c_between_chunks_leaves_whole_records_and_a_log_of_them_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, small_chunks: None
) -> None:
    catalogue = make_catalogue(tmp_path / "lib")
    values = rows(30)
    source = write_jsonl(tmp_path / "in" / "rows.jsonl", values)
    real = manifest.row_item

    def interrupted(path: Path, n: int, *args: Any, read_files: bool = True) -> Any:
        if read_files and n == 3 * CHUNK + 2:  # in the fourth chunk, when it is read
            raise KeyboardInterrupt
        return real(path, n, *args, read_files=read_files)

    monkeypatch.setattr(manifest, "row_item", interrupted)

    summary = import_paths(catalogue, [source], ImportOptions(ignore_extra=True))

    assert summary.interrupted
    written = catalogue.ids()
    expected = {v["title"] for v in values[: 3 * CHUNK]} - {values[16]["title"]}
    assert {catalogue.get(i).title for i in written} == expected
    assert list(Catalogue(catalogue.home).records())  # every file whole
    assert not list(catalogue.records_dir.glob(".*.tmp"))
    log = runlog.load(catalogue.home, summary.run)
    assert log["interrupted"] is True
    assert sorted(e["id"] for e in log["records"] if e["action"] != "skipped") == written


def test_a_streamed_run_is_logged_once_with_its_checksum_and_undone_whole(
    tmp_path: Path, small_chunks: None
) -> None:
    catalogue = open_library(make_catalogue(tmp_path / "lib").home)
    source = write_jsonl(tmp_path / "in" / "rows.jsonl", rows(30))

    summary = import_paths(catalogue, [source], ImportOptions(ignore_extra=True))
    log = runlog.load(catalogue.home, summary.run)

    data = source.read_bytes()
    (logged,) = log["files"]
    assert (logged["bytes"], logged["sha256"]) == (len(data), hashlib.sha256(data).hexdigest())
    assert log["counts"]["created"] == len(catalogue.ids()) == 28

    report = undo_run(catalogue, summary.run)

    assert sorted(report.removed) == sorted(
        e["id"] for e in log["records"] if e["action"] == "created"
    )
    assert catalogue.ids() == []


def test_a_dry_run_of_a_streamed_manifest_reports_what_a_run_does(
    tmp_path: Path, small_chunks: None
) -> None:
    catalogue = make_catalogue(tmp_path / "lib")
    source = write_jsonl(tmp_path / "in" / "rows.jsonl", rows(30))

    dry = import_paths(catalogue, [source], ImportOptions(ignore_extra=True, dry_run=True))
    assert catalogue.ids() == []
    done = import_paths(catalogue, [source], ImportOptions(ignore_extra=True))

    assert dry.counts() == done.counts()
    assert sorted(dry.created) == sorted(done.created)


def test_a_manifest_changed_in_place_stops_at_the_next_chunk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, small_chunks: None
) -> None:
    catalogue = make_catalogue(tmp_path / "lib")
    source = write_jsonl(tmp_path / "in" / "rows.jsonl", rows(30))
    real = manifest.row_item

    def editing(path: Path, n: int, *args: Any, read_files: bool = True) -> Any:
        if read_files and n == 2 * CHUNK + 1:
            with source.open("ab") as fh:  # the librarian saves it again, in place
                fh.write(b'{"title": "Added", "date": "2023"}\n')
        return real(path, n, *args, read_files=read_files)

    monkeypatch.setattr(manifest, "row_item", editing)

    summary = import_paths(catalogue, [source], ImportOptions(ignore_extra=True))

    assert len(catalogue.ids()) == 2 * CHUNK
    assert summary.skipped[-1] == {
        "path": str(source),
        "reason": "the file changed while it was imported: import it again (from line 15 on; "
        "the lines before it were imported)",
    }


def test_a_chunk_over_the_time_budget_stops_the_file_and_keeps_the_chunks_before_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, small_chunks: None
) -> None:
    monkeypatch.setenv("RESLIB_IMPORT_FILE_SECONDS", "0.5")
    catalogue = make_catalogue(tmp_path / "lib")
    source = write_jsonl(tmp_path / "in" / "rows.jsonl", rows(30))
    real = manifest.row_item

    def stuck(path: Path, n: int, *args: Any, read_files: bool = True) -> Any:
        while read_files and n == 2 * CHUNK + 3:  # a row whose reading never ends
            pass
        return real(path, n, *args, read_files=read_files)

    monkeypatch.setattr(manifest, "row_item", stuck)

    summary = import_paths(catalogue, [source], ImportOptions(ignore_extra=True))

    assert len(catalogue.ids()) == 2 * CHUNK
    (skip,) = summary.skipped
    assert skip["reason"].startswith("took longer than 0.5 s to read")
    assert skip["reason"].endswith("(from line 15 on; the lines before it were imported)")
