"""Reading a hoso repository: procedures, the organisation and case files, from any source.

A :class:`Source` lists and reads files; the working tree is one, a git commit (for
``hoso check``) another. Every reader returns findings placed at file, line and column.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, Field, ValidationError

from hoso.base import Strict
from hoso.checks import CaseResult, Context, check_case
from hoso.engine import Issue
from hoso.findings import Finding, finding
from hoso.messages import L
from hoso.org import Org
from hoso.procedure import Procedure, check_procedure
from hoso.recordmodel import Compiled
from hoso.schemaerrors import pydantic_issues
from hoso.source import Source as Source, WorkTree as WorkTree  # re-exported
from hoso.yamlload import MAX_BYTES, Loaded, YamlError, decode, load_fast, load_strict

SETTINGS = "hoso.yaml"
PROCEDURES = "procedures"
RECORDS = "records"
UNITS = "org/units.yaml"
OFFICERS = "org/officers.yaml"


# ------------------------------------------------------------------------ parsing


@dataclass
class Parsed:
    """A file's value, and its positions once they were needed."""

    path: str
    value: Any = None
    loaded: Loaded | None = None
    text: str | None = None
    findings: list[Finding] = field(default_factory=list)
    max_bytes: int = MAX_BYTES

    @property
    def ok(self) -> bool:
        return not self.findings

    def positions(self) -> Loaded | None:
        """The strict loader's positions (parsing again if the fast path was used)."""
        if self.loaded is None and self.text is not None:
            try:
                self.loaded = load_strict(self.text, max_bytes=self.max_bytes)
            except YamlError as exc:
                self.findings.append(yaml_finding(self.path, exc))
        return self.loaded

    def place(self, issues: Iterable[Issue]) -> list[Finding]:
        issues = shown_issues(list(issues))
        if not issues:
            return []
        loaded = self.positions()
        out = []
        for i in issues:
            rule = str(dict(i.args)["rule"]) if i.rule == MORE else i.rule  # the count stands where its first would
            key = rule in KEY_RULES or (bool(i.path) and i.path[-1] == "[key]")  # a bad mapping key
            pos = loaded.pos(i.path, key=key) if loaded is not None else None
            out.append(Finding(self.path, pos.line if pos else 1, pos.column if pos else 1, i.rule,
                               i.severity, i.args))  # type: ignore[arg-type]
        return out


KEY_RULES = ("SCHEMA-UNKNOWN-KEY",)  # rules placed at a mapping's key, not at its value
MORE = "FILE-MORE-FINDINGS"
SHOWN_PER_RULE = 20  # findings of one rule in one file; the rest are counted in one FILE-MORE-FINDINGS


def shown_issues(issues: list[Issue]) -> list[Issue]:
    """The first :data:`SHOWN_PER_RULE` issues of each rule, in the order found, and for each rule
    that had more, one FILE-MORE-FINDINGS where the first left out stands (an error if any left
    out is one). A file of 50,000 misspelt keys is 20 lines and a count, not 50,000 lines to
    read, store and print."""
    seen: dict[str, int] = {}
    shown: list[Issue] = []
    rest: dict[str, list[Issue]] = {}
    for i in issues:
        seen[i.rule] = seen.get(i.rule, 0) + 1
        if seen[i.rule] <= SHOWN_PER_RULE:
            shown.append(i)
        else:
            rest.setdefault(i.rule, []).append(i)
    for rule, more in rest.items():
        severity = "error" if any(i.severity == "error" for i in more) else "warning"
        n = f"{len(more):,}"  # 49,980 in English, 49.980 in Vietnamese
        shown.append(Issue(more[0].path, MORE, severity,
                           (("count", L(n.replace(",", "."), n)), ("rule", rule), ("shown", SHOWN_PER_RULE))))
    return shown


def yaml_finding(path: str, exc: YamlError) -> Finding:
    return finding(path, exc.line, exc.column, exc.rule, **exc.args_)


def parse(path: str, data: bytes | None, *, fast: bool = True, max_bytes: int = MAX_BYTES) -> Parsed:
    if data is None:
        return Parsed(path, findings=[finding(path, 1, 1, "FILE-MISSING")])
    try:
        text = decode(data, max_bytes)
    except YamlError as exc:
        return Parsed(path, findings=[yaml_finding(path, exc)])
    if fast:
        value = load_fast(text, data[3:] if data.startswith(b"\xef\xbb\xbf") else data)
        if value is not None:
            return Parsed(path, value=value, text=text, max_bytes=max_bytes)
    try:
        loaded = load_strict(text, max_bytes=max_bytes)
    except YamlError as exc:
        return Parsed(path, findings=[yaml_finding(path, exc)])
    return Parsed(path, value=loaded.value, loaded=loaded, text=text)


def validate_model(parsed: Parsed, model: type[BaseModel]) -> tuple[Any, list[Finding]]:
    try:
        return model.model_validate(parsed.value), []
    except ValidationError as exc:
        return None, parsed.place(pydantic_issues(exc))


# ---------------------------------------------------------------------- procedures


# A procedure file's compiled form and findings, by its path and the digest of its bytes: a process
# that runs hoso more than once (the test suite, an editor's language server) reads, checks and
# builds the models of each procedure once. Same bytes, same path, same answer: a Compiled depends
# on nothing else. HOSO_NO_PROCEDURE_CACHE=1 turns it off (`make mutation` does: a mutant of the
# rules must be judged on models and check plans it builds itself, not on a parent's).
_PROCEDURES: dict[tuple[str, bytes], tuple[Compiled | None, tuple[Finding, ...]]] = {}
_PROCEDURES_MAX = 64


def load_procedures(source: Source) -> tuple[dict[str, Compiled], list[Finding]]:
    out: dict[str, Compiled] = {}
    findings: list[Finding] = []
    cache = not os.environ.get("HOSO_NO_PROCEDURE_CACHE")
    for path in source.list(PROCEDURES):
        data = source.read(path)
        key = (path, hashlib.sha256(data).digest()) if cache and data is not None else None
        loaded = _PROCEDURES.get(key) if key else None
        if loaded is None:
            loaded = _load_procedure(path, data)
            if key:
                if len(_PROCEDURES) >= _PROCEDURES_MAX:
                    _PROCEDURES.clear()
                _PROCEDURES[key] = loaded
        compiled, fs = loaded
        findings.extend(fs)
        if compiled is not None:
            out[compiled.proc.id] = compiled
    return out, findings


def _load_procedure(path: str, data: bytes | None) -> tuple[Compiled | None, tuple[Finding, ...]]:
    """One procedure file: parsed strictly, validated, its own rules checked, then compiled
    (``None`` when it has an error)."""
    findings: list[Finding] = []
    parsed = parse(path, data, fast=False)
    findings.extend(parsed.findings)
    if not parsed.ok:
        return None, tuple(findings)
    proc, fs = validate_model(parsed, Procedure)
    findings.extend(fs)
    if proc is None:
        return None, tuple(findings)
    stem = path.rsplit("/", 1)[-1][: -len(".yaml")]
    problems = [Issue(p, r, "error", tuple(sorted(a.items()))) for p, r, a in check_procedure(proc)]
    if proc.id != stem:
        problems.append(Issue(("id",), "PROC-ID-FILE", "error", (("id", proc.id), ("stem", stem))))
    fs = parsed.place(problems)
    findings.extend(fs)
    if any(f.severity == "error" for f in fs):
        return None, tuple(findings)
    return Compiled(proc), tuple(findings)


# ----------------------------------------------------------------------------- org


def load_org(source: Source, procedures: dict[str, Compiled], *, lazy: bool = False) -> tuple[Org, list[Finding]]:
    """The unit tree and roster, from one file each or from shards (hoso.orgload)."""
    from hoso import orgload

    return orgload.load_org(source, procedures, lazy=lazy)


# -------------------------------------------------------------------------- records


@dataclass
class RecordResult:
    path: str
    findings: list[Finding]
    result: CaseResult | None = None


def check_record(path: str, data: bytes | None, ctx: Context) -> RecordResult:
    parsed = parse(path, data)
    if not parsed.ok:
        return RecordResult(path, parsed.findings)
    result = check_case(parsed.value, ctx)
    issues = list(result.issues)
    header, state = result.header, result.state
    if header is not None:
        stem = path.rsplit("/", 1)[-1][: -len(".yaml")]
        if header.case != stem:
            issues.append(Issue(("case",), "REC-CASE-ID", "error", (("case", header.case), ("stem", stem))))
        unit = state.unit if state is not None else header.unit
        expected = f"{RECORDS}/{unit}/{stem}.yaml"
        if path != expected:
            issues.append(Issue(("unit",), "REC-PATH", "error", (("expected", expected), ("unit", unit))))
    findings = parsed.place(issues) + parsed.findings
    return RecordResult(path, findings, result)


class ForgeSettings(Strict):
    """Where the pull requests live: ``kind`` (github, forgejo; gitea is forgejo), the API root
    (e.g. ``https://git.example.vn/api/v1``) and the repository OWNER/NAME. The environment
    (``GITHUB_API_URL``, ``GITHUB_REPOSITORY``) fills what is not set; the token is never here."""

    kind: str = Field(default="github", pattern=r"^(github|forgejo|gitea)$")
    api_url: str | None = Field(default=None, pattern=r"^https?://[^\s]+$")
    repository: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")


class RepoSettings(Strict):
    """``hoso.yaml``: the repository's own settings (all optional)."""

    name: str | None = None
    synthetic: bool = False  # every record is demo data: the site and new files say so
    maintainer_role: str | None = None  # the role whose holders approve every change outside records/
    # hoso check: a new event dated more than this many days before the base commit is a
    # warning, more than the second an error (entering a step late is how back-dating looks)
    backdate_warning_days: int = Field(default=30, ge=0)
    backdate_error_days: int = Field(default=90, ge=0)
    # hoso check: a transfer may go to any unit of the sending unit's kind, not only a successor
    transfer_to_any_unit_of_kind: bool = False
    # The branch whose history is the record: `hoso approvals` judges only pull requests into it.
    protected_branch: str = Field(default="main", pattern=r"^[A-Za-z0-9._/-]{1,200}$")
    # A role whose holders may record steps for the body they serve (a clerk); none by default.
    clerk_role: str | None = None
    # Every commit of a pull request must carry a signature the forge verified: the author's
    # e-mail alone can be set by anyone who commits.
    signed_commits: bool = False
    forge: ForgeSettings = ForgeSettings()
    # `hoso audit --verify` checks the approvals kept in merge commits from this commit on (the
    # day the repository started merging with `hoso merge`); unset: the whole history.
    verify_since: str | None = Field(default=None, pattern=r"^[0-9a-f]{7,40}$|^[A-Za-z0-9._/-]{1,200}$")
    # the published site's address (ending in /): the sitemap, canonical links and 404 pages use it
    site_url: str | None = Field(default=None, pattern=r"^https?://[^/\s]+/(\S*/)?$")


def load_settings(source: Source) -> tuple[RepoSettings, list[Finding]]:
    data = source.read(SETTINGS)
    if data is None:
        return RepoSettings(), []
    parsed = parse(SETTINGS, data, fast=False)
    if not parsed.ok:
        return RepoSettings(), parsed.findings
    settings, findings = validate_model(parsed, RepoSettings)
    return (settings or RepoSettings()), findings


@dataclass
class Repo:
    source: Source
    ctx: Context
    findings: list[Finding]
    settings: RepoSettings = field(default_factory=RepoSettings)


def load_context(source: Source, today: dt.date, *, lazy_org: bool = False) -> Repo:
    """``lazy_org``: a sharded organisation is read shard by shard as lookups need it (a
    one-case command); the findings of what is read join ``findings`` as it is read."""
    procedures, findings = load_procedures(source)
    org, org_findings = load_org(source, procedures, lazy=lazy_org)
    settings, settings_findings = load_settings(source)
    return Repo(source, Context(procedures, org, today), findings + org_findings + settings_findings, settings)
