"""The rule reference page documents every rule id: its meaning, a sample finding and how to fix
it; SARIF carries the same advice for every rule it reports."""

from __future__ import annotations

import json
from pathlib import Path
import re

import pytest

from hoso.findings import Report, finding
from hoso.messages import CATALOG
from hoso.reporters import render
from hoso.site import rules


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_rule_is_on_the_page_with_its_fix(lang: str) -> None:
    text = rules.page(lang)
    headings = re.findall(r"^### ([A-Z0-9-]+)$", text, re.M)
    assert sorted(headings) == sorted(CATALOG)
    label = "**Cách sửa:** " if lang == "vi" else "**How to fix:** "
    for block in text.split("\n### ")[1:]:
        rule = block.split("\n", 1)[0]
        assert f" {rule} " in block  # the sample finding names it
        fix = block.split(label, 1)[1].strip()
        assert len(fix) > 20, rule
        assert "{" not in block.split("```")[0], rule  # placeholders read as «name», never as {name}


def test_a_rule_without_its_own_advice_gets_its_areas() -> None:
    assert rules.fix("VOTE-THRESHOLD", "vi") != rules.fix("VOTE-ARITHMETIC", "vi")
    assert rules.fix("VOTE-ARITHMETIC", "en").startswith("Check the minutes")
    assert rules.sample("YAML-DUPLICATE-KEY", "en") == "duplicate key '«key»' (first at line «first»); each key may appear once"


def test_sarif_gives_help_and_links_each_rule_to_the_page() -> None:
    report = Report([finding("records/x/XX-2099-001.yaml", 3, 1, "VOTE-SECRET")], 1)
    doc = json.loads(render(report, "sarif", "vi", {"site_url": "https://ho-so.example.vn/"}))
    [rule] = doc["runs"][0]["tool"]["driver"]["rules"]
    assert rule["help"]["text"] == rules.fix("VOTE-SECRET", "vi")
    assert rule["helpUri"] == "https://ho-so.example.vn/quy-tac/#vote-secret"
    doc = json.loads(render(report, "sarif", "en", None))
    assert "helpUri" not in doc["runs"][0]["tool"]["driver"]["rules"][0]


def test_validate_sarif_links_to_the_sites_rule_page(demo: Path) -> None:
    import io
    from contextlib import redirect_stdout

    from hoso.cli import main

    record = next((demo / "records").rglob("*.yaml"))
    record.write_text(record.read_text(encoding="utf-8") + "unknown_key: 1\n", encoding="utf-8")
    out = io.StringIO()
    with redirect_stdout(out):
        code = main(["-C", str(demo), "validate", "--format", "sarif", "--no-cache", "--today", "2026-11-27"])
    assert code == 1
    rules_out = json.loads(out.getvalue())["runs"][0]["tool"]["driver"]["rules"]
    site = __import__("yaml").safe_load((demo / "hoso.yaml").read_text(encoding="utf-8"))["site_url"]
    assert all(r["helpUri"].startswith(site + "quy-tac/#") for r in rules_out) and rules_out
