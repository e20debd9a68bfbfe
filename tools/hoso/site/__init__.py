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

from hoso.repository import RECORDS, Repo, WorkTree, load_context
from hoso.site import guides, rules, status
from hoso.site.publish import Publication, build
from hoso.stats import CaseView, case_views
from hoso.validation import check_one

Pages = dict[str, str]  # docs-relative path -> content


def replay(repo: Repo, paths: Iterable[str]) -> list[CaseView]:
    """Every record replayed once, kept only as the small view the statistics read (a record's
    full result is dropped as soon as its view is taken: memory stays flat at the country's size)."""
    out: list[CaseView] = []
    for path in paths:
        out += case_views([check_one(path, repo.source.read(path), repo.ctx)])
    return out


def publication(repo: Repo) -> Publication:
    return build(replay(repo, repo.source.list(RECORDS)), repo.ctx.procedures, repo.ctx.today)


def generate_all(root: Path, today: dt.date, langs: Iterable[str] = ("vi", "en")) -> dict[str, Pages]:
    """Language → its generated pages, from one load of the repository and one replay."""
    repo = load_context(WorkTree(root), today)
    pub = publication(repo)
    exs = guides.all_examples(repo.ctx)
    out: dict[str, Pages] = {}
    for lang in langs:
        pages = guides.pages(repo.ctx, lang, exs)
        pages.update(rules.pages(lang))
        pages.update(status.pages_of(repo, pub, lang))
        out[lang] = pages
    return out


def generate(root: Path, today: dt.date, lang: str = "vi") -> Pages:
    """Docs-relative path → content of every generated page of the repository at ``root``."""
    return generate_all(root, today, (lang,))[lang]
