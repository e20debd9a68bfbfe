"""Which MkDocs configuration ``hoso site`` builds with, and whether MkDocs is installed at all.

The project's own repository commits ``mkdocs.yml`` (and ``mkdocs.en.yml``), whose hook is the
code beside them. A data repository holds only records/, org/, procedures/, hoso.yaml and
docs/: it is built with hoso's default configuration (``hoso/site/default/``), filled in with
the repository's absolute paths and the hook of the installed hoso, written to a scratch
directory and never into the repository.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

PACKAGE = Path(__file__).resolve().parent
DEFAULTS = PACKAGE / "site" / "default"
HOOK = PACKAGE / "site" / "hook.py"
ROOT_ENV = "HOSO_SITE_ROOT"  # the repository the hook generates pages from
CONFIG = "mkdocs.yml"
CONFIG_EN = "mkdocs.en.yml"  # the English version, built into <site-dir>/en/
SITE_MODULES = ("mkdocs", "material")  # what `pip install 'hoso[site]'` brings


@dataclass(frozen=True)
class Build:
    config: Path  # relative to the repository when it is the repository's own
    subdir: str  # "" for the main site, "en" for the English one


def missing_site_modules() -> list[str]:
    return [m for m in SITE_MODULES if importlib.util.find_spec(m) is None]


def builds(root: Path, scratch: Path, name: str | None) -> list[Build]:
    """The repository's own configurations when it has a mkdocs.yml, else hoso's defaults."""
    if (root / CONFIG).is_file():
        own = [Build(Path(CONFIG), "")]
        return own + ([Build(Path(CONFIG_EN), "en")] if (root / CONFIG_EN).is_file() else [])
    docs = root / "docs"
    out = [Build(write_default(CONFIG, docs, scratch, name, english=(docs / "en").is_dir()), "")]
    if (docs / "en").is_dir():
        out.append(Build(write_default(CONFIG_EN, docs / "en", scratch, name, english=True), "en"))
    return out


def write_default(fname: str, docs: Path, scratch: Path, name: str | None, english: bool) -> Path:
    data: dict[str, Any] = yaml.safe_load((DEFAULTS / fname).read_text(encoding="utf-8"))
    data["docs_dir"] = str(docs)
    data["hooks"] = [str(HOOK)]
    data["nav"] = doc_pages(docs, skip="en") + data["nav"]
    if fname == CONFIG:
        data["site_name"] = name or data["site_name"]
        if not english:
            data["extra"].pop("alternate", None)
    path = scratch / fname
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def doc_pages(docs: Path, skip: str) -> list[str]:
    """Every Markdown page under docs/ (but the English ones), index.md first."""
    pages = sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*.md"))
    pages = [p for p in pages if not p.startswith(f"{skip}/")]
    return sorted(pages, key=lambda p: p != "index.md")
