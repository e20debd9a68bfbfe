"""GitHub's REST API (github.com, GitHub Enterprise): pull requests, reviews, commits, statuses.

Endpoints and shapes: https://docs.github.com/en/rest/pulls/pulls, …/pulls/reviews,
…/commits/statuses; pagination with ``per_page`` and the ``Link`` header; token auth with
``Authorization: Bearer``. The API root comes from ``--api-url``, the repository's settings or
``GITHUB_API_URL``.
"""

from __future__ import annotations

from typing import Any

from hoso.forge.http import Api
from hoso.forge.model import (APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED, PENDING, STATUS_CONTEXT,
                              STATUS_STATES, Commit, ForgeError, PullRequest, Review)
from hoso.messages import L

DEFAULT_API = "https://api.github.com"
_STATES = {"APPROVED": APPROVED, "CHANGES_REQUESTED": CHANGES_REQUESTED, "DISMISSED": DISMISSED,
           "COMMENTED": COMMENTED, "PENDING": PENDING}


def review_from_json(raw: Any, order: int) -> Review | None:
    """One item of GET /repos/{owner}/{repo}/pulls/{n}/reviews (None: not a review)."""
    if not isinstance(raw, dict):
        return None
    user = raw.get("user")
    login = user.get("login") if isinstance(user, dict) else None
    if not isinstance(login, str):
        return None
    commit = raw.get("commit_id")
    rid = raw.get("id")
    return Review(login, _STATES.get(str(raw.get("state", "")).upper(), PENDING),
                  commit if isinstance(commit, str) else None, str(raw.get("submitted_at") or ""), order,
                  rid if isinstance(rid, int) else None)


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


class GitHub:
    name = "github"

    def __init__(self, repo: str, token: str | None, api_url: str | None = None) -> None:
        self.repo = repo
        headers = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self.api = Api(api_url or DEFAULT_API, headers, "GitHub")

    def pull_request(self, number: int) -> PullRequest:
        raw, _ = self.api.request("GET", f"/repos/{self.repo}/pulls/{number}")
        return pull_request_from_json(raw, number, "GitHub")

    def reviews(self, number: int) -> list[Review]:
        items = self.api.pages(f"/repos/{self.repo}/pulls/{number}/reviews", "per_page", 100)
        return [r for i, x in enumerate(items) if (r := review_from_json(x, i)) is not None]

    def commits(self, number: int) -> list[Commit]:
        return commits_from_json(self.api.pages(f"/repos/{self.repo}/pulls/{number}/commits", "per_page", 100),
                                 "GitHub")

    def set_status(self, sha: str, state: str, description: str, target_url: str | None = None) -> None:
        if state not in STATUS_STATES:
            raise ValueError(state)
        body: dict[str, Any] = {"state": state, "context": STATUS_CONTEXT, "description": description[:140]}
        if target_url:
            body["target_url"] = target_url
        self.api.request("POST", f"/repos/{self.repo}/statuses/{sha}", body)

    def request_reviewers(self, number: int, logins: list[str]) -> None:
        self.api.request("POST", f"/repos/{self.repo}/pulls/{number}/requested_reviewers", {"reviewers": logins})

    def merge(self, number: int, head_sha: str, title: str, message: str) -> str:
        raw, _ = self.api.request("PUT", f"/repos/{self.repo}/pulls/{number}/merge",
                                  {"merge_method": "merge", "sha": head_sha, "commit_title": title,
                                   "commit_message": message})
        sha = raw.get("sha") if isinstance(raw, dict) else None
        return sha if isinstance(sha, str) else ""
