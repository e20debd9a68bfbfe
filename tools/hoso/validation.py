"""Validate a whole repository: procedures, org files and every case file, all findings at once.

:func:`validate` checks everything and returns each record's full result (for the site and
other tools). :func:`validate_repository` is what ``hoso validate`` runs: the same findings,
with the result cache (:mod:`hoso.cache`) and, when there are many files to check, the work
spread over the machine's cores. It imports the checker only when some file has to be
checked, so a run that the cache answers stays small.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hoso.findings import Finding, Report, finding
from hoso.messages import L
from hoso.opencases import case_id, record_key, second_open_cases
from hoso.source import Source, WorkTree

if TYPE_CHECKING:
    from hoso.cache import Store
    from hoso.repository import RecordResult, Repo
    from hoso.summaries import Writer

RECORDS = "records"
PROCEDURES = "procedures"
PARALLEL_MIN = 400  # files to check before a second process pays for itself

UNREADABLE = L("có trong danh sách nhưng không đọc được (thư mục, không có quyền đọc, hoặc không phải tệp thường)",
               "listed but cannot be read (a directory, no read permission, or not a regular file)")


def duplicate_cases(cases: list[tuple[str, str | None]]) -> list[Finding]:
    """REC-DUPLICATE-CASE for every file after the first that claims a case id, and
    REC-SECOND-OPEN-CASE for a member's second open case (from the case keys, hoso.opencases)."""
    seen: dict[str, str] = {}
    out = second_open_cases(cases)
    for path, key in cases:
        case = case_id(key)
        if case is None:
            continue
        if case in seen:
            out.append(finding(path, 1, 1, "REC-DUPLICATE-CASE", case=case, other=seen[case]))
        else:
            seen[case] = path
    return out


def _case_of(r: RecordResult, ctx: Any) -> str | None:
    return record_key(r.result, ctx.procedures)


def check_one(path: str, data: bytes | None, ctx: Any) -> RecordResult:
    from hoso.repository import RecordResult, check_record

    if data is None:  # it was listed a moment ago, so it exists but cannot be read
        return RecordResult(path, [finding(path, 1, 1, "FILE-UNREADABLE", detail=UNREADABLE)])
    return check_record(path, data, ctx)


def check_records(repo: Repo, paths: list[str]) -> list[RecordResult]:
    return [check_one(p, repo.source.read(p), repo.ctx) for p in paths]


def validate(source: Source, today: dt.date) -> tuple[Report, list[RecordResult]]:
    """Every finding, and every record's full result; no cache, one process."""
    from hoso.repository import load_context

    repo = load_context(source, today)
    report = Report()
    report.extend(repo.findings)
    paths = source.list(RECORDS)
    results = check_records(repo, paths)
    for r in results:
        report.extend(r.findings)
    report.extend(duplicate_cases([(r.path, _case_of(r, repo.ctx)) for r in results]))
    report.files_checked = len(paths) + len(source.list(PROCEDURES)) + 2
    return report, results


# ------------------------------------------------------------------ cached, parallel


@dataclass
class Stats:
    records: int = 0
    cached: int = 0
    checked: int = 0
    jobs: int = 1
    cache: str = "off"  # off | cold | warm | unavailable

    def as_dict(self) -> dict[str, Any]:
        return {"records": self.records, "cached": self.cached, "checked": self.checked, "jobs": self.jobs,
                "cache": self.cache}


Checked = tuple[str, str, Any, "str | None", list[Finding], str]  # path, sha, stat, case, findings, summary

_JOB: tuple[Source, Any, "Store | None"] | None = None  # set before forking workers


def _check_one(path: str) -> Checked:
    assert _JOB is not None
    source, ctx, store = _JOB
    st = source.stat(path) if isinstance(source, WorkTree) else None
    data = source.read(path)
    r = check_one(path, data, ctx)
    sha = hashlib.sha256(path.encode("utf-8") + b"\0" + data).hexdigest() if data is not None else ""
    stat = store.trusted_stat(st) if store is not None and st is not None else None
    from hoso.summaries import encode

    summary = encode(r.result) if store is not None else ""  # kept only beside a cache
    return path, sha, stat, _case_of(r, ctx), r.findings, summary


def _check_chunk(paths: list[str]) -> list[Checked]:
    return [_check_one(p) for p in paths]


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def effective_jobs(requested: int, files: int) -> int:
    """Processes to check ``files`` with: one unless there are enough files and fork exists."""
    import multiprocessing as mp

    jobs = requested or cpu_count()
    if jobs <= 1 or files < PARALLEL_MIN or "fork" not in mp.get_all_start_methods():
        return 1
    return jobs


def _run(paths: list[str], jobs: int) -> Iterator[Checked]:
    """Check ``paths`` in order, on ``jobs`` processes when that pays."""
    import multiprocessing as mp

    if jobs <= 1:
        yield from (_check_one(p) for p in paths)
        return
    size = max(25, min(500, len(paths) // (jobs * 8)))
    chunks = [paths[i:i + size] for i in range(0, len(paths), size)]
    with mp.get_context("fork").Pool(jobs) as pool:
        for chunk in pool.imap(_check_chunk, chunks):  # imap keeps the order: output is deterministic
            yield from chunk


def _summaries(store: Store | None) -> Writer | None:
    """A writer of the context's case summaries (hoso.summaries), when there is a cache to write."""
    if store is None:
        return None
    from hoso.summaries import Writer

    try:
        return Writer(store)
    except OSError:
        return None


def _finish(sums: Writer, cached: dict[str, str]) -> None:
    try:
        sums.finish(cached)
    except OSError:  # a full disk or a read-only tree costs the report its speed, never a result
        sums.abort()


def validate_repository(root: Path, today: dt.date, *, use_cache: bool = True,
                        jobs: int = 0) -> tuple[Report, Stats]:
    """``hoso validate``: every finding of :func:`validate`, cached and spread over ``jobs``
    processes (0: as many as there are cores)."""
    global _JOB
    from hoso import cache

    source = WorkTree(root)
    paths = source.list(RECORDS)
    proc_paths = source.list(PROCEDURES)
    stats = Stats(records=len(paths), jobs=1)
    store: Store | None = None
    if use_cache:
        store = cache.open_store(root, cache.context_fingerprint(source, today, proc_paths))
        stats.cache = "unavailable" if store is None else ("warm" if store.loaded else "cold")

    cases: dict[str, str | None] = {}
    record_findings: dict[str, list[Finding]] = {}
    todo: list[str] = []
    for path in paths:
        entry = store.entries.get(path) if store is not None else None
        if entry is None or store is None:
            todo.append(path)
            continue
        st = source.stat(path)
        if st is None:
            todo.append(path)
            continue
        if entry.stat is None or entry.stat != cache.stat_key(st):
            data = source.read(path)
            if data is None or cache.content_key(path, data) != entry.sha:
                todo.append(path)
                continue
            store.put(path, cache.Entry(entry.sha, store.trusted_stat(st), entry.case, entry.findings))
        cases[path] = entry.case
        if entry.findings:
            record_findings[path] = cache.decode_findings(path, entry.findings)
        stats.cached += 1

    report = Report()
    context_findings: list[Finding] | None = None
    if store is not None and store.context_findings is not None:
        context_findings = [f for p, rows in store.context_findings for f in cache.decode_findings(p, rows)]
    if todo or context_findings is None:
        from hoso.repository import load_context

        # the context's findings are known (same procedures, org and settings): a sharded
        # organisation is then read only as the changed records need it
        known = context_findings is not None
        repo = load_context(source, today, lazy_org=known)
        if context_findings is None:
            context_findings = repo.findings
        if store is not None and not known:
            by_path: dict[str, list[Finding]] = {}
            for f in repo.findings:
                by_path.setdefault(f.file, []).append(f)
            store.context_findings = [[p, cache.encode_findings(fs)] for p, fs in by_path.items()]
            store.dirty = True
        if todo:
            stats.jobs = effective_jobs(jobs, len(todo))
            _JOB = (source, repo.ctx, store)
            sums = _summaries(store)
            try:
                for path, sha, stat, case, fs, summary in _run(todo, stats.jobs):
                    cases[path] = case
                    if fs:
                        record_findings[path] = fs
                    if store is not None and sha:
                        store.put(path, cache.Entry(sha, stat, case, cache.encode_findings(fs)))
                    if sums is not None and sha:
                        sums.add(path, sha, summary)
                if sums is not None:
                    checked = set(todo)
                    _finish(sums, {p: store.entries[p].sha for p in paths
                                   if p not in checked and store is not None and p in store.entries})
                    sums = None
            finally:
                _JOB = None
                if sums is not None:
                    sums.abort()
            stats.checked = len(todo)
    report.extend(context_findings)
    for path in paths:
        report.extend(record_findings.get(path, []))
    report.extend(duplicate_cases([(p, cases.get(p)) for p in paths]))
    report.files_checked = len(paths) + len(proc_paths) + 2
    if store is not None:
        store.save(set(paths))
    return report, stats
