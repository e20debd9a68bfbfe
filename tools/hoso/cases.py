"""Case files in a working tree, as the officer commands see them: found by id, replayed."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from hoso.checks import CaseResult, check_case, resolve_body
from hoso.engine import State
from hoso.errors import HosoError
from hoso.findings import Finding
from hoso.messages import L
from hoso.options import require_hoso_repo
from hoso.org import Officer
from hoso.procedure import Procedure, RoleSpec
from hoso.recordmodel import CaseHeader, Compiled
from hoso.repository import RECORDS, Repo, WorkTree, load_context, parse


@dataclass
class CaseFile:
    """A case that parsed and replayed (``find_case`` and ``all_cases`` return no other)."""

    path: str  # relative to the repository root
    text: str
    result: CaseResult

    @property
    def state(self) -> State:
        assert self.result.state is not None
        return self.result.state

    @property
    def header(self) -> CaseHeader:
        assert self.result.header is not None
        return self.result.header


_COMPILED: dict[str, Compiled] = {}


def open_repo(root: Path, today: dt.date) -> Repo:
    require_hoso_repo(root)
    # a sharded organisation is read as the case needs it: only the shards it names are parsed
    # (and judged); `hoso validate` judges every shard
    repo = load_context(WorkTree(root), today, lazy_org=True)
    for pid, compiled in list(repo.ctx.procedures.items()):
        # the generated models of an identical procedure are reused within one process
        repo.ctx.procedures[pid] = _COMPILED.setdefault(compiled.proc.model_dump_json(), compiled)
    errors = [f for f in repo.findings if f.severity == "error"]
    if errors:
        first = errors[0]
        raise HosoError(L(f"kho có lỗi ở quy trình hoặc tệp tổ chức ({first.file}:{first.line}: {first.message('vi')}); "
                          "chạy 'hoso validate' để xem",
                          f"the procedures or org files have errors ({first.file}:{first.line}: {first.message('en')}); "
                          "run 'hoso validate'"))
    return repo


def case_paths(repo: Repo) -> dict[str, str]:
    """Case id (the file name) -> path, for every record file."""
    return {p.rsplit("/", 1)[-1][: -len(".yaml")]: p for p in repo.source.list(RECORDS)}


def load_case(repo: Repo, path: str) -> CaseFile | None:
    data = repo.source.read(path)
    parsed = parse(path, data)
    if not parsed.ok or parsed.text is None:
        return None
    return CaseFile(path, parsed.text, check_case(parsed.value, repo.ctx))


def find_case(repo: Repo, case: str) -> CaseFile:
    """The case of id ``case``, whatever its letters' case (vc-2021-001 is VC-2021-001)."""
    path = indexed_path(repo, case)
    if path is None:
        paths = case_paths(repo)
        _remember(repo, paths)
        path = paths.get(case) or {c.upper(): p for c, p in paths.items()}.get(case.upper())
        if path is None:
            from hoso.suggest import did_you_mean

            hint = did_you_mean(case.upper(), paths)
            raise HosoError(L(f"không tìm thấy hồ sơ '{case}' trong {RECORDS}/{hint.vi}",
                              f"no case '{case}' in {RECORDS}/{hint.en}"))
    found = load_case(repo, path)
    if found is None or found.result.state is None or found.result.header is None:
        raise HosoError(L(f"không đọc được hồ sơ {path}; chạy 'hoso validate' để xem lỗi",
                          f"cannot read {path}; run 'hoso validate' to see why"))
    return found


def indexed_path(repo: Repo, case: str) -> str | None:
    """Where the case index (hoso.caseindex) says ``case`` stands, when a file of it is there."""
    if not isinstance(repo.source, WorkTree):
        return None
    from hoso import caseindex

    return caseindex.lookup(repo.source.root, case)


def _remember(repo: Repo, paths: dict[str, str]) -> None:
    if isinstance(repo.source, WorkTree):
        from hoso import caseindex

        caseindex.remember(repo.source.root, paths)


def all_cases(repo: Repo) -> list[CaseFile]:
    return cases_under(repo, None)


def cases_under(repo: Repo, unit: str | None) -> list[CaseFile]:
    """The cases filed in ``unit``'s folder (``records/<unit>/``, its units' folders included);
    every case when ``unit`` is None. A case's file stands in the folder of the unit it is at
    (REC-PATH: ``hoso validate`` reports, ``hoso check`` refuses a case filed elsewhere), so a
    command about one commune reads that commune's files, not the country's."""
    out = []
    for path in repo.source.list(RECORDS if unit is None else f"{RECORDS}/{unit}"):
        found = load_case(repo, path)
        if found is not None and found.result.state is not None and found.result.header is not None:
            out.append(found)
    return out


def next_case_id(repo: Repo, unit: str, year: int) -> str:
    prefix = case_prefix(repo, unit)
    pattern = re.compile(rf"{re.escape(prefix)}-{year}-([0-9]+)\Z")
    used = [int(m.group(1)) for c in case_paths(repo) if (m := pattern.match(c))]
    return f"{prefix}-{year}-{max(used, default=0) + 1:03d}"


def case_prefix(repo: Repo, unit: str) -> str:
    units = repo.ctx.org.units
    for uid in [unit, *repo.ctx.org.ancestors(unit)]:
        u = units.get(uid)
        if u is not None and u.case_prefix:
            return u.case_prefix
    raise HosoError(L(f"đơn vị '{unit}' và các cấp trên không có case_prefix trong org/units.yaml",
                      f"unit '{unit}' and its ancestors have no case_prefix in org/units.yaml"))


def candidates(repo: Repo, proc: Procedure, spec: RoleSpec | tuple[list[str], str], unit: str, day: dt.date,
               member: str | None) -> tuple[str | None, list[Officer]]:
    """The unit a role spec points at on ``day``, and the officers holding one of its roles there."""
    roles, body = (spec.roles, spec.body) if isinstance(spec, RoleSpec) else spec
    at = resolve_body(proc, repo.ctx.org, body, unit, day)
    if at is None:
        return None, []
    people = [o for o in repo.ctx.org.holders(roles, at, day) if member is None or o.member != member]
    return at, people


def errors_of(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == "error"]
