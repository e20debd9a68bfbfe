"""What GitHub's and Forgejo's REST APIs share: the repository's paths for a pull request, its
reviews and commits, a commit status and review requests, and the shapes of a pull request and
a commit. Each forge module subclasses :class:`RestForge` with its own auth, page size, review
shape and merge call."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hoso.forge.http import Api
from hoso.forge.model import STATUS_CONTEXT, STATUS_STATES, Commit, ForgeError, PullRequest, Review
from hoso.messages import L


def _login(raw: Any) -> str | None:
    login = raw.get("login") if isinstance(raw, dict) else None
    return login if isinstance(login, str) else None


def pull_request_from_json(raw: Any, number: int, label: str) -> PullRequest:
    """GitHub's and Forgejo's pull request objects agree on the fields hoso reads."""
    try:
        return PullRequest(number, raw["user"]["login"], raw["base"]["sha"], raw["head"]["sha"], raw["base"]["ref"])
    except (KeyError, TypeError):
        raise ForgeError(L(f"{label}: pull request #{number} thiếu thông tin",
                           f"{label}: pull request #{number} lacks fields")) from None


def commits_from_json(items: list[Any], label: str) -> list[Commit]:
    """GET …/pulls/{n}/commits on either forge: ``sha``, ``author`` the mapped account or null, and
    ``commit.verification.verified``, whether the forge verified the commit's signature."""
    out = []
    for raw in items:
        sha = raw.get("sha") if isinstance(raw, dict) else None
        if not isinstance(sha, str):
            raise ForgeError(L(f"{label} trả về commit không có sha", f"{label} answered a commit without a sha"))
        inner = raw.get("commit")
        verification = inner.get("verification") if isinstance(inner, dict) else None
        verified = isinstance(verification, dict) and verification.get("verified") is True
        out.append(Commit(sha, _login(raw.get("author")), verified))
    return out


class RestForge:
    """A forge's repository API: ``api`` under its root, ``/repos/{repo}/…`` paths."""

    name = ""
    label = ""
    page_param = "per_page"
    page_size = 100
    commits_query = ""
    read_review: Callable[[Any, int], Review | None]

    def __init__(self, repo: str, api: Api) -> None:
        self.repo = repo
        self.api = api

    def pull_request(self, number: int) -> PullRequest:
        raw, _ = self.api.request("GET", f"/repos/{self.repo}/pulls/{number}")
        return pull_request_from_json(raw, number, self.label)

    def reviews(self, number: int) -> list[Review]:
        items = self.api.pages(f"/repos/{self.repo}/pulls/{number}/reviews", self.page_param, self.page_size)
        read = type(self).read_review
        return [r for i, x in enumerate(items) if (r := read(x, i)) is not None]

    def commits(self, number: int) -> list[Commit]:
        items = self.api.pages(f"/repos/{self.repo}/pulls/{number}/commits{self.commits_query}", self.page_param,
                               self.page_size)
        return commits_from_json(items, self.label)

    def set_status(self, sha: str, state: str, description: str, target_url: str | None = None) -> None:
        """Set the ``hoso/approvals`` status: ``pending``, ``success``, ``failure`` or ``error``."""
        if state not in STATUS_STATES:
            raise ValueError(state)
        body: dict[str, Any] = {"state": state, "context": STATUS_CONTEXT, "description": description[:140]}
        if target_url:
            body["target_url"] = target_url
        self.api.request("POST", f"/repos/{self.repo}/statuses/{sha}", body)

    def request_reviewers(self, number: int, logins: list[str]) -> None:
        self.api.request("POST", f"/repos/{self.repo}/pulls/{number}/requested_reviewers", {"reviewers": logins})
