""".pre-commit-hooks.yaml: valid for pre-commit, runs on the files hoso validates, and its entry
really refuses a broken record."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, TODAY, copy_demo

MANIFEST = ROOT / ".pre-commit-hooks.yaml"
RECORD = "records/van-chan/xa-a/chi-bo-thon-1/VC-2021-001.yaml"


def _hook() -> dict[str, object]:
    clientlib = pytest.importorskip("pre_commit.clientlib")
    (hook,) = clientlib.load_manifest(str(MANIFEST))  # pre-commit's own schema, defaults filled in
    assert isinstance(hook, dict)
    return hook


def test_manifest_is_valid_for_pre_commit() -> None:
    hook = _hook()
    assert hook["id"] == "hoso-validate" and hook["language"] == "python"
    assert hook["pass_filenames"] is False  # hoso validate takes no file names
    assert shlex.split(str(hook["entry"]))[:2] == ["hoso", "validate"]


def test_manifest_is_refused_when_broken(tmp_path: Path) -> None:
    """The schema check above can fail: a hook without an entry is refused."""
    clientlib = pytest.importorskip("pre_commit.clientlib")
    bad = tmp_path / ".pre-commit-hooks.yaml"
    bad.write_text("- id: x\n  name: x\n  language: python\n", encoding="utf-8")
    with pytest.raises(clientlib.InvalidManifestError):
        clientlib.load_manifest(str(bad))


@pytest.mark.parametrize(("path", "runs"), [
    (RECORD, True), ("org/officers.yaml", True), ("procedures/hd02-2025.yaml", True), ("hoso.yaml", True),
    ("docs/index.md", False), ("tools/hoso/cli.py", False), ("records/README.md", False),
])
def test_hook_runs_on_the_files_hoso_validates(path: str, runs: bool) -> None:
    hook = _hook()
    assert bool(re.search(str(hook["files"]), path)) is runs
    assert not re.search(str(hook["exclude"]), path)


def test_entry_refuses_a_broken_record(tmp_path: Path) -> None:
    repo = copy_demo(tmp_path / "repo")
    entry = shlex.split(str(_hook()["entry"]))
    entry[0] = str(Path(sys.executable).parent / entry[0])  # the hoso pre-commit would install
    args = [*entry, "--today", TODAY, "--lang", "en"]
    assert subprocess.run(args, cwd=repo, capture_output=True, text=True, timeout=300).returncode == 0
    path = repo / RECORD
    path.write_text(path.read_text(encoding="utf-8").replace("procedure: hd02-2021", "procedure: hd02-2021\ncolour: red"),
                    encoding="utf-8")
    proc = subprocess.run(args, cwd=repo, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert f"{RECORD}:5:1: error SCHEMA-UNKNOWN-KEY" in proc.stdout
