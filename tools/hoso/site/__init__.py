"""The guidance site's pages, generated from hoso's data.

:func:`generate` is the one entry point the MkDocs hook calls: plain functions from the
repository's procedures, organisation and records to Markdown (and any assets), keyed by the
docs-relative path. Nothing generated is ever written into ``docs/``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from hoso.repository import RECORDS, WorkTree, load_context
from hoso.site import guides, rules, status
from hoso.validation import check_records


def generate(root: Path, today: dt.date, lang: str = "vi") -> dict[str, str]:
    """Docs-relative path → content of every generated page of the repository at ``root``."""
    source = WorkTree(root)
    repo = load_context(source, today)
    pages = guides.pages(repo.ctx, lang)
    pages.update(rules.pages(lang))
    results = check_records(repo, source.list(RECORDS))
    pages.update(status.pages(repo, results, lang))
    return pages
