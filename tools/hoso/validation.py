"""Validate a whole repository: procedures, org files and every case file, all findings at once."""

from __future__ import annotations

import datetime as dt

from hoso.findings import Finding, Report, finding
from hoso.messages import L
from hoso.repository import RECORDS, RecordResult, Repo, Source, check_record, load_context


UNREADABLE = L("có trong danh sách nhưng không đọc được (thư mục, không có quyền đọc, hoặc không phải tệp thường)",
               "listed but cannot be read (a directory, no read permission, or not a regular file)")


def check_records(repo: Repo, paths: list[str]) -> list[RecordResult]:
    out = []
    for p in paths:
        data = repo.source.read(p)
        if data is None:  # it was listed a moment ago, so it exists but cannot be read
            out.append(RecordResult(p, [finding(p, 1, 1, "FILE-UNREADABLE", detail=UNREADABLE)]))
        else:
            out.append(check_record(p, data, repo.ctx))
    return out


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
