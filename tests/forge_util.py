"""A real HTTP server on 127.0.0.1 that answers as GitHub's or Forgejo's API does, in that
forge's own paths, auth, pagination and JSON shapes (tests/fixtures/forges/, see its README):
GET a pull request, its reviews and its commits, POST a commit status, merge.

Failures are scripted: ``fail`` answers 500 to the paths it names a number of times,
``limited`` answers "rate limited" that many times first (with a wait of 0 seconds), and
``merge_conflict`` refuses a merge. Nothing here sleeps: a retry waits on the next request.
"""

from __future__ import annotations

import copy
import json
import threading
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

TOKEN = "test-token-not-a-secret"
SHAPES = Path(__file__).resolve().parent / "fixtures" / "forges"
ROOT = {"github": "", "forgejo": "/api/v1"}
AUTH = {"github": f"Bearer {TOKEN}", "forgejo": f"token {TOKEN}"}
SIZE_PARAM = {"github": "per_page", "forgejo": "limit"}
# Generic verdicts of the tests, in each forge's words (the flags are Forgejo's PullReview fields)
VERDICT = {
    "github": {"approve": ("APPROVED", {}), "changes": ("CHANGES_REQUESTED", {}), "comment": ("COMMENTED", {}),
               "dismissed": ("DISMISSED", {}), "pending": ("PENDING", {})},
    "forgejo": {"approve": ("APPROVED", {}), "changes": ("REQUEST_CHANGES", {}), "comment": ("COMMENT", {}),
                "dismissed": ("APPROVED", {"dismissed": True}), "pending": ("PENDING", {})},
}


def shape(kind: str, name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((SHAPES / kind / f"{name}.json").read_text(encoding="utf-8"))
    return copy.deepcopy(data)


def user(kind: str, login: str) -> dict[str, Any]:
    out = dict(shape(kind, "review")["user"])
    out["login"] = login
    return out


def review(kind: str, n: int, login: str, verdict: str, commit: str, day: str = "2024-11-01",
           **flags: Any) -> dict[str, Any]:
    """A review in ``kind``'s shape: ``verdict`` one of VERDICT's keys; ``flags`` Forgejo's own."""
    state, extra = VERDICT[kind][verdict]
    out = shape(kind, "review")
    out.update({"id": 1000 + n, "user": user(kind, login), "state": state, "commit_id": commit,
                "submitted_at": f"{day}T00:{n // 60:02d}:{n % 60:02d}Z", **extra, **flags})
    return out


def commit(kind: str, sha: str, login: str | None, verified: bool = False) -> dict[str, Any]:
    """A pull request's commit; ``verified``: the forge checked its signature (both forges put it
    under ``commit.verification``)."""
    out = shape(kind, "commit")
    out.update({"sha": sha, "author": user(kind, login) if login else None,
                "committer": user(kind, login) if login else None})
    out["commit"]["verification"] = {"verified": verified, "reason": "valid" if verified else "unsigned",
                                     "signature": "-----BEGIN PGP SIGNATURE-----" if verified else None,
                                     "payload": None}
    return out


@dataclass
class FakeForge:
    kind: str
    repo: str
    number: int
    author: str
    base: str
    head: str
    reviews: list[dict[str, Any]]
    commits: list[dict[str, Any]] | None = None  # None: one commit, the head, by the author
    base_ref: str = "main"
    page_size: int = 2
    fail: dict[str, int] = field(default_factory=dict)  # path suffix -> times to answer 500 first
    limited: int = 0  # requests to answer "rate limited" first
    merge_conflict: bool = False
    statuses: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    merges: list[dict[str, Any]] = field(default_factory=list)
    merge_sha: str = ""
    requests: list[str] = field(default_factory=list)
    requested: list[list[str]] = field(default_factory=list)
    url: str = ""

    @property
    def api(self) -> str:
        return self.url + ROOT[self.kind]

    def pull(self) -> dict[str, Any]:
        out = shape(self.kind, "pull_request")
        out["number"], out["user"] = self.number, user(self.kind, self.author)
        out["base"].update({"ref": self.base_ref, "sha": self.base})
        out["head"].update({"ref": "change", "sha": self.head})
        if self.merges:
            out.update({"merged": True, "merge_commit_sha": self.merge_sha, "state": "closed"})
        return out


def _handler(f: FakeForge) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (quiet)
            pass

        def _send(self, code: int, body: Any, headers: dict[str, str] | None = None) -> None:
            data = b"" if body is None else json.dumps(body).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)

        def _refused(self, path: str) -> bool:
            if self.headers.get("Authorization") != AUTH[f.kind]:
                self._send(401, {"message": "Bad credentials"} if f.kind == "github"
                           else {"message": "token is required", "url": f.url + "/api/swagger"})
                return True
            if f.limited > 0:
                f.limited -= 1
                if f.kind == "github":
                    self._send(403, {"message": "API rate limit exceeded"},
                               {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "0", "Retry-After": "0"})
                else:
                    self._send(429, {"message": "Too Many Requests"}, {"Retry-After": "0"})
                return True
            for suffix, times in f.fail.items():
                if path.endswith(suffix) and times > 0:
                    f.fail[suffix] = times - 1
                    self._send(500, {"message": "Internal Server Error"})
                    return True
            return False

        def _paged(self, items: list[dict[str, Any]], path: str, query: dict[str, list[str]]) -> None:
            page = int(query.get("page", ["1"])[0])
            pages = max(1, -(-len(items) // f.page_size))
            chunk = items[(page - 1) * f.page_size: page * f.page_size]
            base = f"{f.url}{path}?{SIZE_PARAM[f.kind]}={query.get(SIZE_PARAM[f.kind], ['30'])[0]}&page="
            links = []
            if page < pages:
                links += [f'<{base}{page + 1}>; rel="next"', f'<{base}{pages}>; rel="last"']
            if page > 1:
                links += [f'<{base}1>; rel="first"', f'<{base}{page - 1}>; rel="prev"']
            headers = {"Link": ", ".join(links)} if links else {}
            if f.kind == "forgejo":
                headers["X-Total-Count"] = str(len(items))
            self._send(200, chunk, headers)

        def do_GET(self) -> None:  # noqa: N802
            f.requests.append("GET " + self.path)
            url = urllib.parse.urlsplit(self.path)
            if self._refused(url.path):
                return
            prefix = f"{ROOT[f.kind]}/repos/{f.repo}/pulls/{f.number}"
            if url.path == prefix:
                self._send(200, f.pull())
            elif url.path == prefix + "/reviews":
                self._paged(f.reviews, url.path, urllib.parse.parse_qs(url.query))
            elif url.path == prefix + "/commits":
                commits = f.commits if f.commits is not None else [commit(f.kind, f.head, f.author)]
                self._paged(commits, url.path, urllib.parse.parse_qs(url.query))
            else:
                self._send(404, {"message": "Not Found"})

        def _body(self) -> Any:
            length = int(self.headers.get("Content-Length", "0"))
            return json.loads(self.rfile.read(length) or b"{}")

        def do_POST(self) -> None:  # noqa: N802
            f.requests.append("POST " + self.path)
            if self._refused(self.path):
                return
            body = self._body()
            statuses = f"{ROOT[f.kind]}/repos/{f.repo}/statuses/"
            pulls = f"{ROOT[f.kind]}/repos/{f.repo}/pulls/{f.number}"
            if self.path.startswith(statuses) and body.get("state") in ("error", "failure", "pending", "success"):
                f.statuses.append((self.path[len(statuses):], body))
                out = shape(f.kind, "status")
                out.update({"state" if f.kind == "github" else "status": body["state"], "context": body.get("context")})
                self._send(201, out)
            elif self.path == pulls + "/requested_reviewers":
                f.requested.append(list(body.get("reviewers", [])))
                self._send(201, f.pull() if f.kind == "github" else [])
            elif self.path == pulls + "/merge" and f.kind == "forgejo":
                self._merge(body, body.get("head_commit_id"))
            else:
                self._send(422 if f.kind == "github" else 404, {"message": "Validation Failed"})

        def do_PUT(self) -> None:  # noqa: N802
            f.requests.append("PUT " + self.path)
            if self._refused(self.path):
                return
            body = self._body()
            if self.path == f"/repos/{f.repo}/pulls/{f.number}/merge" and f.kind == "github":
                self._merge(body, body.get("sha"))
            else:
                self._send(404, {"message": "Not Found"})

        def _merge(self, body: dict[str, Any], sha: Any) -> None:
            if f.merge_conflict or sha != f.head:
                self._send(409 if f.kind == "github" else 405, {"message": "Head branch was modified"})
                return
            f.merges.append(body)
            self._send(200, {"sha": f.merge_sha, "merged": True, "message": "Pull Request successfully merged"}
                       if f.kind == "github" else None)

    return Handler


POLL = 0.01  # s


@contextmanager
def loopback(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """A real HTTP server on 127.0.0.1 (a free port) for the duration; yields its root URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    # shutdown() returns when the loop next looks at its flag: every POLL s, not the default 0.5 s
    # (half a second idle at the end of each of ~100 forge tests)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": POLL}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@contextmanager
def serve(f: FakeForge) -> Iterator[FakeForge]:
    with loopback(_handler(f)) as url:
        f.url = url
        yield f
