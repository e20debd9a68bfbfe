"""GitHub's REST API (github.com, GitHub Enterprise): pull requests, reviews, commits, statuses.

Endpoints and shapes: https://docs.github.com/en/rest/pulls/pulls, …/pulls/reviews,
…/commits/statuses; pagination with ``per_page`` and the ``Link`` header; token auth with
``Authorization: Bearer``. The API root comes from ``--api-url``, the repository's settings or
``GITHUB_API_URL``.
"""

from __future__ import annotations

from typing import Any

from hoso.forge.http import Api
from hoso.forge.model import APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED, PENDING, Review
from hoso.forge.rest import RestForge

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


class GitHub(RestForge):
    name = "github"
    label = "GitHub"
    read_review = staticmethod(review_from_json)

    def __init__(self, repo: str, token: str | None, api_url: str | None = None) -> None:
        headers = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        super().__init__(repo, Api(api_url or DEFAULT_API, headers, self.label))

    def merge(self, number: int, head_sha: str, title: str, message: str) -> str:
        raw, _ = self.api.request("PUT", f"/repos/{self.repo}/pulls/{number}/merge",
                                  {"merge_method": "merge", "sha": head_sha, "commit_title": title,
                                   "commit_message": message})
        sha = raw.get("sha") if isinstance(raw, dict) else None
        return sha if isinstance(sha, str) else ""
