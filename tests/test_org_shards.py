"""A sharded organisation: org/units/<province>.yaml and org/officers/<province>.yaml.

The demo's org files are split by province (text kept line for line), then judged by
`hoso validate`, `hoso check` (in real git repositories) and `hoso codeowners`.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from hoso.change import check_change
from hoso.cli import main
from hoso.gitsource import open_repo
from hoso.orgload import ORG_MAX_BYTES, Loader
from hoso.repository import WorkTree, load_context
from hoso.yamlload import MAX_BYTES
from tests.conftest import TODAY, copy_demo, git
from tests.pr_util import (CASE, EVENTS, check_json, commit, hoso, line_of, make_repo, progress_note, rules,
                           write_case)


def _blocks(text: str) -> tuple[str, list[str]]:
    """(the head up to the list, one text block per ``  - id:`` entry)."""
    parts = re.split(r"(?m)^(?=  - id: )", text)
    return parts[0], parts[1:]


def _province(block: str, key: str) -> str:
    m = re.search(rf"\b{key}: ([a-z0-9-]+)", block)
    assert m, block
    return m.group(1)


def shard(repo: Path, *, keep_single: bool = False) -> dict[str, list[str]]:
    """Split org/units.yaml and org/officers.yaml by province; returns the shard paths by kind."""
    out: dict[str, list[str]] = {}
    for kind, key in (("units", "id"), ("officers", "unit")):
        single = repo / f"org/{kind}.yaml"
        head, blocks = _blocks(single.read_text(encoding="utf-8"))
        by: dict[str, list[str]] = {}
        for b in blocks:
            by.setdefault(_province(b, key), []).append(b)
        (repo / "org" / kind).mkdir()
        for province, bs in by.items():
            (repo / "org" / kind / f"{province}.yaml").write_text(head + "".join(bs), encoding="utf-8")
            out.setdefault(kind, []).append(f"org/{kind}/{province}.yaml")
        if not keep_single:
            single.unlink()
    return out


def validate(repo: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, dict[str, object]]:
    code = main(["-C", str(repo), "validate", "--format", "json", "--today", TODAY, "--lang", "en", *extra])
    return code, json.loads(capsys.readouterr().out)


def test_sharded_demo_validates_like_the_single_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    single = copy_demo(tmp_path / "single")
    sharded = copy_demo(tmp_path / "sharded")
    paths = shard(sharded)
    assert paths == {"units": ["org/units/yen-bai.yaml", "org/units/van-chan.yaml", "org/units/lao-cai.yaml"],
                     "officers": ["org/officers/van-chan.yaml", "org/officers/lao-cai.yaml", "org/officers/yen-bai.yaml"]}
    code1, one = validate(single, capsys, "--no-cache")
    code2, two = validate(sharded, capsys, "--no-cache")
    assert code1 == code2 == 0
    assert one["findings"] == two["findings"] and one["summary"] == two["summary"]  # type: ignore[index]
    repo = load_context(WorkTree(sharded), dt.date(2026, 11, 27))
    whole = load_context(WorkTree(single), dt.date(2026, 11, 27))
    assert len(repo.ctx.org.units) == len(whole.ctx.org.units) == 15
    assert len(repo.ctx.org.officers) == len(whole.ctx.org.officers) > 40


def test_both_layouts_at_once_is_a_clear_finding(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = copy_demo(tmp_path / "repo")
    shard(repo, keep_single=True)
    code, out = validate(repo, capsys)
    assert code == 1
    hits = [(f["file"], f["line"], f["rule"]) for f in out["findings"]]  # type: ignore[attr-defined]
    assert ("org/units.yaml", 1, "ORG-LAYOUT") in hits and ("org/officers.yaml", 1, "ORG-LAYOUT") in hits
    assert all(r != "ORG-DUPLICATE-ID" for _, _, r in hits)  # the shards are used, the single file ignored


def test_a_unit_in_another_provinces_shard(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = copy_demo(tmp_path / "repo")
    shard(repo)
    f = repo / "org/units/van-chan.yaml"
    f.write_text(f.read_text(encoding="utf-8") + '  - {id: lao-cai/xa-lac, name: "Xã lạc", kind: xa, '
                 'valid_from: "2025-07-01"}\n', encoding="utf-8")
    code, out = validate(repo, capsys)
    assert code == 1
    last = len(f.read_text(encoding="utf-8").splitlines())
    assert [(x["file"], x["line"], x["rule"]) for x in out["findings"]  # type: ignore[attr-defined]
            if x["severity"] == "error"] == [("org/units/van-chan.yaml", last, "ORG-SHARD")]


def test_size_limits_differ_by_kind(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A roster shard may pass a record's 1 MB limit (up to 16 MB); a record may not."""
    assert ORG_MAX_BYTES == 16_000_000 and MAX_BYTES == 1_000_000
    repo = copy_demo(tmp_path / "repo", records=False)
    shard(repo)
    f = repo / "org/officers/lao-cai.yaml"
    extra = "  - id: OF-70000\n    login: bulk\n    roles: []\n" + "# " + "x" * MAX_BYTES + "\n"
    f.write_text(f.read_text(encoding="utf-8") + extra, encoding="utf-8")
    assert f.stat().st_size > MAX_BYTES
    code, out = validate(repo, capsys, "--no-cache")
    assert code == 0, out["findings"]
    big = repo / "records/lao-cai/xa-son-a/chi-bo-thon-1/SA-2026-999999.yaml"
    big.parent.mkdir(parents=True)
    big.write_text("# " + "x" * MAX_BYTES + "\n", encoding="utf-8")
    code, out = validate(repo, capsys, "--no-cache")
    assert ("YAML-TOO-LARGE", big.relative_to(repo).as_posix()) in {
        (x["rule"], x["file"]) for x in out["findings"]}  # type: ignore[attr-defined]


# ------------------------------------------------------------------------ hoso check


def _sharded_pr_repo(tmp_path: Path) -> tuple[Path, str]:
    """make_repo's repository (an open case in van-chan/xa-a/chi-bo-thon-1), its org sharded, plus a
    third province whose shards are broken: a one-case check never reads them."""
    repo, _ = make_repo(tmp_path)
    git(repo, "checkout", "-q", "main")
    shard(repo)
    (repo / "org/units/ha-noi.yaml").write_text("units: [this is: not valid\n", encoding="utf-8")
    (repo / "org/officers/ha-noi.yaml").write_text("officers: {broken\n", encoding="utf-8")
    base = commit(repo, "shard the organisation")
    git(repo, "checkout", "-q", "-B", "change")
    return repo, base


def _loader(result_org: object) -> Loader:
    index = getattr(result_org, "index")
    assert isinstance(index, Loader)
    return index


def test_one_case_check_reads_only_the_shards_it_needs(tmp_path: Path) -> None:
    repo, base = _sharded_pr_repo(tmp_path)
    write_case(repo, EVENTS + [progress_note()])
    commit(repo, "a step")
    code, doc = check_json(repo, base, "2024-11-01")
    assert code == 0 and rules(doc) == set()
    assert [(r["role"], r["unit"]) for r in doc["required_approvals"]] == [("chi_uy", "van-chan/xa-a/chi-bo-thon-1")]
    result = check_change(open_repo(repo), base, "HEAD", dt.date(2024, 11, 1))
    loader = _loader(result.ctx.org)
    assert loader.done == {"org/units/van-chan.yaml", "org/officers/van-chan.yaml"}  # the broken province: never
    assert set(loader.scanned) == set()  # every officer the case names stands in its province's shard: no scan


def test_check_judges_with_the_base_commits_sharded_roster(tmp_path: Path) -> None:
    """Attack: grant yourself a role in a roster shard and record a step in the same change."""
    repo, base = _sharded_pr_repo(tmp_path)
    f = repo / "org/officers/van-chan.yaml"
    f.write_text(f.read_text(encoding="utf-8") + "  - id: OF-777\n    login: new-helper\n    roles:\n"
                 '      - {role: dang_vien, unit: van-chan/xa-a/chi-bo-thon-1, from: "2019-01-01"}\n', encoding="utf-8")
    write_case(repo, EVENTS + [progress_note(recorder="OF-777")])
    commit(repo, "a new officer records a step")
    code, doc = check_json(repo, base, "2024-11-01")
    assert code == 1
    hit = [x for x in doc["findings"] if x["file"] == CASE and x["rule"].startswith("ROLE-")]
    assert hit and hit[0]["line"] == line_of(repo, "recorded_by: OF-777")
    protected = [(x["rule"], x["file"]) for x in doc["findings"] if x["rule"] == "DIFF-PROTECTED-PATH"]
    assert protected == [("DIFF-PROTECTED-PATH", "org/officers/van-chan.yaml")]
    assert ("maintainer", None) in [(r["role"], r["unit"]) for r in doc["required_approvals"]]


def test_a_new_shard_needs_the_maintainers_and_is_revalidated(tmp_path: Path) -> None:
    repo, base = _sharded_pr_repo(tmp_path)
    (repo / "org/officers/hue.yaml").write_text("officers:\n  - id: OF-001\n    login: dup\n    roles: []\n",
                                                encoding="utf-8")
    commit(repo, "a shard with a duplicate officer")
    code, doc = check_json(repo, base, "2024-11-01")
    assert code == 1
    got = {(x["file"], x["rule"]) for x in doc["findings"]}
    assert ("org/officers/hue.yaml", "DIFF-PROTECTED-PATH") in got
    assert ("org/officers/hue.yaml", "ORG-DUPLICATE-ID") in got


def test_shard_change_revalidates_the_cases_it_affects(tmp_path: Path) -> None:
    repo, base = _sharded_pr_repo(tmp_path)
    f = repo / "org/officers/van-chan.yaml"
    text = f.read_text(encoding="utf-8")
    old = ("      - {role: chi_uy, unit: van-chan/xa-a/chi-bo-thon-1, from: \"2019-01-01\", to: \"2025-06-30\"}\n"
           "      - {role: chi_uy, unit: lao-cai/xa-son-a/chi-bo-thon-1, from: \"2025-07-01\"}\n  - id: OF-003")
    assert old in text
    f.write_text(text.replace(old, old.split("\n", 1)[1], 1), encoding="utf-8")
    commit(repo, "roster: OF-002 was never on the cell committee before 2025")
    code, doc = check_json(repo, base, "2024-11-01")
    assert code == 1
    assert CASE in {x["file"] for x in doc["findings"] if x["rule"] == "ROLE-RECORDER"}


# ------------------------------------------------------------------------ codeowners


def test_codeowners_from_a_sharded_roster(tmp_path: Path) -> None:
    single = copy_demo(tmp_path / "single", records=False)
    sharded = copy_demo(tmp_path / "sharded", records=False)
    shard(sharded)
    f = sharded / "org/officers/lao-cai.yaml"
    f.write_text(f.read_text(encoding="utf-8") + "  - id: OF-099\n    login: Second-Maintainer\n    roles:\n"
                 '      - {role: maintainer, unit: lao-cai, from: "2025-07-01"}\n', encoding="utf-8")
    code, one, _ = hoso(single, "codeowners", "--stdout", "--today", TODAY)
    code2, two, _ = hoso(sharded, "codeowners", "--stdout", "--today", TODAY)
    assert code == code2 == 0
    assert "* @hoso-maintainer\n" in one
    assert "* @hoso-maintainer @Second-Maintainer\n" in two


def test_a_shard_edit_invalidates_the_validate_cache(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = copy_demo(tmp_path / "repo")
    shard(repo)
    validate(repo, capsys, "--stats")
    _, warm = validate(repo, capsys, "--stats")
    assert warm["stats"]["cache"] == "warm"  # type: ignore[index]
    f = repo / "org/officers/van-chan.yaml"  # OF-002 loses the cell committee role it recorded steps with
    old = ("      - {role: chi_uy, unit: van-chan/xa-a/chi-bo-thon-1, from: \"2019-01-01\", to: \"2025-06-30\"}\n"
           "      - {role: chi_uy, unit: lao-cai/xa-son-a/chi-bo-thon-1, from: \"2025-07-01\"}\n  - id: OF-003")
    f.write_text(f.read_text(encoding="utf-8").replace(old, old.split("\n", 1)[1], 1), encoding="utf-8")
    code, after = validate(repo, capsys, "--stats")
    assert after["stats"]["cache"] == "cold" and after["stats"]["cached"] == 0  # type: ignore[index]
    assert code == 1 and "ROLE-RECORDER" in {x["rule"] for x in after["findings"]}  # type: ignore[attr-defined]


def test_a_finding_in_a_roster_over_a_megabyte_is_placed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Positions are found again with the roster's own limit, not a record's."""
    repo = copy_demo(tmp_path / "repo", records=False)
    shard(repo)
    f = repo / "org/officers/lao-cai.yaml"
    f.write_text(f.read_text(encoding="utf-8") + "  - id: OF-70000\n    login: bulk\n    roles:\n"
                 '      - {role: no_such_role, unit: lao-cai, from: "2025-07-01"}\n' + "# " + "x" * MAX_BYTES + "\n",
                 encoding="utf-8")
    code, out = validate(repo, capsys, "--no-cache")
    line = f.read_text(encoding="utf-8").splitlines().index('      - {role: no_such_role, unit: lao-cai, from: "2025-07-01"}') + 1
    assert code == 1
    assert [(x["file"], x["line"], x["rule"]) for x in out["findings"]] == [  # type: ignore[attr-defined]
        ("org/officers/lao-cai.yaml", line, "ORG-UNKNOWN-ROLE")]


# ------------------------------------------------------------------ officer commands


def test_officer_commands_read_only_the_shards_their_case_names(tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    """`hoso next` on a case in one province answers while another province's shards are broken
    (an eager load would refuse with the broken shard's finding); validate still reports them."""
    repo = copy_demo(tmp_path / "repo")
    shard(repo)
    (repo / "org/units/ha-noi.yaml").write_text("units: [this is: not valid\n", encoding="utf-8")
    (repo / "org/officers/ha-noi.yaml").write_text("officers: {broken\n", encoding="utf-8")
    case = "SA-2026-001"
    code, out, err = hoso(repo, "next", case, "--today", TODAY, "--format", "json", "--lang", "en")
    assert code == 0, out + err
    assert json.loads(out)["case"] == "SA-2026-001"
    from hoso.cases import open_repo as open_cases

    loaded = open_cases(repo, dt.date(2026, 11, 27))
    assert "lao-cai/xa-son-a/chi-bo-thon-1" in loaded.ctx.org.units
    assert _loader(loaded.ctx.org).done == {"org/units/lao-cai.yaml", "org/officers/lao-cai.yaml"}  # the home roster
    code, doc = validate(repo, capsys, "--no-cache")
    assert code == 1 and {("org/units/ha-noi.yaml", "YAML-SYNTAX"), ("org/officers/ha-noi.yaml", "YAML-SYNTAX")} <= {
        (x["file"], x["rule"]) for x in doc["findings"]}  # type: ignore[attr-defined]


def test_an_officer_outside_the_home_shard_is_found_by_its_id(tmp_path: Path) -> None:
    """The recorder stands in another roster shard: found by the word search, not by a full load."""
    repo, _ = make_repo(tmp_path)
    git(repo, "checkout", "-q", "main")
    shard(repo)
    (repo / "org/officers/ha-noi.yaml").write_text("officers: {broken\n", encoding="utf-8")
    home = repo / "org/officers/van-chan.yaml"
    head, blocks = _blocks(home.read_text(encoding="utf-8"))
    (moved,) = [b for b in blocks if b.startswith("  - id: OF-002\n")]
    home.write_text(head + "".join(b for b in blocks if b is not moved), encoding="utf-8")
    (repo / "org/officers/trung-uong.yaml").write_text("officers:\n" + moved, encoding="utf-8")
    base = commit(repo, "OF-002 in a national shard")
    git(repo, "checkout", "-q", "-B", "change")
    write_case(repo, EVENTS + [progress_note(recorder="OF-002")])
    commit(repo, "a step by OF-002")
    code, doc = check_json(repo, base, "2024-11-01")
    assert code == 0 and rules(doc) == set()
    loader = _loader(check_change(open_repo(repo), base, "HEAD", dt.date(2024, 11, 1)).ctx.org)
    assert "org/officers/trung-uong.yaml" in loader.done and "org/officers/ha-noi.yaml" not in loader.done
    assert "org/officers/ha-noi.yaml" in loader.scanned  # searched, not parsed: it does not name OF-002


def test_a_changed_record_under_a_cached_context_is_judged_the_same(tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    """With the context's findings cached, validate reads the sharded organisation lazily for the
    changed records: their findings are those of a full, uncached run."""
    repo = copy_demo(tmp_path / "repo")
    shard(repo)
    validate(repo, capsys)
    case = repo / "records/van-chan/xa-a/chi-bo-thon-1/VC-2021-001.yaml"
    text = case.read_text(encoding="utf-8")
    assert "recorded_by: OF-002" in text
    case.write_text(text.replace("recorded_by: OF-002", "recorded_by: OF-048", 1), encoding="utf-8")  # no role there
    code, warm = validate(repo, capsys, "--stats")
    assert warm["stats"]["cache"] == "warm" and warm["stats"]["checked"] == 1  # type: ignore[index]
    code2, cold = validate(repo, capsys, "--no-cache")
    assert code == code2 == 1
    assert warm["findings"] == cold["findings"]
    assert ("records/van-chan/xa-a/chi-bo-thon-1/VC-2021-001.yaml", "ROLE-RECORDER") in {
        (x["file"], x["rule"]) for x in warm["findings"]}  # type: ignore[attr-defined]
