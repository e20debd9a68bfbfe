"""A small national-shaped repository (bench/national.py: provinces, named communes, sharded org
files) with the site's scaffold, and its site built once per test run by ``hoso site``."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, TODAY, load_yaml
from tests.site_util import HOOK, built_once

sys.path.insert(0, str(ROOT / "bench"))
import national  # noqa: E402  (the bench's generator: a fixture, not hoso)

PROVINCES, COMMUNES, CELLS, CASES = 3, 6, 1, 90
SCAFFOLD = ["mkdocs.yml", "mkdocs.en.yml", "docs", "overrides"]


def national_repo(dest: Path, cases: int = CASES) -> Path:
    """``PROVINCES`` provinces of ``COMMUNES`` communes each, ``cases`` cases, and what
    ``hoso site`` needs (the configurations, docs/, overrides/, the hook)."""
    national.generate_national(dest, cases, 2026, ROOT, provinces=PROVINCES, communes=COMMUNES, cells=CELLS)
    for name in SCAFFOLD:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, dest / name)
        else:
            shutil.copy(ROOT / name, dest / name)
    (dest / HOOK).parent.mkdir(parents=True)
    shutil.copy(ROOT / HOOK, dest / HOOK)
    return dest


def hoso_site(repo: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """One whole ``hoso site`` process (English messages). The machine key that signs the
    caches and the site's manifest is the repository's own, beside it (XDG_CACHE_HOME): a module's
    shared repository is built before a test's own home directory is set, and rebuilt after."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "XDG_CACHE_HOME": str(repo.parent / "xdg-cache")}
    return subprocess.run([sys.executable, "-m", "hoso", "-C", str(repo), "--lang", "en", "site", "--today", TODAY,
                           *extra], env=env, capture_output=True, text=True, timeout=900)


def communes(repo: Path) -> dict[str, str]:
    """Commune id → name, from the unit shards."""
    out: dict[str, str] = {}
    for shard in sorted((repo / "org" / "units").glob("*.yaml")):
        for u in load_yaml(shard.read_text(encoding="utf-8"))["units"]:
            if u["id"].count("/") == 1:
                out[u["id"]] = u["name"]
    return out


def built_national_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The national-shaped repository with its site built (site/, English in site/en/), once per
    run and shared by every worker."""
    def make(dest: Path) -> str:
        proc = hoso_site(national_repo(dest))
        assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
        return proc.stdout

    return built_once(tmp_path_factory, "national-site", make)
