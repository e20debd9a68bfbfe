"""Forgejo's and Gitea's API (``/api/v1``): pull requests, reviews, commits, statuses, merges.

Shapes as Forgejo's and Gitea's swagger describe them (``/api/swagger`` on any instance):
``PullRequest``, ``PullReview`` (state ``APPROVED``, ``REQUEST_CHANGES``, ``COMMENT``,
``PENDING`` or ``REQUEST_REVIEW``, with ``stale``, ``dismissed`` and ``official``), ``Commit``,
``CreateStatusOption`` and ``MergePullRequestOption``; pagination with ``page`` and ``limit``
and the ``Link`` header; token auth with ``Authorization: token``.
"""

from __future__ import annotations

from typing import Any

from hoso.forge.http import Api
from hoso.forge.model import APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED, PENDING, ForgeError, Review
from hoso.forge.rest import RestForge
from hoso.messages import L

PAGE = 50  # Forgejo's default MAX_RESPONSE_ITEMS: a larger limit is cut to it anyway
_STATES = {"APPROVED": APPROVED, "REQUEST_CHANGES": CHANGES_REQUESTED, "COMMENT": COMMENTED}


def review_from_json(raw: Any, order: int) -> Review | None:
    """One ``PullReview``. A dismissed review is a DISMISSED verdict; a stale one (given before
    the latest push) is tied to no commit, so it never counts as an approval of the head."""
    if not isinstance(raw, dict):
        return None
    user = raw.get("user")
    login = user.get("login") if isinstance(user, dict) else None
    if not isinstance(login, str):
        return None
    state = DISMISSED if raw.get("dismissed") is True else _STATES.get(str(raw.get("state", "")).upper(), PENDING)
    commit = raw.get("commit_id")
    commit = commit if isinstance(commit, str) and raw.get("stale") is not True else None
    rid = raw.get("id")
    return Review(login, state, commit, str(raw.get("submitted_at") or ""), order, rid if isinstance(rid, int) else None)


class Forgejo(RestForge):
    name = "forgejo"
    label = "Forgejo"
    page_param = "limit"
    page_size = PAGE
    commits_query = "?verification=true&files=false"
    read_review = staticmethod(review_from_json)

    def __init__(self, repo: str, token: str | None, api_url: str | None) -> None:
        if not api_url:
            raise ForgeError(L("Forgejo cần địa chỉ API (--api-url, forge.api_url trong hoso.yaml, hoặc GITHUB_API_URL)",
                               "Forgejo needs its API address (--api-url, forge.api_url in hoso.yaml, or GITHUB_API_URL)"))
        headers = {"Accept": "application/json"}
        if token:
            headers["Authorization"] = f"token {token}"
        super().__init__(repo, Api(api_url, headers, self.label))

    def merge(self, number: int, head_sha: str, title: str, message: str) -> str:
        self.api.request("POST", f"/repos/{self.repo}/pulls/{number}/merge",
                         {"Do": "merge", "MergeTitleField": title, "MergeMessageField": message,
                          "head_commit_id": head_sha})
        raw, _ = self.api.request("GET", f"/repos/{self.repo}/pulls/{number}")
        sha = raw.get("merge_commit_sha") if isinstance(raw, dict) else None
        return sha if isinstance(sha, str) else ""
