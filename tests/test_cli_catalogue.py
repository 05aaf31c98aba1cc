"""The librarian's commands, through CliRunner and as real subprocesses."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from reslib.catalogue import Catalogue
from reslib.cli import catalogue_cmds, cli
from reslib.config import Home

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def home(tmp_path: Path) -> Path:
    # Empty: these tests add their own organizations and glossary entries.
    result = CliRunner().invoke(cli, ["init", "--empty", str(tmp_path)])
    assert result.exit_code == 0, result.output
    return tmp_path


def run(home: Path, *args: str, input: str | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, ["--home", str(home), *args], input=input)


def add(home: Path, title: str = "Open Letter to G20", *extra: str) -> str:
    result = run(
        home,
        "add",
        "--title",
        title,
        "--type",
        "open letter",
        "--language",
        "en",
        "--date",
        "2023-09-15",
        "--json",
        *extra,
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["id"]


def snapshot(home: Path) -> dict[str, bytes]:
    lib = home / "library"
    return {
        str(p.relative_to(lib)): p.read_bytes()
        for p in lib.rglob("*")
        if p.is_file() and p.name != ".lock"
    }


def test_init_creates_an_empty_library(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["init", "--empty", str(tmp_path / "lib")])
    assert result.exit_code == 0
    assert (tmp_path / "lib" / "library" / "records").is_dir()
    orgs = json.loads((tmp_path / "lib" / "library" / "organizations.json").read_text("utf-8"))
    glossary = json.loads((tmp_path / "lib" / "library" / "glossary.json").read_text("utf-8"))
    assert "OCHA" not in json.dumps(orgs) and "Rangoon" not in json.dumps(glossary)


def test_init_starts_a_library_that_knows_myanmar(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["init", str(tmp_path / "lib")])
    assert result.exit_code == 0, result.output
    assert "starter" in result.output
    library = tmp_path / "lib" / "library"
    assert "OCHA" in (library / "organizations.json").read_text("utf-8")
    assert "Rangoon" in (library / "glossary.json").read_text("utf-8")
    # Run again after a librarian's change: their file is kept as it is.
    added = run(tmp_path / "lib", "orgs", "add", "Sagaing Women's Network")
    assert added.exit_code == 0, added.output
    before = (library / "organizations.json").read_bytes()
    assert b"Sagaing Women's Network" in before
    assert CliRunner().invoke(cli, ["init", str(tmp_path / "lib")]).exit_code == 0
    assert (library / "organizations.json").read_bytes() == before


def test_home_can_come_from_the_environment(home: Path) -> None:
    result = CliRunner().invoke(cli, ["list", "--json"], env={"RESLIB_HOME": str(home)})
    assert result.exit_code == 0
    assert json.loads(result.output) == []


def test_types_lists_the_controlled_vocabulary() -> None:
    data = json.loads(CliRunner().invoke(cli, ["types", "--json"]).output)
    assert [t["key"] for t in data["types"]] == [
        "statement",
        "press-release",
        "open-letter",
        "report",
        "update",
        "news",
        "other",
    ]


def test_add_show_and_list(home: Path) -> None:
    rid = add(home, "Open Letter to G20", "--organization", "FORUM-ASIA", "--place", "Sagaing")
    shown = json.loads(run(home, "show", rid, "--json").stdout)
    assert shown["title"] == "Open Letter to G20"
    assert shown["organizations"] == ["FORUM-ASIA"]
    listed = run(home, "list", "--csv").output.splitlines()
    assert listed[0] == "id,date,type,language,title,organizations"
    assert listed[1].startswith(rid)


def test_add_reports_organizations_new_to_the_authority(home: Path) -> None:
    result = run(
        home,
        "add",
        "--title",
        "T",
        "--type",
        "report",
        "--language",
        "en",
        "--date",
        "2023",
        "--organization",
        "Brand New Org",
    )
    assert result.exit_code == 0
    assert "added 'Brand New Org' to the organizations authority file" in result.output


def test_add_from_json_file(home: Path, tmp_path: Path) -> None:
    src = tmp_path / "rec.json"
    src.write_text(
        json.dumps({"type": "report", "title": "Coup Watch", "language": "en", "date": "2023-11"}),
        "utf-8",
    )
    result = run(home, "add", "--from-json", str(src), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["id"] == "2023-11-coup-watch"


def test_add_prompts_for_missing_fields_in_a_terminal(home: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(catalogue_cmds, "_interactive", lambda: True)
    result = run(home, "add", "--json", input="Prompted Title\npamphlet\nreport\nen\n2023-09\n")
    assert result.exit_code == 0, result.output
    assert "unknown type 'pamphlet'" in result.output
    record = json.loads(result.output[result.output.index("{") :])
    assert (record["title"], record["type"], record["date"]) == (
        "Prompted Title",
        "report",
        "2023-09",
    )


def test_add_without_terminal_names_the_missing_field(home: Path) -> None:
    result = run(home, "add", "--title", "T", "--type", "report", "--language", "en")
    assert result.exit_code == 1
    assert result.output.strip() == (
        "Error: new record: field 'date' is required: pass --date (or --undated when it is unknown)"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--date", "2023-02-30"], "invalid date '2023-02-30'"),
        (["--date", "15/09/2023"], "invalid date '15/09/2023'"),
        (["--type", "pamphlet"], "unknown type 'pamphlet'"),
        (["--language", "xx"], "unknown language 'xx'"),
    ],
)
def test_bad_add_input_is_one_line_exit_1_and_changes_nothing(
    home: Path, args: list[str], message: str
) -> None:
    base = {"--title": "T", "--type": "report", "--language": "en", "--date": "2023"}
    for i in range(0, len(args), 2):
        base[args[i]] = args[i + 1]
    before = snapshot(home)
    result = run(home, "add", *[x for kv in base.items() for x in kv])
    assert result.exit_code == 1
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert snapshot(home) == before


def test_adding_an_existing_id_is_refused(home: Path) -> None:
    rid = add(home)
    before = snapshot(home)
    result = run(
        home,
        "add",
        "--id",
        rid,
        "--title",
        "X",
        "--type",
        "report",
        "--language",
        "en",
        "--date",
        "2023",
    )
    assert result.exit_code == 1
    assert f"record {rid} exists already" in result.output
    assert snapshot(home) == before


def test_record_file_that_is_not_utf8_is_refused(home: Path, tmp_path: Path) -> None:
    bad = tmp_path / "latin1.json"
    bad.write_bytes('{"title": "caf\xe9"}'.encode("latin-1"))
    before = snapshot(home)
    result = run(home, "add", "--from-json", str(bad))
    assert result.exit_code == 1
    assert "not UTF-8" in result.output
    assert snapshot(home) == before


def test_edit_sets_fields_and_reports_bad_ones(home: Path) -> None:
    rid = add(home)
    assert (
        run(home, "edit", rid, "--set", "summary=A letter.", "--set", "topics=aid; G20").exit_code
        == 0
    )
    shown = json.loads(run(home, "show", rid, "--json").stdout)
    assert (shown["summary"], shown["topics"]) == ("A letter.", ["aid", "G20"])
    before = snapshot(home)
    result = run(home, "edit", rid, "--set", "date=2023-99")
    assert result.exit_code == 1
    assert f"record {rid}: field 'date'" in result.output
    assert snapshot(home) == before


def test_edit_without_changes_is_a_usage_error(home: Path) -> None:
    rid = add(home)
    assert run(home, "edit", rid).exit_code == 2


def test_edit_in_an_editor_is_validated_on_save(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # the refused text's draft
    rid = add(home)
    script = tmp_path / "ed.py"
    script.write_text(
        "import json,sys\np=sys.argv[1]\nd=json.load(open(p))\nd['summary']='Edited in editor'\n"
        "json.dump(d,open(p,'w'))\n"
    )
    result = CliRunner().invoke(
        cli,
        ["--home", str(home), "edit", rid, "--editor"],
        env={"EDITOR": f"{sys.executable} {script}"},
    )
    assert result.exit_code == 0, result.output
    assert json.loads(run(home, "show", rid, "--json").stdout)["summary"] == "Edited in editor"
    script.write_text("import sys\nopen(sys.argv[1],'w').write('{broken')\n")
    before = snapshot(home)
    result = CliRunner().invoke(
        cli,
        ["--home", str(home), "edit", rid, "--editor"],
        env={"EDITOR": f"{sys.executable} {script}"},
    )
    assert result.exit_code == 1
    assert "invalid JSON" in result.output and "nothing saved" in result.output
    assert snapshot(home) == before


def test_remove_asks_for_confirmation_unless_yes(home: Path) -> None:
    rid = add(home)
    result = run(home, "remove", rid)
    assert result.exit_code == 1 and "--yes" in result.output
    assert run(home, "remove", rid, "--yes").exit_code == 0
    assert run(home, "show", rid).exit_code == 1
    assert (home / "library" / "tombstones" / f"{rid}.json").exists()


def test_show_unknown_id_exits_1(home: Path) -> None:
    result = run(home, "show", "no-such-record")
    assert result.exit_code == 1
    assert "no record 'no-such-record'" in result.output


def test_list_filters(home: Path) -> None:
    add(home, "First")
    run(home, "add", "--title", "Second", "--type", "report", "--language", "my", "--date", "2022")
    ids = [r["id"] for r in json.loads(run(home, "list", "--type", "report", "--json").stdout)]
    assert ids == ["2022-second"]
    ids = [r["id"] for r in json.loads(run(home, "list", "--from", "2023", "--json").stdout)]
    assert ids == ["2023-09-15-first"]


def test_check_passes_then_fails_on_a_hand_broken_record(home: Path) -> None:
    rid = add(home)
    assert run(home, "check").exit_code == 0
    (home / "library" / "records" / f"{rid}.json").write_text("{not json", "utf-8")
    result = run(home, "check", "--json")
    assert result.exit_code == 1
    problem = json.loads(result.output)["problems"][0]
    assert problem["where"] == rid and "invalid JSON" in problem["message"]


def test_check_passes_on_the_shipped_sample_library() -> None:
    result = CliRunner().invoke(cli, ["--home", str(REPO), "check"])
    assert result.exit_code == 0, result.output


def test_orgs_add_list_merge(home: Path) -> None:
    assert (
        run(
            home,
            "orgs",
            "add",
            "Asian Forum for Human Rights and Development",
            "--acronym",
            "FORUM-ASIA",
        ).exit_code
        == 0
    )
    assert run(home, "orgs", "add", "Forum Asia Misspelt").exit_code == 0
    rid = add(home, "T", "--organization", "Forum Asia Misspelt")
    result = run(home, "orgs", "merge", "Forum Asia Misspelt", "FORUM-ASIA")
    assert result.exit_code == 0 and "1 record(s) updated" in result.output
    assert json.loads(run(home, "show", rid, "--json").stdout)["organizations"] == [
        "Asian Forum for Human Rights and Development"
    ]
    names = [o["name"] for o in json.loads(run(home, "orgs", "list", "--json").stdout)]
    assert names == ["Asian Forum for Human Rights and Development"]
    dup = run(home, "orgs", "add", "FORUM-ASIA")
    assert dup.exit_code == 1 and "already names" in dup.output


def test_glossary_add_list_import(home: Path, tmp_path: Path) -> None:
    assert (
        run(
            home,
            "glossary",
            "add",
            "--en",
            "Karenni",
            "--en",
            "Kayah",
            "--my",
            "ကရင်နီ",
            "--kind",
            "place",
        ).exit_code
        == 0
    )
    tsv = tmp_path / "g.tsv"
    tsv.write_text("Switzerland\tဆွစ် ဇာ လန်\nKarenni\tကယား\n", "utf-8")
    result = run(home, "glossary", "import", str(tsv))
    assert result.exit_code == 0 and "read 2 line(s)" in result.output
    entries = json.loads(run(home, "glossary", "list", "--json").stdout)
    karenni = next(e for e in entries if "Karenni" in e["en"])
    assert karenni["my"] == ["ကရင်နီ", "ကယား"]
    assert any(e["my"] == ["ဆွစ်ဇာလန်"] for e in entries)
    missing = run(home, "glossary", "import", str(tmp_path / "missing.tsv"))
    assert missing.exit_code == 1
    assert missing.output.strip() == f"Error: {tmp_path / 'missing.tsv'}: no such file"


def test_export_formats(home: Path, tmp_path: Path) -> None:
    add(home, "Open Letter to G20", "--organization", "Progressive Voice")
    assert '"title": "Open Letter to G20"' in run(home, "export").output
    assert run(home, "export", "--format", "bibtex").output.startswith("@misc{")
    assert "TY  - PAMP" in run(home, "export", "--format", "ris").output
    out = tmp_path / "x.csv"
    assert run(home, "export", "--format", "csv", "-o", str(out)).exit_code == 0
    assert out.read_text("utf-8").startswith("id,type,title")
    assert run(home, "export", "--format", "docx").exit_code == 2


def test_every_catalogue_command_has_help() -> None:
    for args in (
        ["init"],
        ["types"],
        ["add"],
        ["edit"],
        ["remove"],
        ["show"],
        ["list"],
        ["check"],
        ["export"],
        ["orgs"],
        ["orgs", "list"],
        ["orgs", "add"],
        ["orgs", "merge"],
        ["glossary"],
        ["glossary", "list"],
        ["glossary", "add"],
        ["glossary", "import"],
    ):
        result = CliRunner().invoke(cli, [*args, "--help"])
        assert result.exit_code == 0, args
        assert "Usage:" in result.output


# -- real processes -----------------------------------------------------------------------


def reslib(home: Path, *args: str, **kw) -> subprocess.CompletedProcess:  # type: ignore[no-untyped-def]
    return subprocess.run(
        [sys.executable, "-m", "reslib", "--home", str(home), *args],
        capture_output=True,
        text=True,
        check=False,
        **kw,
    )


def test_commands_run_as_real_subprocesses(home: Path) -> None:
    proc = reslib(
        home,
        "add",
        "--title",
        "Subprocess Record",
        "--type",
        "news",
        "--language",
        "en",
        "--date",
        "2023-11-20",
    )
    assert proc.returncode == 0, proc.stderr
    assert "added 2023-11-20-subprocess-record" in proc.stdout
    assert reslib(home, "show", "2023-11-20-subprocess-record").returncode == 0
    bad = reslib(home, "add", "--title", "T", "--type", "x", "--language", "en", "--date", "2023")
    assert bad.returncode == 1
    assert bad.stderr.strip() == (
        "Error: new record: field 'type': unknown type 'x': use one of statement, "
        "press-release, open-letter, report, update, news, other (see 'reslib types')"
    )
    assert reslib(home, "list", "--bogus-option").returncode == 2


_WRITER = """
import sys, itertools
from reslib.catalogue import Catalogue
from reslib.config import Home
cat = Catalogue(Home(sys.argv[1]))
ids = sys.argv[2:]
for n in itertools.count():
    for rid in ids:
        cat.update(rid, ["body=" + ("x" * 20000) + str(n)])
    print(n, flush=True)
"""


@pytest.mark.slow
def test_a_writer_killed_mid_write_leaves_every_record_loadable(home: Path, tmp_path: Path) -> None:
    ids = [add(home, f"Record {i}") for i in range(5)]
    script = tmp_path / "writer.py"
    script.write_text(_WRITER)
    cat = Catalogue(Home(home))
    for delay in (0.05, 0.11, 0.17, 0.23, 0.31, 0.37, 0.43, 0.5):
        proc = subprocess.Popen(
            [sys.executable, str(script), str(home), *ids], stdout=subprocess.PIPE
        )
        assert proc.stdout is not None
        proc.stdout.readline()  # at least one full round of writes has happened
        time.sleep(delay)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
        for rid in ids:
            record = cat.get(rid)
            assert record.body.startswith("x" * 20000)
    assert cat.check() == [] or all(p.severity == "warning" for p in cat.check())


_INCREMENTER = """
import sys
from reslib.catalogue import Catalogue
from reslib.config import Home
cat = Catalogue(Home(sys.argv[1]))
for _ in range(int(sys.argv[3])):
    cat.update(sys.argv[2], ["topics+=" + sys.argv[4] + str(_)])
"""


@pytest.mark.slow
def test_two_processes_writing_at_once_lose_no_update(home: Path, tmp_path: Path) -> None:
    rid = add(home)
    script = tmp_path / "inc.py"
    script.write_text(_INCREMENTER)
    procs = [
        subprocess.Popen([sys.executable, str(script), str(home), rid, "15", tag])
        for tag in ("a", "b")
    ]
    for p in procs:
        assert p.wait(timeout=120) == 0
    topics = Catalogue(Home(home)).get(rid).topics
    assert sorted(topics) == sorted([f"a{i}" for i in range(15)] + [f"b{i}" for i in range(15)])


def test_a_held_lock_times_out_with_a_clear_message(home: Path) -> None:
    rid = add(home)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys,time,fcntl,os;fd=os.open(sys.argv[1],os.O_RDWR|os.O_CREAT);"
            "fcntl.flock(fd,fcntl.LOCK_EX);print('locked',flush=True);time.sleep(30)",
            str(home / "library" / ".lock"),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        proc = reslib(
            home,
            "edit",
            rid,
            "--set",
            "summary=x",
            env={**os.environ, "RESLIB_LOCK_TIMEOUT": "0.5"},
        )
        assert proc.returncode == 1
        assert "locked by another reslib process" in proc.stderr
    finally:
        holder.kill()
        holder.wait()
        if holder.stdout:
            holder.stdout.close()


def test_every_catalogue_command_works_as_a_real_subprocess(tmp_path: Path) -> None:
    home = tmp_path / "lib"
    assert reslib(home, "init", "--empty", str(home)).returncode == 0
    steps: list[tuple[list[str], str]] = [
        (["types"], "open-letter"),
        (
            [
                "add",
                "--title",
                "Coup Watch",
                "--type",
                "report",
                "--language",
                "en",
                "--date",
                "2023-11",
                "--organization",
                "ALTSEAN-Burma",
            ],
            "added 2023-11-coup-watch",
        ),
        (
            [
                "add",
                "--title",
                "ကြည့်ရှုရန်",
                "--type",
                "report",
                "--language",
                "my",
                "--date",
                "2023-11",
                "--translation",
                "2023-11-coup-watch",
                "--json",
            ],
            '"translations"',
        ),
        (["edit", "2023-11-coup-watch", "--set", "places=Sagaing"], "saved 2023-11-coup-watch"),
        (["show", "2023-11-coup-watch"], "places: Sagaing"),
        (["list", "--language", "my", "--csv"], "ကြည့်ရှုရန်"),
        (["check"], "0 error(s)"),
        (["orgs", "add", "Alternative ASEAN Network on Burma"], "added"),
        (["orgs", "merge", "Alternative ASEAN Network on Burma", "ALTSEAN-Burma"], "merged"),
        (["orgs", "list"], "ALTSEAN-Burma"),
        (["glossary", "add", "--en", "Sagaing", "--my", "စစ်ကိုင်း"], "saved sagaing"),
        (["glossary", "list"], "စစ်ကိုင်း"),
        (["export", "--format", "ris"], "TY  - RPRT"),
        (["remove", "2023-11-coup-watch", "--yes"], "removed 2023-11-coup-watch"),
    ]
    tsv = tmp_path / "g.tsv"
    tsv.write_text("Magway\tမ ကွေး\n", "utf-8")
    steps.append((["glossary", "import", str(tsv)], "read 1 line(s)"))
    for args, expected in steps:
        proc = reslib(home, *args)
        assert proc.returncode == 0, (args, proc.stderr)
        assert expected in proc.stdout, (args, proc.stdout)
    burmese = json.loads(reslib(home, "list", "--json").stdout)
    assert [r.get("translations", []) for r in burmese] == [[]]
