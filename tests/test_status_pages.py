"""The status pages: which units and years are published, the article's figures, fixed table
shapes, accessible tables, charts, both languages, and status/data.json (its schema, and the
pages showing exactly its cells)."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import jsonschema
import markdown
import pytest

from hoso.repository import RecordResult, Repo, WorkTree, load_context
from hoso.site.publish import small_counts
from hoso.site.status import DATA, page_path, pages, publication
from hoso.validation import validate
from tests.conftest import copy_demo
from tests.status_util import HIDDEN, article_records, html_tables

TODAY = dt.date(2026, 11, 27)
BANNER = "Dữ liệu mô phỏng"  # in both languages' banners; the Vietnamese pages say nothing in English
LISTED, PROGRESS = "Đưa vào danh sách giúp đỡ", "Công nhận tiến bộ, đưa ra khỏi danh sách"


def load(root: Path, today: dt.date = TODAY) -> tuple[Repo, list[RecordResult]]:
    _, results = validate(WorkTree(root), today)
    return load_context(WorkTree(root), today), results


@pytest.fixture(scope="module")
def article(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_demo(tmp_path_factory.mktemp("pages") / "repo", records=False)
    article_records(root)
    return root


def flows_table(md: str) -> tuple[list[str], dict[str, list[str]]]:
    """Column headers (without the corner) and rows of the first table: cases per year."""
    _, cols, rows = html_tables(md)[0]
    return cols[1:], rows


def assert_article_figures(md: str) -> None:
    cols, rows = flows_table(md)
    listed, progress = cols.index(LISTED), cols.index(PROGRESS)
    assert rows["2021"][listed] == "6"
    assert (rows["2022"][listed], rows["2022"][progress]) == ("6", "5")


COMMUNES = ["status/lao-cai/xa-son-a.md", "status/lao-cai/xa-son-c.md", "status/van-chan/xa-a.md",
            "status/van-chan/xa-b.md", "status/van-chan/xa-c.md"]


def test_only_top_level_units_with_enough_cases_get_figures(article: Path) -> None:
    repo, results = load(article)
    out = pages(repo, results, "vi")
    assert page_path("van-chan") == "status/van-chan.md" in out
    # a page for every top-level unit and every commune; no party-cell page
    assert sorted(out) == ["status/data.json", "status/index.md", "status/lao-cai.md", *COMMUNES[:2],
                           "status/van-chan.md", *COMMUNES[2:], "status/yen-bai.md"]
    # figures only where published: Lào Cai held only the 2 moved cases (< 10)
    assert sorted(p for p, text in out.items() if "<table>" in text) == ["status/index.md", "status/van-chan.md"]
    assert "<svg" not in out["status/lao-cai.md"] and "10" in out["status/lao-cai.md"]
    assert [u["id"] for u in json.loads(out[DATA])["units"]] == ["van-chan"]
    assert all(BANNER in text for path, text in out.items() if path.endswith(".md"))
    assert not [path for path, text in out.items()  # the Vietnamese pages' words (not their markup) say nothing in English
                if path.endswith(".md") and "synthetic" in re.sub(r"<[^>]+>", "", text).lower()]
    assert "10" in out["status/index.md"] and "../cong-bo-so-lieu.md" in out["status/index.md"]
    # the index reaches the unpublished province, and each province its communes
    assert "(lao-cai.md)" in out["status/index.md"]
    assert "(lao-cai/xa-son-a.md)" in out["status/lao-cai.md"] and "(van-chan/xa-c.md)" in out["status/van-chan.md"]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_commune_page_carries_no_figure_and_owes_nothing_to_the_records(article: Path, tmp_path: Path,
                                                                          lang: str) -> None:
    """A commune's page is made from org/ alone: the same with the records as without any, so
    neither its content nor its existence tells anything about a case; it links to its province."""
    repo, results = load(article)
    out = pages(repo, results, lang)
    empty = copy_demo(tmp_path / "empty", records=False)
    repo0, results0 = load(empty)
    out0 = pages(repo0, results0, lang)
    for path in COMMUNES:
        assert out[path] == out0[path], path
        assert "<table" not in out[path] and "<svg" not in out[path]
        body = out[path].split("\n", 1)[1]
        assert not re.search(r"(?<![\d-])\d{1,4}(?![\d-])", re.sub(r"\d{4}-\d{2}-\d{2}|\[[^]]*\]|`[^`]*`", "", body)), path
    assert "(../lao-cai.md)" in out["status/lao-cai/xa-son-a.md"]
    why = "../../cong-bo-so-lieu.md" if lang == "vi" else "../../publication.md"
    assert why in out["status/van-chan/xa-a.md"]


def test_van_chan_shows_the_articles_figures(article: Path) -> None:
    repo, results = load(article)
    assert_article_figures(pages(repo, results, "vi")["status/van-chan.md"])


def test_fixed_shapes_closed_years_only(article: Path) -> None:
    """Every year from the procedure's first to the last closed one, every flow, always; the
    current year never; a year 90 days after it ends."""
    repo, results = load(article)
    md = pages(repo, results, "vi")["status/van-chan.md"]
    cols, rows = flows_table(md)
    assert list(rows) == ["2021", "2022", "2023", "2024", "2025"]
    # the procedure's seven flows (reporting: flows), the last one the cases with a corrected step
    assert len(cols) == 7 and all(len(r) == 7 for r in rows.values())
    assert cols[-1] == "Hồ sơ có bước được sửa sai"
    assert rows["2024"] == ["0"] * 7  # nothing happened in 2024: the row is there all the same
    for today, last in ((dt.date(2026, 3, 31), "2024"), (dt.date(2026, 4, 1), "2025")):
        repo, results = load(article, today)
        _, rows = flows_table(pages(repo, results, "vi")["status/van-chan.md"])
        assert list(rows)[-1] == last, today


def test_tables_have_row_headers_and_spoken_hidden_cells(article: Path) -> None:
    repo, results = load(article)
    md = pages(repo, results, "vi")["status/van-chan.md"]
    tables = re.findall(r"<table>.*?</table>", md)
    assert len(tables) == 2
    for table in tables:
        assert "<caption>" in table
        headers = re.findall(r"<th(\s[^>]*)?>(.*?)</th>", table)
        assert all(text.strip() for _, text in headers), "an empty header cell"
        assert all('scope="col"' in attrs or 'scope="row"' in attrs for attrs, _ in headers)
        for row in re.findall(r"<tr>(.*?)</tr>", table)[1:]:
            assert row.startswith('<th scope="row">')
    hidden = re.findall(r"<td>(.*?)</td>", md)
    hidden = [c for c in hidden if HIDDEN in c]
    assert hidden, "the fixture hides some cells"
    for cell in hidden:
        assert 'title="ẩn: một số từ 1 đến 4"' in cell and '">ẩn: một số từ 1 đến 4</span>' in cell


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
    assert "Put on the help list" in md and "hidden: a count from 1 to 4" in md and "../publication.md" in md
    (article / "hoso.yaml").write_text("name: real\nsynthetic: false\n", encoding="utf-8")
    try:
        repo, results = load(article)
        out = pages(repo, results, "vi")
        assert all(BANNER not in text for text in out.values())
        assert json.loads(out[DATA])["synthetic"] is False
    finally:
        (article / "hoso.yaml").write_text("synthetic: true\n", encoding="utf-8")


def test_no_small_count_is_published(article: Path) -> None:
    repo, results = load(article)
    pub = publication(repo, results)
    assert small_counts(pub) == []
    assert any(v is None for t in pub.tables for row in t.cells for v in row)  # the fixture has small cells


def test_a_repository_without_records(tmp_path: Path) -> None:
    root = copy_demo(tmp_path / "repo", records=False)
    repo, results = load(root)
    out = pages(repo, results, "vi")
    # the units' pages are there (the unit tree is public), with no figure on any
    assert sorted(out) == ["status/data.json", "status/index.md", "status/lao-cai.md", *COMMUNES[:2],
                           "status/van-chan.md", *COMMUNES[2:], "status/yen-bai.md"]
    assert not any("<table" in text for text in out.values())
    assert "Chưa có số liệu" in out["status/index.md"]
    assert json.loads(out[DATA])["tables"] == []


def test_the_demo_shows_the_articles_figures_for_van_chan(demo: Path) -> None:
    repo, results = load(demo)
    out = pages(repo, results, "vi")
    assert_article_figures(out["status/van-chan.md"])
    assert sorted(out) == ["status/data.json", "status/index.md", "status/lao-cai.md", *COMMUNES[:2],
                           "status/van-chan.md", *COMMUNES[2:], "status/yen-bai.md"]
    assert small_counts(publication(repo, results)) == []


def test_the_threshold_is_the_procedures_setting(demo: Path) -> None:
    """A threshold of 7 hides the article's 6 and 5: the setting, not a constant, decides."""
    for path in (demo / "procedures").glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        start = text.index("  disclosure_threshold:")
        end = text.index("\n", text.index("value:", start))
        path.write_text(text[:start] + "  disclosure_threshold:\n    value: 7" + text[end:], encoding="utf-8")
    repo, results = load(demo)
    pub = publication(repo, results)
    assert pub.threshold == 7 and small_counts(pub) == []
    assert pub.table("flows", "van-chan").value("2021", "listed") is None
    md = pages(repo, results, "vi")["status/van-chan.md"]
    assert "một số từ 1 đến 6" in md


# ------------------------------------------------------------------ open data

SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["schema", "synthetic", "published_through", "threshold", "min_cases", "hidden", "units", "tables"],
    "additionalProperties": False,
    "properties": {
        "schema": {"const": "hoso-status/1"},
        "synthetic": {"type": "boolean"},
        "published_through": {"type": ["string", "null"], "pattern": r"^\d{4}-12-31$"},
        "threshold": {"type": "integer", "minimum": 2},
        "min_cases": {"type": "integer", "minimum": 1},
        "hidden": {"type": "object", "required": ["value", "means"], "properties": {"value": {"type": "null"}}},
        "units": {"type": "array", "items": {"type": "object", "required": ["id", "name"], "additionalProperties": False,
                                              "properties": {"id": {"type": "string"}, "name": {"type": "string"}}}},
        "tables": {"type": "array", "items": {
            "type": "object", "additionalProperties": False,
            "required": ["id", "unit", "title", "dimensions", "cells"],
            "properties": {
                "id": {"enum": ["flows", "late"]}, "unit": {"type": "string"},
                "title": {"$ref": "#/$defs/text"},
                "dimensions": {"type": "array", "minItems": 2, "maxItems": 2, "items": {
                    "type": "object", "required": ["name", "values"], "additionalProperties": False,
                    "properties": {"name": {"type": "string"}, "values": {"type": "array", "items": {
                        "type": "object", "required": ["id"], "additionalProperties": False,
                        "properties": {"id": {"type": "string"}, "title": {"$ref": "#/$defs/text"}}}}}}},
                "cells": {"type": "array", "items": {"type": "array", "items": {"type": ["integer", "null"],
                                                                                  "minimum": 0}}},
            }}},
    },
    "$defs": {"text": {"type": "object", "required": ["vi", "en"], "additionalProperties": False,
                       "properties": {"vi": {"type": "string"}, "en": {"type": "string"}}}},
}


def test_data_json_follows_its_schema_and_matches_the_pages(demo: Path) -> None:
    repo, results = load(demo)
    for lang in ("vi", "en"):
        out = pages(repo, results, lang)
        data = json.loads(out[DATA])
        jsonschema.validate(data, SCHEMA)
        assert_pages_show_the_data(out, data)
    assert pages(repo, results, "vi")[DATA] == pages(repo, results, "en")[DATA]


def assert_pages_show_the_data(out: dict[str, str], data: dict[str, Any]) -> None:
    """Every table of every page is a table of data.json, cell for cell, and every table of
    data.json is on its unit's page: the pages publish no more and no less."""
    assert [u["id"] for u in data["units"]] == sorted({t["unit"] for t in data["tables"]})
    for t in data["tables"]:
        rows, cols = (d["values"] for d in t["dimensions"])
        assert len(t["cells"]) == len(rows) and all(len(r) == len(cols) for r in t["cells"])
        assert all(v is None or v == 0 or v >= data["threshold"] for r in t["cells"] for v in r)
        shown = html_tables(out[page_path(t["unit"])])
        expected = {r["id"]: [HIDDEN if v is None else str(v) for v in row] for r, row in zip(rows, t["cells"])}
        assert any(rows_ == expected for _, _, rows_ in shown), (t["unit"], t["id"])
    for path, text in out.items():
        if path.endswith(".md"):
            for _, _, rows_ in html_tables(text):
                assert any(rows_ == {r["id"]: [HIDDEN if v is None else str(v) for v in row]
                                     for r, row in zip(t["dimensions"][0]["values"], t["cells"])}
                           for t in data["tables"]), path
