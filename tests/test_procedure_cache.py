"""A process that runs hoso more than once builds each procedure once, keyed by its bytes: the same
file gives the same compiled procedure, a changed byte gives a fresh one with its own findings."""

from __future__ import annotations

from pathlib import Path

import pytest

from hoso.repository import WorkTree, load_procedures
from tests.conftest import copy_demo


def test_the_same_bytes_give_the_same_compiled_procedure(tmp_path: Path) -> None:
    repo = copy_demo(tmp_path / "a")
    other = copy_demo(tmp_path / "b")
    first, _ = load_procedures(WorkTree(repo))
    again, _ = load_procedures(WorkTree(other))
    assert set(first) == {"hd02-2021", "hd02-2025", "hd02-2026"}
    assert all(again[pid] is first[pid] for pid in first)


def test_a_changed_file_is_read_again_and_judged_on_its_own(tmp_path: Path) -> None:
    repo = copy_demo(tmp_path / "a")
    before, findings = load_procedures(WorkTree(repo))
    assert not [f for f in findings if f.severity == "error"]
    path = repo / "procedures" / "hd02-2025.yaml"
    path.write_text(path.read_text("utf-8").replace("id: hd02-2025", "id: hd02-2024", 1), "utf-8")
    after, findings = load_procedures(WorkTree(repo))
    assert "hd02-2025" not in after and after["hd02-2021"] is before["hd02-2021"]
    assert [(f.file, f.rule) for f in findings if f.severity == "error"] == [("procedures/hd02-2025.yaml", "PROC-ID-FILE")]


def test_the_cache_can_be_turned_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = copy_demo(tmp_path / "a")
    first, _ = load_procedures(WorkTree(repo))
    monkeypatch.setenv("HOSO_NO_PROCEDURE_CACHE", "1")
    again, _ = load_procedures(WorkTree(repo))
    assert set(again) == set(first) and all(again[pid] is not first[pid] for pid in first)
