"""A small GitHub REST client: a pull request, its reviews and commits (paginated) and one commit status.

Standard library only (urllib): three endpoints, JSON in and out, the ``Link`` header for
pagination; nothing here needs a dependency. The API root comes from ``--api-url`` or
``GITHUB_API_URL`` (GitHub Enterprise, or a test server on loopback); the token from
``GITHUB_TOKEN``. The token is only ever sent to the API root's own host.
"""

from __future__ import annotations

import json
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from hoso.errors import HosoError, UsageError
from hoso.messages import L

DEFAULT_API = "https://api.github.com"
STATUS_CONTEXT = "hoso/approvals"
STATES = ("pending", "success", "failure", "error")
_NEXT = re.compile(r'<([^>]+)>\s*;\s*rel="?next"?')


class ForgeError(HosoError):
    """The forge's API could not be used (unreachable, refused, unexpected answer): exit 4, so CI
    can tell "not approved yet" (1) from "could not ask" (4)."""

    exit_code = 4


@dataclass(frozen=True)
class PullRequest:
    number: int
    author: str
    base_sha: str
    head_sha: str
    base_ref: str


class GitHub:
    def __init__(self, repo: str, token: str | None, api_url: str | None = None, timeout: float = 30.0) -> None:
        if not re.fullmatch(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+", repo or ""):
            raise UsageError(L(f"kho GitHub phải có dạng OWNER/NAME, không phải '{repo}'",
                              f"the GitHub repository must read OWNER/NAME, not '{repo}'"))
        self.repo = repo
        self.token = token
        self.api = (api_url or os.environ.get("GITHUB_API_URL") or DEFAULT_API).rstrip("/")
        self.host = urllib.parse.urlsplit(self.api).netloc
        self.timeout = timeout

    def _request(self, method: str, url: str, body: Any = None) -> tuple[Any, dict[str, str]]:
        if not url.startswith(("http://", "https://")):
            url = self.api + url
        if urllib.parse.urlsplit(url).netloc != self.host:
            raise ForgeError(L(f"API trả về địa chỉ lạ: {url}", f"the API pointed to a foreign address: {url}"))
        headers = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28",
                   "User-Agent": "hoso"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        req = urllib.request.Request(url, data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:  # noqa: S310 (http(s) only, checked)
                raw = resp.read()
                return (json.loads(raw) if raw else None), dict(resp.headers.items())
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace")[:200]
            raise ForgeError(L(f"GitHub trả lời {exc.code} cho {method} {url}: {detail}",
                              f"GitHub answered {exc.code} to {method} {url}: {detail}")) from None
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise ForgeError(L(f"không gọi được GitHub ({method} {url}): {exc}",
                              f"cannot reach GitHub ({method} {url}): {exc}")) from None

    def _pages(self, path: str) -> list[Any]:
        out: list[Any] = []
        url: str | None = path + ("&" if "?" in path else "?") + "per_page=100"
        while url:
            page, headers = self._request("GET", url)
            if not isinstance(page, list):
                raise ForgeError(L(f"GitHub trả lời không phải danh sách cho {url}", f"GitHub did not answer a list for {url}"))
            out.extend(page)
            link = next((v for k, v in headers.items() if k.lower() == "link"), "")
            m = _NEXT.search(link)
            url = m.group(1) if m else None
        return out

    def pull_request(self, number: int) -> PullRequest:
        pr, _ = self._request("GET", f"/repos/{self.repo}/pulls/{number}")
        try:
            return PullRequest(number, pr["user"]["login"], pr["base"]["sha"], pr["head"]["sha"], pr["base"]["ref"])
        except (KeyError, TypeError):
            raise ForgeError(L(f"pull request #{number} thiếu thông tin", f"pull request #{number} lacks fields")) from None

    def reviews(self, number: int) -> list[Any]:
        return self._pages(f"/repos/{self.repo}/pulls/{number}/reviews")

    def commits(self, number: int) -> list[tuple[str, str | None]]:
        """The pull request's commits: (sha, the account GitHub attributes the author to, or None)."""
        out: list[tuple[str, str | None]] = []
        for raw in self._pages(f"/repos/{self.repo}/pulls/{number}/commits"):
            sha = raw.get("sha") if isinstance(raw, dict) else None
            if not isinstance(sha, str):
                raise ForgeError(L("GitHub trả về commit không có sha", "GitHub answered a commit without a sha"))
            author = raw.get("author")
            login = author.get("login") if isinstance(author, dict) else None
            out.append((sha, login if isinstance(login, str) else None))
        return out

    def set_status(self, sha: str, state: str, description: str, target_url: str | None = None) -> None:
        """Set the ``hoso/approvals`` status: ``pending``, ``success``, ``failure`` or ``error``."""
        if state not in STATES:
            raise ValueError(state)
        body: dict[str, Any] = {"state": state, "context": STATUS_CONTEXT, "description": description[:140]}
        if target_url:
            body["target_url"] = target_url
        self._request("POST", f"/repos/{self.repo}/statuses/{sha}", body)


def event_pr_number() -> int | None:
    """The pull request number of the running GitHub Actions event, if any."""
    path = os.environ.get("GITHUB_EVENT_PATH")
    if not path:
        return None
    try:
        with open(path, encoding="utf-8") as fh:
            event = json.load(fh)
    except (OSError, ValueError):
        return None
    pr = event.get("pull_request") if isinstance(event, dict) else None
    number = pr.get("number") if isinstance(pr, dict) else None
    return number if isinstance(number, int) else None
