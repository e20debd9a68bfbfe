"""hoso audit CASE: which commit and pull request added each event, and who approved it."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hoso.errors import HosoError, UsageError
from hoso.messages import L
from hoso.options import Settings, settings

if TYPE_CHECKING:
    import git

    from hoso.audit import Added
    from hoso.forge import Forge, Review
    from hoso.org import Org

NAME = "audit"
FORMATS = False
HELP = {
    "vi": "mỗi bước của hồ sơ do commit và pull request nào thêm vào, ai đã phê duyệt; --verify: mọi thay đổi "
          "trên nhánh đều có người phê duyệt ghi trong commit hợp nhất (0: đủ, 1: có thay đổi chưa được phê duyệt)",
    "en": "which commit and pull request added each event of a case, and who approved it; --verify: every change "
          "on the branch carries its approvals in its merge commit (0 all, 1 some arrived unapproved)",
}
EXAMPLE = "hoso audit --verify --since v0.2.0"


def add_arguments(parser: argparse.ArgumentParser, lang: str) -> None:
    vi = lang != "en"
    parser.add_argument("case", metavar="CASE", nargs="?", help="mã hồ sơ" if vi else "case id")
    parser.add_argument("--verify", action="store_true",
                        help="liệt kê mọi bước vào nhánh mà commit không mang đủ phê duyệt (Hoso-Approved-By)" if vi
                        else "list every step that reached the branch without a commit carrying its approvals "
                        "(Hoso-Approved-By)")
    parser.add_argument("--since", metavar="REV",
                        help="với --verify: chỉ xét sau commit này (mặc định: verify_since trong hoso.yaml)" if vi
                        else "with --verify: only after this commit (default: verify_since in hoso.yaml)")
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
    line = f"{a.index:>3}  {a.event:<22} {a.date:<10}  {a.commit[:12]}  PR {pr:<6} {label}: {who}"
    return line + "".join("\n" + x for x in _correction_lines(a, lang))


def _shown(value: Any) -> str:
    return "—" if value is None else json.dumps(value, ensure_ascii=False) if isinstance(value, (dict, list)) \
        else str(value)


def _correction_lines(a: Added, lang: str) -> list[str]:
    """Under a correction: the step it corrects, each field old → new, why, who recorded it."""
    c = a.correction
    if c is None:
        return []
    en = lang == "en"
    pad = " " * 5
    out = [pad + (f"corrects step {c.corrects} ({c.event}):" if en else f"sửa bước {c.corrects} ({c.event}):")]
    out += [f"{pad}  {f}: {_shown(old)} → {_shown(new)}" for f, old, new in c.changes]
    out.append(pad + (f"reason: {c.reason}" if en else f"lý do: {c.reason}"))
    out.append(pad + (f"recorded by: {c.recorded_by}" if en else f"người ghi: {c.recorded_by}"))
    return out


def run(args: argparse.Namespace) -> int:
    from hoso.audit import audit  # loaded when the command runs (start-up of other commands)
    from hoso.forge import open_forge
    from hoso.gitsource import open_gitpython
    from hoso.repository import WorkTree, load_org, load_procedures, load_settings

    s = settings(args)
    repo = open_gitpython(s.root)  # the history is walked through GitPython (hoso.audit, hoso.trailers)
    if args.verify:
        return _verify(args, s, repo)
    if not args.case:
        raise UsageError(L("cần mã hồ sơ (hoặc --verify)", "needs a case id (or --verify)"))
    from hoso.corrections import correction_events
    from hoso.gitsource import GitCommit, resolve

    # which events are corrections: the procedures of the audited revision say (by their effect)
    names = correction_events(load_procedures(GitCommit(repo, resolve(repo, args.rev)))[0])
    path, added = audit(repo, args.case, args.rev, names)
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


def _verify(args: argparse.Namespace, s: Settings, repo: git.Repo) -> int:
    """Every change on the branch that reached it without trailers for its approvals."""
    from hoso.gitsource import resolve
    from hoso.repository import WorkTree, load_settings
    from hoso.trailers import verify

    since = args.since or load_settings(WorkTree(s.root))[0].verify_since
    missing = verify(repo, resolve(repo, args.rev), resolve(repo, since) if since else None, s.today)
    if args.format == "json":
        print(json.dumps({"unapproved": [{"commit": m.commit, "subject": m.subject, "file": m.file, "line": m.line,
                                          "case": m.case, "event": m.event, "roles": list(m.roles), "unit": m.unit,
                                          "have": m.have, "count": m.count} for m in missing]},
                         ensure_ascii=False, indent=2))
    else:
        for m in missing:
            what = f"{m.case} {m.event}" if m.case else m.file
            print(f"{m.commit[:12]} {m.file}:{m.line}: {what} — {' / '.join(m.roles)} @ {m.unit or '*'}: "
                  f"{m.have}/{m.count}  ({m.subject})")
        print(L(f"{len(missing)} thay đổi vào nhánh thiếu phê duyệt ghi trong Git.",
                f"{len(missing)} change(s) reached the branch without approvals kept in Git.")[s.lang == "en"])
    return 1 if missing else 0
