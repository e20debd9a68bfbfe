"""The built demo site in a real headless Chromium (Debian's package, driven by Playwright):
the home page, a step page with its diagram drawn, a Vietnamese search, a status page with its
chart, and not one request outside the local server. Screenshots go to test-artifacts/."""

from __future__ import annotations

import functools
import http.server
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.conftest import ROOT
from tests.site_util import built_site

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = ROOT / "test-artifacts"

# On a developer's machine without Chromium the browser tests are skipped; in CI (.ci/run
# installs Debian's chromium) a missing browser is a failure, never a silent skip.
pytestmark = pytest.mark.skipif(not CHROMIUM.exists() and not os.environ.get("CI"),
                                reason="Debian's chromium is not installed at /usr/bin/chromium "
                                       "(apt-get install chromium; .ci/run does it)")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    site = built_site(tmp_path_factory)
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    thread.join()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any, server: str) -> Iterator[Any]:
    """A page whose every request is recorded; anything not for the local server is aborted."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    local = urlsplit(server).netloc
    pg.outside = []  # type: ignore[attr-defined]

    def guard(route: Any) -> None:
        url = route.request.url
        if urlsplit(url).netloc == local or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            pg.outside.append(url)
            route.abort()

    pg.route("**/*", guard)
    yield pg
    assert pg.outside == [], f"requests outside the local server: {pg.outside}"
    context.close()


def shot(pg: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)


def test_home_page(page: Any, server: str) -> None:
    page.goto(server)
    assert "hoso" in page.title()
    page.locator("h1").first.wait_for()
    assert page.locator(".md-nav__link").count() > 3
    shot(page, "home")


def test_step_page_draws_its_diagram(page: Any, server: str) -> None:
    page.goto(server + "quy-trinh/hd02-2021/self_review/")
    diagram = page.locator("svg.hoso-diagram").first
    diagram.wait_for(state="visible")
    box = diagram.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 300
    nodes = page.locator("svg.hoso-diagram g.hoso-node")
    assert nodes.count() > 10
    current = page.locator("svg.hoso-diagram g.hoso-current rect")
    assert current.is_visible()
    # drawn with the diagram's own style (the theme's colours), not as black boxes
    fill = page.locator("svg.hoso-diagram g.hoso-node:not(.hoso-current) rect").first.evaluate("e => getComputedStyle(e).fill")
    assert fill not in ("rgb(0, 0, 0)", "none", ""), fill
    diagram.scroll_into_view_if_needed()
    shot(page, "step-diagram")


def test_vietnamese_search_finds_the_step_page(page: Any, server: str) -> None:
    page.goto(server)
    box = page.locator("input.md-search__input")
    box.click()  # at desktop width the search box stands in the header
    box.fill("kiểm điểm")
    results = page.locator(".md-search-result__item a")
    results.first.wait_for(timeout=60000)  # the index is built in a worker: slow on a loaded machine
    hrefs = results.evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert any("/self_review/" in h for h in hrefs), hrefs
    shot(page, "search-kiem-diem")


def _charts(page: Any) -> list[list[float]]:
    """Sizes of the drawings in the page's content (the theme's 24px icons are not charts)."""
    sizes = page.locator(".md-content svg, .md-content canvas, .md-content img").evaluate_all(
        "els => els.map(e => { const r = e.getBoundingClientRect(); return [r.width, r.height]; })")
    return [wh for wh in sizes if wh[0] > 100 and wh[1] > 50]


def test_status_page_shows_its_chart(page: Any, server: str) -> None:
    response = page.goto(server + "status/")
    assert response is not None and response.status == 200
    if not _charts(page):  # the overview may be a table of units: follow the first unit's page
        links = page.locator(".md-content a[href]").evaluate_all("els => els.map(e => e.href)")
        sub = [u for u in links if u.startswith(server + "status/") and u.rstrip("/") != server + "status"]
        assert sub, "the status overview shows no chart and links to no unit page"
        page.goto(sub[0])
    assert _charts(page), f"no chart drawn on {page.url}"
    page.locator(".md-content svg").filter(has=page.locator("rect, path, line")).first.scroll_into_view_if_needed()
    shot(page, "status")


def test_van_chan_page_shows_the_article_figures(page: Any, server: str) -> None:
    """2021: 6 put on the help list; 2022: 6 put on the list and 5 taken off after progress."""
    response = page.goto(server + "status/van-chan/")
    assert response is not None and response.status == 200
    assert "Dữ liệu mô phỏng" in page.locator(".md-content").inner_text()
    table = page.locator(".md-content table").first
    headers = [h.strip() for h in table.locator("thead th").all_inner_texts()]
    rows = {cells[0].strip(): [c.strip() for c in cells]
            for cells in (r.locator("th, td").all_inner_texts() for r in table.locator("tbody tr").all())}
    listed = next(i for i, h in enumerate(headers) if h.startswith("Đưa vào danh sách"))
    progress = next(i for i, h in enumerate(headers) if h.startswith("Công nhận tiến bộ"))
    assert rows["2021"][listed] == "6"
    assert (rows["2022"][listed], rows["2022"][progress]) == ("6", "5")
    shot(page, "status-van-chan")
