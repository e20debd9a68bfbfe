"""The forge's CI workflows: linted by actionlint and zizmor, least privilege, pinned actions."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"
FORGEJO = ROOT / ".forgejo" / "workflows"
FILES = sorted(WORKFLOWS.glob("*.yml"))
FORGEJO_FILES = sorted(FORGEJO.glob("*.yml"))
BIN = Path(sys.executable).parent


def _tool(name: str) -> str:
    path = BIN / name
    found = str(path) if path.exists() else shutil.which(name)
    assert found, f"{name} is a test dependency (pyproject [test]); run make test"
    return found


def _run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(args), cwd=cwd, capture_output=True, text=True, timeout=120)


def test_the_workflows_exist() -> None:
    assert {p.name for p in FILES} == {"validate.yml", "approvals.yml", "site.yml", "deadlines.yml",
                                       "hoso-pull-request.yml"}


def test_the_forgejo_workflows_mirror_the_github_ones() -> None:
    assert {p.name for p in FORGEJO_FILES} == {"validate.yml", "approvals.yml", "deadlines.yml"}
    for path in FORGEJO_FILES:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        for job in doc["jobs"].values():
            assert job["runs-on"] == "docker"  # the Forgejo runner's default label (.github/actionlint.yaml)
            assert not any("uses" in step for step in job["steps"])  # nothing fetched from outside the instance


def test_the_reusable_workflow_runs_a_pinned_hoso() -> None:
    doc = yaml.safe_load((WORKFLOWS / "hoso-pull-request.yml").read_text(encoding="utf-8"))
    inputs = (doc.get(True) or doc.get("on"))["workflow_call"]["inputs"]
    assert inputs["hoso-version"]["required"] is True
    for job in doc["jobs"].values():
        tool = [s for s in job["steps"] if s.get("with", {}).get("path") == ".hoso-tool"]
        assert [s["with"]["ref"] for s in tool] == ["${{ inputs.hoso-version }}"]
        assert [s["uses"] for s in job["steps"] if s.get("uses", "").startswith("./")] == ["./.hoso-tool"]


def test_actionlint_passes() -> None:
    proc = _run(_tool("actionlint"), "-no-color", *[str(p) for p in FILES + FORGEJO_FILES])
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_zizmor_passes_even_pedantic() -> None:
    proc = _run(_tool("zizmor"), "--offline", "--no-progress", "--persona", "pedantic", str(WORKFLOWS))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    proc = _run(_tool("zizmor"), "--offline", "--no-progress", "--persona", "pedantic", *map(str, FORGEJO_FILES))
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_linters_do_catch_a_bad_workflow(tmp_path: Path) -> None:
    bad = tmp_path / ".github" / "workflows" / "bad.yml"
    bad.parent.mkdir(parents=True)
    bad.write_text("""\
on: pull_request_target
jobs:
  x:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: ${{ github.event.pull_request.head.sha }}
      - run: echo "${{ github.event.pull_request.title }}"
""", encoding="utf-8")
    assert _run(_tool("zizmor"), "--offline", "--no-progress", str(bad.parent), cwd=tmp_path).returncode != 0
    bad.write_text("on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ nope.x }}\n",
                   encoding="utf-8")
    assert _run(_tool("actionlint"), "-no-color", str(bad), cwd=tmp_path).returncode != 0


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_actions_are_pinned_to_full_commits(path: Path) -> None:
    uses = re.findall(r"^\s*(?:-\s+)?uses:\s*(\S+)(.*)$", path.read_text(encoding="utf-8"), re.M)
    assert uses
    for ref, comment in uses:
        if ref.startswith("./"):  # the composite action, from main's or the pinned tool's checkout
            continue
        assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", ref), ref
        assert re.search(r"#\s*v\d+\.\d+\.\d+", comment), f"{ref} needs a '# vX.Y.Z' comment"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_least_privilege(path: Path) -> None:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    triggers = doc.get(True) or doc.get("on")  # PyYAML reads the key `on` as True
    assert "workflow_run" not in triggers
    if "pull_request_target" in triggers:  # the judge runs from main: see tests/test_trust_workflow.py
        assert triggers["pull_request_target"]["branches"] == ["main"]
        assert "edited" in triggers["pull_request_target"]["types"]  # a retargeted base is judged again
    assert doc["permissions"] == {}  # nothing by default; each job asks for what it needs
    for job in doc["jobs"].values():
        perms = job["permissions"]
        assert all(v in ("read", "write") for v in perms.values())
        writes = {k for k, v in perms.items() if v == "write"}
        if job.get("name") == "hoso merge":  # opt-in (vars.HOSO_MERGE); merges through the API
            assert writes == {"contents", "pull-requests"} and "vars.HOSO_MERGE == 'true'" in job["if"]
        else:
            assert writes <= {"statuses", "issues", "pages", "id-token"}
        for step in job.get("steps", []):
            if "actions/checkout@" in step.get("uses", ""):
                assert step["with"]["persist-credentials"] is False


def test_validate_checks_against_the_base_with_full_history() -> None:
    doc = yaml.safe_load((WORKFLOWS / "validate.yml").read_text(encoding="utf-8"))
    steps = doc["jobs"]["check"]["steps"]
    assert steps[0]["with"]["fetch-depth"] == 0 and steps[0]["with"]["ref"] == "main"
    [action] = [s for s in steps if s.get("uses") == "./"]
    assert action["with"]["command"] == "check" and action["with"]["hoso"] == "."


def test_approvals_runs_on_reviews_and_sets_one_status() -> None:
    doc = yaml.safe_load((WORKFLOWS / "approvals.yml").read_text(encoding="utf-8"))
    triggers = doc.get(True) or doc.get("on")
    assert set(triggers) == {"pull_request_target", "pull_request_review"}
    job = doc["jobs"]["approvals"]
    assert job["if"] == "github.event.pull_request.base.ref == 'main'"
    [action] = [s for s in job["steps"] if s.get("uses") == "./"]
    assert action["with"]["command"] == "approvals"
    run = (ROOT / "action.yml").read_text(encoding="utf-8")
    assert "hoso approvals --forge \"$FORGE\" --pr \"$PR_NUMBER\" --base HEAD --set-status" in run


def test_the_workflows_protect_the_branch_hoso_yaml_names() -> None:
    settings = yaml.safe_load((ROOT / "hoso.yaml").read_text(encoding="utf-8"))
    branch = settings.get("protected_branch", "main")
    reusable = yaml.safe_load((WORKFLOWS / "hoso-pull-request.yml").read_text(encoding="utf-8"))
    assert (reusable.get(True) or reusable.get("on"))["workflow_call"]["inputs"]["protected-branch"]["default"] == branch
    for path in (WORKFLOWS / "validate.yml", WORKFLOWS / "approvals.yml", FORGEJO / "validate.yml",
                 FORGEJO / "approvals.yml"):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert (doc.get(True) or doc.get("on"))["pull_request_target"]["branches"] == [branch]
        assert all(job["if"].endswith(f"github.event.pull_request.base.ref == '{branch}'")
                   for job in doc["jobs"].values() if "approvals" in path.name)


def test_every_hoso_command_the_workflows_run_exists() -> None:
    from hoso.cli import command_modules

    names = {m.NAME for m in command_modules()}
    used = set()
    for path in FILES + FORGEJO_FILES:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        for job in doc["jobs"].values():
            for step in job.get("steps", []):
                used |= set(re.findall(r"\bhoso (\w+)", step.get("run", "")))
    for step in yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))["runs"]["steps"]:
        used |= set(re.findall(r"\bhoso (\w+)", step["run"]))
    assert {"check", "approvals", "due"} <= used
    assert used <= names, used - names
