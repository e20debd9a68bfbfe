"""hoso merge: merge an approved pull request through the forge's API, with the approvals it
counted written into the merge commit as trailers (``Hoso-Approved-By: …``), so that Git itself
keeps who approved each step (`hoso audit --verify` reads them back with no forge)."""

from __future__ import annotations

import argparse

from hoso.commands.approvals import add_forge_arguments, forge_settings
from hoso.errors import HosoError, UsageError
from hoso.messages import L
from hoso.options import settings
from hoso.reporters import render

NAME = "merge"
HELP = {
    "vi": "hợp nhất pull request đã đủ phê duyệt qua API của forge, ghi người phê duyệt vào commit hợp nhất "
          "(0: đã hợp nhất, 1: chưa đủ điều kiện, 2: sai cú pháp lệnh, 4: không gọi được API)",
    "en": "merge an approved pull request through the forge's API, writing its approvers into the merge commit "
          "(0 merged, 1 not mergeable yet, 2 usage, 4 API unreachable)",
}
EXAMPLE = "hoso merge --forge forgejo --pr 12 --base HEAD"


def add_arguments(parser: argparse.ArgumentParser, lang: str) -> None:
    vi = lang != "en"
    parser.add_argument("--base", metavar="REV", help="commit gốc (mặc định: gốc của pull request)" if vi
                        else "base commit (default: the pull request's base)")
    add_forge_arguments(parser, lang)


def run(args: argparse.Namespace) -> int:
    from hoso.approval import decide, latest_verdicts
    from hoso.change import check_change
    from hoso.forge import event_pr_number, open_forge
    from hoso.gitsource import GitCommit, open_repo
    from hoso.repository import load_settings
    from hoso.trailers import counted

    s = settings(args)
    own, kind = forge_settings(args, s)
    number = args.pr or event_pr_number()
    if number is None:
        raise UsageError(L("cần --pr N (hoặc chạy trong sự kiện pull_request)", "needs --pr N (or a pull_request event)"))
    forge = open_forge(kind, args.repo or own.forge.repository, args.api_url or own.forge.api_url)
    pr = forge.pull_request(number)
    if pr.base_ref != own.protected_branch:
        raise HosoError(L(f"pull request #{number} nhắm vào '{pr.base_ref}', không phải '{own.protected_branch}'",
                          f"pull request #{number} targets '{pr.base_ref}', not '{own.protected_branch}'"))
    repo = open_repo(s.root)
    result = check_change(repo, args.base or pr.base_sha, pr.head_sha, s.today)
    reviews = forge.reviews(number)
    rules = load_settings(GitCommit(repo, result.base))[0]
    outcome = decide(result, reviews, pr.author, clerk_role=rules.clerk_role, signed=rules.signed_commits,
                     today=s.today,
                     commits=forge.commits(number))
    report = result.report
    report.extend(outcome.report.findings)
    print(render(report, s.format, s.lang), end="")
    if report.errors or not outcome.satisfied:
        print(L("Chưa hợp nhất: còn lỗi hoặc còn thiếu phê duyệt.", "Not merged: errors or missing approvals.")
              [s.lang == "en"])
        return 1
    ids = {login: str(r.id or "") for login, r in latest_verdicts(reviews).items()}
    approvals = counted(result.required, outcome.rows, ids, result.ctx.org, pr.head_sha)
    title = f"Merge pull request #{number} from {pr.author}"
    body = "\n".join(a.trailer() for a in approvals)
    sha = forge.merge(number, pr.head_sha, title, body)
    print(L(f"Đã hợp nhất #{number} ({len(approvals)} phê duyệt ghi vào commit {sha[:12] or '?'}).",
            f"Merged #{number} ({len(approvals)} approvals written into commit {sha[:12] or '?'}).")
          [s.lang == "en"])
    return 0
