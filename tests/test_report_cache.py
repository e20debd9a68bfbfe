"""hoso report from the validate cache: a case unchanged since ``hoso validate`` is counted from
the summary kept beside its cache entry (hoso.summaries), any other is replayed. The output is the
same byte for byte as a run without a cache; a summary is never used across a change of the
case, the organisation, a procedure or the day; a cache that was not made on this machine for
these exact bytes (one committed to the repository, or edited) is never used at all."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import ROOT, TODAY, copy_demo, git
from tests.pr_util import hoso as in_process

HOSO = [sys.executable, "-m", "hoso"]
CALLS = [("--year", "2022"), ("--year", "2026", "--format", "json"), ("--year", "2021", "--unit", "van-chan", "--format", "csv"),
         ("--year", "2025", "--format", "md", "--lang", "en")]


def hoso(repo: Path, *args: str, today: str = TODAY) -> tuple[int, str, str]:
    """The command line in this process (a child's start-up costs more than most of these runs);
    ``hoso_process`` runs it as a real child, for the test that the two agree."""
    return in_process(repo, *args, "--today", today)


def hoso_process(repo: Path, *args: str, today: str = TODAY) -> tuple[int, str, str]:
    proc = subprocess.run([*HOSO, "-C", str(repo), *args, "--today", today], capture_output=True, text=True)
    return proc.returncode, proc.stdout, proc.stderr


def report(repo: Path, *args: str, today: str = TODAY) -> tuple[int, str, str]:
    return hoso(repo, "report", *args, today=today)


def cold(repo: Path, *args: str, today: str = TODAY) -> tuple[int, str, str]:
    """The report with no cache at all."""
    shutil.rmtree(repo / ".hoso-cache", ignore_errors=True)
    return report(repo, *args, today=today)


def warm(repo: Path, today: str = TODAY) -> None:
    code, _, err = hoso(repo, "validate", today=today)
    assert code in (0, 1), err
    assert cache_file(repo) is not None


def cache_file(repo: Path) -> Path | None:
    """The newest context's summaries file (beside its result cache)."""
    files = sorted((repo / ".hoso-cache").glob("summaries-*.json"), key=lambda p: p.stat().st_mtime_ns)
    return files[-1] if files else None


def doctor(repo: Path, change: Callable[[str, list[object]], None], key: bytes | None) -> None:
    """Edit every entry of the summaries file; sign it again with ``key`` (None: leave the old signature)."""
    path = cache_file(repo)
    assert path is not None
    mac, _, body = path.read_bytes().partition(b"\n")
    doc = json.loads(body)
    for p, entry in doc["entries"].items():
        change(p, entry)
    body = json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode()
    if key is not None:
        mac = hmac.new(key, body, "sha256").hexdigest().encode()
    path.write_bytes(mac + b"\n" + body)


def machine_key() -> bytes:
    return (Path(os.environ["HOME"]) / ".cache" / "hoso" / "cache-key").read_bytes()


def nothing_parsed(_path: str, entry: list[object]) -> None:
    entry[1] = "[null,null]"  # as if the file had not parsed: it counts for nothing


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    return copy_demo(tmp_path / "repo")


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    sys.path.insert(0, str(ROOT / "bench"))
    import gen

    repo = tmp_path_factory.mktemp("gen") / "repo"
    gen.generate(repo, 120, invalid=4)
    return repo


def test_warm_equals_cold_on_the_demo(demo: Path) -> None:
    before = [cold(demo, *c) for c in CALLS]
    warm(demo)
    after = [report(demo, *c) for c in CALLS]
    assert before == after
    assert any(out.strip() for _, out, _ in before)
    # the same answer from a real child process, whose cache and procedures are read afresh
    assert [hoso_process(demo, "report", *c) for c in CALLS] == after


def test_warm_equals_cold_on_a_generated_tree_with_broken_files(generated: Path, tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(generated, repo)
    calls = [("--year", "2022"), ("--year", "2026", "--format", "json"), ("--year", "2026", "--unit", "lao-cai")]
    before = [cold(repo, *c) for c in calls]
    assert "lỗi" in before[0][2]  # the planted broken files are counted in the note
    warm(repo)
    assert [report(repo, *c) for c in calls] == before


def test_validate_after_a_change_keeps_every_summary(demo: Path) -> None:
    """A warm run that checks one changed record writes the summaries file again: the changed
    record's new summary, and the summaries of the records the cache answered, carried over."""
    warm(demo)
    records = sorted(p.relative_to(demo).as_posix() for p in (demo / "records").rglob("*.yaml"))
    path = cache_file(demo)
    assert path is not None
    assert sorted(json.loads(path.read_bytes().partition(b"\n")[2])["entries"]) == records
    rec = demo / "records" / "van-chan" / "xa-a" / "chi-bo-thon-2" / "VC-2022-002.yaml"
    rec.write_text(rec.read_text("utf-8") + "\n", "utf-8")
    warm(demo)
    entries = json.loads(path.read_bytes().partition(b"\n")[2])["entries"]
    assert sorted(entries) == records
    assert entries[rec.relative_to(demo).as_posix()][0] == hashlib.sha256(
        rec.relative_to(demo).as_posix().encode() + b"\0" + rec.read_bytes()).hexdigest()


def test_a_fresh_summary_is_used_and_a_stale_one_is_not(demo: Path) -> None:
    """The proof that summaries are read: a summary changed under a valid signature changes the
    answer; then each change of context, and an edit of the case, brings the true answer back."""
    args = ("--year", "2022", "--format", "json")
    truth = cold(demo, *args)
    warm(demo)
    doctor(demo, nothing_parsed, machine_key())
    doctored = report(demo, *args)
    assert doctored != truth  # the cache was read: every case counted for nothing
    # an edited case is replayed (it counts again), the others still come from the cache
    rec = demo / "records" / "van-chan" / "xa-a" / "chi-bo-thon-2" / "VC-2022-002.yaml"
    rec.write_text(rec.read_text("utf-8") + "\n", "utf-8")
    assert report(demo, *args) not in (truth, doctored)
    for rec in (demo / "records").rglob("*.yaml"):  # every case edited: every one is replayed
        rec.write_text(rec.read_text("utf-8") + "\n", "utf-8")
    assert report(demo, *args) == truth


@pytest.mark.parametrize("change", ["org", "procedure", "settings", "today"])
def test_a_summary_is_never_used_across_a_change_of_context(demo: Path, change: str) -> None:
    args = ("--year", "2022", "--format", "json")
    warm(demo)
    doctor(demo, nothing_parsed, machine_key())
    assert report(demo, *args) != cold_copy(demo, *args)  # the doctored cache is read as it stands
    today = TODAY
    if change == "org":
        path = demo / "org" / "units.yaml"
        path.write_text(path.read_text("utf-8") + "\n# edited\n", "utf-8")
    elif change == "procedure":
        path = sorted((demo / "procedures").glob("*.yaml"))[0]
        path.write_text(path.read_text("utf-8") + "\n# edited\n", "utf-8")
    elif change == "settings":
        path = demo / "hoso.yaml"
        path.write_text(path.read_text("utf-8") + "\n# edited\n", "utf-8")
    else:
        today = "2026-11-28"
    assert report(demo, *args, today=today) == cold_copy(demo, *args, today=today)


def cold_copy(repo: Path, *args: str, today: str = TODAY) -> tuple[int, str, str]:
    """The cold answer for ``repo`` as it stands, from a copy (the repository's cache is kept)."""
    copy = repo.parent / "cold-copy"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(repo, copy, ignore=shutil.ignore_patterns(".hoso-cache"))
    out = report(copy, *args, today=today)
    shutil.rmtree(copy)
    return out


@pytest.mark.parametrize("how", ["unsigned", "foreign-key", "committed"])
def test_a_planted_cache_does_not_change_the_answer(demo: Path, how: str, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """An officer who writes or commits a doctored .hoso-cache/ cannot change the report: the
    cache is signed with a key kept outside the repository, and git ignores the folder."""
    args = ("--year", "2022", "--format", "json")
    truth = cold(demo, *args)
    warm(demo)
    if how == "unsigned":
        doctor(demo, nothing_parsed, None)  # edited, signature left as it was
    elif how == "foreign-key":
        doctor(demo, nothing_parsed, hashlib.sha256(b"another machine").digest())
    else:
        # made and doctored on the officer's machine, committed, checked out elsewhere
        doctor(demo, nothing_parsed, machine_key())
        git(demo, "init", "-q")
        assert git(demo, "status", "--porcelain", "--ignored", ".hoso-cache").startswith("!!")  # ignored by git
        git(demo, "add", "-A")
        git(demo, "add", "-f", ".hoso-cache")
        git(demo, "commit", "-q", "-m", "records and a doctored cache")
        clone = tmp_path / "clone"
        git(tmp_path, "clone", "-q", str(demo), str(clone))
        assert cache_file(clone) is not None  # the doctored file is there, forced into the commit
        monkeypatch.setenv("HOME", str(tmp_path / "other-home"))  # another machine: another key
        assert report(clone, *args) == truth
        return
    assert report(demo, *args) == truth


@pytest.mark.parametrize("tree", ["demo", "generated"])
def test_a_summary_decodes_to_the_view_it_was_made_from(tree: str, demo: Path, generated: Path) -> None:
    """Every field the counts read (steps, their units, stages, procedures, late flags, days and
    time rules; the case's stage, unit and flags) survives the compact encoding, on every record."""
    import datetime as dt

    from hoso.repository import RECORDS, WorkTree, load_context
    from hoso.stats import case_views
    from hoso.summaries import decode, encode
    from hoso.validation import check_one

    root = demo if tree == "demo" else generated
    repo = load_context(WorkTree(root), dt.date.fromisoformat(TODAY))
    seen = {"moved": 0, "late": 0, "timed": 0}
    for path in repo.source.list(RECORDS):
        r = check_one(path, repo.source.read(path), repo.ctx)
        views = case_views([r])
        unit, view = decode(encode(r.result), repo.ctx.procedures)
        assert unit == (r.result.header.unit if r.result is not None and r.result.header is not None else None)
        assert view == (views[0] if views else None), path
        for s in views[0].steps if views else []:
            seen["moved"] += s.unit != s.unit_after
            seen["late"] += s.late
            seen["timed"] += s.target is not None
    assert all(seen.values()) or tree == "generated", seen  # the demo has each kind of step
