"""Every message an officer can meet, in both languages: no English words in Vietnamese output,
and never a regular expression. The catalogue is read whole; the rest is what real commands
print for help and for the usual mistakes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from hoso.cli import command_names, main
from hoso.messages import CATALOG
from tests.conftest import copy_demo
from tests.record_util import run_cli

# Words that are English and not Vietnamese (no syllable of Vietnamese is written like these).
ENGLISH = frozenset("""
the is are was not must should error errors warning warnings usage options optional arguments argument required
invalid choose expected unrecognized file files directory such permission denied cannot missing found allowed
synthetic demo data with and or of your help show this exit message value values see run step field fields
unknown please into than more least most between after before name names when which there here
""".split())
REGEX = re.compile(r"\^\[|\]\{|\(\?:|\\d|\\w|\[0-9\]|\[A-Z|\[a-z|\)\*|\]\+|\]\*|\$\)|\{1,|\$'|\$\"")
CODE = re.compile(r"'[^']*'|\"[^\"]*\"|`[^`]*`|\{[^}]*\}|(?<!\w)-\S+|\S*(?:[_/=<>@\\0-9]|\w[.\-]\w)\S*"
                  r"|\b[A-Z][A-Z-]+\b")


def english_words(text: str) -> list[str]:
    """The English words of ``text`` once codes, quotes, placeholders, paths and options are taken out."""
    plain = CODE.sub(" ", text)
    return sorted({w for w in re.findall(r"[A-Za-z]+", plain) if w.lower() in ENGLISH})


def test_the_scanner_finds_what_it_looks_for() -> None:
    assert english_words("hoso: the following arguments are required: --unit") == ["are", "arguments", "required", "the"]
    assert english_words("thiếu đối số bắt buộc: --unit, 'the' hoặc {field}") == []
    assert REGEX.search("'of-017' không khớp mẫu ^[A-Z]{1,6}-[0-9]{1,8}$")


@pytest.mark.parametrize("rule", sorted(CATALOG))
def test_catalogue_messages(rule: str) -> None:
    vi, en = CATALOG[rule]["vi"], CATALOG[rule]["en"]
    assert english_words(vi) == [], (rule, vi)
    assert not REGEX.search(vi) and not REGEX.search(en), rule


@pytest.fixture(scope="module")
def demo_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_demo(tmp_path_factory.mktemp("wording") / "repo")


OFFICER = "recorded_by=of-002"
MISTAKES: dict[str, list[str]] = {
    "unknown command": ["valdate"],
    "missing options": ["new"],
    "missing value": ["new", "--unit"],
    "bad choice": ["next", "SA-2026-001", "--format", "pdf"],
    "unknown option": ["validate", "--colour"],
    "impossible --today": ["due", "--today", "2025-02-30"],
    "unknown unit": ["new", "--unit", "van-chan/xa-z", "--member", "DV-0101", "--no-input"],
    "malformed --set": ["record", "SA-2026-001", "notified", "--no-input", "--set", "date"],
    "bad --set value": ["record", "SA-2026-001", "notified", "--no-input", "--set", "date=2026-02-30"],
    "unknown field": ["record", "SA-2026-001", "notified", "--no-input", "--set", "colour=red"],
    "unknown case": ["next", "SA-2026-01"],
    "unknown event": ["record", "SA-2026-001", "notifed", "--no-input"],
    "missing --from file": ["record", "SA-2026-001", "notified", "--no-input", "--from", "no-such-file.yaml"],
    "lower-case officer id": ["record", "SA-2026-001", "notified", "--no-input", "--set", "date=2026-11-27",
                              "--set", OFFICER, "--set", "spoken_by=OF-001"],
    "recorder without the role": ["record", "SA-2026-001", "notified", "--no-input", "--set", "date=2026-11-27",
                                  "--set", "recorded_by=OF-021", "--set", "spoken_by=OF-001"],
    "next with a step left out": ["next", "SA-2026-001"],
}


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("name", sorted(MISTAKES))
def test_what_commands_print_for_the_usual_mistakes(name: str, lang: str, demo_repo: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    code = run_cli(["-C", str(demo_repo), "--today", "2026-11-27", "--lang", lang, *MISTAKES[name]])
    out, err = capsys.readouterr()
    text = out + err
    assert text.strip()
    assert "Traceback" not in text
    if name != "next with a step left out":
        assert code in (1, 2), (name, code)
    if lang == "vi":
        assert english_words(text) == [], (name, text)
    assert not REGEX.search(text), (name, text)


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("command", ["", *command_names()])
def test_help_of_every_command(command: str, lang: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main([*([command] if command else []), "--help", "--lang", lang])
    out = capsys.readouterr().out
    if lang == "vi":
        assert english_words(out) == [], (command, english_words(out))
        assert "usage:" not in out and "options:" not in out
    assert not REGEX.search(out)


def test_command_line_mistakes_exit_2(demo_repo: Path) -> None:
    for name in ("unknown command", "missing options", "missing value", "bad choice", "unknown option",
                 "impossible --today", "unknown unit", "malformed --set", "bad --set value", "unknown field"):
        assert run_cli(["-C", str(demo_repo), "--today", "2026-11-27", *MISTAKES[name]]) == 2, name


@pytest.mark.parametrize("argv", [
    ["next", "SA-2026-001"], ["validate"], ["report", "--year", "2022"], ["status"], ["due"], ["audit", "SA-2026-001"],
    ["site"], ["schema"], ["codeowners"], ["check", "--base", "HEAD"], ["approvals", "--reviews", "-", "--base", "HEAD"],
    ["new", "--unit", "x", "--member", "DV-0001"], ["record", "SA-2026-001", "progress_note"],
], ids=lambda argv: argv[0])
def test_outside_a_repository_says_so_and_suggests_c(demo_repo: Path, monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    """Every command, run in a folder below the repository (here records/): exit 2, the reason, and
    the -C that works. `validate` used to report the organisation's files missing, `report` to
    print an empty table, and `site` to try a build."""
    monkeypatch.chdir(demo_repo / "records")
    assert main(["--today", "2026-11-27", *argv]) == 2
    err = capsys.readouterr().err
    assert "không phải kho hoso" in err and f"-C {demo_repo}" in err


def test_a_lower_case_officer_id_gets_the_upper_case_one(demo_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run_cli(["-C", str(demo_repo), "--today", "2026-11-27", *MISTAKES["lower-case officer id"]])
    err = capsys.readouterr().err
    assert "viết là OF-002" in err and "ví dụ OF-017" in err


def test_roles_read_as_their_titles(demo_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run_cli(["-C", str(demo_repo), "--today", "2026-11-27", *MISTAKES["recorder without the role"]])
    assert "Ủy viên chi ủy (chi_uy) / Bí thư chi bộ (bi_thu)" in capsys.readouterr().err


def test_case_ids_ignore_letter_case_and_typos_get_did_you_mean(demo_repo: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(["-C", str(demo_repo), "--today", "2026-11-27", "next", "sa-2026-001"]) == 0
    capsys.readouterr()
    run_cli(["-C", str(demo_repo), "--today", "2026-11-27", *MISTAKES["unknown case"]])
    assert "ý bạn là 'SA-2026-001'" in capsys.readouterr().err
    run_cli(["-C", str(demo_repo), "--today", "2026-11-27", *MISTAKES["unknown event"]])
    assert "ý bạn là 'notified'" in capsys.readouterr().err
    run_cli(["-C", str(demo_repo), "--today", "2026-11-27", *MISTAKES["unknown unit"]])
    err = capsys.readouterr().err
    assert "ý bạn là" in err and "'van-chan/xa-a'" in err


def test_required_options_say_so_in_the_help(capsys: pytest.CaptureFixture[str]) -> None:
    for lang, word in (("vi", "(bắt buộc)"), ("en", "(required)")):
        with pytest.raises(SystemExit):
            main(["new", "--help", "--lang", lang])
        out = " ".join(capsys.readouterr().out.split())
        assert f"(never a name) {word}" in out or f"(không bao giờ ghi tên) {word}" in out
        assert f"--member-status {{full,probationary}}" in out and word not in out.split("--member-status")[2][:120]


def test_counts_and_decimals_read_as_each_language_writes_them() -> None:
    from hoso.wording import count, decimal

    assert [count(n, "error", "errors", "en", "lỗi") for n in (0, 1, 2)] == ["0 errors", "1 error", "2 errors"]
    assert count(1, "error", "errors", "vi", "lỗi") == "1 lỗi"
    assert (decimal(8.94, "vi"), decimal(8.94, "en")) == ("8,9", "8.9")
