"""The MkDocs hook: a thin layer that adds hoso's generated pages to the build as virtual files.

Named in ``mkdocs.yml`` under ``hooks:``. Everything it adds comes from
:func:`hoso.site.generate`; the pages are never written into ``docs/``. Under ``hoso site``
(:mod:`hoso.site.builder`) the pages were made once for every language before the builds start,
and a generated page the site already holds unchanged is left as it is (not rendered, not
written; its search entries are carried over from the previous index).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import secrets
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from hoso.repository import WorkTree, load_settings
from hoso.site import alternate, builder, diagram, generate, langmark, searchfold

log = logging.getLogger("mkdocs.plugins.hoso")
_pages: dict[str, str] = {}
_build: dict[str, Any] = {}  # this build's language, kept pages' URLs, page order, previous search index
_figures: dict[str, list[str]] = {}  # page → its diagrams, out of its Markdown until its HTML is made
_TOKEN = secrets.token_hex(8)  # names the places they wait in (never in the output)
STATUS_INDEX = "status/index.md"
STATUS_TITLE = {"vi": "Tình hình", "en": "Status"}


def today() -> dt.date:
    value = os.environ.get("HOSO_TODAY")
    return dt.date.fromisoformat(value) if value else dt.date.today()


def on_config(config: MkDocsConfig, **_: Any) -> MkDocsConfig:
    # `hoso site` names the repository: a data repository's config is hoso's default, elsewhere
    root = Path(os.environ.get("HOSO_SITE_ROOT") or Path(config.config_file_path).resolve().parent)
    lang = "en" if config.theme["language"] == "en" else "vi"
    prepared = builder.CURRENT
    if prepared is not None:
        root = prepared.root
    _pages.clear()
    _pages.update(prepared.pages[lang] if prepared is not None and lang in prepared.pages
                  else generate(root, today(), lang))
    _build.clear()
    _figures.clear()
    _build.update(lang=lang, kept=set(), order=[], index=None)
    settings = load_settings(WorkTree(root))[0]
    config.extra["hoso_synthetic"] = settings.synthetic
    if settings.site_url:  # this build's place below the site's address (the English one is en/)
        config.site_url = settings.site_url + str(config.extra.get("hoso_site_path", ""))
    log.info("hoso: %d generated pages (%s)", len(_pages), lang)
    nav = config.nav
    if STATUS_INDEX in _pages and isinstance(nav, list) and not any(STATUS_INDEX in str(item) for item in nav):
        nav.insert(max(len(nav) - 1, 0), {STATUS_TITLE[lang]: STATUS_INDEX})
    return config


class _Kept(File):
    """A generated page the site already holds as it is: MkDocs' dirty build neither renders nor
    writes it."""

    def is_modified(self) -> bool:
        return False


def on_files(files: Files, config: MkDocsConfig, **_: Any) -> Files:
    prepared = builder.CURRENT
    lang = _build.get("lang", "vi")
    previous = prepared.previous.get(lang, {}) if prepared is not None and prepared.incremental else {}
    rendered: list[str] = []
    kept: set[str] = set()
    for path, content in sorted(_pages.items()):
        existing = files.get_file_from_path(path)
        if existing is not None:
            log.warning("hoso: docs/%s is generated; remove the committed copy", path)
            files.remove(existing)
        file = File.generated(config, path, content=content)
        if previous.get(path) == builder.digest(content) and os.path.isfile(file.abs_dest_path):
            file = _Kept.generated(config, path, content=content)
            kept.add(path)
        else:
            rendered.append(path)
        files.append(file)
    for gone in sorted(set(previous) - set(_pages)):  # a unit that left the tree: its page goes
        Path(File.generated(config, gone, content="").abs_dest_path).unlink(missing_ok=True)
    if prepared is not None:
        prepared.rendered[lang], prepared.kept[lang] = rendered, kept
        prepared.removed[lang] = sorted(set(previous) - set(_pages))
        if prepared.incremental:  # the index this build will overwrite: kept pages' entries come from it
            _build["index"] = searchfold.read(Path(config.site_dir))
    return files


def on_env(env: Any, config: MkDocsConfig, files: Files, **_: Any) -> Any:
    """Which pages this build renders: in an incremental build, MkDocs leaves alone every page that
    is not modified (a kept generated page, or a hand-written page older than its HTML)."""
    _build["order"] = builder.page_order(files)
    if _build.get("index") is not None:
        _build["kept"] = {builder.search_url(f.url) for f in files.documentation_pages() if not f.is_modified()}
    return env


def on_page_context(context: dict[str, Any], page: Page, config: MkDocsConfig, **_: Any) -> dict[str, Any]:
    """The language switch of this page: the same page in the other language, where there is one."""
    context["hoso_alternate"] = alternate.links(page.url, list(config.extra.get("alternate") or []),
                                                str(config.theme["language"]))
    return context


def on_page_markdown(markdown: str, page: Page, **_: Any) -> str:
    """The page's diagrams wait outside its Markdown (:func:`hoso.site.diagram.lift`): the
    Markdown reader and the theme's search do not parse them (a sixth of a build's time)."""
    if page.file.src_uri not in _pages:  # (a hand-written page draws no diagram)
        return markdown
    text, figures = diagram.lift(markdown, _TOKEN)
    if figures:
        _figures[page.file.src_uri] = figures
    return text


def on_post_page(output: str, page: Page, config: MkDocsConfig, **_: Any) -> str:
    """The page's diagrams back in place; on an English page, Vietnamese words carry lang="vi"."""
    figures = _figures.pop(page.file.src_uri, None)
    if figures:
        output, lost = diagram.restore(output, _TOKEN, figures)
        if lost:  # (a warning: the strict build fails)
            log.warning("hoso: %d diagram(s) of %s found no place in its HTML", lost, page.file.src_uri)
    return langmark.mark(output) if config.theme["language"] == "en" else output


def on_post_template(output_content: str, template_name: str, config: MkDocsConfig, **_: Any) -> str:
    """The same for pages made from a template alone (404.html)."""
    return langmark.mark(output_content) if config.theme["language"] == "en" else output_content


@event_priority(-100)  # after the search plugin has written its index
def on_post_build(config: MkDocsConfig, **_: Any) -> None:
    old = _build.get("index")
    searchfold.rewrite(Path(config.site_dir), carried=(old, _build["kept"], _build["order"]) if old else None)
