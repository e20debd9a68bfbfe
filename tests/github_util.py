"""A real HTTP server on 127.0.0.1 that answers the GitHub REST endpoints hoso uses, as GitHub
documents them: GET a pull request, GET its reviews and its commits (paginated with a Link
header), POST a commit status. It pages at ``page_size`` whatever ``per_page`` asks, to exercise
paging; ``fail`` makes the paths it names answer 500, as a broken API would."""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any

from tests.forge_util import loopback

TOKEN = "test-token-not-a-secret"


def review(n: int, login: str, state: str, commit: str, day: str = "2024-11-01") -> dict[str, Any]:
    return {"id": 1000 + n, "node_id": f"R_{n}", "user": {"login": login, "id": 50 + n, "type": "User"},
            "body": "", "state": state, "commit_id": commit, "author_association": "MEMBER",
            "submitted_at": f"{day}T00:{n // 60:02d}:{n % 60:02d}Z", "html_url": "https://example.invalid"}


def pr_commit(sha: str, login: str | None) -> dict[str, Any]:
    """One item of GET /repos/{owner}/{repo}/pulls/{n}/commits (author: null when GitHub maps no account)."""
    person = {"name": "someone", "email": "someone@example.invalid", "date": "2024-11-01T00:00:00Z"}
    return {"sha": sha, "node_id": f"C_{sha[:7]}", "commit": {"author": person, "committer": person, "message": "step"},
            "author": {"login": login, "type": "User"} if login else None,
            "committer": {"login": login, "type": "User"} if login else None, "parents": []}


@dataclass
class FakeGitHub:
    repo: str
    number: int
    author: str
    base: str
    head: str
    reviews: list[dict[str, Any]]
    page_size: int = 2
    other_reviews: dict[int, list[dict[str, Any]]] = field(default_factory=dict)  # other pull requests
    commits: list[dict[str, Any]] | None = None  # None: one commit, the head, by the author
    base_ref: str = "main"
    fail: set[str] = field(default_factory=set)  # path suffixes that answer 500
    statuses: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    url: str = ""


def _handler(gh: FakeGitHub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (quiet)
            pass

        def _send(self, code: int, body: Any, headers: dict[str, str] | None = None) -> None:
            data = json.dumps(body).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)

        def _authorised(self) -> bool:
            if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                self._send(401, {"message": "Bad credentials", "documentation_url": "https://docs.github.com/rest"})
                return False
            return True

        def _paged(self, items: list[dict[str, Any]], path: str, page: int) -> None:
            pages = max(1, -(-len(items) // gh.page_size))
            chunk = items[(page - 1) * gh.page_size: page * gh.page_size]
            links = []
            base = f"{gh.url}{path}?per_page=100&page="
            if page < pages:
                links.append(f'<{base}{page + 1}>; rel="next"')
                links.append(f'<{base}{pages}>; rel="last"')
            if page > 1:
                links.append(f'<{base}1>; rel="first"')
                links.append(f'<{base}{page - 1}>; rel="prev"')
            self._send(200, chunk, {"Link": ", ".join(links)} if links else None)

        def do_GET(self) -> None:  # noqa: N802
            gh.requests.append("GET " + self.path)
            if not self._authorised():
                return
            url = urllib.parse.urlsplit(self.path)
            if any(url.path.endswith(f) for f in gh.fail):
                self._send(500, {"message": "Server Error"})
                return
            query = urllib.parse.parse_qs(url.query)
            number = gh.number
            for n in gh.other_reviews:
                if url.path == f"/repos/{gh.repo}/pulls/{n}/reviews":
                    number = n
            reviews = gh.reviews if number == gh.number else gh.other_reviews[number]
            prefix = f"/repos/{gh.repo}/pulls/{number}"
            page = int(query.get("page", ["1"])[0])
            if url.path == prefix and number == gh.number:
                self._send(200, {"number": gh.number, "state": "open", "user": {"login": gh.author},
                                 "base": {"ref": gh.base_ref, "sha": gh.base},
                                 "head": {"ref": "change", "sha": gh.head}})
            elif url.path == prefix + "/reviews":
                self._paged(reviews, url.path, page)
            elif url.path == prefix + "/commits" and number == gh.number:
                commits = gh.commits if gh.commits is not None else [pr_commit(gh.head, gh.author)]
                self._paged(commits, url.path, page)
            else:
                self._send(404, {"message": "Not Found"})

        def do_POST(self) -> None:  # noqa: N802
            gh.requests.append("POST " + self.path)
            if not self._authorised():
                return
            if any(self.path.endswith(f) for f in gh.fail):
                self._send(500, {"message": "Server Error"})
                return
            length = int(self.headers.get("Content-Length", "0"))
            body = json.loads(self.rfile.read(length) or b"{}")
            prefix = f"/repos/{gh.repo}/statuses/"
            if self.path.startswith(prefix) and body.get("state") in ("error", "failure", "pending", "success"):
                sha = self.path[len(prefix):]
                gh.statuses.append((sha, body))
                self._send(201, {"id": len(gh.statuses), "state": body["state"], "context": body.get("context")})
            else:
                self._send(422, {"message": "Validation Failed"})

    return Handler


@contextmanager
def serve(gh: FakeGitHub) -> Iterator[FakeGitHub]:
    with loopback(_handler(gh)) as url:
        gh.url = url
        yield gh
