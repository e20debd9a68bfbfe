"""hoso approvals: whether the reviews of a pull request satisfy what its change needs."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
from typing import Any

from hoso.errors import HosoError, UsageError
from hoso.messages import L
from hoso.options import Settings, settings
from hoso.reporters import render

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
PENDING = {"vi": "Đang xét phê duyệt…", "en": "Judging the approvals…"}
ERROR = {"vi": "Không xét được phê duyệt: xem nhật ký của job.", "en": "Could not judge the approvals: see the job's log."}


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
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    except OSError as exc:
        raise HosoError(L(f"không đọc được '{path}': {exc.strerror}", f"cannot read '{path}': {exc.strerror}")) from None
    except ValueError as exc:
        raise HosoError(L(f"'{path}' không phải JSON hợp lệ: {exc}", f"'{path}' is not valid JSON: {exc}")) from None


def run(args: argparse.Namespace) -> int:
    s = settings(args)
    if args.github:
        return _run_forge(args, s)
    if args.set_status:
        raise UsageError(L("--set-status chỉ dùng với --github", "--set-status needs --github"))
    raw = _read_reviews(args.reviews)
    if not isinstance(raw, list):
        raise HosoError(L(f"'{args.reviews}' phải là một mảng JSON các review",
                          f"'{args.reviews}' must be a JSON array of reviews"))
    if not args.base or not args.head or not args.author:
        raise UsageError(L("cần --base, --head và --author", "--base, --head and --author are required"))
    return _judge(s, args.base, args.head, args.author, raw, None)[0]


def _judge(s: Settings, base: str, head: str, author: str, raw: Any,
           commits: list[tuple[str, str | None]] | None) -> tuple[int, str]:
    """Decide and print; returns (exit code, the head commit judged)."""
    from hoso.approval import Commit, decide, parse_reviews
    from hoso.change import check_change
    from hoso.gitsource import GitCommit, open_repo
    from hoso.repository import load_settings

    repo = open_repo(s.root)
    result = check_change(repo, base, head, s.today)
    rules = load_settings(GitCommit(repo, result.base))[0]
    outcome = decide(result, parse_reviews(raw), author, clerk_role=rules.clerk_role, today=s.today,
                     commits=None if commits is None else [Commit(sha, login) for sha, login in commits])
    extra = {"base": result.base, "head": result.head, "satisfied": outcome.satisfied, "approvals": outcome.rows}
    print(render(outcome.report, s.format, s.lang, extra), end="")
    if s.format in ("text", "github"):
        print((OK if outcome.satisfied else MISSING)[s.lang])
    return (0 if outcome.satisfied else 1), result.head


def _run_forge(args: argparse.Namespace, s: Settings) -> int:
    """Read the pull request from the forge, judge it, and (``--set-status``) say so on its head.

    The status is ``pending`` while judging and ``error`` on any failure, so an earlier
    ``success`` on the same commit never outlives a re-evaluation that could not finish."""
    from hoso.forge import ForgeError, GitHub, event_pr_number
    from hoso.gitsource import open_repo, resolve
    from hoso.repository import WorkTree, load_settings

    number = args.pr or event_pr_number()
    if number is None:
        raise UsageError(L("--github cần --pr N (hoặc chạy trong sự kiện pull_request)",
                           "--github needs --pr N (or a pull_request event)"))
    gh = GitHub(args.repo or "", os.environ.get("GITHUB_TOKEN"), args.api_url)
    pr = gh.pull_request(number)
    if args.set_status and args.head and resolve(open_repo(s.root), args.head) != pr.head_sha:
        raise UsageError(L("--set-status chỉ đặt trạng thái cho commit mới nhất của pull request: bỏ --head",
                           "--set-status only sets the status of the pull request's head commit: drop --head"))
    if args.set_status:
        gh.set_status(pr.head_sha, "pending", PENDING[s.lang])
    try:
        # the protected branch is the judge's own setting (the checkout it runs from), never the pull request's
        protected = load_settings(WorkTree(s.root))[0].protected_branch
        if pr.base_ref != protected:
            raise HosoError(L(f"pull request #{number} nhắm vào nhánh '{pr.base_ref}', không phải nhánh được bảo vệ "
                              f"'{protected}': hoso chỉ xét pull request vào '{protected}'",
                              f"pull request #{number} targets '{pr.base_ref}', not the protected branch "
                              f"'{protected}': hoso judges only pull requests into '{protected}'"))
        code, _head = _judge(s, args.base or pr.base_sha, pr.head_sha, args.author or pr.author,
                             gh.reviews(number), gh.commits(number))
        if args.set_status:
            gh.set_status(pr.head_sha, "success" if code == 0 else "failure", (OK if code == 0 else MISSING)[s.lang])
        return code
    except BaseException:
        if args.set_status:
            with contextlib.suppress(ForgeError):
                gh.set_status(pr.head_sha, "error", ERROR[s.lang])
        raise
