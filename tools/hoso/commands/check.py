"""hoso check: judge what a pull request changes, and list the approvals it needs."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from hoso.options import settings
from hoso.reporters import render

if TYPE_CHECKING:
    from hoso.change import CheckResult, Required

NAME = "check"
HELP = {
    "vi": "kiểm tra thay đổi giữa hai commit (chỉ ghi thêm, đúng bước, đủ dữ liệu, đúng hạn) và liệt kê "
          "các phê duyệt cần có (0: không lỗi, 1: có lỗi, 2: sai cú pháp lệnh)",
    "en": "judge what a change between two commits does (append-only, allowed, complete, on time) and list "
          "the approvals it needs (0 no errors, 1 errors, 2 usage)",
}
EXAMPLE = "hoso check --base origin/main --head HEAD --today 2026-11-27 --format json"

NEEDS = {"vi": "Cần phê duyệt:", "en": "Approvals needed:"}
NONE = {"vi": "Không cần phê duyệt nào.", "en": "No approvals needed."}
ANY_UNIT = {"vi": "bất kỳ đơn vị nào", "en": "any unit"}


def add_arguments(parser: argparse.ArgumentParser, lang: str) -> None:
    vi = lang != "en"
    parser.add_argument("--base", required=True, metavar="REV",
                        help="commit gốc (nhánh đích của pull request)" if vi else "base commit (the pull request's target)")
    parser.add_argument("--head", default="HEAD", metavar="REV",
                        help="commit cần kiểm tra (mặc định HEAD)" if vi else "commit to check (default HEAD)")


def describe(r: Required, lang: str) -> str:
    roles = " / ".join(r.roles)
    unit = r.unit or ANY_UNIT[lang]
    what = f"{r.case} {r.event}" if r.case else r.file
    times = f" ×{r.count}" if r.count > 1 else ""
    return f"  {r.file}:{r.line}: {what} — {roles}{times} @ {unit} ({r.date})"


def approvals_text(result: CheckResult, lang: str) -> str:
    if not result.required:
        return NONE[lang] + "\n"
    return "\n".join([NEEDS[lang]] + [describe(r, lang) for r in result.required]) + "\n"


def run(args: argparse.Namespace) -> int:
    from hoso.change import check_change  # loaded when the command runs (start-up of other commands)
    from hoso.gitsource import open_repo

    s = settings(args)
    result = check_change(open_repo(s.root), args.base, args.head, s.today)
    extra: dict[str, object] = {"base": result.base, "head": result.head, "merge_base": result.fork,
                                "required_approvals": [r.as_dict() for r in result.required]}
    if s.format == "sarif":  # each rule links to its entry on the site's rule page
        extra["site_url"] = result.settings.site_url
    print(render(result.report, s.format, s.lang, extra), end="")
    if s.format in ("text", "github"):
        print(approvals_text(result, s.lang), end="")
    return result.report.exit_code()
