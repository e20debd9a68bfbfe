"""hoso audit CASE: which commit and pull request added each event, and who approved it."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hoso.errors import HosoError
from hoso.messages import L
from hoso.options import settings

if TYPE_CHECKING:
    from hoso.audit import Added
    from hoso.forge import Forge, Review
    from hoso.org import Org

NAME = "audit"
FORMATS = False
HELP = {
    "vi": "mỗi bước của hồ sơ do commit và pull request nào thêm vào, ai đã phê duyệt",
    "en": "which commit and pull request added each event of a case, and who approved it",
}
EXAMPLE = "hoso audit VC-2021-001 --reviews-dir reviews/"


def add_arguments(parser: argparse.ArgumentParser, lang: str) -> None:
    vi = lang != "en"
    parser.add_argument("case", metavar="CASE", help="mã hồ sơ" if vi else "case id")
    parser.add_argument("--rev", default="HEAD", help="nhánh hoặc commit (mặc định HEAD)" if vi else "branch or commit (default HEAD)")
    src = parser.add_mutually_exclusive_group()
    src.add_argument("--reviews-dir", metavar="DIR",
                     help="thư mục chứa N.json: review của pull request N" if vi else "directory of N.json: the reviews of pull request N")
    src.add_argument("--github", action="store_true", help="như --forge github" if vi else "same as --forge github")
    parser.add_argument("--forge", choices=("github", "forgejo", "gitea"),
                        help="đọc review từ API của forge này; với --reviews-dir: dạng của tệp" if vi
                        else "read reviews from this forge's API; with --reviews-dir: the files' shape")
    parser.add_argument("--repo", metavar="OWNER/NAME")
    parser.add_argument("--api-url", metavar="URL")
    parser.add_argument("--format", choices=("text", "json"), default="text")


def _reviews(args: argparse.Namespace, number: int, gh: Forge | None, kind: str) -> list[Review] | None:
    from hoso.forge import parse_reviews

    if gh is not None:
        return gh.reviews(number)
    if args.reviews_dir:
        f = Path(args.reviews_dir) / f"{number}.json"
        if not f.exists():
            return None
        try:
            data = json.loads(f.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise HosoError(L(f"không đọc được '{f}': {exc}", f"cannot read '{f}': {exc}")) from None
        return parse_reviews(kind, data) if isinstance(data, list) else None
    return None


def _approvers(reviews: list[Review], org: Org) -> list[dict[str, Any]]:
    from hoso.approval import latest_verdicts

    by_login = org.by_login
    out = []
    for login, r in sorted(latest_verdicts(reviews).items()):
        if r.state == "APPROVED":
            officer = by_login.get(login)
            out.append({"login": r.login, "officer": officer.id if officer else None, "commit": r.commit})
    return out


def _line(a: Added, lang: str) -> str:
    pr = f"#{a.pr}" if a.pr is not None else "—"
    who = ", ".join(f"{x['login']} ({x['officer'] or '?'})" for x in a.approved_by) or "—"
    label = ("phê duyệt" if lang != "en" else "approved by")
    return f"{a.index:>3}  {a.event:<22} {a.date:<10}  {a.commit[:12]}  PR {pr:<6} {label}: {who}"


def run(args: argparse.Namespace) -> int:
    from hoso.audit import audit  # loaded when the command runs (start-up of other commands)
    from hoso.forge import open_forge
    from hoso.gitsource import open_repo
    from hoso.repository import WorkTree, load_org, load_procedures, load_settings

    s = settings(args)
    repo = open_repo(s.root)
    path, added = audit(repo, args.case, args.rev)
    tree = WorkTree(s.root)
    own = load_settings(tree)[0].forge
    kind = "github" if args.github else (args.forge or own.kind)
    gh = None
    if args.github or (args.forge and not args.reviews_dir):
        gh = open_forge(kind, args.repo or own.repository, args.api_url or own.api_url)
    if gh is not None or args.reviews_dir:
        org, _ = load_org(tree, load_procedures(tree)[0])
        cache: dict[int, list[dict[str, Any]]] = {}
        for a in added:
            if a.pr is None:
                continue
            if a.pr not in cache:
                raw = _reviews(args, a.pr, gh, kind)
                cache[a.pr] = _approvers(raw, org) if raw is not None else []
            a.approved_by = cache[a.pr]
    if args.format == "json":
        print(json.dumps({"case": args.case, "path": path, "events": [a.as_dict() for a in added]},
                         ensure_ascii=False, indent=2))
    else:
        print(f"{args.case}  {path}")
        for a in added:
            print(_line(a, s.lang))
    return 0
