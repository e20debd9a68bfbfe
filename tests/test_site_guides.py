"""The generated guide pages: golden files, and YAML examples that hoso's own rules accept."""

from __future__ import annotations

import datetime as dt
import functools
import re
import textwrap
from pathlib import Path

import pytest
import yaml

from hoso.cli import main
from hoso.repository import WorkTree, load_context
from hoso.site import examples
from hoso.site.diagram import edges, layout, svg
from tests.conftest import ROOT, TODAY, copy_demo
from tests.site_util import GOLDEN, LANGS, guide_pages

CASE_BLOCK = re.compile(r'\?\?\? example "[^"]*"\n\n    ```yaml\n(.*?)\n    ```', re.S)


@pytest.mark.parametrize("lang", LANGS)
def test_golden_files_match(lang: str) -> None:
    """Regenerate with ``python -m tests.regen_golden`` and review the diff."""
    pages = guide_pages(lang)
    golden = {p.relative_to(GOLDEN / lang).as_posix(): p.read_text(encoding="utf-8") for p in (GOLDEN / lang).rglob("*.md")}
    assert sorted(golden) == sorted(pages)
    for path, text in pages.items():
        assert text == golden[path], f"{lang}/{path} differs from its golden file: run python -m tests.regen_golden"


def test_a_page_per_step_of_every_procedure_version() -> None:
    repo = load_context(WorkTree(ROOT), dt.date.fromisoformat(TODAY))
    for pid, c in repo.ctx.procedures.items():
        assert f"quy-trinh/{pid}/index.md" in guide_pages()
        for event in c.proc.events:
            page = guide_pages()[f"quy-trinh/{pid}/{event}.md"]
            assert f"`{event}`" in page and "## Ai phải phê duyệt pull request" in page
            assert '<svg class="hoso-diagram"' in page and f'data-node="{event}"' in page


@functools.cache
def example_cases() -> dict[str, str]:
    """Each step page's example case (the pages are made when a test first asks, not to collect)."""
    out = {}
    for path, text in sorted(guide_pages().items()):
        m = CASE_BLOCK.search(text)
        if m:
            out[path] = textwrap.dedent(m.group(1)) + "\n"
    return out


def step_pages() -> list[str]:
    """The step pages the guide makes, named from the procedures alone (cheap enough to collect)."""
    repo = load_context(WorkTree(ROOT), dt.date.fromisoformat(TODAY))
    return sorted(f"quy-trinh/{pid}/{event}.md" for pid, c in repo.ctx.procedures.items() for event in c.proc.events)


# the newest version has no successor to migrate to; every other step shows a tested example
NO_EXAMPLE = ["quy-trinh/hd02-2026/migrated.md"]
WITH_EXAMPLE = [p for p in step_pages() if p not in NO_EXAMPLE]


def test_every_step_has_an_example_unless_it_cannot_apply() -> None:
    made = sorted(p for p in guide_pages() if p.count("/") == 2 and not p.endswith("index.md"))
    assert made == step_pages()  # so the examples tested below are every step page's
    assert sorted(example_cases()) == WITH_EXAMPLE


def _place(repo: Path, case_yaml: str, case_id: str) -> tuple[Path, str]:
    """Write the example case where hoso expects it, with the fictitious roster the examples
    are built with as the repository's roster; returns the file and the day to check on."""
    import yaml

    from hoso.site.examples import example_roster

    ctx = load_context(WorkTree(repo), dt.date.fromisoformat(TODAY)).ctx
    roster = [o.model_dump(mode="json", by_alias=True, exclude_none=True)
              for o in example_roster(ctx.org, ctx.procedures).officers.values()]
    (repo / "org" / "officers.yaml").write_text(yaml.safe_dump({"officers": roster}, sort_keys=False), encoding="utf-8")

    data = yaml.safe_load(case_yaml)
    unit = data["unit"]
    for e in data["history"]:
        unit = e.get("to_unit", unit)
    data_text = case_yaml.replace(f"case: {data['case']}", f"case: {case_id}")
    target = repo / "records" / unit / f"{case_id}.yaml"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(data_text, encoding="utf-8")
    last = data["history"][-1]["date"]
    units = yaml.safe_load((repo / "org" / "units.yaml").read_text(encoding="utf-8"))["units"]
    start = next(u["valid_from"] for u in units if u["id"] == unit)
    return target, max(last, start)


@pytest.mark.parametrize("page", WITH_EXAMPLE)
def test_example_shown_on_the_page_passes_hoso_validate(page: str, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    repo = copy_demo(tmp_path / "repo", records=False)
    _, day = _place(repo, example_cases()[page], "VD-0001")
    code = main(["-C", str(repo), "validate", "--today", day])
    out = capsys.readouterr().out
    assert code == 0, out


def test_a_broken_example_is_caught(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The check above can fail: the same example with a ballot below the threshold does."""
    case_yaml = next(c for c in example_cases().values() if "result: passed" in c)
    broken = case_yaml.replace("for: 11, against: 2", "for: 3, against: 10", 1)
    repo = copy_demo(tmp_path / "repo", records=False)
    _, day = _place(repo, broken, "VD-0002")
    assert main(["-C", str(repo), "validate", "--today", day]) == 1
    assert "VOTE-THRESHOLD" in capsys.readouterr().out


def test_diagram_draws_every_reachable_state_and_edge() -> None:
    repo = load_context(WorkTree(ROOT), dt.date.fromisoformat(TODAY))
    for c in repo.ctx.procedures.values():
        nodes, loose = layout(c.proc)
        names = {n.name for n in nodes} | {n.name for n in loose}
        assert set(c.proc.events) <= names
        assert {e for e in c.proc.end_states if any(b == e for _, b, _ in edges(c.proc))} <= names
        drawn = svg(c.proc)
        layered = {n.name for n in nodes}  # steps open from any stage stand apart, without arrows
        assert drawn.count('class="hoso-edge"') == sum(1 for a, b, _ in edges(c.proc) if a in layered and b in layered)
        assert drawn.count("<g class=\"hoso-node") == len(nodes) + len(loose)


def test_rule_ids_in_the_ci_guide_exist() -> None:
    """The hand-written "when CI blocks" page names only rule ids the validator really reports."""
    from hoso.messages import CATALOG

    text = (ROOT / "docs" / "khi-ci-chan.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`([A-Z]+(?:-[A-Z0-9]+)+)`", text))
    assert len(named) > 10
    assert sorted(named - set(CATALOG)) == []


FLOW_VALUES = [True, 1, 1.0, "1", "true", None, "", dt.date(2024, 5, 6), "2024-05-06",
               dt.datetime(2024, 5, 6, 7, 8), [1, True], [True, 1], {"a": 1}, {"a": True}, {1: "a"}, {"1": "a"},
               ["Nguyễn", {"b": [dt.date(2024, 1, 2), "x: y"]}], {"yes": "no"}, "on", 0o17, 0.0, -0.0,
               dt.datetime(2024, 5, 6, 7, tzinfo=dt.timezone(dt.timedelta(hours=7))),
               dt.datetime(2024, 5, 6, 0, tzinfo=dt.timezone.utc)]  # (equal, one instant)


@pytest.mark.parametrize("order", ["forward", "backward"])
def test_each_example_value_is_written_as_pyyaml_writes_it_whatever_came_before(order: str) -> None:
    """The example YAML keeps the text of each value it wrote (hoso.site.examples._flow): a value
    equal to one written before but of another type or form (True and 1, a date and its ISO
    string, 0.0 and -0.0, one instant in two time zones, a list holding them) is written as PyYAML
    writes it, not as the one before."""
    examples._FLOWS.clear()
    values = FLOW_VALUES if order == "forward" else FLOW_VALUES[::-1]
    for _ in range(2):  # the second round from what the first kept
        for value in values:
            text = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=10**6, sort_keys=False)
            assert examples._flow(value) == text.removesuffix("\n").removesuffix("\n...").strip(), value
    assert examples._FLOWS
