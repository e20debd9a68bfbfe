"""hoso report: the yearly figures a unit reports upwards, exact (for officers, not published)."""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections import Counter
from collections.abc import Callable
from typing import Any

from hoso.errors import UsageError
from hoso.messages import L
from hoso.options import settings
from hoso.wording import count
from hoso.recordmodel import Compiled
from hoso.repository import RECORDS, WorkTree, load_context
from hoso.stats import flow_titles, year_report
from hoso.summaries import context_findings, record_views, warm_store
from hoso.validation import check_one

NAME = "report"
HELP = {
    "vi": "số liệu cả năm của một đơn vị (số chính xác, dùng nội bộ): đưa vào danh sách, công nhận tiến bộ, "
          "xóa tên, khai trừ, dừng xem xét, đang giúp đỡ, bước trễ hạn",
    "en": "a unit's figures for one year (exact counts, internal use): put on the list, progress recognised, "
          "struck off, expelled, withdrawn, still under help, steps late",
}
EXAMPLE = "hoso report --year 2022 --unit van-chan --format md"
FORMATS = False
CHOICES = ("table", "json", "csv", "md")
EXTRA = {
    "under_help": {"vi": "Đang được giúp đỡ (cuối kỳ)", "en": "Still under help (end of period)"},
    "late": {"vi": "Số bước trễ hạn", "en": "Steps late"},
    "overdue": {"vi": "Hồ sơ đang quá hạn (hôm nay)", "en": "Cases overdue (today)"},
}


def add_arguments(parser: argparse.ArgumentParser, lang: str) -> None:
    vi = lang != "en"
    parser.add_argument("--year", type=int, required=True, metavar="YYYY", help="năm báo cáo" if vi else "the year")
    parser.add_argument("--unit", metavar="UNIT",
                        help="đơn vị (mặc định: mọi đơn vị cấp cao nhất)" if vi else "unit (default: every top unit)")
    parser.add_argument("--format", choices=CHOICES, default="table",
                        help="định dạng đầu ra" if vi else "output format")


def run(args: argparse.Namespace) -> int:
    s = settings(args)
    source = WorkTree(s.root)
    paths = source.list(RECORDS)
    # a case unchanged since `hoso validate` (same bytes, same procedures, org, settings, code and
    # day) is counted from the summary in its cache entry; any other is replayed (hoso.summaries)
    store = warm_store(source, s.today)
    known = context_findings(store)
    repo = load_context(source, s.today, lazy_org=known is not None)
    records = record_views(repo, paths, store, lambda p: check_one(p, source.read(p), repo.ctx))
    context = known if known is not None else repo.findings
    errors = sum(1 for f in context if f.severity == "error") + sum(r.errors for r in records)
    if errors:
        note = L(f"hoso: chú ý: kho có {errors} lỗi (xem hoso validate); số liệu có thể chưa đúng",
                 f"hoso: note: the repository has {count(errors, 'error', 'errors', 'en', '')} (see hoso validate); "
                 "figures may be off")
        print(getattr(note, s.lang), file=sys.stderr)
    figures = year_report([r.view for r in records if r.view is not None], args.year, s.today)
    columns = _columns(repo.ctx.procedures, s.lang) + ([("overdue", EXTRA["overdue"][s.lang])] if "overdue" in figures else [])
    units = _units(args.unit, figures, {r.unit for r in records if r.unit is not None},
                   lambda: set(repo.ctx.org.units))
    rows = [{"unit": u, **{k: figures.get(k, Counter()).get((u,), 0) for k, _ in columns}} for u in units]
    print(RENDER[args.format](args.year, columns, rows), end="")
    return 0


def _columns(compiled: dict[str, Compiled], lang: str) -> list[tuple[str, str]]:
    cols = [(k, t.get(lang)) for k, t in flow_titles(compiled.values()).items()]
    under = next((c.proc.reporting.under_help for c in compiled.values() if c.proc.reporting.under_help), None)
    cols.append(("under_help", under.title.get(lang) if under else EXTRA["under_help"][lang]))
    cols.append(("late", EXTRA["late"][lang]))
    return cols


def _units(unit: str | None, figures: dict[str, Counter[tuple[str, ...]]], header_units: set[str],
           org_units: Callable[[], set[str]]) -> list[str]:
    known = {k[0] for c in figures.values() for k in c}
    if unit is not None:
        unit = unit.strip("/")
        if not _named(unit, known | header_units) and not _named(unit, org_units()):  # the whole org only then
            raise UsageError(L(f"không có đơn vị '{unit}' (org/units.yaml)", f"no unit '{unit}' (org/units.yaml)"))
        tops = [unit]
    else:
        tops = sorted(u for u in known if "/" not in u)
    out = []
    for top in tops:
        out.append(top)
        out.extend(sorted(u for u in known if u.startswith(top + "/") and u.count("/") == top.count("/") + 1))
    return out


def _named(unit: str, units: set[str]) -> bool:
    return unit in units or any(u.startswith(unit + "/") for u in units)


# ------------------------------------------------------------------------ renderers

Rows = list[dict[str, Any]]


def _table(year: int, columns: list[tuple[str, str]], rows: Rows) -> str:
    header = [str(year)] + [r["unit"] for r in rows]
    body = [[title] + [str(r[k]) for r in rows] for k, title in columns]
    widths = [max(len(line[i]) for line in [header] + body) for i in range(len(header))]
    fmt = [(line[0].ljust(widths[0]), *(c.rjust(w) for c, w in zip(line[1:], widths[1:]))) for line in [header] + body]
    lines = ["  ".join(f).rstrip() for f in fmt]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines) + "\n"


def _md(year: int, columns: list[tuple[str, str]], rows: Rows) -> str:
    header = f"| {year} | " + " | ".join(f"`{r['unit']}`" for r in rows) + " |"
    sep = "| --- |" + " ---: |" * len(rows)
    body = [f"| {title} | " + " | ".join(str(r[k]) for r in rows) + " |" for k, title in columns]
    return "\n".join([header, sep, *body]) + "\n"


def _json(year: int, columns: list[tuple[str, str]], rows: Rows) -> str:
    return json.dumps({"year": year, "columns": [{"key": k, "title": t} for k, t in columns], "rows": rows},
                      ensure_ascii=False, indent=2) + "\n"


def _csv(year: int, columns: list[tuple[str, str]], rows: Rows) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["year", "unit"] + [k for k, _ in columns])
    for r in rows:
        w.writerow([year, r["unit"]] + [r[k] for k, _ in columns])
    return buf.getvalue()


RENDER = {"table": _table, "md": _md, "json": _json, "csv": _csv}
