"""The example corpus: every rule `hoso validate` can report has an invalid example that
triggers it at a known file and line; the demo records are the valid corpus.

An example is tests/examples/invalid/<RULE-ID>/<name>/: an overlay tree (files under
procedures/, org/, records/ added to or replacing a copy of the demo), an optional
``remove.txt`` (paths to delete from the copy, one a line) and ``expect.yaml``, the findings
it must produce: a list of ``{file, line, rule}`` (``column`` optional).
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from hoso.cli import main
from hoso.messages import CATALOG
from tests.conftest import ROOT, TODAY, copy_demo

EXAMPLES = Path(__file__).resolve().parent / "examples" / "invalid"
MESSAGES = ROOT / "tools" / "hoso" / "messages.py"

# Sections of hoso.messages.CATALOG whose rule ids other commands report, not `validate`.
OTHER_COMMANDS = (
    "pull requests, approvals (check)",      # hoso check / hoso approvals
    "officer tooling (record, due)",          # hoso new / record / next / due
    "site, status, disclosure",               # hoso site
    "performance, caching",                   # caches and the fast paths
)
# Rule ids `validate` reports that have no file example, and why.
NO_EXAMPLE = {
    # A file over the size limit would be a megabyte in the repository; tests/test_hostile.py
    # feeds `hoso validate` a 5 MB record and asserts this rule.
    "YAML-TOO-LARGE": "tests/test_hostile.py::test_huge_file",
}


def catalog_sections() -> dict[str, str]:
    """Rule id -> the section comment it stands under in messages.py."""
    section, out = "", {}
    for line in MESSAGES.read_text(encoding="utf-8").splitlines():
        head = re.match(r"\s*# -+ (.+?)\s*$", line)
        if head:
            section = head.group(1)
            continue
        rule = re.match(r'\s*"([A-Z0-9-]+)": \{', line)
        if rule:
            out[rule.group(1)] = section
    return out


def validate_rules() -> set[str]:
    sections = catalog_sections()
    assert set(sections) == set(CATALOG), "messages.py layout changed: update catalog_sections()"
    return {r for r, s in sections.items() if s not in OTHER_COMMANDS}


def examples() -> list[Path]:
    return sorted(p for p in EXAMPLES.glob("*/*") if p.is_dir())


def build(example: Path, dest: Path) -> Path:
    repo = copy_demo(dest)
    for path in sorted(example.rglob("*")):
        rel = path.relative_to(example)
        if rel.parts[0] not in ("procedures", "org", "records"):
            continue
        target = repo / rel
        if path.is_dir():
            target.mkdir(parents=True, exist_ok=True)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    for line in _removed(example):
        (repo / line).unlink()
    return repo


def _removed(example: Path) -> list[str]:
    remove = example / "remove.txt"
    return remove.read_text(encoding="utf-8").split() if remove.exists() else []


def run_validate(repo: Path, capsys: pytest.CaptureFixture[str], fmt: str = "json", *extra: str) -> tuple[int, Any]:
    code = main(["-C", str(repo), "validate", "--format", fmt, "--today", TODAY, "--lang", "en", *extra])
    return code, json.loads(capsys.readouterr().out)


@dataclass(frozen=True)
class Machine:
    """A machine that has validated the demo once: its cache key (``XDG_CACHE_HOME``) and the
    ``.hoso-cache`` that run left in its copy of the demo."""

    cache_home: Path
    cache: Path


@pytest.fixture(scope="module")
def warm(tmp_path_factory: pytest.TempPathFactory) -> Machine:
    where = tmp_path_factory.mktemp("warm")
    repo = copy_demo(where / "demo")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CACHE_HOME", str(where / "xdg-cache"))
        with contextlib.redirect_stdout(io.StringIO()):
            assert main(["-C", str(repo), "validate", "--today", TODAY, "--lang", "en"]) == 0
    assert list((repo / ".hoso-cache").glob("validate-*.json"))
    return Machine(where / "xdg-cache", repo / ".hoso-cache")


@pytest.mark.parametrize("example", examples(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_invalid_example(example: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], warm: Machine,
                         monkeypatch: pytest.MonkeyPatch) -> None:
    """On the machine of an officer who validated the demo before the example's change (the
    cache holds the demo's records): the changed files are judged, an unchanged record's findings
    come from the cache unless the change touches what they depend on (a procedure, the org,
    hoso.yaml: a new context, every record judged again). A rule that depends on another file
    in a way the cache does not know would fail here."""
    expected = yaml.safe_load((example / "expect.yaml").read_text(encoding="utf-8"))
    assert expected and all({"file", "line", "rule"} <= set(e) for e in expected)
    assert any(e["rule"] == example.parent.name for e in expected), "an example triggers its own rule"
    monkeypatch.setenv("XDG_CACHE_HOME", str(warm.cache_home))
    repo = tmp_path / "repo"
    shutil.copytree(warm.cache, repo / ".hoso-cache")
    code, out = run_validate(build(example, repo), capsys, "json", "--stats")
    context = any((example / d).exists() for d in ("procedures", "org", "hoso.yaml")) or any(
        not line.startswith("records/") for line in _removed(example))
    assert (out["stats"]["cached"] == 0) if context else (out["stats"]["cached"] >= 30), out["stats"]
    found = {(f["file"], f["line"], f["rule"]) for f in out["findings"]}
    columns = {(f["file"], f["line"], f["rule"], f["column"]) for f in out["findings"]}
    for e in expected:
        where = [f"{f['file']}:{f['line']}:{f['column']} {f['rule']}" for f in out["findings"]]
        assert (e["file"], e["line"], e["rule"]) in found, (e, where)
        if "column" in e:
            assert (e["file"], e["line"], e["rule"], e["column"]) in columns, (e, where)
    severities = {f["severity"] for f in out["findings"] if f["rule"] == example.parent.name}
    assert code == (1 if "error" in severities or out["summary"]["errors"] else 0)


def test_every_validate_rule_has_an_example() -> None:
    have = {p.parent.name for p in examples()}
    assert not have - set(CATALOG), "example directories named after unknown rule ids"
    missing = validate_rules() - have - set(NO_EXAMPLE)
    assert not missing, f"rules with no invalid example: {sorted(missing)}"
    assert set(NO_EXAMPLE) <= validate_rules()


def test_demo_is_the_valid_corpus(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run_validate(ROOT, capsys)
    assert code == 0
    assert [f for f in out["findings"] if f["severity"] == "error"] == []
    assert out["summary"]["errors"] == 0 and out["summary"]["files"] >= 30


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    """The demo plus a few invalid examples at once."""
    repo = copy_demo(tmp_path / "repo")
    for name in ("VOTE-THRESHOLD/removal-proposal-without-two-thirds", "SCHEMA-DATE/impossible-consultation-date"):
        example = EXAMPLES / name
        for path in example.rglob("*.yaml"):
            rel = path.relative_to(example)
            if rel.parts[0] == "records":
                shutil.copyfile(path, repo / rel)
    return repo


def test_json_output_carries_the_contract(broken: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run_validate(broken, capsys)
    assert code == 1
    assert out["findings"] and out["summary"]["errors"] >= 1
    for f in out["findings"]:
        assert set(f) >= {"file", "line", "column", "rule", "severity", "message"}
        assert isinstance(f["line"], int) and f["line"] >= 1 and f["column"] >= 1
        assert f["rule"] in CATALOG and f["message"] and not f["file"].startswith("/")


def test_sarif_output_carries_the_contract(broken: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, doc = run_validate(broken, capsys, "sarif")
    assert code == 1 and doc["version"] == "2.1.0"
    run = doc["runs"][0]
    rules = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert run["results"]
    for res in run["results"]:
        loc = res["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"]["uri"].startswith("records/")
        assert loc["region"]["startLine"] >= 1
        assert res["ruleId"] in CATALOG and rules[res["ruleIndex"]] == res["ruleId"]
        assert res["message"]["text"] and res["level"] in ("error", "warning")
    assert {"VOTE-THRESHOLD", "SCHEMA-DATE"} <= {r["ruleId"] for r in run["results"]}
