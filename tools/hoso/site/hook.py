"""The MkDocs hook: a thin layer that adds hoso's generated pages to the build as virtual files.

Named in ``mkdocs.yml`` under ``hooks:``. Everything it adds comes from
:func:`hoso.site.generate`; the pages are never written into ``docs/``.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from hoso.repository import WorkTree, load_settings
from hoso.site import alternate, generate, langmark, searchfold

log = logging.getLogger("mkdocs.plugins.hoso")
_pages: dict[str, str] = {}
STATUS_INDEX = "status/index.md"
STATUS_TITLE = {"vi": "Tình hình", "en": "Status"}


def today() -> dt.date:
    value = os.environ.get("HOSO_TODAY")
    return dt.date.fromisoformat(value) if value else dt.date.today()


def on_config(config: MkDocsConfig, **_: Any) -> MkDocsConfig:
    # `hoso site` names the repository: a data repository's config is hoso's default, elsewhere
    root = Path(os.environ.get("HOSO_SITE_ROOT") or Path(config.config_file_path).resolve().parent)
    lang = "en" if config.theme["language"] == "en" else "vi"
    _pages.clear()
    _pages.update(generate(root, today(), lang))
    settings = load_settings(WorkTree(root))[0]
    config.extra["hoso_synthetic"] = settings.synthetic
    if settings.site_url:  # this build's place below the site's address (the English one is en/)
        config.site_url = settings.site_url + str(config.extra.get("hoso_site_path", ""))
    log.info("hoso: %d generated pages (%s)", len(_pages), lang)
    nav = config.nav
    if STATUS_INDEX in _pages and isinstance(nav, list) and not any(STATUS_INDEX in str(item) for item in nav):
        nav.insert(max(len(nav) - 1, 0), {STATUS_TITLE[lang]: STATUS_INDEX})
    return config


def on_files(files: Files, config: MkDocsConfig, **_: Any) -> Files:
    for path, content in sorted(_pages.items()):
        existing = files.get_file_from_path(path)
        if existing is not None:
            log.warning("hoso: docs/%s is generated; remove the committed copy", path)
            files.remove(existing)
        files.append(File.generated(config, path, content=content))
    return files


def on_page_context(context: dict[str, Any], page: Page, config: MkDocsConfig, **_: Any) -> dict[str, Any]:
    """The language switch of this page: the same page in the other language, where there is one."""
    context["hoso_alternate"] = alternate.links(page.url, list(config.extra.get("alternate") or []),
                                                str(config.theme["language"]))
    return context


def on_post_page(output: str, page: Page, config: MkDocsConfig, **_: Any) -> str:
    """On an English page, Vietnamese words carry lang="vi"."""
    return langmark.mark(output) if config.theme["language"] == "en" else output


def on_post_template(output_content: str, template_name: str, config: MkDocsConfig, **_: Any) -> str:
    """The same for pages made from a template alone (404.html)."""
    return langmark.mark(output_content) if config.theme["language"] == "en" else output_content


@event_priority(-100)  # after the search plugin has written its index
def on_post_build(config: MkDocsConfig, **_: Any) -> None:
    searchfold.rewrite(Path(config.site_dir))
