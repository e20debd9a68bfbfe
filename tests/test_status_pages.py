"""The status pages: which pages, the article's figures, the banner, charts, both languages."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from xml.etree import ElementTree

import markdown
import pytest

from hoso.repository import RecordResult, Repo, WorkTree, load_context
from hoso.site.publish import audit
from hoso.site.status import page_path, pages, publication
from hoso.validation import validate
from tests.conftest import copy_demo
from tests.status_util import article_records

TODAY = dt.date(2026, 11, 27)
BANNER = "Dữ liệu mô phỏng — synthetic demo data"


def load(root: Path) -> tuple[Repo, list[RecordResult]]:
    _, results = validate(WorkTree(root), TODAY)
    return load_context(WorkTree(root), TODAY), results


@pytest.fixture(scope="module")
def article(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_demo(tmp_path_factory.mktemp("pages") / "repo", records=False)
    article_records(root)
    return root


def table_after(md: str, heading: str) -> list[list[str]]:
    """The first Markdown table after a heading, as rows of stripped cells (header first)."""
    tail = md[md.index(heading):]
    lines = [ln for ln in tail.splitlines() if ln.startswith("|")]
    block: list[str] = []
    for ln in tail.splitlines()[1:]:
        if ln.startswith("|"):
            block.append(ln)
        elif block:
            break
    assert lines
    return [[c.strip() for c in ln.strip("|").split("|")] for ln in block if not ln.startswith("| ---")]


def test_pages_for_the_index_and_every_unit_with_cases(article: Path) -> None:
    repo, results = load(article)
    out = pages(repo, results, "vi")
    assert "status/index.md" in out
    assert page_path("van-chan") == "status/van-chan.md" in out
    assert "status/van-chan-xa-a-chi-bo-thon-1.md" in out
    assert "status/lao-cai-xa-son-a.md" in out
    assert "status/lao-cai-xa-son-c.md" not in out  # never held a case
    assert all(BANNER in text for text in out.values())


def test_van_chan_shows_the_articles_figures(article: Path) -> None:
    repo, results = load(article)
    md = pages(repo, results, "vi")["status/van-chan.md"]
    rows = table_after(md, "## Số trường hợp theo năm")
    header, body = rows[0], {r[0]: r for r in rows[1:]}
    listed, progress = header.index("Đưa vào danh sách giúp đỡ"), header.index("Công nhận tiến bộ, đưa ra khỏi danh sách")
    assert body["2021"][listed] == "6"
    assert (body["2022"][listed], body["2022"][progress]) == ("6", "5")
    assert "2025" in body  # the case listed before the reorganisation stays with Văn Chấn


def test_charts_are_inline_svg_with_title_and_numbers(article: Path) -> None:
    repo, results = load(article)
    md = pages(repo, results, "en")["status/van-chan.md"]
    html = markdown.markdown(md, extensions=["tables"])
    figure = re.search(r"<figure class=\"hoso-chart\".*?</figure>", html, re.S)
    assert figure is not None
    root = ElementTree.fromstring(figure.group(0))
    ns = "{http://www.w3.org/2000/svg}"
    svg = root.find(f"{ns}svg")
    assert svg is not None and svg.get("role") == "img"
    assert "Cases per year" in (svg.findtext(f"{ns}title") or "")
    assert "2022: " in (svg.findtext(f"{ns}desc") or "")
    values = [t.text for t in svg.iter(f"{ns}text") if t.get("class") == "hoso-v"]
    assert "6" in values and "5" in values
    assert "<script" not in md and "http://" not in md.replace("http://www.w3.org/2000/svg", "")


def test_english_pages_and_no_banner_without_synthetic(article: Path, tmp_path: Path) -> None:
    repo, results = load(article)
    md = pages(repo, results, "en")["status/van-chan.md"]
    assert "Put on the help list" in md and "## Open cases by stage" in md
    (article / "hoso.yaml").write_text("name: real\nsynthetic: false\n", encoding="utf-8")
    try:
        repo, results = load(article)
        assert all(BANNER not in text for text in pages(repo, results, "vi").values())
    finally:
        (article / "hoso.yaml").write_text("synthetic: true\n", encoding="utf-8")


def test_the_publication_passes_its_own_audit(article: Path) -> None:
    repo, results = load(article)
    pub = publication(repo, results)
    small, leaks = audit(pub)
    assert small == [] and leaks == set()
    assert pub.hidden  # the fixture has small cells: something must be hidden


def test_a_repository_without_records(tmp_path: Path) -> None:
    root = copy_demo(tmp_path / "repo", records=False)
    repo, results = load(root)
    out = pages(repo, results, "vi")
    assert list(out) == ["status/index.md"]
    assert "Chưa có số liệu" in out["status/index.md"]


def test_the_demo_shows_the_articles_figures_for_van_chan(demo: Path) -> None:
    repo, results = load(demo)
    out = pages(repo, results, "vi")
    rows = table_after(out["status/van-chan.md"], "## Số trường hợp theo năm")
    header, body = rows[0], {r[0]: r for r in rows[1:]}
    listed, progress = header.index("Đưa vào danh sách giúp đỡ"), header.index("Công nhận tiến bộ, đưa ra khỏi danh sách")
    assert body["2021"][listed] == "6"
    assert (body["2022"][listed], body["2022"][progress]) == ("6", "5")
    assert all(BANNER in text for text in out.values())
    assert audit(publication(repo, results)) == ([], set())


def test_the_threshold_is_the_procedures_setting(demo: Path) -> None:
    for path in (demo / "procedures").glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        start = text.index("  disclosure_threshold:")
        end = text.index("\n", text.index("value:", start))
        path.write_text(text[:start] + "  disclosure_threshold:\n    value: 5" + text[end:], encoding="utf-8")
    repo, results = load(demo)
    pub = publication(repo, results)
    assert pub.threshold == 5
    assert audit(pub) == ([], set())
    assert all(not 1 <= v < 5 for k, v in pub.cells.items() if k not in pub.hidden)
    md = pages(repo, results, "vi")["status/van-chan.md"]
    assert "số từ 1 đến 4" in md
