"""Publish by allow-list: plant a unique marker in every field the procedure does not mark
public, in every record, build the status pages (and the whole site when the repository has
one), and find none of them. Then check every published count: none in [1, threshold - 1], and
no total for a hidden count to be worked out from (tests/test_publication_audit.py attacks the
tables in earnest)."""

from __future__ import annotations

import datetime as dt
import itertools
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from hoso.procedure import FieldSpec, Procedure
from hoso.repository import WorkTree, load_context
from hoso.site.publish import small_counts
from hoso.site.status import pages, publication, threshold
from hoso.validation import validate
from tests.conftest import ROOT, TODAY, copy_demo, load_yaml
from tests.status_util import HIDDEN, article_records, html_tables

# Unit and procedure fields hold org data the pages publish by design (unit names, procedure
# titles); a bool cannot carry a marker. Everything else that is not public gets one.
UNMARKABLE = {"unit", "procedure", "bool"}


class Planter:
    def __init__(self) -> None:
        self.counter = itertools.count(1)
        self.markers: list[str] = []

    def mark(self, kind: str) -> Any:
        n = next(self.counter)
        if kind in ("officer", "member"):
            value: Any = f"QZX-{91370000 + n}"
        elif kind == "case":
            value = f"ZQCASE-{n:05d}"
        elif kind == "date":
            value = f"{1900 + n % 50:04d}-02-{1 + n % 28:02d}"
        elif kind in ("int", "ballot"):
            value = 7391000 + n
        else:
            value = f"PRIVATE-MARKER-{kind}-{n:05d}"
        self.markers.append(str(value))
        return value

    def field(self, spec: FieldSpec, value: Any) -> Any:
        if spec.public or spec.type in UNMARKABLE:
            return value
        if spec.type == "ballot" and isinstance(value, dict):
            return {k: (self.mark("ballot") if isinstance(v, int) and not isinstance(v, bool) else v)
                    for k, v in value.items()} | {"excluded": {r: self.mark("ballot") for r in value.get("excluded", {})}}
        if spec.type == "list" and spec.item is not None:
            items = value if isinstance(value, list) and value else [None]
            return [self.field(spec.item, v) for v in items]
        if spec.type == "object" and spec.fields is not None:
            value = value if isinstance(value, dict) else {}
            return {k: self.field(s, value.get(k)) for k, s in spec.fields.items()}
        return self.mark(spec.type)

    def record(self, data: dict[str, Any], procs: dict[str, Procedure]) -> dict[str, Any]:
        data["member"] = self.mark("member")
        data["case"] = self.mark("case")
        proc = procs[data["procedure"]]
        for event in data["history"]:
            if event.get("to_procedure") in procs:
                proc_next: Procedure | None = procs[event["to_procedure"]]
            else:
                proc_next = None
            fields = proc.all_fields(event["event"]) if event["event"] in proc.events else {}
            for name, spec in fields.items():
                if name in event or (not spec.public and spec.type not in UNMARKABLE):
                    event[name] = self.field(spec, event.get(name))
            proc = proc_next or proc
        return data


def plant(root: Path) -> list[str]:
    procs = {p.stem: Procedure.model_validate(load_yaml(p.read_text(encoding="utf-8")), strict=False)
             for p in (root / "procedures").glob("*.yaml")}
    planter = Planter()
    for path in sorted((root / "records").rglob("*.yaml")):
        data = planter.record(load_yaml(path.read_text(encoding="utf-8")), procs)
        path.unlink()
        path.with_name(f"{data['case']}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                                                           encoding="utf-8")
    return planter.markers


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    root = copy_demo(tmp_path_factory.mktemp("privacy") / "repo")
    article_records(root)
    return root, plant(root)


@pytest.fixture(scope="module")
def generated(planted: tuple[Path, list[str]]) -> dict[str, str]:
    root, _ = planted
    day = dt.date.fromisoformat(TODAY)
    _, results = validate(WorkTree(root), day)
    repo = load_context(WorkTree(root), day)
    return {**pages(repo, results, "vi"), **{f"en/{k}": v for k, v in pages(repo, results, "en").items()}}


def test_markers_are_planted_where_they_count(planted: tuple[Path, list[str]]) -> None:
    root, markers = planted
    text = "\n".join(p.read_text(encoding="utf-8") for p in (root / "records").rglob("*.yaml"))
    assert len(markers) > 200
    assert all(m in text for m in markers[:50])
    for kind in ("QZX-", "ZQCASE-", "PRIVATE-MARKER-ref-", "PRIVATE-MARKER-text-", "7391"):
        assert kind in text, kind


def test_no_marker_reaches_the_status_pages(generated: dict[str, str], planted: tuple[Path, list[str]]) -> None:
    _, markers = planted
    # not vacuous: the planted records still make figures
    _, _, rows = html_tables(generated["status/van-chan.md"])[0]
    assert any(c.isdigit() and int(c) > 0 for c in rows["2021"])
    for path, text in generated.items():
        leaked = [m for m in markers if m in text]
        assert leaked == [], (path, leaked[:5])


COUNT = re.compile(r"^[0-9]+$")


def test_no_small_count_is_published_and_no_totals(generated: dict[str, str],
                                                   planted: tuple[Path, list[str]]) -> None:
    root, _ = planted
    low = threshold(load_context(WorkTree(root), dt.date.fromisoformat(TODAY)))
    seen_hidden = 0
    for path, md in generated.items():
        numbers = [int(v) for v in re.findall(r'class="hoso-v"[^>]*>([0-9]+)<', md)]
        for _, header, rows in html_tables(md):
            assert not {"Tổng", "Total"} & set(header), (path, header)
            assert not {"Tổng", "Total"} & set(rows), (path, list(rows))
            numbers += [int(c) for row in rows.values() for c in row if COUNT.match(c)]
            seen_hidden += sum(row.count(HIDDEN) for row in rows.values())
        small = [n for n in numbers if 1 <= n < low]
        assert small == [], (path, small)
    assert seen_hidden > 0  # the check ran on tables that do hide cells


def test_the_publication_has_no_small_count(planted: tuple[Path, list[str]]) -> None:
    root, _ = planted
    day = dt.date.fromisoformat(TODAY)
    _, results = validate(WorkTree(root), day)
    assert small_counts(publication(load_context(WorkTree(root), day), results)) == []


def test_no_marker_anywhere_in_the_built_site(planted: tuple[Path, list[str]]) -> None:
    root, markers = planted
    site_root = root.parent / "site-build"
    if site_root.exists():
        shutil.rmtree(site_root)
    shutil.copytree(root, site_root)
    for name in ("mkdocs.yml", "docs", "overrides", "hooks", "tools"):  # tools/: the hook lives there
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, site_root / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        elif src.is_file():
            shutil.copy(src, site_root / name)
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", "site"], cwd=site_root,
                          capture_output=True, text=True, env=_env(), check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    files = [p for p in (site_root / "site").rglob("*") if p.is_file()]
    assert any("status" in p.parts for p in files), "the built site has no status pages"
    anywhere = any_of(markers)
    for p in files:
        data = p.read_bytes()
        leaked = [m for m in markers if m.encode() in data] if anywhere.search(data) else []
        assert leaked == [], (str(p.relative_to(site_root)), leaked[:5])


def any_of(words: list[str]) -> re.Pattern[bytes]:
    """A pattern that matches where any of ``words`` occurs (as a substring), built as a trie so a
    search costs one pass over the bytes rather than one per word."""
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def alternation(node: dict[str, Any]) -> str:
        if "" in node:  # a word ends here: any longer one starts with it, so this match suffices
            return ""
        branches = [re.escape(ch) + alternation(rest) for ch, rest in sorted(node.items())]
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return re.compile(alternation(trie).encode())


def test_the_marker_pattern_finds_each_marker_and_nothing_else() -> None:
    markers = ["QZX-91370001", "QZX-91370012", "7391001", "7391", "PRIVATE-MARKER-text-00001"]
    pattern = any_of(markers)
    for m in markers:
        assert pattern.search(f"<p>{m}</p>".encode()), m
        assert not pattern.search(f"<p>{m[:-1]}</p>".encode()) or any(o in m[:-1] for o in markers), m
    assert pattern.search(b"x7391y") and not pattern.search(b"QZX-9137000 739 PRIVATE-MARKER-text")


def _env() -> dict[str, str]:
    import os

    return {**os.environ, "HOSO_TODAY": TODAY}
