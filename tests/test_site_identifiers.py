"""No real identifier on the site: every case id, member code, officer id, login, document
number and distinctive event date in records/ and org/ is looked for in the built site (both
languages, every file: pages, search index, sitemap, data.json; HTML also with its tags taken
out), and none is found. Step examples use a fictitious roster and fictitious case ids, never
the demo's.

One allowance: the step examples' dates are computed from the procedure alone (its first day,
then a week a step), so some fall on days a demo record also uses. They are allowed only as the
dates the example builder gives for a repository with no records at all."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest

from hoso.repository import WorkTree, load_context
from hoso.site import examples as ex
from hoso.site.examples import EXAMPLE_CASE
from tests.conftest import ROOT, TODAY, copy_demo, load_yaml
from tests.site_util import built_site

ID = re.compile(r"^[A-ZĐ]{1,6}-[0-9A-ZĐ]+(?:[-/][0-9A-ZĐ]+)*$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _strings(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    if isinstance(value, (str, dt.date)):
        return [str(value)]
    return []


def public_values(root: Path) -> set[str]:
    """Values the site publishes by design: whatever procedures/ and org/units.yaml say (unit
    validity dates, procedure dates), never a fact about one case."""
    out: set[str] = set()
    for path in [*(root / "procedures").glob("*.yaml"), root / "org" / "units.yaml"]:
        out.update(_strings(load_yaml(path.read_text(encoding="utf-8"))))
    return out


def identifiers(root: Path) -> dict[str, str]:
    """identifier → where it comes from, from every record and the officers' roster."""
    found: dict[str, str] = {}
    for path in sorted((root / "records").rglob("*.yaml")):
        data = load_yaml(path.read_text(encoding="utf-8"))
        where = str(path.relative_to(root))
        for s in [data["case"], data["member"], *_strings(data["history"])]:
            if ID.match(s) or DATE.match(s):
                found.setdefault(s, where)
    officers = load_yaml((root / "org" / "officers.yaml").read_text(encoding="utf-8"))["officers"]
    for o in officers:
        for s in (o["id"], o["login"], o.get("member")):
            if s:
                found.setdefault(str(s), "org/officers.yaml")
    public = public_values(root)
    return {s: w for s, w in found.items() if s not in public}


TOKEN = re.compile(r"[\w-]+(?:/[\w-]+)*")  # words and hyphens joined by single slashes


def _tokens(text: str) -> set[str]:
    """Every whole token of TOKEN's shape in ``text``: each longest run of TOKEN, and each part of
    one that starts and ends at a slash (bounded by neither a word character nor a hyphen, as
    the regular expression of ``occurrences`` bounds a match)."""
    out: set[str] = set()
    for run in TOKEN.findall(text):
        if "/" not in run:
            out.add(run)
            continue
        parts = run.split("/")
        for i in range(len(parts)):
            for j in range(i + 1, len(parts) + 1):
                out.add("/".join(parts[i:j]))
    return out


def occurrences(site: Path, ids: dict[str, str]) -> dict[str, list[str]]:
    """identifier → site files (relative) that contain it as a whole token (in HTML, also once
    the tags are taken out: highlighted code splits a token into spans).

    Identifiers made of words, hyphens and slashes are looked up in the set of the text's tokens
    (one pass over the text); any other is searched with a regular expression."""
    plain = {i for i in ids if TOKEN.fullmatch(i)}
    other = sorted(set(ids) - plain, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w-])(" + "|".join(re.escape(i) for i in other) + r")(?![\w-])") if other else None
    out: dict[str, list[str]] = {}
    for p in sorted(site.rglob("*")):
        if p.is_file() and p.suffix in (".html", ".json", ".xml", ".txt", ".js", ".md"):
            text = p.read_text(encoding="utf-8", errors="replace")
            if p.suffix == ".html":
                text += "\n" + re.sub(r"<[^>]+>", "", text)
            found = plain & _tokens(text)
            if pattern is not None:
                found |= set(pattern.findall(text))
            for m in sorted(found):
                out.setdefault(m, []).append(str(p.relative_to(site)))
    return out


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The run's built site: Vietnamese at its root, English in en/ (as `hoso site` lays it out),
    so one scan of every file covers both languages."""
    site = built_site(tmp_path_factory)
    assert (site / "en" / "index.html").is_file() and (site / "en" / "search" / "search_index.json").is_file()
    return [site]


def test_the_collector_finds_every_kind_of_identifier() -> None:
    ids = identifiers(ROOT)
    for sample in ("VC-2021-001", "DV-0031", "OF-001", "xa-a-thon-1-1", "DV-9001", "NQ-02/2024", "2024-06-03"):
        assert sample in ids, sample
    assert "2025-06-30" not in ids  # the reorganisation day is org data, published by design
    assert len(ids) > 200


def example_dates(root: Path) -> set[str]:
    repo = load_context(WorkTree(root), dt.date.fromisoformat(TODAY))
    return {s for c in repo.ctx.procedures.values() for e in ex.examples(c, repo.ctx).values()
            for entry in e.entries for s in _strings(entry) if DATE.match(s)}


def test_no_identifier_from_records_or_org_on_the_built_site(sites: list[Path], tmp_path: Path) -> None:
    allowed = example_dates(copy_demo(tmp_path / "no-records", records=False))
    assert allowed == example_dates(ROOT)  # the examples' dates owe nothing to the records
    ids = {i: w for i, w in identifiers(ROOT).items() if i not in allowed}
    found: dict[str, list[str]] = {}
    for site in sites:
        for i, files in occurrences(site, ids).items():
            found.setdefault(i, []).extend(f"{site.name}/{f}" for f in files)
    assert found == {}, {i: (ids[i], files[:3]) for i, files in sorted(found.items())}


def test_the_scan_finds_a_planted_identifier(tmp_path: Path) -> None:
    """The scan is not vacuous: a page that quotes a case id is caught."""
    (tmp_path / "page.html").write_text("<p>see VC-2021-001 and OF-0010</p>", encoding="utf-8")
    assert occurrences(tmp_path, identifiers(ROOT)) == {"VC-2021-001": ["page.html"]}
    # a slashed number split by highlighting, one at a path's end, and none inside a longer token
    (tmp_path / "code.html").write_text("<code>NQ-02/<span>2025</span></code> a/b/QĐ-03/2025 XDV-0031 DV-0031x",
                                        encoding="utf-8")
    (tmp_path / "data.json").write_text('{"u": "x/BB-01/2025/y", "v": "OF-001-2"}', encoding="utf-8")
    assert occurrences(tmp_path, identifiers(ROOT)) == {
        "BB-01/2025": ["data.json"], "NQ-02/2025": ["code.html"], "QĐ-03/2025": ["code.html"],
        "VC-2021-001": ["page.html"]}


def test_examples_use_the_fictitious_roster() -> None:
    repo = load_context(WorkTree(ROOT), dt.date.fromisoformat(TODAY))
    real = identifiers(ROOT)
    for compiled in repo.ctx.procedures.values():
        for name, example in ex.examples(compiled, repo.ctx).items():
            assert example.errors == [], (name, example.errors)
            values = {s for e in example.entries for s in _strings(e)}
            officers = {s for s in values if s.startswith("OF-")}
            assert officers and all(re.match(r"^OF-0\d{3}$", s) for s in officers), (name, officers)
            assert not {v for v in values if not DATE.match(v)} & set(real), (name, values & set(real))
            assert EXAMPLE_CASE not in real and ex.EXAMPLE_MEMBER not in real
