"""Shared by the fuzz tests: the demo records, their fields by line, and one in-process run of
the checks `hoso validate` applies to a record (parse, rules, every output format, the cache's
round trip), asserting what must hold for ANY input: exit 0 or 1, findings in the catalogue with
a place, JSON that parses, no exception."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from hoso import cache
from hoso.findings import Finding, Report
from hoso.messages import CATALOG
from hoso.reporters import FORMATS, render
from hoso.repository import Repo, WorkTree, check_record, load_context
from tests.conftest import FUZZ_EXAMPLES, ROOT, TODAY

# How many examples each fuzz test draws: a few seconds' worth in `make test`, many more in
# `make fuzz` (HOSO_FUZZ_EXAMPLES=2000). Bounded by count, never by a clock.
EXAMPLES = FUZZ_EXAMPLES


def examples(fast: int) -> int:
    return EXAMPLES or fast


@lru_cache(maxsize=1)
def demo_repo() -> Repo:
    """The demo's procedures and org, read once (records are checked one at a time)."""
    return load_context(WorkTree(ROOT), dt.date.fromisoformat(TODAY))


@lru_cache(maxsize=1)
def demo_records() -> tuple[tuple[str, str], ...]:
    paths = sorted((ROOT / "records").rglob("*.yaml"))
    return tuple((p.relative_to(ROOT).as_posix(), p.read_text(encoding="utf-8")) for p in paths)


@dataclass(frozen=True)
class Field:
    """One ``key: value`` of a record: a header field or a field of one event."""

    path: str
    line: int  # 1-based line of the key
    key: str
    prefix: str  # what stands before the key on its line ("", "  - ", "    ")
    end: int  # 1-based line after the value (continuation lines included)


_KEY = re.compile(r"^(|  - |    )([A-Za-z_][A-Za-z0-9_]*):(?: |$)")


def fields_of(path: str, text: str) -> list[Field]:
    lines = text.splitlines()
    out: list[Field] = []
    for n, line in enumerate(lines, 1):
        m = _KEY.match(line)
        if not m:
            continue
        indent = len(m.group(1))  # header keys: 0; event keys: 4 (after "  - " or "    ")
        end = n
        while end < len(lines) and lines[end].strip() and len(lines[end]) - len(lines[end].lstrip()) > indent:
            end += 1
        out.append(Field(path, n, m.group(2), m.group(1), end + 1))
    return out


@lru_cache(maxsize=1)
def demo_fields() -> tuple[Field, ...]:
    return tuple(f for path, text in demo_records() for f in fields_of(path, text))


def replace_value(text: str, f: Field, token: str) -> str:
    """``text`` with the value of ``f`` (and its continuation lines) replaced by ``token``."""
    lines = text.splitlines(keepends=True)
    new = f"{f.prefix}{f.key}: {token}\n"
    return "".join(lines[: f.line - 1] + [new] + lines[f.end - 1:])


def original_value(text: str, f: Field) -> str:
    lines = text.splitlines()
    first = lines[f.line - 1].split(":", 1)[1].strip()
    return first if f.end == f.line + 1 else "\n".join(lines[f.line - 1: f.end - 1])


@dataclass
class Outcome:
    code: int
    findings: list[Finding]
    doc: dict[str, Any]


def check_text(path: str, data: bytes) -> Outcome:
    """What `hoso validate` does with one record, in this process, with every output format."""
    repo = demo_repo()
    result = check_record(path, data, repo.ctx)
    report = Report()
    report.extend(result.findings)
    report.files_checked = 1
    outputs = {fmt: render(report, fmt, lang) for fmt in FORMATS for lang in ("vi", "en")}
    doc = json.loads(render(report, "json", "en"))
    json.loads(render(report, "sarif", "vi"))
    assert all(outputs.values())
    code = report.exit_code()
    assert code in (0, 1)
    for f in report.sorted():
        assert f.rule in CATALOG, f.rule
        assert f.file == path and f.line >= 1 and f.column >= 1
        assert f.message("vi") and f.message("en")
        assert all(isinstance(v, (str, tuple)) for _, v in f.args), f.args  # frozen: text or L
    # the cache stores findings as JSON: what it gives back is what a fresh run found
    rows = json.loads(json.dumps(cache.encode_findings(result.findings)))
    assert cache.decode_findings(path, rows) == result.findings
    assert len(doc["findings"]) == len(report.sorted())
    return Outcome(code, result.findings, doc)
