"""The built demo site (both languages) in a real headless Chromium (Debian's package, driven by
Playwright), at a desktop width (1280 px) and a phone width (390 px).

What is measured: pages draw and load nothing from outside; tables scroll inside their box and
no column is cut off; diagram and chart text stays at 12 px or more (scrolling, not shrinking),
every edge label shows; a hidden bar is not a zero; the language switch keeps the page; 404 pages
link back into the site; the synthetic-data banner is on every kind of page; search finds words
typed without diacritics; WCAG AA contrast; the diagram's links by keyboard and by name;
lang="vi" on Vietnamese words of English pages; axe-core finds nothing serious.

The site is built once per run (tests/site_util.py) and served from 127.0.0.1 under the path of
hoso.yaml's site_url, as the host would serve it; the browser starts once per run of this module.
Every wait is for an event (a selector, a response, the search results), never a fixed time.
A failed test's page is kept as a screenshot in test-artifacts/ (every view a test names, with
HOSO_SCREENSHOTS=1).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import http.server
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from hoso.repository import WorkTree, load_context
from hoso.site.charts import grouped_bars
from hoso.site.diagram import layout
from tests.conftest import ROOT, TODAY
from tests.site_util import built_site

# Debian's chromium-headless-shell: Chromium's own headless build (the same Blink and V8 as the
# chromium package of its version; what Playwright runs for headless Chromium by default), without
# the desktop browser's processes. Measured on the same pages, back to back: launching 1.0 s of CPU
# against 2.5-3.6 s, a navigation 0.33 s against 0.53 s, the search worker's first index 1.7 s
# against 3.2-4.1 s.
CHROMIUM = Path("/usr/bin/chromium-headless-shell")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = ROOT / "test-artifacts"
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}
SLOW = 120_000  # ms: the longest any single event may take on a loaded two-core machine
SEARCH_SLOW = 300_000  # ms: the search worker indexing the whole site first (the national one is large)
STEP = "quy-trinh/hd02-2021/self_review/"
STEP_EN = "procedures/hd02-2021/self_review/"
OVERVIEW = "quy-trinh/hd02-2021/"
STATUS = "status/van-chan/"

# On a developer's machine without Chromium the browser tests are skipped; in CI (.ci/run
# installs Debian's chromium-headless-shell) a missing browser is a failure, never a silent skip.
pytestmark = pytest.mark.skipif(not CHROMIUM.exists() and not os.environ.get("CI"),
                                reason=f"Debian's chromium-headless-shell is not installed at {CHROMIUM} "
                                       "(apt-get install chromium-headless-shell; .ci/run does it)")


class _Site(http.server.SimpleHTTPRequestHandler):
    """The built site under a path prefix; a missing page gets the nearest 404.html, as a host
    that serves each language's 404 page would."""

    prefix = "/"
    root = Path()

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def translate_path(self, path: str) -> str:
        path = urlsplit(path).path
        if not path.startswith(self.prefix):
            return str(self.root / "__nowhere__")
        return super().translate_path("/" + path[len(self.prefix):])

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        if code != 404:
            super().send_error(code, message, explain)
            return
        en = urlsplit(self.path).path.startswith(self.prefix + "en/")
        body = (self.root / ("en/404.html" if en else "404.html")).read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built_site(tmp_path_factory)


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[str]:
    """The site's base URL, under the path of hoso.yaml's site_url (/ when it has none)."""
    settings = yaml.safe_load((site.parent / "hoso.yaml").read_text(encoding="utf-8")) or {}
    prefix = urlsplit(settings.get("site_url") or "/").path or "/"
    with serve_site(site, prefix) as url:
        yield url


@contextlib.contextmanager
def serve_site(site: Path, prefix: str = "/") -> Iterator[str]:
    """A built site on a loopback HTTP server, under ``prefix``; yields its base URL."""
    handler = type("Handler", (_Site,), {"prefix": prefix, "root": site})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)  # (shutdown: no 0.5 s wait)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}{prefix}"
    finally:
        httpd.shutdown()
        thread.join()


# Where Chromium sends every request not for loopback: a port nothing listens on, so a request to
# another host fails at once and is never fetched nor cached (Chromium never proxies loopback).
DEAD_PROXY = {"server": "http://127.0.0.1:9", "bypass": "127.0.0.1,localhost"}


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, proxy=DEAD_PROXY)
        yield b
        b.close()


# the module's pages by width, whether they search, and the script run before theirs (_open)
Pages = dict[tuple[str, bool, str], Any]


@pytest.fixture(scope="module")
def pages(browser: Any) -> Iterator[Pages]:
    """The module's pages: one per width, and per whether it loads the search worker. A test
    navigates its page first (``goto``), which replaces the whole document, its scripts and its
    focus; what a browser keeps across navigations (the HTTP cache, the theme's storage) was
    shared by a context's pages before, and the tests change none of it (no palette switch, no
    banner dismissed). A new page per test cost 0.35 s of Chromium's CPU to open and its first
    navigation twice a later one (measured: 1.0 s against 0.37 s for the step page): reusing the
    page took most of the browser tests' CPU away. A page that crashed or closed is made anew."""
    made: Pages = {}
    yield made
    for pg in made.values():
        pg.context.close()


# Stands in for the browser's Worker on the pages of tests that do not search: the theme's only
# worker is its search, which on every page load fetches the whole site's search index and builds
# it (measured: half of the browser's CPU per page, running on beside the next tests); nothing else
# on the page depends on it (the search box is drawn, hoso.js and the theme's other scripts run).
NO_WORKER = "window.Worker = class extends EventTarget { postMessage() {} terminate() {} };"


def _open(browser: Any, server: str, width: str, pages: Pages, search: bool,
          script: str = "") -> Any:
    """The module's page for ``width`` (``search``: with the theme's search worker; ``script``:
    run before the page's own scripts on every navigation, on a page of its own), its records
    emptied: ``outside`` collects every request not for the local server (Chromium sends it to a
    dead proxy, so it fails and is never cached; a listener, unlike a route, leaves the HTTP cache
    on and costs no round trip per request), ``failed`` every response of 400 or more."""
    key = (width, search, script)
    pg = pages.get(key)
    if pg is None or pg.is_closed():
        w, h = WIDTHS[width]
        context = browser.new_context(viewport={"width": w, "height": h})
        context.set_default_timeout(SLOW)
        if not search:
            context.add_init_script(NO_WORKER)
        if script:
            context.add_init_script(script)
        pg = pages[key] = context.new_page()
        local = urlsplit(server).netloc

        def record(request: Any) -> None:
            url = request.url
            if urlsplit(url).netloc != local and not url.startswith(("data:", "blob:")):
                pg.outside.append(url)

        pg.on("request", record)
        pg.on("response", lambda r: pg.failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    else:
        pg.mouse.move(0, 0)  # off whatever the last test hovered (the language menu opens on hover)
    pg.outside = []
    pg.failed = []
    pg.searches = search
    return pg


def searches(request: pytest.FixtureRequest) -> bool:
    """Whether the test searches (``@pytest.mark.search``): only its pages load the search worker."""
    return request.node.get_closest_marker("search") is not None


@pytest.fixture
def page(request: pytest.FixtureRequest, browser: Any, server: str, pages: Pages) -> Iterator[Any]:
    pg = _open(browser, server, "desktop", pages, search=searches(request))
    yield pg
    _ended(request, pg)


@pytest.fixture(params=list(WIDTHS))
def sized(request: pytest.FixtureRequest, browser: Any, server: str, pages: Pages) -> Iterator[Any]:
    """A page at each width in turn."""
    pg = _open(browser, server, request.param, pages, search=searches(request))
    pg.width_name = request.param
    yield pg
    _ended(request, pg)


# Screenshots: of a failed test's page always (test-artifacts/FAILED-<test>.png), of every view a
# test names with shot() when HOSO_SCREENSHOTS=1 (about 0.1-0.35 s of the browser's CPU each).
SCREENSHOTS = os.environ.get("HOSO_SCREENSHOTS") == "1"


def shot(pg: Any, name: str, full_page: bool = False) -> None:
    if SCREENSHOTS:
        ARTIFACTS.mkdir(exist_ok=True)
        suffix = getattr(pg, "width_name", "desktop")
        pg.screenshot(path=str(ARTIFACTS / f"{name}-{suffix}.png"), full_page=full_page)


def _ended(request: pytest.FixtureRequest, pg: Any) -> None:
    """The end of a test on ``pg``: a screenshot if the test failed; nothing loaded from outside."""
    if getattr(request.node, "failed_phase", None) and not pg.is_closed():
        ARTIFACTS.mkdir(exist_ok=True)
        name = "".join(c if c.isalnum() or c in "-_." else "_" for c in request.node.name)[:150]
        with contextlib.suppress(Exception):  # (a crashed page has nothing to show)
            pg.screenshot(path=str(ARTIFACTS / f"FAILED-{name}.png"), full_page=True)
    assert pg.outside == [], f"requests outside the local server: {pg.outside}"


def goto(pg: Any, url: str) -> None:
    """Open a page and wait until the theme's and hoso's scripts have run (html[data-hoso-ready])."""
    response = pg.goto(url)
    assert response is not None and response.status == 200, url
    pg.locator(".md-content h1").first.wait_for()
    pg.locator("html[data-hoso-ready]").wait_for(state="attached")


# ----------------------------------------------------------------------------- colour maths, in JS

COLOUR_JS = r"""
const parse = c => { const m = /rgba?\(([^)]+)\)/.exec(c); if (!m) return null;
  const p = m[1].split(/[\s,\/]+/).filter(Boolean).map(Number); return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]; };
const over = (f, b) => [0, 1, 2].map(i => f[i] * f[3] + b[i] * (1 - f[3])).concat([1]);
const background = el => { const layers = [];
  for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
    const c = parse(getComputedStyle(e).backgroundColor); if (c && c[3] > 0) layers.push(c); if (c && c[3] >= 1) break; }
  return layers.reverse().reduce((b, c) => over(c, b), [255, 255, 255, 1]); };
const lum = c => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
  return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]); };
const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)]; return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
const contrast = (colour, el) => { const bg = background(el); const c = parse(colour); return c ? ratio(over(c, bg), bg) : 0; };
"""


def contrasts(pg: Any, selector: str, prop: str) -> list[tuple[str, float]]:
    """(what, contrast ratio against what lies behind it) for each visible element matched."""
    return pg.evaluate(f"""sel => {{ {COLOUR_JS}
        return [...document.querySelectorAll(sel)].filter(e => e.getClientRects().length)
          .map(e => [(e.textContent || e.getAttribute('class') || e.tagName).trim().slice(0, 40),
                     contrast(getComputedStyle(e)['{prop}'], e.parentElement)]); }}""", selector)


# ----------------------------------------------------------------------------- pages draw


def test_home_page(sized: Any, server: str) -> None:
    goto(sized, server)
    assert "hoso" in sized.title()
    assert sized.locator(".md-nav__link").count() > 3
    assert sized.evaluate("document.documentElement.scrollWidth") <= WIDTHS[sized.width_name][0]
    shot(sized, "home", full_page=True)


def test_step_page_draws_its_diagram(page: Any, server: str) -> None:
    goto(page, server + STEP)
    diagram = page.locator("svg.hoso-diagram").first
    diagram.wait_for(state="visible")
    box = diagram.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 300
    assert page.locator("svg.hoso-diagram g.hoso-node").count() > 10
    assert page.locator("svg.hoso-diagram g.hoso-current rect").is_visible()
    # drawn with the diagram's own style (the theme's colours), not as black boxes
    fill = page.locator("svg.hoso-diagram g.hoso-node:not(.hoso-current) rect").first.evaluate("e => getComputedStyle(e).fill")
    assert fill not in ("rgb(0, 0, 0)", "none", ""), fill
    diagram.scroll_into_view_if_needed()
    shot(page, "step-diagram")


def _charts(page: Any) -> list[list[float]]:
    """Sizes of the drawings in the page's content (the theme's 24px icons are not charts)."""
    sizes = page.locator(".md-content svg, .md-content canvas, .md-content img").evaluate_all(
        "els => els.map(e => { const r = e.getBoundingClientRect(); return [r.width, r.height]; })")
    return [wh for wh in sizes if wh[0] > 100 and wh[1] > 50]


def test_status_page_shows_its_chart(page: Any, server: str) -> None:
    goto(page, server + "status/")
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
    goto(page, server + STATUS)
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


# ----------------------------------------------------------------------------- layout at both widths

TABLE_JS = """() => [...document.querySelectorAll('.md-content table')].map(t => {
    const wrap = t.closest('.md-typeset__scrollwrap');
    const cut = [...t.querySelectorAll('th, td')].filter(c => c.scrollWidth > c.clientWidth + 1).map(c => c.textContent.trim());
    return {wrapped: !!wrap, overflow: wrap ? getComputedStyle(wrap).overflowX : '',
            reach: wrap ? wrap.scrollWidth : 0, table: t.getBoundingClientRect().width,
            box: wrap ? wrap.clientWidth : 0, cut}; })"""


@pytest.mark.parametrize("path", [OVERVIEW, STEP, STATUS, "en/" + STEP_EN])
def test_tables_scroll_inside_their_box(sized: Any, server: str, path: str) -> None:
    goto(sized, server + path)
    sized.locator(".md-typeset__scrollwrap").first.wait_for(state="attached")  # the theme wraps tables by script
    width = WIDTHS[sized.width_name][0]
    assert sized.evaluate("document.documentElement.scrollWidth") <= width, "the page itself scrolls sideways"
    tables = sized.evaluate(TABLE_JS)
    assert tables, f"no table on {path}"
    for t in tables:
        assert t["wrapped"] and t["overflow"] in ("auto", "scroll"), t
        assert t["reach"] >= t["table"] - 1, f"the last columns cannot be scrolled to: {t}"
        assert t["cut"] == [], f"cell text cut off: {t['cut'][:5]}"
    if sized.width_name == "phone" and path == OVERVIEW:
        assert any(t["table"] > t["box"] for t in tables), "expected a wide table to scroll on a phone"
    wide = [i for i, t in enumerate(tables) if t["table"] > t["box"]]
    sized.locator(".md-typeset__scrollwrap").nth(wide[0] if wide else 0).scroll_into_view_if_needed()
    shot(sized, "tables-" + path.strip("/").replace("/", "-"))


DIAGRAM_JS = """() => {
    const svg = document.querySelector('svg.hoso-diagram');
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    const sizes = [...svg.querySelectorAll('text')].map(t => parseFloat(getComputedStyle(t).fontSize) * scale);
    const fig = svg.closest('.hoso-figure');
    return {smallest: Math.min(...sizes), scale, figure: [fig.scrollWidth, fig.clientWidth],
            overflow: getComputedStyle(fig).overflowX}; }"""

LABELS_JS = """() => {
    const svg = document.querySelector('svg.hoso-diagram');
    const vb = svg.viewBox.baseVal;
    const box = e => { const b = e.getBBox(); return [b.x, b.y, b.x + b.width, b.y + b.height]; };
    const hit = (p, q) => p[0] < q[2] && q[0] < p[2] && p[1] < q[3] && q[1] < p[3];
    const rects = [...svg.querySelectorAll('.hoso-node rect')].map(box);
    const labels = [...svg.querySelectorAll('text.hoso-edge-label')];
    return labels.map((l, i) => { const b = box(l);
        return {text: l.textContent, inside: b[0] >= vb.x && b[1] >= vb.y && b[2] <= vb.x + vb.width && b[3] <= vb.y + vb.height,
                onBox: rects.some(r => hit(b, r)),
                onLabel: labels.some((o, j) => j !== i && hit(b, box(o)))}; }); }"""


@pytest.mark.parametrize("path", [STEP, "en/" + STEP_EN, "quy-trinh/hd02-2025/"])
def test_diagram_text_stays_readable_and_scrolls(sized: Any, server: str, path: str) -> None:
    goto(sized, server + path)
    sized.locator("svg.hoso-diagram").first.wait_for(state="visible")
    m = sized.evaluate(DIAGRAM_JS)
    assert m["smallest"] >= 12 - 0.01, f"diagram text drawn at {m['smallest']:.1f} px"
    assert sized.evaluate("document.documentElement.scrollWidth") <= WIDTHS[sized.width_name][0]
    if sized.width_name == "phone":
        scroll, client = m["figure"]
        assert scroll > client and m["overflow"] in ("auto", "scroll"), m  # it scrolls rather than shrinks
    labels = sized.evaluate(LABELS_JS)
    assert len(labels) >= 5
    for lb in labels:
        assert lb["inside"] and not lb["onBox"] and not lb["onLabel"], lb
    # nothing is drawn over a label: the point at its middle belongs to the label itself
    for i in range(len(labels)):
        label = sized.locator("svg.hoso-diagram text.hoso-edge-label").nth(i)
        label.scroll_into_view_if_needed()
        assert label.evaluate("""l => { const r = l.getBoundingClientRect();
            const e = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
            return e === l || l.contains(e); }"""), labels[i]["text"]
    sized.locator(".hoso-figure").first.evaluate("f => { f.scrollLeft = 0; }")
    sized.locator("svg.hoso-diagram").first.scroll_into_view_if_needed()
    assert sized.locator("svg.hoso-diagram a").first.evaluate("a => getComputedStyle(a).textDecorationLine") == "none"
    shot(sized, "diagram-" + path.strip("/").replace("/", "-"))


def test_diagram_links_are_reached_by_keyboard_and_named_by_step(page: Any, server: str) -> None:
    goto(page, server + STEP)
    repo = load_context(WorkTree(ROOT), dt.date.fromisoformat(TODAY))
    proc = repo.ctx.procedures["hd02-2021"].proc
    nodes, loose = layout(proc, "vi")
    steps = {nd.name: nd.label for nd in nodes + loose if not nd.end}
    diagram = page.locator("svg.hoso-diagram").first
    links = diagram.get_by_role("link")  # exposed to assistive technology, not hidden inside an image
    assert links.count() == len(steps)
    names = set(links.evaluate_all("els => els.map(e => e.getAttribute('aria-label'))"))
    assert names == set(steps.values())
    # what a screen reader announces (the link targets, /url lines, are not spoken)
    snapshot = "\n".join(s for s in diagram.aria_snapshot().splitlines() if not s.strip().startswith("- /url"))
    for code in proc.events:
        assert code not in snapshot, f"the diagram announces the code {code}"
    # Tab from the paragraph before the diagram walks through every step's link
    page.locator(".md-content p a").first.focus()
    reached: list[str] = []
    for _ in range(len(steps) + 20):
        page.keyboard.press("Tab")
        inside = page.evaluate("""() => { const a = document.activeElement;
            return a && a.closest('svg.hoso-diagram') ? a.getAttribute('aria-label') : null; }""")
        if inside is None and reached:
            break
        if inside is not None:
            reached.append(inside)
    assert sorted(reached) == sorted(steps.values())
    assert page.locator("svg.hoso-diagram a[aria-current=page]").count() == 1


def _chart_page(pg: Any, server: str) -> None:
    """A page with the site's stylesheets and one chart with a hidden count and a zero."""
    html = grouped_bars("chart-t", "Số trường hợp theo năm", ["2023", "2024", "2025"],
                        [("Đưa vào danh sách", [5, None, 0]), ("Xóa tên", [0, 3, None])], "— : ô bị che", "ẩn")
    goto(pg, server + STATUS)
    pg.evaluate("html => { document.querySelector('.md-content article').insertAdjacentHTML('afterbegin', html); }", html)


CHART_JS = """sel => { const svg = document.querySelector(sel);
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    const sizes = [...svg.querySelectorAll('text')].map(t => parseFloat(getComputedStyle(t).fontSize) * scale);
    const fig = svg.closest('figure');
    const hidden = [...svg.querySelectorAll('rect.hoso-bar-hidden')].map(r => {
        const b = r.getBoundingClientRect(); return [b.height, getComputedStyle(r).fill, getComputedStyle(r).stroke]; });
    const zeros = [...svg.querySelectorAll('.hoso-v-zero')].map(t => t.textContent);
    return {smallest: Math.min(...sizes), figure: [fig.scrollWidth, fig.clientWidth], hidden, zeros,
            marks: [...svg.querySelectorAll('.hoso-v-hidden')].map(t => t.textContent)}; }"""


def test_chart_text_is_readable_and_a_hidden_bar_is_not_a_zero(sized: Any, server: str) -> None:
    _chart_page(sized, server)
    m = sized.evaluate(CHART_JS, "#chart-t svg")
    assert m["smallest"] >= 12 - 0.01, f"chart text drawn at {m['smallest']:.1f} px"
    assert sized.evaluate("document.documentElement.scrollWidth") <= WIDTHS[sized.width_name][0]
    assert len(m["hidden"]) == 2 and m["marks"] == ["—", "—"]
    for height, fill, stroke in m["hidden"]:
        assert height >= 10 and fill.startswith("url(") and stroke not in ("none", ""), (height, fill, stroke)
    assert m["zeros"] == ["0", "0"]  # a zero is a bare 0: no box, no hatching
    desc = sized.locator("#chart-t desc").text_content()
    assert "2024: Đưa vào danh sách ẩn" in desc
    sized.locator("#chart-t").scroll_into_view_if_needed()
    shot(sized, "chart-hidden-and-zero")
    for url in (server + STATUS, server + "en/" + STATUS):  # the published charts too
        goto(sized, url)
        for i in range(sized.locator(".md-content svg.hoso-chart-svg").count()):
            chart_id = sized.locator(".md-content figure.hoso-chart").nth(i).get_attribute("id")
            got = sized.evaluate(CHART_JS, f"#{chart_id} svg")
            assert got["smallest"] >= 12 - 0.01, (url, got)


def test_a_request_to_another_host_is_recorded_and_never_answered(browser: Any, server: str, pages: Pages) -> None:
    """The guard every browser test ends on: a page that asks another host (by name or by address)
    gets no answer, and the request is recorded, so the test that made it fails."""
    pg = _open(browser, server, "desktop", pages, search=False)
    goto(pg, server)
    outside = ["http://outside.example/x.js", "http://192.0.2.1/y.css"]
    answers = pg.evaluate("urls => Promise.all(urls.map(u => fetch(u).then(r => r.status, () => 'refused')))", outside)
    assert answers == ["refused", "refused"]
    assert pg.outside == outside
    pg.outside = []


# ----------------------------------------------------------------------------- navigation


@pytest.mark.parametrize(("start", "expected"), [
    ("", "en/"), (STEP, "en/" + STEP_EN), (STATUS, "en/" + STATUS), ("thuat-ngu/", "en/glossary/"),
    ("en/" + STEP_EN, STEP), ("en/glossary/", "thuat-ngu/"), ("en/" + STATUS, STATUS),
    ("muc-dich/", "en/"),  # no English page of its own: the English home page
])
def test_language_switch_goes_to_the_same_page(page: Any, server: str, start: str, expected: str) -> None:
    goto(page, server + start)
    other = "vi" if start.startswith("en/") else "en"
    page.locator(".md-header .md-select button").hover()
    link = page.locator(f".md-select__link[hreflang={other}]")
    link.wait_for(state="visible")
    with page.expect_navigation():
        link.click()
    page.locator(".md-content h1").first.wait_for()
    assert page.url == server + expected
    assert page.evaluate("document.documentElement.lang") == other


@pytest.mark.parametrize("missing", ["en/no/such/page/", "no/such/page/"])
def test_404_page_links_work(page: Any, server: str, missing: str) -> None:
    response = page.goto(server + missing)
    assert response is not None and response.status == 404
    page.locator(".md-content h1").first.wait_for()
    page.wait_for_load_state("load")
    failed = [f for f in page.failed if not f.endswith(missing)]
    assert failed == [], f"the 404 page's own files did not load: {failed}"
    hrefs = page.locator(".md-header a[href], .md-sidebar a[href], .md-content a[href], .md-footer a[href]").evaluate_all(
        "els => els.map(e => e.href)")
    local = sorted({h.split("#")[0] for h in hrefs if h.startswith(server)})
    assert len(local) >= 3
    for url in local:
        status = page.request.get(url).status
        assert status == 200, f"{url} from {missing}: {status}"
    nav = page.locator(".md-sidebar--primary a.md-nav__link[href]").evaluate_all("els => els.map(e => e.href)")
    if missing.startswith("en/"):
        assert nav and all(u.startswith(server + "en/") for u in nav), nav


@pytest.mark.parametrize("path", ["", STEP, OVERVIEW, "huong-dan-can-bo/", STATUS, "en/" + STEP_EN, "en/"])
def test_synthetic_banner_on_every_kind_of_page(page: Any, server: str, path: str) -> None:
    goto(page, server + path)
    banner = page.locator(".md-banner")
    assert banner.is_visible() and "Dữ liệu mô phỏng" in banner.inner_text()


@pytest.mark.search
@pytest.mark.parametrize("typed", ["kiểm điểm", "kiem diem"])
def test_search_finds_the_step_page_with_or_without_diacritics(sized: Any, server: str, typed: str) -> None:
    goto(sized, server)
    if sized.width_name == "phone":  # on a phone the search box opens from a button
        sized.locator("label.md-header__button[for=__search]").click()
    box = sized.locator("input.md-search__input")
    box.click()
    hrefs = search_hits(sized, box, typed)
    # on failure, what the theme showed beside the links (evaluated only when the assertion fails)
    assert any("/self_review/" in h for h in hrefs), (sized.evaluate(SHOWN_JS), hrefs)
    shot(sized, "search-" + typed.replace(" ", "-"))


# The theme's search worker made slow on one answer: its first answer (to the empty box, sent when
# the index is ready) is held back until the page sends its next search, or for 1 s at the latest;
# then it is shown alone for three frames, and the answers that came meanwhile follow it in order.
# Message types are the theme's (SearchMessageType: 2 a query, 3 a result).
LATE_EMPTY_ANSWER = """(() => {
  const Base = window.Worker;
  window.Worker = class extends Base {
    constructor(...args) {
      super(...args);
      const late = window.__hosoLate = { state: 'waiting' };
      const listeners = new Set();
      let queue = [];
      const deliver = ev => { for (const f of [...listeners]) f.call(this, ev); };
      const release = () => {
        if (late.state !== 'held') return;
        late.state = 'showing';
        setTimeout(() => {
          deliver(queue.shift());
          let frames = 3;
          const next = () => {
            if (--frames > 0) { requestAnimationFrame(next); return; }
            late.state = 'released';
            const rest = queue; queue = []; rest.forEach(deliver);
          };
          requestAnimationFrame(next);
        }, 0);
      };
      super.addEventListener('message', ev => {
        if (late.state === 'waiting' && ev.data && ev.data.type === 3) {
          late.state = 'held'; queue.push(ev); setTimeout(release, 1000); return;
        }
        if (late.state === 'held' || late.state === 'showing') { queue.push(ev); return; }
        deliver(ev);
      });
      this.__listeners = listeners;
      this.__release = release;
    }
    addEventListener(type, f, options) {
      if (type === 'message') this.__listeners.add(f); else super.addEventListener(type, f, options);
    }
    removeEventListener(type, f, options) {
      if (type === 'message') this.__listeners.delete(f); else super.removeEventListener(type, f, options);
    }
    postMessage(data, ...rest) {
      super.postMessage(data, ...rest);
      if (data && data.type === 2 && data.data !== '') this.__release();
    }
  };
})();"""


@pytest.mark.search
def test_search_waits_out_the_answer_to_the_empty_box(request: pytest.FixtureRequest, browser: Any, server: str,
                                                      pages: Pages) -> None:
    """The race behind one failed run in 28 (2 December 2026), made certain: the index is ready and
    the theme has searched the empty box; its answer comes only after the text is typed, and
    shows "nothing found" under it. search_hits waits it out and reads the text's own answer (a
    wait for any answer took that one: no link, with the step page shown a moment later)."""
    pg = _open(browser, server, "desktop", pages, search=True, script=LATE_EMPTY_ANSWER)
    goto(pg, server)
    box = pg.locator("input.md-search__input")
    box.click()
    pg.wait_for_function("() => window.__hosoLate.state === 'held'", timeout=SEARCH_SLOW)
    hrefs = search_hits(pg, box, "kiem diem")
    assert any("/self_review/" in h for h in hrefs), (pg.evaluate(SHOWN_JS), hrefs)
    assert pg.evaluate("window.__hosoLate.state") == "released"
    _ended(request, pg)


# ----------------------------------------------------------------------------- accessibility


def test_link_and_drawing_colours_reach_aa_contrast(page: Any, server: str) -> None:
    goto(page, server + STEP)
    texts = (contrasts(page, ".md-content a", "color") + contrasts(page, ".md-nav__link", "color")
             + contrasts(page, ".md-header__topic", "color") + contrasts(page, "text.hoso-edge-label, text.hoso-note", "fill")
             + contrasts(page, ".md-banner p", "color"))
    assert len(texts) > 20
    low = [t for t in texts if t[1] < 4.5]
    assert low == [], f"text below 4.5:1: {low[:10]}"
    graphics = (contrasts(page, "g.hoso-node rect", "stroke") + contrasts(page, "path.hoso-edge", "stroke")
                + contrasts(page, "g.hoso-current rect", "stroke"))
    _chart_page(page, server)
    graphics += contrasts(page, "#chart-t rect.hoso-bar", "fill") + contrasts(page, "#chart-t rect.hoso-bar-hidden", "stroke")
    graphics += contrasts(page, ".hoso-legend rect", "fill")
    assert len(graphics) > 20
    low = [g for g in graphics if g[1] < 3]
    assert low == [], f"graphics below 3:1: {low[:10]}"


VIETNAMESE_JS = r"""() => {
    const marked = /[ăâđêôơưĂÂĐÊÔƠƯ]/;
    const tone = /[\u0300\u0301\u0303\u0309\u0323]/;
    const out = [];
    const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
        const p = n.parentElement;
        if (!p || p.closest('script, style, title, desc, noscript')) continue;
        for (const word of n.textContent.split(/[^\p{L}\p{M}]+/u)) {
            if (!(marked.test(word) || tone.test(word.normalize('NFD')))) continue;
            const lang = p.closest('[lang]');
            if (!lang || lang.getAttribute('lang') !== 'vi') out.push(word + ' in ' + n.textContent.trim().slice(0, 60));
        }
    }
    return out; }"""


@pytest.mark.parametrize("path", ["en/", "en/glossary/", "en/" + STEP_EN, "en/procedures/hd02-2021/", "en/" + STATUS,
                                  "en/no/such/page/"])
def test_vietnamese_words_on_english_pages_carry_lang_vi(page: Any, server: str, path: str) -> None:
    page.goto(server + path)
    page.locator(".md-content h1").first.wait_for()
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.evaluate(VIETNAMESE_JS) == []
    assert page.locator("body [lang=vi]").count() > 0  # the banner's words at least


@pytest.mark.parametrize("path", ["", STEP, STATUS, "en/" + STEP_EN])
def test_axe_finds_no_serious_violation(sized: Any, server: str, path: str) -> None:
    axe = pytest.importorskip("axe_playwright_python.sync_playwright")
    goto(sized, server + path)
    results = axe.Axe().run(sized)
    serious = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
               for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], serious


# the theme's line above the results, compared with its own words for "nothing found" and for
# "type to start searching" (the page's translations, so the test reads either language)
META_JS = """(key) => {
  const t = JSON.parse(document.getElementById('__config').textContent).translations;
  const meta = document.querySelector('.md-search-result__meta');
  return meta !== null && meta.textContent.trim() === t[key];
}"""
ANSWERED_JS = f"""() => document.querySelector('.md-search-result__item a') !== null
                        || ({META_JS})('search.result.none')"""
IDLE_JS = f"""() => ({META_JS})('search.result.placeholder')"""


# the theme's result count line and the search box's text
SHOWN_JS = """() => [document.querySelector('.md-search-result__meta')?.textContent,
                     document.querySelector('input.md-search__input')?.value]"""


def search_hits(page: Any, box: Any, typed: str) -> list[str]:
    """The links of the search results for ``typed`` (an empty box, focused).

    The theme (mkdocs-material 9) sends the box's text to its search worker on ``keyup``, on
    focus, and once when the worker's index is ready; it shows each answer as it comes, under
    the text in the box *when the answer comes*, not the text it answered. So an answer to an
    earlier text that arrives after ``typed`` is in the box reads as an answer to ``typed``:

    - typed key by key, "kiểm đ" may be answered "nothing found" after "kiểm điểm" is typed
      (seen once in four runs);
    - the index ready, the theme searches the empty box; typed just then, its empty answer
      comes after and shows "nothing found" under ``typed`` (one full run in 28 on 2 December
      2026; replayed by test_search_waits_out_the_answer_to_the_empty_box).

    So: first wait until the theme says "type to start searching", which it says only on its
    answer to the empty box, once its index is ready; no search is then pending. Then put the
    whole text in the box at once and release one key (End) in it: one search, of the whole
    text. Then wait for its answer: a result, or the theme's "nothing found" line. The worker
    builds its index first, the slowest step of a page on a loaded machine: the waits are
    bounded by SEARCH_SLOW, a bound on failure, not a pause."""
    assert page.searches, "a test that searches is marked @pytest.mark.search (else its pages have no search worker)"
    assert box.input_value() == "", "search_hits types into an empty box"
    page.wait_for_function(IDLE_JS, timeout=SEARCH_SLOW)
    box.fill(typed)
    box.press("End")
    page.wait_for_function(ANSWERED_JS, timeout=SEARCH_SLOW)
    results = page.locator(".md-search-result__item a")
    hrefs: list[str] = results.evaluate_all("els => els.map(e => e.getAttribute('href'))")
    if hrefs:
        results.first.wait_for(state="visible", timeout=SLOW)  # the list is shown, not only filled
    return hrefs
