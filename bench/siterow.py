"""The site row of issue 14's table: ``hoso site`` on the national tree against a plain
mkdocs-material build of as many small pages with a short nav, measured in the same run, and a
rebuild after one new step against the full build. Used by bench/run.py (``--national``).

* floor: a plain MkDocs project (theme material, search, a ten-entry nav, the other pages under
  ``not_in_nav``) with as many pages as the hoso site has in both languages, one ``mkdocs build
  --strict`` process per language, the two processes' times added;
* ``hoso site --full``: one whole process (the records' validation answered by a warm cache, one
  replay, both languages, every page rendered);
* ``hoso site`` after one new step appended to one open case: the incremental rebuild (pages whose
  content did not change are neither rendered nor written), and how many pages it wrote.

Each is a whole process, its wall and CPU time and peak RSS (``wait4``).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

import rows

ROOT = Path(__file__).resolve().parent.parent
SCAFFOLD = ["mkdocs.yml", "mkdocs.en.yml", "docs", "overrides", "tools/hoso/site/hook.py"]
PLAIN_CONFIG = """site_name: plain
docs_dir: docs
strict: true
theme:
  name: material
  language: {lang}
  font: false
  features: [navigation.prune]
plugins:
  - search
nav:
{nav}
not_in_nav: |
  /p/
"""


def scaffold(repo: Path) -> None:
    """What the site build needs besides the data: the configurations, docs/ and the hook."""
    for name in SCAFFOLD:
        src, dst = ROOT / name, repo / name
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, dst, dirs_exist_ok=True)
        else:
            shutil.copy(src, dst)


def plain_project(where: Path, pages: int, lang: str) -> Path:
    """A plain mkdocs-material project of ``pages`` small pages, ten of them in the nav."""
    docs = where / "docs"
    (docs / "p").mkdir(parents=True)
    (docs / "index.md").write_text("# Trang chủ\n\nMột trang nhỏ.\n", encoding="utf-8")
    for i in range(1, pages):
        (docs / "p" / f"{i:05d}.md").write_text(f"# Trang {i}\n\nXã số {i}, một trang nhỏ không có số liệu.\n",
                                                encoding="utf-8")
    nav = "\n".join(["  - index.md"] + [f"  - p/{i:05d}.md" for i in range(1, min(pages, 10))])
    (where / "mkdocs.yml").write_text(PLAIN_CONFIG.format(lang=lang, nav=nav), encoding="utf-8")
    return where


def _build_plain(project: Path) -> tuple[float, float, float]:
    wall, cpu, rss, _ = rows._run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f",
                                   str(project / "mkdocs.yml"), "-d", str(project / "site")])
    return wall, cpu, rss


def _site(repo: Path, today: str, *extra: str) -> tuple[float, float, float, str]:
    exe = Path(sys.executable).with_name("hoso")
    cmd = [str(exe) if exe.exists() else sys.executable, *([] if exe.exists() else ["-m", "hoso"]),
           "-C", str(repo), "--lang", "en", "site", "--today", today, *extra]
    wall, cpu, rss, out = rows._run(cmd)
    if "built " not in out:
        raise SystemExit(f"hoso site failed in {repo}: {out[-2000:]}")
    return wall, cpu, rss, out.strip().splitlines()[-1]


def site_row(repo: Path, today: str) -> dict[str, Any]:
    rows.make_change(repo, today)  # branch `change`: one progress note on one open case (before the scaffold)
    scaffold(repo)
    rows._run([*rows_hoso(), "-C", str(repo), "validate", "--today", today])  # warm the validation cache
    full = _site(repo, today, "--full")
    pages = {"vi": _count(repo / "site", skip="en"), "en": _count(repo / "site" / "en")}
    rows._git(repo, "checkout", "-q", "change")
    try:
        again = _site(repo, today)
    finally:
        rows._git(repo, "checkout", "-q", "main")
    floor = {"wall": 0.0, "cpu": 0.0, "rss_mb": 0.0}
    with tempfile.TemporaryDirectory(prefix="hoso-plain-") as tmp:
        for lang, n in pages.items():
            wall, cpu, rss = _build_plain(plain_project(Path(tmp) / lang, n, lang))
            floor = {"wall": floor["wall"] + wall, "cpu": floor["cpu"] + cpu, "rss_mb": max(floor["rss_mb"], rss)}
    shutil.rmtree(repo / "site", ignore_errors=True)
    return {"pages": pages, "floor": floor,
            "full": {"wall": full[0], "cpu": full[1], "rss_mb": full[2], "said": full[3]},
            "rebuild": {"wall": again[0], "cpu": again[1], "rss_mb": again[2], "said": again[3]}}


def rows_hoso() -> list[str]:
    exe = Path(sys.executable).with_name("hoso")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "hoso"]


def _count(site: Path, skip: str = "") -> int:
    return sum(1 for p in site.rglob("index.html") if not (skip and p.relative_to(site).parts[0] == skip))
