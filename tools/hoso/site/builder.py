"""``hoso site`` in one process: every language from one replay, pages rendered only when they change.

1. :func:`hoso.site.generate_all` loads the repository once, replays the records once and makes
   every language's pages.
2. Each language's MkDocs configuration is built **in this process** (``mkdocs.commands.build``),
   one after the other; the hook (:mod:`hoso.site.hook`) takes the pages made in step 1 from
   :data:`CURRENT` instead of making them again.
3. A manifest (``.hoso-cache/site/<site dir>.json``) records what the site directory holds: a
   fingerprint of everything a page's HTML depends on besides its own Markdown (hoso's site code,
   the MkDocs configurations, ``docs/``, ``overrides/``, ``hoso.yaml``, the versions of MkDocs and
   Material, the path of the site directory) and a digest of each generated page's Markdown.
   When the fingerprint is unchanged, the build is *incremental*: a generated page whose digest is
   unchanged and whose HTML is still there is neither rendered nor written (MkDocs' ``dirty``
   mode), a page that is gone is removed, and its entries in the search index are carried over
   from the previous index, so the result is the same as a full build's. Anything else changed
   (a hand-written page, the nav, a template, hoso itself), the build is full.

The manifest is removed before a build starts and written only after every language built, so an
interrupted build is followed by a full one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import yaml

from hoso.cache import read_signed, write_signed
from hoso.errors import HosoError
from hoso.messages import L
from hoso.site import Pages, generate_all
from hoso.siteconfig import PACKAGE, Build, builds

MANIFEST_DIR = Path(".hoso-cache") / "site"
DIRTY_WARNING = "A 'dirty' build is being performed"
FINGERPRINT_DIRS = ("docs", "overrides")
FINGERPRINT_FILES = ("hoso.yaml", "mkdocs.yml", "mkdocs.en.yml")


def digest(content: str | bytes) -> str:
    data = content.encode("utf-8") if isinstance(content, str) else content
    return hashlib.sha256(data).hexdigest()


@dataclass
class Prepared:
    """What the hook reads while ``hoso site`` builds: the pages, and what the site already holds."""

    root: Path
    today: dt.date
    pages: dict[str, Pages]  # language -> docs-relative path -> content
    previous: dict[str, dict[str, str]]  # language -> path -> digest the site holds ({}: full build)
    incremental: bool
    rendered: dict[str, list[str]] = field(default_factory=dict)  # language -> generated pages written
    kept: dict[str, set[str]] = field(default_factory=dict)  # language -> generated pages left as they were
    removed: dict[str, list[str]] = field(default_factory=dict)  # language -> pages that are gone

    def digests(self) -> dict[str, dict[str, str]]:
        return {lang: {p: digest(c) for p, c in pages.items()} for lang, pages in self.pages.items()}


CURRENT: Prepared | None = None  # set while `hoso site` builds; None under a plain `mkdocs build`


@dataclass
class Result:
    pages: int  # HTML pages in the site directory
    rendered: int  # generated pages rendered and written by this build
    kept: int  # generated pages left untouched
    incremental: bool


def lang_of(b: Build) -> str:
    return "en" if b.subdir == "en" else "vi"


def fingerprint(root: Path, configs: list[str], site_dir: Path) -> str:
    """A digest of everything but the generated Markdown that a page's HTML depends on."""
    h = hashlib.sha256()
    for dist in ("mkdocs", "mkdocs-material", "hoso"):
        try:
            h.update(f"{dist}={metadata.version(dist)}\n".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{dist}=?\n".encode())
    h.update(f"{sys.version_info[:2]}\n{site_dir.resolve()}\n".encode())
    for text in configs:
        h.update(digest(text).encode())
        for hook in _hooks(text):
            path = root / hook
            h.update(f"{hook}\0".encode() + (digest(path.read_bytes()) if path.is_file() else "-").encode())
    trees = [PACKAGE / "site", *(root / d for d in FINGERPRINT_DIRS)]
    for tree in trees:
        for path in sorted(p for p in tree.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            h.update(f"{path.relative_to(tree.parent)}\0".encode() + digest(path.read_bytes()).encode())
    for name in FINGERPRINT_FILES:
        path = root / name
        if path.is_file():
            h.update(f"{name}\0".encode() + digest(path.read_bytes()).encode())
    return h.hexdigest()


def _hooks(config_text: str) -> list[str]:
    """The hook files a configuration names (its other inputs are hashed whole)."""
    try:
        doc = yaml.safe_load(config_text)
    except yaml.YAMLError:
        return []
    hooks = doc.get("hooks") if isinstance(doc, dict) else None
    return [str(h) for h in hooks] if isinstance(hooks, list) else []


def manifest_path(root: Path, site_dir: Path) -> Path:
    return root / MANIFEST_DIR / (digest(str(site_dir.resolve()))[:16] + ".json")


def read_manifest(path: Path, print_: str) -> dict[str, dict[str, str]] | None:
    """The pages the site directory holds, when this machine built it with the same fingerprint.
    The manifest is signed with the machine key (as the validate cache is): one written by hand
    or committed to the repository, which would have a build keep pages it never made, is
    ignored, and the build is full."""
    doc = read_signed(path)
    if not isinstance(doc, dict) or doc.get("fingerprint") != print_ or not isinstance(doc.get("pages"), dict):
        return None
    return {str(k): dict(v) for k, v in doc["pages"].items() if isinstance(v, dict)}


def write_manifest(path: Path, print_: str, pages: dict[str, dict[str, str]]) -> None:
    write_signed(path, {"fingerprint": print_, "pages": pages})


def build_site(root: Path, site_dir: Path, today: dt.date, name: str | None, *, full: bool = False) -> Result:
    """Build every language of the site into ``site_dir`` (English in ``en/``)."""
    global CURRENT
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    site_dir = site_dir.resolve()
    with tempfile.TemporaryDirectory(prefix="hoso-site-") as scratch:
        plan = builds(root, Path(scratch), name)
        configs = [(root / b.config if not b.config.is_absolute() else b.config) for b in plan]
        texts = [c.read_text(encoding="utf-8").replace(scratch, "<scratch>") for c in configs]
        print_ = fingerprint(root, texts, site_dir)
        where = manifest_path(root, site_dir)
        previous = None if full else read_manifest(where, print_)
        where.unlink(missing_ok=True)
        pages = generate_all(root, today, [lang_of(b) for b in plan])
        CURRENT = Prepared(root, today, pages, previous or {}, previous is not None)
        try:
            for b, config in zip(plan, configs):
                out = site_dir / b.subdir if b.subdir else site_dir
                _mkdocs(config, out, CURRENT.incremental)
            done = CURRENT
        finally:
            CURRENT = None
    write_manifest(where, print_, done.digests())
    return Result(sum(1 for _ in site_dir.rglob("index.html")), sum(len(v) for v in done.rendered.values()),
                  sum(len(v) for v in done.kept.values()), done.incremental)


class _DropDirtyWarning(logging.Filter):
    """MkDocs warns that a dirty build may leave the navigation stale. Here it cannot: the build
    is incremental only while the fingerprint (the nav, the templates, every hand-written page)
    is unchanged, and only generated pages outside the nav are left as they were."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(DIRTY_WARNING)


@contextmanager
def _mkdocs_logging() -> Iterator[None]:
    """MkDocs' warnings and errors, printed to stderr as the mkdocs command would."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    mk = logging.getLogger("mkdocs")
    drop = _DropDirtyWarning()
    build_log = logging.getLogger("mkdocs.commands.build")
    mk.addHandler(handler)
    build_log.addFilter(drop)
    try:
        yield
    finally:
        mk.removeHandler(handler)
        build_log.removeFilter(drop)


def _mkdocs(config: Path, site_dir: Path, dirty: bool) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    with _mkdocs_logging():
        try:
            cfg = load_config(config_file=str(config), site_dir=str(site_dir), strict=True)
            cfg.plugins.on_startup(command="build", dirty=dirty)
            try:
                build(cfg, dirty=dirty)
            finally:
                cfg.plugins.on_shutdown()
        except (MkDocsException, OSError) as e:
            raise HosoError(L(f"mkdocs build --strict -f {config.name} thất bại: {e}",
                              f"mkdocs build --strict -f {config.name} failed: {e}")) from e


def page_order(files: Any) -> list[str]:
    """The site-relative URL of every page, in the order MkDocs builds them, as the search index
    writes it (the home page is ``""``, not ``./``)."""
    return [search_url(f.url) for f in files.documentation_pages()]


def search_url(url: str) -> str:
    return "" if url == "./" else url
