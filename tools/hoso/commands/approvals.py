"""hoso approvals: whether the reviews of a pull request satisfy what its change needs."""

from __future__ import annotations

import argparse
import json
import os
from typing import TYPE_CHECKING, Any

from hoso.errors import HosoError, UsageError
from hoso.messages import L
from hoso.options import settings
from hoso.reporters import render
from hoso.streams import read_text

if TYPE_CHECKING:
    from hoso.forge import GitHub

# The judging modules (pydantic models, GitPython, urllib) load when the command runs, so that
# every other command's start-up does not pay for them.

NAME = "approvals"
HELP = {
    "vi": "thay đổi đã được đúng người phê duyệt chưa (0: đủ, 1: còn thiếu, 2: sai cú pháp lệnh, 4: không gọi được API)",
    "en": "whether the right people approved the change (0 satisfied, 1 missing, 2 usage, 4 API unreachable)",
}
EXAMPLE = "hoso approvals --base origin/main --head HEAD --author some-login --reviews reviews.json"

OK = {"vi": "Đã đủ phê duyệt.", "en": "All approvals given."}
MISSING = {"vi": "Còn thiếu phê duyệt.", "en": "Approvals missing."}


def add_arguments(parser: argparse.ArgumentParser, lang: str) -> None:
    vi = lang != "en"
    parser.add_argument("--base", metavar="REV", help="commit gốc" if vi else "base commit")
    parser.add_argument("--head", metavar="REV", help="commit mới nhất của pull request" if vi else "the pull request's head")
    parser.add_argument("--author", metavar="LOGIN", help="tác giả pull request" if vi else "the pull request's author")
    src = parser.add_mutually_exclusive_group(required=True)
    src.add_argument("--reviews", metavar="FILE",
                     help="tệp JSON các review (như API GitHub trả về)" if vi else "JSON file of reviews (as GitHub's API returns)")
    src.add_argument("--github", action="store_true",
                     help="đọc pull request và review từ API GitHub (GITHUB_TOKEN)" if vi
                     else "read the pull request and reviews from GitHub's API (GITHUB_TOKEN)")
    parser.add_argument("--repo", metavar="OWNER/NAME", default=os.environ.get("GITHUB_REPOSITORY"),
                        help="kho GitHub (mặc định GITHUB_REPOSITORY)" if vi else "GitHub repository (default GITHUB_REPOSITORY)")
    parser.add_argument("--pr", type=int, metavar="N", help="số pull request" if vi else "pull request number")
    parser.add_argument("--api-url", metavar="URL", help="gốc API (mặc định GITHUB_API_URL)" if vi else "API root (default GITHUB_API_URL)")
    parser.add_argument("--set-status", action="store_true",
                        help="đặt trạng thái hoso/approvals trên commit mới nhất" if vi else "set the hoso/approvals status on the head commit")


def _read_reviews(path: str) -> Any:
    try:
        return json.loads(read_text(path))  # '-' is standard input
    except OSError as exc:
        raise HosoError(L(f"không đọc được '{path}': {exc.strerror}", f"cannot read '{path}': {exc.strerror}")) from None
    except ValueError as exc:
        raise HosoError(L(f"'{path}' không phải JSON hợp lệ: {exc}", f"'{path}' is not valid JSON: {exc}")) from None


def run(args: argparse.Namespace) -> int:
    from hoso.approval import decide, parse_reviews
    from hoso.change import check_change
    from hoso.forge import GitHub, event_pr_number
    from hoso.gitsource import open_repo

    s = settings(args)
    gh: GitHub | None = None
    base, head, author = args.base, args.head, args.author
    if args.github:
        number = args.pr or event_pr_number()
        if number is None:
            raise UsageError(L("--github cần --pr N (hoặc chạy trong sự kiện pull_request)",
                               "--github needs --pr N (or a pull_request event)"))
        gh = GitHub(args.repo or "", os.environ.get("GITHUB_TOKEN"), args.api_url)
        pr = gh.pull_request(number)
        base, head, author = base or pr.base_sha, head or pr.head_sha, author or pr.author
        raw = gh.reviews(number)
    else:
        if args.set_status:
            raise UsageError(L("--set-status chỉ dùng với --github", "--set-status needs --github"))
        raw = _read_reviews(args.reviews)
        if not isinstance(raw, list):
            raise HosoError(L(f"'{args.reviews}' phải là một mảng JSON các review",
                              f"'{args.reviews}' must be a JSON array of reviews"))
    if not base or not head or not author:
        raise UsageError(L("cần --base, --head và --author", "--base, --head and --author are required"))
    result = check_change(open_repo(s.root), base, head, s.today)
    outcome = decide(result, parse_reviews(raw), author)
    extra = {"base": result.base, "head": result.head, "satisfied": outcome.satisfied, "approvals": outcome.rows}
    print(render(outcome.report, s.format, s.lang, extra), end="")
    if s.format in ("text", "github"):
        print((OK if outcome.satisfied else MISSING)[s.lang])
    if gh is not None and args.set_status:
        missing = outcome.report.errors
        desc = OK[s.lang] if outcome.satisfied else f"{MISSING[s.lang]} ({missing})"
        gh.set_status(result.head, outcome.satisfied, desc)
    return 0 if outcome.satisfied else 1
