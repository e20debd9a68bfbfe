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
