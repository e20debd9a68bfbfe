"""hoso validate: every record, the org files and the procedures."""

from __future__ import annotations

import argparse
import sys

from hoso.options import settings
from hoso.reporters import render
from hoso.validation import Stats, validate_repository

NAME = "validate"
HELP = {
    "vi": "kiểm tra mọi hồ sơ, tệp tổ chức và quy trình (0: không lỗi, 1: có lỗi, 2: sai cú pháp lệnh)",
    "en": "check every record, the org files and the procedures (0 no errors, 1 errors, 2 usage)",
}
EXAMPLE = "hoso validate --today 2026-11-27 --format json"


def add_arguments(parser: argparse.ArgumentParser, lang: str) -> None:
    vi = lang != "en"
    parser.add_argument("--no-cache", action="store_true",
                        help="không dùng và không ghi bộ nhớ đệm kết quả .hoso-cache/" if vi
                        else "neither use nor write the result cache .hoso-cache/")
    parser.add_argument("--jobs", "-j", type=int, default=0, metavar="N",
                        help="số tiến trình kiểm tra (0: theo số lõi CPU)" if vi
                        else "processes to check with (0: one per CPU core)")
    parser.add_argument("--stats", action="store_true",
                        help="in số hồ sơ lấy từ bộ nhớ đệm và số hồ sơ đã kiểm tra (ra stderr; trong JSON: \"stats\")" if vi
                        else "print how many records came from the cache and how many were checked "
                             "(on stderr; in JSON: \"stats\")")


def stats_line(stats: Stats, lang: str) -> str:
    if lang == "en":
        return (f"cache {stats.cache}: {stats.records} records, {stats.cached} from the cache, "
                f"{stats.checked} checked on {stats.jobs} process(es)")
    cache = {"off": "tắt", "cold": "trống", "warm": "có sẵn", "unavailable": "không dùng được"}[stats.cache]
    return (f"bộ nhớ đệm {cache}: {stats.records} hồ sơ, {stats.cached} lấy từ bộ nhớ đệm, "
            f"{stats.checked} kiểm tra trên {stats.jobs} tiến trình")


def run(args: argparse.Namespace) -> int:
    s = settings(args)
    if args.jobs < 0:
        from hoso.errors import UsageError
        from hoso.messages import L

        raise UsageError(L("--jobs phải ≥ 0", "--jobs must be ≥ 0"))
    report, stats = validate_repository(s.root, s.today, use_cache=not args.no_cache, jobs=args.jobs)
    extra: dict[str, object] | None = {"stats": stats.as_dict()} if args.stats else None
    if s.format == "sarif":  # each rule links to its entry on the site's rule page
        from hoso.repository import WorkTree, load_settings

        extra = {**(extra or {}), "site_url": load_settings(WorkTree(s.root))[0].site_url}
    print(render(report, s.format, s.lang, extra), end="")
    if args.stats:
        print(stats_line(stats, s.lang), file=sys.stderr)
    return report.exit_code()
