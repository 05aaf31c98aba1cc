"""`reslib analyze`: through click's CliRunner and as a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys

from click.testing import CliRunner

from reslib.cli import cli


def run(*args: str, input: bytes | str | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, list(args), input=input)


def test_analyze_json_reports_normalization_zawgyi_and_fields() -> None:
    result = run("analyze", "ျမန္မာ ၂၀၂၃ Munitions", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["normalized"] == "မြန်မာ ၂၀၂၃ Munitions"
    assert data["converted_from_zawgyi"] is True
    assert data["zawgyi_probability"] > 0.95
    assert data["fields"]["syllables"] == ["မြန်", "မာ", "2023"]
    assert data["fields"]["english"] == ["2023", "munit"]


def test_analyze_zawgyi_probability_is_null_without_burmese() -> None:
    data = json.loads(run("analyze", "Progressive Voice", "--json").output)
    assert data["zawgyi_probability"] is None
    assert data["converted_from_zawgyi"] is False


def test_analyze_reads_standard_input_when_text_is_dash() -> None:
    result = run("analyze", "-", "--json", input="ကမ္ဘာ့ကုလသမဂ္ဂ\n".encode())
    assert result.exit_code == 0
    assert json.loads(result.output)["fields"]["syllables"] == ["ကမ္ဘာ့", "ကု", "လ", "သ", "မဂ္ဂ"]


def test_analyze_rejects_standard_input_that_is_not_utf8() -> None:
    result = run("analyze", "-", input=b"\xff\xfe\x00bad")
    assert result.exit_code == 1
    assert "not UTF-8" in result.output


def test_analyze_plain_output_lists_each_field() -> None:
    result = run("analyze", "Karenni ကရင်နီ")
    assert result.exit_code == 0
    assert "syllables: က | ရင် | နီ" in result.output
    assert "english: karenni" in result.output


def test_analyze_query_mode_drops_stop_words() -> None:
    data = json.loads(run("analyze", "the junta", "--query", "--json").output)
    assert data["fields"]["english"] == ["junta"]


def test_analyze_without_text_is_a_usage_error() -> None:
    assert run("analyze").exit_code == 2


def test_analyze_runs_as_a_real_subprocess() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "reslib", "analyze", "မိန့်ခွန်း", "--json"],
        capture_output=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["fields"]["syllables"] == ["မိန့်", "ခွန်း"]


def test_every_command_has_help() -> None:
    for name in cli.commands:
        result = run(name, "--help")
        assert result.exit_code == 0, name
        assert "Usage:" in result.output
