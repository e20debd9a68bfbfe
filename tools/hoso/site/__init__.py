"""The guidance site's pages, generated from hoso's data.

:func:`generate_all` builds every language's pages from **one** replay of the records: the
procedure guides, the rule pages and the status pages (whose figures come from one
:class:`~hoso.site.publish.Publication`). :func:`generate` is the one-language form the MkDocs
hook falls back on when it runs outside ``hoso site`` (``mkdocs serve``). Pages are keyed by
their docs-relative path; nothing generated is ever written into ``docs/``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from hoso.cache import Store
from hoso.repository import RECORDS, Repo, WorkTree, load_context
from hoso.site import guides, rules, status
from hoso.site.publish import Publication, build
from hoso.stats import CaseView, case_views
from hoso.summaries import context_findings, record_views, warm_store
from hoso.validation import check_one

Pages = dict[str, str]  # docs-relative path -> content
GUIDES_DIR = Path(".hoso-cache") / "site"


def replay(repo: Repo, paths: Iterable[str], store: Store | None = None) -> list[CaseView]:
    """Every record's view, the small part the statistics read: from the validate cache's
    summary where the record is unchanged since ``hoso validate`` (``store``), else replayed (a
    record's full result is dropped as soon as its view is taken: memory stays flat at the
    country's size)."""
    def one(path: str) -> Any:
        return check_one(path, repo.source.read(path), repo.ctx)

    return [r.view for r in record_views(repo, list(paths), store, one) if r.view is not None]


def publication(repo: Repo, store: Store | None = None) -> Publication:
    return build(replay(repo, repo.source.list(RECORDS), store), repo.ctx.procedures, repo.ctx.today)


def generate_all(root: Path, today: dt.date, langs: Iterable[str] = ("vi", "en")) -> dict[str, Pages]:
    """Language → its generated pages, from one load of the repository and one replay (both
    answered from the validate cache where it holds the context and the record unchanged)."""
    langs = list(langs)
    source = WorkTree(root)
    store = warm_store(source, today)
    # the context's findings are known: the organisation is read as the pages need it
    repo = load_context(source, today, lazy_org=context_findings(store) is not None)
    len(repo.ctx.org.units)  # every unit, once (a lookup first would read its province's roster too)
    pub = publication(repo, store)
    fixed = _fixed_pages(repo, store, langs)
    out: dict[str, Pages] = {}
    for lang in langs:
        pages = dict(fixed[lang])
        pages.update(status.pages_of(repo, pub, lang))
        out[lang] = pages
    return out


def _fixed_pages(repo: Repo, store: Store | None, langs: list[str]) -> dict[str, Pages]:
    """The guide and rule pages of every language: they depend on the procedures, the
    organisation, the settings, hoso's code and the day, all of which the validate cache's
    context fingerprint covers, so they are kept under it (signed like the cache) and made again
    only when it changes."""
    from hoso import cache

    where = root_of(repo) / GUIDES_DIR / f"guides-{store.fingerprint[:32]}.json" if store is not None else None
    kept = cache.read_signed(where) if where is not None else None
    if isinstance(kept, dict) and all(isinstance(kept.get(lang), dict) for lang in langs):
        return {lang: {str(k): str(v) for k, v in kept[lang].items()} for lang in langs}
    exs = guides.all_examples(repo.ctx)
    out: dict[str, Pages] = {}
    for lang in langs:
        out[lang] = guides.pages(repo.ctx, lang, exs)
        out[lang].update(rules.pages(lang))
    if where is not None:
        cache.write_signed(where, out)
        _prune(where.parent)
    return out


def _prune(directory: Path, keep: int = 4) -> None:
    """Only the newest few contexts' guide pages are kept."""
    files = sorted(directory.glob("guides-*.json"), key=lambda p: p.lstat().st_mtime_ns, reverse=True)
    for old in files[keep:]:
        old.unlink(missing_ok=True)


def root_of(repo: Repo) -> Path:
    assert isinstance(repo.source, WorkTree)
    return Path(repo.source.root)


def generate(root: Path, today: dt.date, lang: str = "vi") -> Pages:
    """Docs-relative path → content of every generated page of the repository at ``root``."""
    return generate_all(root, today, (lang,))[lang]
