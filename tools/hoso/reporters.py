"""Render a report: text for people, JSON for tools, GitHub annotations, SARIF for code scanning."""

from __future__ import annotations

import json
from typing import Any, Callable

from hoso import __version__
from hoso.findings import Finding, Report
from hoso.messages import CATALOG
from hoso.wording import count

FORMATS = ("text", "json", "github", "sarif")

def summary(report: Report, lang: str) -> str:
    """``40 tệp đã kiểm tra: 0 lỗi, 4 cảnh báo`` / ``40 files checked: 1 error, 4 warnings``."""
    files = count(report.files_checked, "file", "files", lang, "tệp")
    errors = count(report.errors, "error", "errors", lang, "lỗi")
    warnings = count(report.warnings, "warning", "warnings", lang, "cảnh báo")
    return (f"{files} đã kiểm tra: {errors}, {warnings}" if lang != "en" else f"{files} checked: {errors}, {warnings}")
SEVERITY = {"vi": {"error": "lỗi", "warning": "cảnh báo"}, "en": {"error": "error", "warning": "warning"}}


def text(report: Report, lang: str, extra: dict[str, Any] | None = None) -> str:
    lines = [
        f"{f.file}:{f.line}:{f.column}: {f.severity} {f.rule} {f.message(lang)}" for f in report.sorted()
    ]
    lines.append(summary(report, lang))
    return "\n".join(lines) + "\n"


def as_dict(f: Finding, lang: str) -> dict[str, Any]:
    return {"file": f.file, "line": f.line, "column": f.column, "rule": f.rule, "severity": f.severity,
            "message": f.message(lang)}


def to_json(report: Report, lang: str, extra: dict[str, Any] | None = None) -> str:
    doc: dict[str, Any] = {"findings": [as_dict(f, lang) for f in report.sorted()],
                           "summary": {"files": report.files_checked, "errors": report.errors,
                                       "warnings": report.warnings}}
    doc.update(extra or {})
    return json.dumps(doc, ensure_ascii=False, indent=2, default=str) + "\n"


def _gh_escape(s: str, prop: bool = False) -> str:
    s = s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return s.replace(":", "%3A").replace(",", "%2C") if prop else s


def github(report: Report, lang: str, extra: dict[str, Any] | None = None) -> str:
    out = []
    for f in report.sorted():
        out.append(f"::{f.severity} file={_gh_escape(f.file, True)},line={f.line},col={f.column},"
                   f"title={_gh_escape(f.rule, True)}::{_gh_escape(f.message(lang))}")
    out.append(summary(report, lang))
    return "\n".join(out) + "\n"


def _sarif_rule(rule: str, lang: str, site_url: Any) -> dict[str, Any]:
    """A rule's SARIF entry: its message, how to fix it, and its entry on the site's rule page."""
    from hoso.site.rules import PAGE, anchor, fix

    out: dict[str, Any] = {"id": rule, "shortDescription": {"text": CATALOG.get(rule, {}).get(lang, rule)},
                           "help": {"text": fix(rule, lang)}}
    if isinstance(site_url, str) and site_url:
        page = PAGE["vi"][:-3] if lang != "en" else "en/" + PAGE["en"][:-3]
        out["helpUri"] = f"{site_url.rstrip('/')}/{page}/#{anchor(rule)}"
    return out


def sarif(report: Report, lang: str, extra: dict[str, Any] | None = None) -> str:
    findings = report.sorted()
    rules = sorted({f.rule for f in findings})
    doc = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "hoso", "version": __version__, "informationUri": "https://example.invalid/hoso",
                "rules": [_sarif_rule(r, lang, (extra or {}).get("site_url")) for r in rules],
            }},
            "results": [{
                "ruleId": f.rule,
                "ruleIndex": rules.index(f.rule),
                "level": f.severity,
                "message": {"text": f.message(lang)},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": f.file},
                    "region": {"startLine": f.line, "startColumn": f.column},
                }}],
            } for f in findings],
        }],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


RENDERERS: dict[str, Callable[[Report, str, dict[str, Any] | None], str]] = {
    "text": text, "json": to_json, "github": github, "sarif": sarif,
}


def render(report: Report, fmt: str, lang: str, extra: dict[str, Any] | None = None) -> str:
    return RENDERERS[fmt](report, lang, extra)
