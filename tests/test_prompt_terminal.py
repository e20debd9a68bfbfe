"""The prompts as an officer meets them: real ``hoso`` processes in a pseudo-terminal (pexpect),
or with answers piped on standard input. Every wait is on text the program prints, bounded by a
generous timeout that only a hung program reaches."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest

from tests.conftest import copy_demo, git
from tests.record_util import CASE, LISTED, MEMBER, OPEN, TODAY, UNIT, history, procedure, run_cli, set_options, \
    event_answers

WAIT = 60  # seconds; reached only when the program hangs, never on a normal run


@pytest.fixture
def flagged(tmp_path: Path) -> Path:
    """A git repository with one case just opened (stage flagged), committed on main."""
    repo = copy_demo(tmp_path / "repo", records=False)
    git(repo, "init", "-q", "-b", "main")
    assert run_cli(["-C", str(repo), "new", "--today", TODAY, "--unit", UNIT, "--member", MEMBER,
                    "--member-status", "full", "--no-input", *set_options(OPEN[1])]) == 0
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "case")
    return repo


def spawn(repo: Path, *argv: str) -> pexpect.spawn:
    env = {**os.environ, "HOSO_TODAY": TODAY, "NO_COLOR": "1", "COLUMNS": "200"}
    child = pexpect.spawn(sys.executable, ["-m", "hoso", "-C", str(repo), *argv], env=env, encoding="utf-8",
                          timeout=WAIT, dimensions=(50, 200))
    return child


def answer(child: pexpect.spawn, prompt: str, text: str) -> str:
    """Wait for ``prompt``, type ``text`` and Enter; what the program printed before the prompt."""
    child.expect_exact(prompt)
    before = str(child.before)
    child.sendline(text)
    return before + prompt


def finish(child: pexpect.spawn) -> tuple[int, str]:
    child.expect(pexpect.EOF)
    child.close()
    return int(child.exitstatus if child.exitstatus is not None else -1), str(child.before)


def test_a_required_field_is_never_offered_as_skippable(flagged: Path) -> None:
    child = spawn(flagged, "record", CASE, "list_voted")
    answer(child, "[Enter: 2022-12-31]:", "2021-05-12")
    answer(child, "chọn số hoặc mã:", "OF-001")
    shown = answer(child, "(resolution) [số hiệu văn bản]:", "")  # Enter on a required field is not a skip
    assert "bỏ qua" not in shown.splitlines()[-1]
    answer(child, "không được để trống", "NQ-02/2021")
    answer(child, "(ballot.members_total) [số nguyên]:", "15")
    answer(child, "có nhập không? (có/không):", "không")
    for part, value in (("present", "13"), ("for", "11"), ("against", "2")):
        answer(child, f"(ballot.{part}) [số nguyên]:", value)
    answer(child, "(ballot.invalid) [số nguyên] [Enter: bỏ qua]:", "")
    secret = answer(child, "(ballot.secret) [luôn là: có; Enter]:", "")  # the vote must be secret: fixed, not skippable
    assert "bỏ qua" not in secret.splitlines()[-1]
    answer(child, "→ theo số phiếu: đạt", "")
    answer(child, "chọn số hoặc mã:", "1")
    answer(child, "(note) [văn bản] [Enter: bỏ qua]:", "")
    summary = answer(child, "Ghi bước này? (có/không):", "có")
    assert "secret: true" in summary and "result: passed" in summary
    code, out = finish(child)
    assert code == 0, out
    assert history(flagged)[-1]["ballot"]["secret"] is True


def test_piped_answers_with_a_fixed_field_never_shift(flagged: Path) -> None:
    """self_review's commitment is fixed (true when submitted): it still takes its line, so the next
    piped answer lands in note, where the officer meant it."""
    repo = flagged
    base = ["-C", str(repo), "--today", TODAY, "--no-input"]
    for event, values in LISTED[:3]:
        assert run_cli(["record", *base, CASE, event, *set_options(values)]) == 0
    event, values = LISTED[3]
    values = {**values, "note": "Nộp đúng hạn"}
    typed = event_answers(procedure(), event, values)
    assert typed.splitlines()[-3:] == ["có", "Nộp đúng hạn", "có"]  # commitment, note, the confirmation
    done = subprocess.run([sys.executable, "-m", "hoso", "-C", str(repo), "record", CASE, event], input=typed,
                          text=True, capture_output=True, env={**os.environ, "HOSO_TODAY": TODAY}, timeout=WAIT)
    assert done.returncode == 0, done.stderr
    assert "(commitment) [luôn là: có; Enter]:" in done.stderr
    assert history(repo)[-1] == {"event": event, **values}


def test_no_input_fills_the_same_fixed_value(flagged: Path) -> None:
    base = ["-C", str(flagged), "--today", TODAY, "--no-input"]
    for event, values in LISTED[:3]:
        assert run_cli(["record", *base, CASE, event, *set_options(values)]) == 0
    event, values = LISTED[3]
    given = {k: v for k, v in values.items() if k != "commitment"}
    assert run_cli(["record", *base, CASE, event, *set_options(given)]) == 0
    assert history(flagged)[-1] == {"event": event, **values}  # commitment: true, as the prompts give it


def test_an_impossible_date_is_explained_and_the_date_defaults_to_today(tmp_path: Path) -> None:
    repo = copy_demo(tmp_path / "repo", records=False)
    child = spawn(repo, "new", "--unit", UNIT, "--member", MEMBER, "--member-status", "full", "--today", "2025-03-04")
    answer(child, "[YYYY-MM-DD, Enter: 2025-03-04]:", "2025-02-30")
    answer(child, "ngày 2025-02-30 không có thật: tháng 2 năm 2025 chỉ có 28 ngày", "")
    child.expect_exact("(recorded_by)")  # Enter took today: the step's questions follow
    child.close(force=True)
    # the opening date Enter gave is today's, in force for hd02-2025 (not hd02-2021)
    child = spawn(repo, "new", "--unit", "lao-cai/xa-son-a/chi-bo-thon-1", "--member", MEMBER, "--member-status",
                  "full", "--today", "2025-09-04", "--set", "recorded_by=OF-002", "--set", "grounds=tai-pham",
                  "--set", "consultations.0.body=mat-tran-thon", "--set", "consultations.0.date=2025-09-01",
                  "--set", "consultations.0.ref=BB-01/2025")
    answer(child, "[YYYY-MM-DD, Enter: 2025-09-04]:", "")
    summary = answer(child, "Ghi bước này? (có/không):", "có")
    assert 'date: "2025-09-04"' in summary
    code, out = finish(child)
    assert code == 0, out
    assert "Đã mở hồ sơ SA-2025-001 (hd02-2025)" in out


def excluded(child: pexpect.spawn) -> None:
    """One member temporarily transferred away, no other reason for not counting."""
    answer(child, "có nhập không? (có/không):", "có")
    for reason in ("exempt", "transferred", "suspended"):  # the order of excluded_reason in the procedure
        count = "1" if reason == "transferred" else ""
        answer(child, f"(ballot.excluded.{reason}) [số nguyên] [Enter: bỏ qua]:", count)


def many_answers(child: pexpect.spawn, members_total: str) -> None:
    answer(child, "[Enter: 2022-12-31]:", "2021-05-12")
    answer(child, "chọn số hoặc mã:", "OF-001")
    answer(child, "(resolution) [số hiệu văn bản]:", "NQ-02/2021")
    answer(child, "(ballot.members_total) [số nguyên]:", members_total)
    excluded(child)
    for part, value in (("present", "13"), ("for", "11"), ("against", "2")):
        answer(child, f"(ballot.{part}) [số nguyên]:", value)
    answer(child, "(ballot.invalid) [số nguyên] [Enter: bỏ qua]:", "0")
    answer(child, "(ballot.secret) [luôn là: có; Enter]:", "")
    answer(child, "chọn số hoặc mã:", "1")
    answer(child, "(note) [văn bản] [Enter: bỏ qua]:", "")


def test_after_many_answers_only_the_fields_in_error_are_asked_again(flagged: Path) -> None:
    """10 members in total cannot give 13 present: only the ballot is asked again, the rest is kept."""
    child = spawn(flagged, "record", CASE, "list_voted")
    many_answers(child, "10")
    shown = answer(child, "Trả lời lại các trường có lỗi (ballot)? (có/không):", "có")
    assert "VOTE-ARITHMETIC" in shown
    answer(child, "(ballot.members_total) [số nguyên]:", "15")
    excluded(child)
    for part, value in (("present", "13"), ("for", "11"), ("against", "2")):
        answer(child, f"(ballot.{part}) [số nguyên]:", value)
    answer(child, "(ballot.invalid) [số nguyên] [Enter: bỏ qua]:", "0")
    answer(child, "(ballot.secret) [luôn là: có; Enter]:", "")
    summary = answer(child, "Ghi bước này? (có/không):", "có")
    assert "resolution: NQ-02/2021" in summary and "members_total: 15" in summary
    code, out = finish(child)
    assert code == 0, out
    assert history(flagged)[-1]["ballot"]["members_total"] == 15


def test_refused_answers_are_kept_in_a_file_that_from_reads_back(flagged: Path) -> None:
    child = spawn(flagged, "record", CASE, "list_voted")
    many_answers(child, "10")
    answer(child, "Trả lời lại các trường có lỗi (ballot)? (có/không):", "không")
    code, out = finish(child)
    assert code == 1
    assert "không có gì được ghi" in out
    saved = Path(out.split("Các câu trả lời đã lưu ở ", 1)[1].split(";", 1)[0].strip())
    assert "resolution: NQ-02/2021" in saved.read_text()
    assert f"hoso record {CASE} list_voted --from {saved}" in " ".join(out.split())
    assert run_cli(["-C", str(flagged), "--today", TODAY, "record", CASE, "list_voted", "--from", str(saved),
                    "--set", "ballot.members_total=15", "--yes"]) == 0
    assert history(flagged)[-1]["resolution"] == "NQ-02/2021"


def test_a_terminal_that_hangs_up_mid_question_stops_the_step_without_a_crash(tmp_path: Path) -> None:
    """The officer's terminal goes away (an SSH link drops) while hoso waits for an answer: its read
    and its writes get EIO. That is the end of input, exit 1, nothing written; never an internal
    error with a crash log. The terminal here is not the process's controlling one, so no SIGHUP
    ends it first: the EIO path is the only one taken."""
    import pty
    import select

    repo = copy_demo(tmp_path / "repo", records=False)
    logs = tmp_path / "tmp"
    logs.mkdir()
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "hoso", "-C", str(repo), "new", "--unit", UNIT, "--member", MEMBER,
                             "--member-status", "full", "--today", "2025-03-04"],
                            stdin=slave, stdout=slave, stderr=slave, close_fds=True,
                            env={**os.environ, "TMPDIR": str(logs), "NO_COLOR": "1"})
    os.close(slave)
    seen = b""
    try:
        while b"[YYYY-MM-DD, Enter: 2025-03-04]:" not in seen:  # waits on the question, bounded only for a hang
            ready, _, _ = select.select([master], [], [], WAIT)
            assert ready, seen.decode(errors="replace")
            seen += os.read(master, 4096)
    finally:
        os.close(master)  # the hang-up
    assert proc.wait(timeout=WAIT) == 1
    assert not list(logs.glob("hoso-crash-*")), "a hang-up is not a crash"
    assert not (repo / "records").exists() or not list((repo / "records").rglob("*.yaml"))
