"""Validate a whole repository: procedures, org files and every case file, all findings at once."""

from __future__ import annotations

import datetime as dt

from hoso.findings import Finding, Report, finding
from hoso.repository import RECORDS, RecordResult, Repo, Source, check_record, load_context


def check_records(repo: Repo, paths: list[str]) -> list[RecordResult]:
    return [check_record(p, repo.source.read(p), repo.ctx) for p in paths]


def duplicate_cases(results: list[RecordResult]) -> list[Finding]:
    seen: dict[str, str] = {}
    out = []
    for r in results:
        header = r.result.header if r.result is not None else None
        if header is None:
            continue
        if header.case in seen:
            out.append(finding(r.path, 1, 1, "REC-DUPLICATE-CASE", case=header.case, other=seen[header.case]))
        else:
            seen[header.case] = r.path
    return out


def validate(source: Source, today: dt.date) -> tuple[Report, list[RecordResult]]:
    repo = load_context(source, today)
    report = Report()
    report.extend(repo.findings)
    paths = source.list(RECORDS)
    results = check_records(repo, paths)
    for r in results:
        report.extend(r.findings)
    report.extend(duplicate_cases(results))
    report.files_checked = len(paths) + len(source.list("procedures")) + 2
    return report, results
