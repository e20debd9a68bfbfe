"""hoso approvals: whether the reviews of a pull request satisfy what its change needs."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
from typing import TYPE_CHECKING, Any

from hoso.errors import HosoError, UsageError
from hoso.messages import L
from hoso.options import Settings, settings
from hoso.reporters import render
from hoso.streams import read_text

if TYPE_CHECKING:
    from hoso.forge import Commit, Review
    from hoso.repository import RepoSettings

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
    parser.add_argument("--reviews", metavar="FILE",
                        help="tệp JSON các review, theo dạng API của forge trả về" if vi
                        else "JSON file of reviews, in the shape the forge's API returns")
    add_forge_arguments(parser, lang)
    parser.add_argument("--set-status", action="store_true",
                        help="đặt trạng thái hoso/approvals trên commit mới nhất" if vi else "set the hoso/approvals status on the head commit")
    parser.add_argument("--request-reviewers", action="store_true",
                        help="khi còn thiếu, mời những cán bộ có thể phê duyệt (qua API của forge)" if vi
                        else "when approvals are missing, request the officers who may give them (through the forge's API)")


def add_forge_arguments(parser: argparse.ArgumentParser, lang: str) -> None:
    """The options that name the forge, its API and the pull request (approvals, merge)."""
    vi = lang != "en"
    parser.add_argument("--forge", choices=("github", "forgejo", "gitea"),
                        help="đọc pull request và review từ API của forge này (mặc định: forge.kind trong hoso.yaml); "
                        "với --reviews: dạng của tệp" if vi
                        else "read the pull request and reviews from this forge's API (default: forge.kind in "
                        "hoso.yaml); with --reviews: the file's shape")
    parser.add_argument("--github", action="store_true", help="như --forge github" if vi else "same as --forge github")
    parser.add_argument("--repo", metavar="OWNER/NAME",
                        help="kho trên forge (mặc định forge.repository, GITHUB_REPOSITORY)" if vi
                        else "repository on the forge (default forge.repository, GITHUB_REPOSITORY)")
    parser.add_argument("--pr", type=int, metavar="N", help="số pull request" if vi else "pull request number")
    parser.add_argument("--api-url", metavar="URL", help="gốc API (mặc định forge.api_url, GITHUB_API_URL)" if vi
                        else "API root (default forge.api_url, GITHUB_API_URL)")


def forge_settings(args: argparse.Namespace, s: Settings) -> tuple[RepoSettings, str]:
    """The judge's own settings (the checkout it runs from, never the pull request's) and the
    forge to use: ``--github``, else ``--forge``, else ``forge.kind`` in hoso.yaml."""
    from hoso.repository import WorkTree, load_settings

    if args.github and args.forge not in (None, "github"):
        raise UsageError(L("--github và --forge khác nhau", "--github and --forge disagree"))
    own = load_settings(WorkTree(s.root))[0]
    return own, "github" if args.github else (args.forge or own.forge.kind)


def _read_reviews(path: str) -> Any:
    try:
        return json.loads(read_text(path))  # '-' is standard input
    except OSError as exc:
        raise HosoError(L(f"không đọc được '{path}': {exc.strerror}", f"cannot read '{path}': {exc.strerror}")) from None
    except ValueError as exc:
        raise HosoError(L(f"'{path}' không phải JSON hợp lệ: {exc}", f"'{path}' is not valid JSON: {exc}")) from None


def run(args: argparse.Namespace) -> int:
    from hoso.forge import parse_reviews

    s = settings(args)
    own, kind = forge_settings(args, s)
    if args.reviews is None:
        if not (args.github or args.forge or args.pr):
            raise UsageError(L("cần --reviews FILE, hoặc --forge/--github để đọc từ API",
                               "needs --reviews FILE, or --forge/--github to read the forge's API"))
        return _run_forge(args, s, own, kind)
    if args.set_status:
        raise UsageError(L("--set-status chỉ dùng khi đọc từ API của forge", "--set-status needs the forge's API"))
    raw = _read_reviews(args.reviews)
    if not isinstance(raw, list):
        raise HosoError(L(f"'{args.reviews}' phải là một mảng JSON các review",
                          f"'{args.reviews}' must be a JSON array of reviews"))
    if not args.base or not args.head or not args.author:
        raise UsageError(L("cần --base, --head và --author", "--base, --head and --author are required"))
    return _judge(s, args.base, args.head, args.author, parse_reviews(kind, raw), None)[0]


def _judge(s: Settings, base: str, head: str, author: str, reviews: list[Review],
           commits: list[Commit] | None) -> tuple[int, list[str]]:
    """Decide and print, and write the job summary where the CI gives a file for it
    (``GITHUB_STEP_SUMMARY``); returns the exit code and the logins to ask for a review."""
    from hoso.summary import eligible, markdown

    from hoso.approval import decide
    from hoso.change import check_change
    from hoso.gitsource import GitCommit, open_repo
    from hoso.repository import load_settings

    repo = open_repo(s.root)
    result = check_change(repo, base, head, s.today)
    rules = load_settings(GitCommit(repo, result.base))[0]
    outcome = decide(result, reviews, author, clerk_role=rules.clerk_role, signed=rules.signed_commits,
                     today=s.today, commits=commits)
    extra = {"base": result.base, "head": result.head, "satisfied": outcome.satisfied, "approvals": outcome.rows}
    print(render(outcome.report, s.format, s.lang, extra), end="")
    if s.format in ("text", "github"):
        print((OK if outcome.satisfied else MISSING)[s.lang])
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary:
        with open(summary, "a", encoding="utf-8") as fh:
            fh.write(markdown(result, outcome.rows, outcome.report, author, s.today, s.lang))
    ask = sorted({o.login for req, row in zip(result.required, outcome.rows) if not row["satisfied"]
                  for o in eligible(result, req, author, s.today)})
    return (0 if outcome.satisfied else 1), ask


def _run_forge(args: argparse.Namespace, s: Settings, own: RepoSettings, kind: str) -> int:
    """Read the pull request from the forge, judge it, and (``--set-status``) say so on its head.

    The status is ``pending`` while judging and ``error`` on any failure, so an earlier
    ``success`` on the same commit never outlives a re-evaluation that could not finish."""
    from hoso.forge import ForgeError, event_pr_number, open_forge
    from hoso.gitsource import open_repo, resolve

    number = args.pr or event_pr_number()
    if number is None:
        raise UsageError(L("cần --pr N (hoặc chạy trong sự kiện pull_request)",
                           "needs --pr N (or a pull_request event)"))
    gh = open_forge(kind, args.repo or own.forge.repository, args.api_url or own.forge.api_url)
    pr = gh.pull_request(number)
    if args.set_status and args.head and resolve(open_repo(s.root), args.head) != pr.head_sha:
        raise UsageError(L("--set-status chỉ đặt trạng thái cho commit mới nhất của pull request: bỏ --head",
                           "--set-status only sets the status of the pull request's head commit: drop --head"))
    if args.set_status:
        gh.set_status(pr.head_sha, "pending", PENDING[s.lang])
    try:
        protected = own.protected_branch
        if pr.base_ref != protected:
            raise HosoError(L(f"pull request #{number} nhắm vào nhánh '{pr.base_ref}', không phải nhánh được bảo vệ "
                              f"'{protected}': hoso chỉ xét pull request vào '{protected}'",
                              f"pull request #{number} targets '{pr.base_ref}', not the protected branch "
                              f"'{protected}': hoso judges only pull requests into '{protected}'"))
        code, ask = _judge(s, args.base or pr.base_sha, pr.head_sha, args.author or pr.author,
                           gh.reviews(number), gh.commits(number))
        if args.request_reviewers and ask:
            gh.request_reviewers(number, ask)
        if args.set_status:
            gh.set_status(pr.head_sha, "success" if code == 0 else "failure", (OK if code == 0 else MISSING)[s.lang])
        return code
    except BaseException:
        if args.set_status:
            with contextlib.suppress(ForgeError):
                gh.set_status(pr.head_sha, "error", ERROR[s.lang])
        raise
