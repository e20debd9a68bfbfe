"""Helpers for the site tests: the generated guide pages of a repository, and a site build."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from hoso.repository import WorkTree, load_context
from hoso.site import guides
from tests.conftest import ROOT, TODAY, copy_demo

GOLDEN = ROOT / "tests" / "golden" / "site"
HOOK = Path("tools/hoso/site/hook.py")


LANGS = ("vi", "en")


def guide_pages(lang: str = "vi", root: Path = ROOT, today: str = TODAY) -> dict[str, str]:
    repo = load_context(WorkTree(root), dt.date.fromisoformat(today))
    return guides.pages(repo.ctx, lang)


def site_repo(dest: Path) -> Path:
    """A copy of the demo with what the site build needs: mkdocs.yml, docs/ and the hook file."""
    copy_demo(dest)
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    shutil.copy(ROOT / "mkdocs.en.yml", dest / "mkdocs.en.yml")
    shutil.copytree(ROOT / "docs", dest / "docs")
    shutil.copytree(ROOT / "overrides", dest / "overrides")
    (dest / HOOK).parent.mkdir(parents=True)
    shutil.copy(ROOT / HOOK, dest / HOOK)
    return dest


_BUILT: dict[str, Path] = {}


def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo site, both languages (English in en/, as `hoso site` lays it out), built once per
    test session: the build tests and the browser tests share it."""
    if "vi" not in _BUILT:
        repo = site_repo(tmp_path_factory.mktemp("site") / "repo")
        proc = build(repo, repo / "site")
        assert proc.returncode == 0, proc.stderr
        proc = build(repo, repo / "site" / "en", "mkdocs.en.yml")
        assert proc.returncode == 0, proc.stderr
        _BUILT["vi"] = repo / "site"
    return _BUILT["vi"]


def build(repo: Path, out: Path, config: str = "mkdocs.yml") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HOSO_TODAY": TODAY, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", config, "-d", str(out)],
                          cwd=repo, env=env, capture_output=True, text=True, timeout=300)
