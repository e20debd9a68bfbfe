"""The national-shaped site (tests/national_util.py, built once per run) in a real headless
Chromium: a province's page lists its communes, a commune's page is reached from it and leads
back, and the search finds a commune by its name (typed with or without diacritics). The nav
stays the site's short one. Every wait is for an event, never a fixed time."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from hoso.site.searchfold import fold
from tests.national_util import built_national_site, communes
from tests.test_browser import browser, goto, page, pages, search_hits, serve_site  # noqa: F401 (fixtures)
from tests.test_browser import pytestmark as _browser_mark

pytestmark = _browser_mark


@pytest.fixture(scope="module")
def national(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built_national_site(tmp_path_factory)


@pytest.fixture(scope="module")
def server(national: Path) -> Iterator[str]:
    with serve_site(national / "site") as url:
        yield url


def _sidebar_links(pg: Any) -> int:
    return int(pg.locator(".md-sidebar--primary .md-nav__link").count())


def test_province_page_leads_to_a_commune_page_and_back(page: Any, server: str, national: Path) -> None:
    cid, name = next(iter(communes(national).items()))
    province = cid.split("/", 1)[0]
    goto(page, server + f"status/{province}/")
    link = page.locator(f".md-content a[href='{cid.split('/', 1)[1]}/']")
    assert link.inner_text() == name
    link.click()
    page.wait_for_url(server + f"status/{cid}/")
    page.locator("html[data-hoso-ready]").wait_for(state="attached")
    assert page.locator(".md-content h1").inner_text().rstrip("¶") == name
    assert page.locator(".md-content table").count() == 0  # no figure on a commune's page
    assert _sidebar_links(page) < 20  # the short nav, not one entry per commune
    page.locator(".md-content a[href='../']").first.click()
    page.wait_for_url(server + f"status/{province}/")


@pytest.mark.search
@pytest.mark.parametrize("folded", [False, True], ids=["as-written", "without-diacritics"])
def test_search_finds_a_commune_by_its_name(page: Any, server: str, national: Path, folded: bool) -> None:
    cid, name = list(communes(national).items())[-1]
    typed = name.split(" ", 2)[-1]  # "Đảng ủy Xã Hòa Tân" → "Xã Hòa Tân"
    typed = fold(typed).lower() if folded else typed
    goto(page, server)
    box = page.locator("input.md-search__input")
    box.click()
    hrefs = search_hits(page, box, typed)
    # (a commune's name may recur in other provinces, as in the country: each has its own page)
    target = next((h for h in hrefs if h.split("?", 1)[0].rstrip("/").endswith(f"status/{cid}")), None)
    assert target is not None, (typed, hrefs[:10])
    page.locator(f".md-search-result__item a[href='{target}']").first.click()
    page.wait_for_url(lambda url: urlsplit(url).path.endswith(f"/status/{cid}/"))  # (with the ?h= of the query)
    assert page.locator(".md-content h1").inner_text().rstrip("¶") == name
