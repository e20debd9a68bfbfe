"""Attack 1 of issue 8: a pull request that edits the checker and adds an invalid step.

The workflow's own steps are run for real: the judge is a clone of main, hoso is installed into
a fresh virtual environment by the composite action's install step (action.yml, which
validate.yml uses from main's checkout), the pull request's commits are fetched by its fetch
step and its run step judges them, each with its exact command. The
same pull request judged by its own code (what the workflows did before) passes: the attack is
real, and only the workflow's shape stops it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from tests.conftest import GIT_ENV, ROOT, git
from tests.pr_util import EVENTS, FINAL_REVIEW_EARLY, commit, make_repo, write_case

WORKFLOWS = ROOT / ".github" / "workflows"
FORGEJO = ROOT / ".forgejo" / "workflows"
TODAY = "2025-01-20"
# The edit an attacker makes to the checker: every case passes, whatever it holds.
SABOTAGE = '''

def check_case(data, ctx):
    result = _honest_check_case(data, ctx)
    result.issues.clear()
    return result
'''


def _steps(workflow: str, job: str, where: Path = WORKFLOWS) -> dict[str, str]:
    doc = yaml.safe_load((where / workflow).read_text(encoding="utf-8"))
    return {s.get("name", ""): s.get("run", "") for s in doc["jobs"][job]["steps"] if "run" in s}


def _action_steps() -> dict[str, str]:
    doc = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    return {s["name"]: s["run"] for s in doc["runs"]["steps"]}


def _bash(script: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", "-eo", "pipefail", "-c", script], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300)


@pytest.fixture(scope="module")
def attack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """A forge repository whose main holds hoso's code and the demo, and pull request #7 that
    sabotages tools/hoso/checks.py and appends a final review dated months too early."""
    tmp = tmp_path_factory.mktemp("forge")
    os.environ.update(GIT_ENV)
    forge, _base = make_repo(tmp / "hoso-demo")
    forge = forge.rename(forge.parent / "records.git")  # where a forge serves OWNER/NAME.git
    git(forge, "checkout", "-q", "main")
    for name in ("pyproject.toml", "README.md", "LICENSE", "constraints.txt"):
        shutil.copy(ROOT / name, forge / name)
    shutil.copytree(ROOT / "tools", forge / "tools", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    commit(forge, "hoso's code on main")
    git(forge, "checkout", "-q", "-b", "attack")
    checks = forge / "tools" / "hoso" / "checks.py"
    text = checks.read_text(encoding="utf-8").replace("def check_case(", "def _honest_check_case(", 1)
    checks.write_text(text + SABOTAGE, encoding="utf-8")
    write_case(forge, EVENTS + [FINAL_REVIEW_EARLY])
    head = commit(forge, "a final review, and a checker that agrees")
    git(forge, "update-ref", "refs/pull/7/head", head)
    git(forge, "checkout", "-q", "main")
    yield forge, head


def _venv(where: Path) -> Path:
    """A fresh environment for the judge that sees this run's dependencies (pip and setuptools
    included, so the install needs no network) but not its hoso: pip installs into the new
    environment and leaves the developer's own alone ("outside environment")."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(where)], check=True, capture_output=True,
                   timeout=120)
    site = next((where / "lib").glob("python*/site-packages"))
    (site / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    return where / "bin"


def test_the_judge_is_mains_code_and_refuses_the_step(attack: tuple[Path, str], tmp_path: Path) -> None:
    forge, head = attack
    judge = tmp_path / "judge"
    git(tmp_path, "clone", "-q", "--branch", "main", str(forge), str(judge))  # actions/checkout, ref: main
    bin_dir = _venv(tmp_path / "venv")
    # the inputs validate.yml gives the action (main's checkout is what pip installs)
    [step] = [s for s in yaml.safe_load((WORKFLOWS / "validate.yml").read_text(encoding="utf-8"))
              ["jobs"]["check"]["steps"] if s.get("uses") == "./"]
    assert step["with"]["command"] == "check" and step["with"]["hoso"] == "."
    assert step["with"]["constraints"] == "constraints.txt"
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "PIP_NO_INDEX": "1",
           "PIP_NO_BUILD_ISOLATION": "0", "PIP_DISABLE_PIP_VERSION_CHECK": "1", "SPEC": ".", "CONSTRAINTS": "constraints.txt",
           "PR_NUMBER": "7", "TOKEN": "not-a-secret", "COMMAND": "check", "FORGE": "github", "TZ": "UTC"}
    env.pop("PYTHONPATH", None)
    steps = _action_steps()
    proc = _bash(steps["Install the pinned hoso, never the pull request's"], judge, env)
    assert proc.returncode == 0, proc.stderr
    proc = _bash(steps["Fetch the pull request's commits as data"], judge, env)
    assert proc.returncode == 0, proc.stderr
    assert git(judge, "rev-parse", "refs/hoso/pr").strip() == head
    run = steps["Run hoso"].replace('"$(TZ=Asia/Ho_Chi_Minh date +%F)"', TODAY)
    proc = _bash(run, judge, env)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "TIME-TOO-EARLY" in proc.stdout  # the final review, refused by main's checker
    where = subprocess.run([str(bin_dir / "python"), "-c", "import hoso; print(hoso.__file__)"], cwd=tmp_path,
                           capture_output=True, text=True, env=env, timeout=60).stdout
    assert str(tmp_path / "venv") in where  # the hoso that judged is the one installed from main
    # the pull request's tree never reached the work tree (only the build's own output is new)
    assert git(judge, "status", "--porcelain", "--untracked-files=no") == ""
    assert git(judge, "rev-parse", "HEAD") == git(forge, "rev-parse", "main")


def test_the_forgejo_judge_is_mains_code_and_refuses_the_step(attack: tuple[Path, str], tmp_path: Path) -> None:
    """The same attack against .forgejo/workflows/validate.yml, whose steps clone main with git."""
    forge, head = attack
    judge = tmp_path / "judge"
    judge.mkdir()
    bin_dir = _venv(tmp_path / "venv")  # in place of the step that makes /tmp/hoso-venv
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "PIP_NO_INDEX": "1",
           "PIP_NO_BUILD_ISOLATION": "0", "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PR_NUMBER": "7",
           "HEAD_SHA": head, "TOKEN": "not-a-secret", "SERVER": f"file://{forge.parent.parent}",
           "REPOSITORY": "hoso-demo/records"}
    env.pop("PYTHONPATH", None)
    steps = _steps("validate.yml", "check", FORGEJO)
    proc = _bash(steps["Clone main (the judge) and fetch the pull request's commits as data"], judge, env)
    assert proc.returncode == 0, proc.stderr
    install = steps["Install hoso from main, never from the pull request"]
    assert install.strip() == "python -m pip install --quiet -c constraints.txt ."
    assert _bash(install, judge, env).returncode == 0
    check = steps["hoso check against main"].replace('"$(TZ=Asia/Ho_Chi_Minh date +%F)"', TODAY)
    proc = _bash(check, judge, env)
    assert proc.returncode == 1 and "TIME-TOO-EARLY" in proc.stdout, proc.stdout + proc.stderr
    assert git(judge, "rev-parse", "HEAD") == git(forge, "rev-parse", "main")


def test_the_same_pull_request_judged_by_its_own_code_passes(attack: tuple[Path, str], tmp_path: Path) -> None:
    """What the old workflows did (install the pull request's tree): the sabotage decides."""
    forge, head = attack
    tree = tmp_path / "pr"
    git(tmp_path, "clone", "-q", str(forge), str(tree))
    git(tree, "checkout", "-q", head)
    env = {**os.environ, "PYTHONPATH": str(tree / "tools")}
    proc = subprocess.run([sys.executable, "-m", "hoso", "check", "--base", "main", "--head", head, "--today", TODAY],
                          cwd=tree, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and "TIME-TOO-EARLY" not in proc.stdout, proc.stdout + proc.stderr


def test_no_workflow_step_installs_or_runs_the_pull_requests_tree() -> None:
    """Every workflow a pull request triggers checks out main only and reads the pull request as
    refs: no checkout of its head or merge ref, no work tree of it, nothing installed from it."""
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    for path in sorted(WORKFLOWS.glob("*.yml")) + sorted(FORGEJO.glob("*.yml")) + [ROOT / "action.yml"]:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        triggers = doc.get(True) or doc.get("on") or {}
        if path.name == "action.yml":
            jobs = [{"steps": action["runs"]["steps"]}]
        elif {"pull_request", "pull_request_target", "pull_request_review", "workflow_call"} & set(triggers):
            jobs = list(doc["jobs"].values())
        else:
            continue
        assert "pull_request" not in triggers, f"{path.name}: `pull_request` runs the pull request's own workflow"
        for job in jobs:
            for step in job["steps"]:
                if "actions/checkout@" in step.get("uses", ""):
                    assert step["with"].get("ref") in ("main", "${{ inputs.protected-branch }}",
                                                       "${{ inputs.hoso-version }}"), path.name
                run = step.get("run", "")
                for word in ("git checkout", "git switch", "git worktree", "git archive", "git merge", "pip install -e",
                             "refs/hoso/pr:", "github.event.pull_request.head", "refs/pull/$PR_NUMBER/merge",
                             "head.ref", "head.sha }}"):
                    assert word not in run, f"{path.name}: {word!r} in {run!r}"
                if "git " in run and "clone" in run:
                    assert "--branch main" in run, run
                if "pip install" in run:
                    assert run.strip() in ("python -m pip install --quiet -c constraints.txt .",
                                           'python -m pip install --quiet "$SPEC" '
                                           '${CONSTRAINTS:+--constraint "$CONSTRAINTS"}'), run
                if step.get("uses", "").startswith("./"):  # the action, from main's or the pinned tool's checkout
                    assert step["with"]["hoso"] in (".", "${{ inputs.hoso }}"), path.name
