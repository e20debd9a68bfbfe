from __future__ import annotations

import json
from pathlib import Path

import pytest

from hoso.cli import main
from tests.conftest import ROOT, TODAY


def test_demo_records_validate_clean(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["-C", str(ROOT), "validate", "--today", TODAY, "--format", "json"])
    out = json.loads(capsys.readouterr().out)
    errors = [f for f in out["findings"] if f["severity"] == "error"]
    assert errors == []
    assert code == 0


def test_usage_error_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--today", "not-a-date"]) == 2
    assert "--today" in capsys.readouterr().err


def test_missing_directory_is_usage(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["-C", str(tmp_path / "nope"), "validate"]) == 2


def test_repository_settings_are_validated(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (demo / "hoso.yaml").write_text("name: x\nsynthetic: yes\nbogus: 1\n", encoding="utf-8")
    code = main(["-C", str(demo), "validate", "--today", TODAY, "--format", "json", "--no-cache"])
    found = {(f["file"], f["line"], f["rule"]) for f in json.loads(capsys.readouterr().out)["findings"]}
    assert ("hoso.yaml", 2, "SCHEMA-TYPE") in found and ("hoso.yaml", 3, "SCHEMA-UNKNOWN-KEY") in found
    assert code == 1
