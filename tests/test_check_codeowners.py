"""hoso codeowners: .github/CODEOWNERS generated from the roster's maintainer role."""

from __future__ import annotations

from pathlib import Path

import pytest

from hoso.cli import main
from tests.conftest import ROOT, copy_demo


def test_committed_codeowners_is_current() -> None:
    assert main(["-C", str(ROOT), "codeowners", "--check", "--today", "2026-11-27"]) == 0


def test_generated_from_the_maintainer_role(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = copy_demo(tmp_path / "repo", records=False)
    f = repo / "org/officers.yaml"
    f.write_text(f.read_text(encoding="utf-8") + """\
  - id: OF-099
    login: Second-Maintainer
    roles:
      - {role: maintainer, unit: lao-cai, from: "2025-07-01"}
  - id: OF-098
    login: former-maintainer
    roles:
      - {role: maintainer, unit: van-chan, from: "2019-01-01", to: "2025-06-30"}
""", encoding="utf-8")
    assert main(["-C", str(repo), "codeowners", "--check", "--today", "2026-11-27"]) == 1
    assert main(["-C", str(repo), "codeowners", "--today", "2026-11-27"]) == 0
    text = (repo / ".github/CODEOWNERS").read_text(encoding="utf-8")
    lines = [x for x in text.splitlines() if not x.startswith("#")]
    assert lines == ["* @hoso-maintainer @Second-Maintainer", "/records/"]  # everything, but the cases
    assert "former-maintainer" not in text
    assert main(["-C", str(repo), "codeowners", "--check", "--today", "2026-11-27"]) == 0


def test_role_name_comes_from_settings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = copy_demo(tmp_path / "repo", records=False)
    (repo / "hoso.yaml").write_text("maintainer_role: btv\n", encoding="utf-8")
    assert main(["-C", str(repo), "codeowners", "--stdout", "--today", "2024-01-01"]) == 0
    out = capsys.readouterr().out
    assert "@huyen-btv-1 @huyen-btv-2 @huyen-btv-3" in out and "hoso-maintainer" not in out


def test_no_role_or_nobody_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = copy_demo(tmp_path / "repo", records=False)
    (repo / "hoso.yaml").write_text("synthetic: true\n", encoding="utf-8")
    assert main(["-C", str(repo), "codeowners", "--stdout"]) == 1
    (repo / "hoso.yaml").write_text("maintainer_role: nobody_has_this\n", encoding="utf-8")
    assert main(["-C", str(repo), "codeowners", "--stdout"]) == 1
    assert "nobody_has_this" in capsys.readouterr().err
