"""The result cache of hoso validate: a second run is answered from it with the very same
output, and anything a result depends on invalidates it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests import hoso_proc
from tests.conftest import TODAY, copy_demo


def validate(repo: Path, *extra: str, today: str = TODAY) -> tuple[int, dict[str, Any]]:
    proc = hoso_proc.run(["-C", str(repo), "validate", "--today", today, "--format", "json", "--stats",
                          "--lang", "en", *extra], capture_output=True, text=True)
    assert proc.returncode in (0, 1), proc.stderr
    return proc.returncode, json.loads(proc.stdout)


def cache_files(repo: Path) -> list[Path]:
    return sorted((repo / ".hoso-cache").glob("validate-*.json"))


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return copy_demo(tmp_path / "repo")


def a_record(repo: Path) -> Path:
    return sorted((repo / "records").rglob("*.yaml"))[0]


def test_second_run_is_answered_from_the_cache_with_identical_findings(repo: Path) -> None:
    # a record with findings too, so that cached findings are compared, not just silence
    rec = a_record(repo)
    rec.write_text(rec.read_text("utf-8").replace("member_status: full", "member_status: yes"), "utf-8")
    code1, first = validate(repo)
    code2, second = validate(repo)
    n = first["stats"]["records"]
    assert first["stats"]["cache"] == "cold" and first["stats"]["checked"] == n
    assert second["stats"]["cache"] == "warm" and second["stats"]["cached"] == n and second["stats"]["checked"] == 0
    assert code1 == code2 == 1
    assert first["findings"] and first["findings"] == second["findings"]
    assert first["summary"] == second["summary"]
    _, fresh = validate(repo, "--no-cache")
    assert fresh["findings"] == first["findings"] and fresh["stats"]["cache"] == "off"


def test_text_output_is_the_same_from_the_cache(repo: Path) -> None:
    rec = a_record(repo)
    rec.write_text(rec.read_text("utf-8") + "  - event: nonsense\n    date: \"2099-01-01\"\n", "utf-8")
    outs = [hoso_proc.run(["-C", str(repo), "validate", "--today", TODAY], capture_output=True, text=True)
            for _ in range(2)]
    assert outs[0].returncode == outs[1].returncode == 1
    assert outs[0].stdout == outs[1].stdout and "SCHEMA-UNKNOWN-EVENT" in outs[0].stdout


@pytest.mark.parametrize("change", ["procedure", "org", "settings", "today"])
def test_a_change_to_the_context_invalidates(repo: Path, change: str) -> None:
    validate(repo)
    today = TODAY
    if change == "today":
        today = "2026-11-28"
    else:
        p = repo / {"procedure": "procedures/hd02-2021.yaml", "org": "org/officers.yaml", "settings": "hoso.yaml"}[change]
        p.write_text(p.read_text("utf-8") + "\n# edited\n", "utf-8")
    _, after = validate(repo, today=today)
    assert after["stats"]["cache"] == "cold" and after["stats"]["cached"] == 0


def test_an_edited_record_is_checked_again(repo: Path) -> None:
    validate(repo)
    rec = a_record(repo)
    st = rec.stat()
    # same size, same mtime: only the bytes (and the ctime) say it changed
    rec.write_text(rec.read_text("utf-8").replace("member_status: full", "member_status: fuII", 1), "utf-8")
    os.utime(rec, ns=(st.st_atime_ns, st.st_mtime_ns))
    _, after = validate(repo)
    assert after["stats"]["checked"] == 1 and after["stats"]["cached"] == after["stats"]["records"] - 1
    assert any(f["rule"] == "SCHEMA-VALUE" and f["file"].endswith(rec.name) for f in after["findings"])


def test_a_record_with_changed_bytes_is_checked_again_even_with_its_old_stat(repo: Path) -> None:
    validate(repo)
    validate(repo)  # the second run records stats it can trust
    rec = a_record(repo)
    st = rec.stat()
    data = rec.read_bytes()
    rec.write_bytes(data.replace(b"DV-", b"DX-", 1))
    os.utime(rec, ns=(st.st_atime_ns, st.st_mtime_ns))
    _, after = validate(repo)
    assert after["stats"]["checked"] == 1  # ctime moved, so the stat did not match


def test_duplicate_case_ids_are_found_from_cached_headers(repo: Path) -> None:
    rec = a_record(repo)
    twin = rec.with_name("ZZ-" + rec.name)
    twin.write_bytes(rec.read_bytes())
    _, first = validate(repo)
    _, second = validate(repo)
    dup = [f for f in second["findings"] if f["rule"] == "REC-DUPLICATE-CASE"]
    assert dup and first["findings"] == second["findings"] and second["stats"]["checked"] == 0


@pytest.mark.parametrize("damage", ["garbage", "truncated", "forged", "empty"])
def test_a_corrupt_or_foreign_cache_is_ignored(repo: Path, damage: str) -> None:
    _, first = validate(repo)
    (cache,) = cache_files(repo)
    raw = cache.read_bytes()
    if damage == "garbage":
        cache.write_bytes(b"\x00\xffnot json at all")
    elif damage == "truncated":
        cache.write_bytes(raw[: len(raw) // 2])
    elif damage == "empty":
        cache.write_bytes(b"")
    else:  # a well-formed cache signed with another key (committed, or copied from elsewhere)
        mac, _, body = raw.partition(b"\n")
        doc = json.loads(body)
        for entry in doc["entries"].values():
            entry[3] = []  # "no findings" for every record
        cache.write_bytes(b"0" * len(mac) + b"\n" + json.dumps(doc).encode())
    code, second = validate(repo)
    assert second["stats"]["cache"] == "cold" and second["stats"]["cached"] == 0
    assert second["findings"] == first["findings"]
    _, third = validate(repo)
    assert third["stats"]["cache"] == "warm"  # rewritten whole


def test_an_unwritable_cache_costs_speed_not_results(repo: Path) -> None:
    (repo / ".hoso-cache").write_text("a file where the directory should be", "utf-8")
    proc = hoso_proc.run(["-C", str(repo), "validate", "--today", TODAY], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "cache not saved" in proc.stderr and "Traceback" not in proc.stderr


def test_no_cache_writes_nothing(repo: Path) -> None:
    validate(repo, "--no-cache")
    assert not (repo / ".hoso-cache").exists()


def test_parallel_and_serial_runs_agree(tmp_path: Path) -> None:
    """Enough files for two processes: the same findings, in the same order, as one process."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    import gen

    repo = tmp_path / "many"
    gen.generate(repo, 450, invalid=9)
    _, parallel = validate(repo, "--no-cache", "--jobs", "2")
    _, serial = validate(repo, "--no-cache", "--jobs", "1")
    assert parallel["stats"]["jobs"] == 2 and serial["stats"]["jobs"] == 1
    assert parallel["findings"] == serial["findings"]
    assert len({f["file"] for f in parallel["findings"]}) == 9


def test_validate_does_not_import_gitpython(repo: Path) -> None:
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "hoso", "-C", str(repo), "validate",
                           "--today", TODAY], capture_output=True, text=True)
    imported = {line.rsplit("|", 1)[-1].strip() for line in proc.stderr.splitlines() if "|" in line}
    assert "hoso.validation" in imported
    assert "git" not in imported
