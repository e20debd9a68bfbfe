"""The commands shown in docs/ and README.md, run for real and compared with what the page shows.

Convention: a fenced block opened with ```console holds commands, each on a line starting with
``$ ``, each followed by the exact output it prints (standard output and standard error as a
terminal shows them, without colour). A line holding only ``…`` stands for any number of lines;
commit ids are compared as "some commit id".
Every page is run from the top in its own fresh environment: an officer's clone of a copy of
the demo repository, with a bare ``origin`` to push to, today 2026-11-27, Vietnamese by default.
The published pages (docs/) never show a real officer or case id of the demo: their environment
adds a fictitious commune (``lao-cai/xa-mau``, case prefix XX) with officers OF-0001 … OF-0012,
and their today is 2026-11-30, like every date they show a day no demo record uses
(tests/test_site_identifiers.py: no date of a demo event reaches the site).

A block right after the comment ``<!-- doc-test: skip REASON -->`` is shown, not run; so are the
commands of ``UNRUN`` (README sections that show a setup described in words, not in commands).
Regenerate the expected outputs with ``python -m tests.regen_docs`` and read the diff.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from tests.conftest import GIT_ENV, ROOT, copy_demo, git

TODAY = "2026-11-27"
TODAY_PUBLISHED = "2026-11-30"
BLOCK = re.compile(r"^(?P<lead>(?:<!-- doc-test: skip[^\n]*-->\n)?)```console\n(?P<body>.*?)^```", re.S | re.M)
ANY = "…"
PAGES = sorted([*(ROOT / "docs").rglob("*.md"), ROOT / "README.md"])

SAMPLE_UNITS = """\
  - id: lao-cai/xa-mau
    name: "Đảng ủy xã Mẫu (ví dụ trong hướng dẫn)"
    kind: xa
    valid_from: "2025-07-01"
    case_prefix: XX
  - id: lao-cai/xa-mau/chi-bo-mau
    name: "Chi bộ Mẫu, xã Mẫu (ví dụ trong hướng dẫn)"
    kind: chi-bo
    valid_from: "2025-07-01"
"""


def _officer(n: int, roles: list[tuple[str, str]]) -> str:
    lines = [f"  - id: OF-{n:04d}", f"    login: vi-du-{n}", f"    member: DV-{9900 + n}", "    roles:"]
    lines += [f'      - {{role: {r}, unit: {u}, from: "2025-07-01"}}' for r, u in roles]
    return "\n".join(lines) + "\n"


CELL, COMMUNE = "lao-cai/xa-mau/chi-bo-mau", "lao-cai/xa-mau"
SAMPLE_OFFICERS = "".join([
    _officer(1, [("bi_thu", CELL), ("chi_uy", CELL)]),
    _officer(2, [("chi_uy", CELL)]),
    _officer(3, [("chi_uy", CELL)]),
    _officer(11, [("dang_uy", COMMUNE)]),
    _officer(12, [("dang_uy", COMMUNE)]),
])


UNRUN = {
    "make ": "make site and make test build and test the whole project (tests/test_site_build.py builds the site)",
    ".venv/bin/hoso validate --today 2026-11-27 --lang en": "runs on a copy of the demo edited as the text says",
    "hoso check --base main --today 2025-02-01": "runs on a change to VC-2024-100 described in the text",
    ".venv/bin/python bench/": "a benchmark of several minutes (make bench)",
}


def unrun(command: str) -> str | None:
    return next((why for start, why in UNRUN.items() if command.startswith(start)), None)


@dataclass
class Command:
    line: str  # what follows "$ "
    expected: list[str] = field(default_factory=list)


@dataclass
class Block:
    page: Path
    start: int  # offset of the body in the page's text
    end: int
    skip: bool
    commands: list[Command]


def parse(body: str) -> list[Command]:
    out: list[Command] = []
    for line in body.splitlines():
        if line.startswith("$ "):
            out.append(Command(line[2:]))
        elif out:
            out[-1].expected.append(line)
    return out


def blocks(page: Path) -> list[Block]:
    text = page.read_text(encoding="utf-8")
    return [Block(page, m.start("body"), m.end("body"), bool(m.group("lead")), parse(m.group("body")))
            for m in BLOCK.finditer(text)]


def published(page: Path) -> bool:
    return (ROOT / "docs") in page.parents


def environment(tmp: Path, sample: bool) -> Path:
    """An officer's clone of a copy of the demo (with the fictitious commune when ``sample``)."""
    seed = copy_demo(tmp / "seed")
    if sample:
        units, officers = seed / "org" / "units.yaml", seed / "org" / "officers.yaml"
        units.write_text(units.read_text(encoding="utf-8") + SAMPLE_UNITS, encoding="utf-8")
        officers.write_text(officers.read_text(encoding="utf-8") + SAMPLE_OFFICERS, encoding="utf-8")
    git(seed, "init", "-q", "-b", "main")
    git(seed, "add", "-A")
    git(seed, "commit", "-q", "-m", "demo")
    git(tmp, "clone", "-q", "--bare", str(seed), str(tmp / "origin.git"))
    git(tmp, "clone", "-q", str(tmp / "origin.git"), str(tmp / "clone"))
    return tmp / "clone"


SHELL = re.compile(r"[|&;<>$`*?]")


def run(command: str, cwd: Path, today: str = TODAY) -> list[str]:
    """One shown command, ``hoso`` being this checkout's; its output as a terminal shows it.

    A plain ``hoso …`` line runs in this process (the same ``main`` the script calls, standard
    output and error into one stream, so their order is kept); anything else runs in bash."""
    bin_dir = str(Path(sys.executable).parent)
    env = {**os.environ, **GIT_ENV, "PATH": bin_dir + os.pathsep + os.environ.get("PATH", ""), "HOSO_TODAY": today,
           "NO_COLOR": "1", "PYTHONUNBUFFERED": "1", "COLUMNS": "100"}
    env.pop("HOSO_LANG", None)
    env.pop("FORCE_COLOR", None)
    shown = command.replace(".venv/bin/hoso", "hoso")
    if shown.startswith("hoso ") and not SHELL.search(shown):
        text = run_here(shlex.split(shown)[1:], cwd, env)
    else:
        done = subprocess.run(["bash", "-c", shown], cwd=cwd, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, timeout=300)
        text = done.stdout
    return text.rstrip("\n").splitlines() if text.strip() else []


def run_here(argv: list[str], cwd: Path, env: dict[str, str]) -> str:
    from hoso.cli import main

    out = io.StringIO()
    saved_env, saved_cwd, saved_in = dict(os.environ), os.getcwd(), sys.stdin
    os.environ.clear()
    os.environ.update(env)
    os.chdir(cwd)
    sys.stdin = io.StringIO("")
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            try:
                main(argv)
            except SystemExit:
                pass
    finally:
        sys.stdin = saved_in
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)
    return out.getvalue()


SHA = re.compile(r"\b[0-9a-f]{10,40}\b")


def same_line(expected: str, actual: str) -> bool:
    """Equal, but for commit ids (they change whenever the demo data changes)."""
    return SHA.sub("<commit>", expected) == SHA.sub("<commit>", actual)


def matches(expected: list[str], actual: list[str]) -> bool:
    """``expected`` line by line, a line ``…`` standing for any number of lines."""
    if not expected:
        return not actual
    if expected[0].strip() == ANY:
        return any(matches(expected[1:], actual[i:]) for i in range(len(actual) + 1))
    return bool(actual) and same_line(expected[0], actual[0]) and matches(expected[1:], actual[1:])


def shown_output(expected: list[str], actual: list[str]) -> list[str]:
    """What regeneration writes: the actual output, cut where the page cut it with a final ``…``."""
    if expected and expected[-1].strip() == ANY and len(actual) > len(expected) - 1:
        return actual[: len(expected) - 1] + [expected[-1]]
    return actual


def run_page(page: Path, tmp: Path) -> list[tuple[Block, Command, list[str]]]:
    """Every command of the page's blocks that are not skipped, in order, with its actual output."""
    clone = environment(tmp, sample=published(page))
    today = TODAY_PUBLISHED if published(page) else TODAY
    out = []
    for block in blocks(page):
        if block.skip or any(unrun(c.line) for c in block.commands):
            continue
        for command in block.commands:
            out.append((block, command, run(command.line, clone, today)))
    return out
