"""`make mutation`: mutmut on the rule modules against the fast tests, and the score per module.

mutmut 3 imports the mutated code from ``mutants/src`` (or ``mutants/``); hoso lives in
``tools/``. So the run happens in a staging copy, ``build/mutation/``, where the package is
``src/hoso`` and the tests, procedures, org and records sit beside it as in the repository.

The score of a module is killed / (all - not run). A mutant listed in
``tests/mutation/equivalent.txt`` (its name, then a one-line reason why no test can tell it
from the original) counts as killed; one that is not listed counts as it came out.

    python tests/mutation/run.py                       # every rule module, every mutant
    python tests/mutation/run.py checks calendar       # some modules
    python tests/mutation/run.py --per-function 2 checks   # a sample: the first 2 mutants of each function
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STAGE = ROOT / "build" / "mutation"
EQUIVALENT = Path(__file__).resolve().parent / "equivalent.txt"
MODULES = ("checks", "engine", "history", "change", "approval", "disclosure", "calendar")
# In-process tests of the rules (no `hoso` child processes: those would import the unmutated code).
FAST_TESTS = ("tests/test_mutants.py", "tests/test_mutants_change.py", "tests/test_engine.py",
              "tests/test_check.py", "tests/test_check_protected.py", "tests/test_approvals.py",
              "tests/test_disclosure.py", "tests/test_examples.py")
# Issue 10's rule modules (DATE-BOUND/REF-MISMATCH, corrections, DIFF-OPEN-VERSION-EDITED, one open
# case per member) and their in-process tests.
MODULES += ("bounds", "corrections", "versions", "membercases")
FAST_TESTS += ("tests/test_corrections.py", "tests/test_versions.py", "tests/test_mutants_history.py",
               "tests/test_mutants_rules10.py", "tests/test_mutants_bounds.py", "tests/test_mutants_engine.py",
               "tests/test_procedure_2026.py")
# mut-b (issue 13): calendar, disclosure, approval and change. test_calendar.py's pin test reads
# the repository's pyproject.toml, which the staging copy replaces: its other tests by name.
FAST_TESTS += ("tests/test_mutants_calendar.py", "tests/test_mutants_disclosure.py", "tests/test_mutants_approval.py",
               *(f"tests/test_calendar.py::{t}" for t in (
    "test_working_days", "test_counting_across_the_april_holidays", "test_counting_across_tet_and_national_day",
    "test_the_day_itself_does_not_count", "test_a_country_without_holidays_counts_weekends_only")),
               "tests/test_trust_paths.py", "tests/test_trust_history.py")  # check's attacks, in-process
DATA = ("procedures", "org", "records", "schema", "hoso.yaml", "tests")
KILLED = {"killed", "caught by type check", "timeout"}  # a timeout is detected (an endless loop fails CI), as in Stryker
NOT_RUN = {"not checked", "skipped"}  # "no tests": no fast test calls the function, so it survives


def stage(modules: list[str], tests: list[str]) -> None:
    if STAGE.exists():
        shutil.rmtree(STAGE)
    (STAGE / "src").mkdir(parents=True)
    shutil.copytree(ROOT / "tools" / "hoso", STAGE / "src" / "hoso",
                    ignore=shutil.ignore_patterns("__pycache__"))
    for name in DATA:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, STAGE / name, ignore=shutil.ignore_patterns("__pycache__", ".hypothesis"))
        elif src.exists():
            shutil.copy2(src, STAGE / name)
    # tests/test_examples.py reads the catalogue's text at tools/hoso/messages.py (not imported from there)
    (STAGE / "tools" / "hoso").mkdir(parents=True)
    shutil.copy2(ROOT / "tools" / "hoso" / "messages.py", STAGE / "tools" / "hoso" / "messages.py")
    only = ", ".join(f'"src/hoso/{m}.py"' for m in modules)
    selection = ", ".join(f'"{t}"' for t in tests)
    (STAGE / "pyproject.toml").write_text(f"""\
[tool.mutmut]
source_paths = ["src/hoso"]
only_mutate = [{only}]
also_copy = ["procedures", "org", "records", "schema", "hoso.yaml", "tools"]
pytest_add_cli_args = ["-q", "-p", "no:cacheprovider", "-x"]
pytest_add_cli_args_test_selection = [{selection}]

[tool.pytest.ini_options]
testpaths = ["tests"]
""", encoding="utf-8")


def equivalent() -> dict[str, str]:
    out = {}
    for line in EQUIVALENT.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, _, reason = line.partition(" ")
            assert reason.strip(), f"{EQUIVALENT.name}: {name} needs a one-line reason"
            out[name] = reason.strip()
    return out


def mutants() -> dict[str, str]:
    """mutant name -> status, as mutmut reports them."""
    out = subprocess.run([sys.executable, "-m", "mutmut", "results", "--all", "true"], cwd=STAGE,
                         capture_output=True, text=True, check=True).stdout
    return dict(re.findall(r"^\s+(\S+): (.+?)\s*$", out, re.M))


def score(results: dict[str, str], listed: dict[str, str], modules: list[str]) -> list[str]:
    lines = [f"{'module':<12} {'killed':>7} {'equiv':>6} {'survived':>9} {'other':>6} {'score':>7}"]
    for m in modules:
        mine = {k: v for k, v in results.items() if k.startswith(f"hoso.{m}.") and v not in NOT_RUN}
        killed = sum(1 for v in mine.values() if v in KILLED)
        equiv = sum(1 for k, v in mine.items() if v not in KILLED and k in listed)
        survived = sum(1 for k, v in mine.items() if v == "survived" and k not in listed)
        other = len(mine) - killed - equiv - survived
        pct = f"{100 * (killed + equiv) / len(mine):.0f} %" if mine else "—"
        lines.append(f"{m:<12} {killed:>7} {equiv:>6} {survived:>9} {other:>6} {pct:>7}")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("modules", nargs="*", metavar="MODULE", help=f"some of {', '.join(MODULES)} (default: all)")
    parser.add_argument("--per-function", type=int, default=0, choices=range(0, 10), metavar="N",
                        help="a sample: only the first N (1-9) mutants of every function")
    parser.add_argument("--max-children", type=int, default=2, help="mutants tested at once (default 2)")
    parser.add_argument("--tests", nargs="*", default=list(FAST_TESTS))
    args = parser.parse_args()
    modules = args.modules or list(MODULES)
    unknown = set(modules) - set(MODULES)
    if unknown:
        parser.error(f"not a rule module: {', '.join(sorted(unknown))}")
    stage(modules, args.tests)
    patterns = [f"hoso.{m}.*__mutmut_[1-{args.per_function}]" for m in modules] if args.per_function else []
    # Each mutant builds its own procedure models and check plans (hoso.repository keeps them per
    # process otherwise, and mutmut forks its children from a process that ran the clean code).
    env = {**os.environ, "HOSO_NO_PROCEDURE_CACHE": "1"}
    subprocess.run([sys.executable, "-m", "mutmut", "run", "--max-children", str(args.max_children), *patterns],
                   cwd=STAGE, check=False, env=env)
    results = mutants()
    listed = equivalent()
    print("\n".join(score(results, listed, modules)))
    for name, status in sorted(results.items()):
        if status not in KILLED and status not in NOT_RUN and name not in listed:
            print(f"  {status}: {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
