"""JSON over HTTP for the forge clients: one root, token auth, Link pagination, bounded retries.

Standard library only (urllib): a handful of endpoints need no dependency. The token is only
ever sent to the API root's own host, and a ``Link`` header pointing elsewhere is refused. A 5xx
answer or a rate limit (429, or 403 with no requests left) is retried a bounded number of times,
waiting what the forge asks (``Retry-After``, or until ``X-RateLimit-Reset``) up to a cap.
"""

from __future__ import annotations

import json
import os
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from hoso.forge.model import ForgeError
from hoso.messages import L

_NEXT = re.compile(r'<([^>]+)>\s*;\s*rel="?next"?')
TRIES = 4
MAX_WAIT = 60.0  # seconds: a longer rate-limit wait fails the job instead (exit 4)


def _backoff() -> float:
    """Seconds before the first retry of a 5xx (doubled each time); HOSO_FORGE_BACKOFF sets it."""
    try:
        return max(0.0, float(os.environ.get("HOSO_FORGE_BACKOFF", "1")))
    except ValueError:
        return 1.0


class Api:
    """One forge API root. ``headers`` are sent with every request, the token among them."""

    def __init__(self, root: str, headers: dict[str, str], label: str, timeout: float = 30.0) -> None:
        self.root = root.rstrip("/")
        self.host = urllib.parse.urlsplit(self.root).netloc
        self.headers = {"User-Agent": "hoso", **headers}
        self.label = label
        self.timeout = timeout

    def url(self, path: str) -> str:
        url = path if path.startswith(("http://", "https://")) else self.root + path
        if urllib.parse.urlsplit(url).netloc != self.host:
            raise ForgeError(L(f"API trả về địa chỉ lạ: {url}", f"the API pointed to a foreign address: {url}"))
        return url

    def request(self, method: str, path: str, body: Any = None) -> tuple[Any, dict[str, str]]:
        url = self.url(path)
        data = None if body is None else json.dumps(body).encode()
        headers = dict(self.headers)
        if data is not None:
            headers["Content-Type"] = "application/json"
        wait = _backoff()
        for attempt in range(TRIES):
            req = urllib.request.Request(url, data=data, headers=headers, method=method)
            try:
                with urllib.request.urlopen(req, timeout=self.timeout) as resp:  # noqa: S310 (http(s), checked)
                    raw = resp.read()
                    return (json.loads(raw) if raw.strip() else None), dict(resp.headers.items())
            except urllib.error.HTTPError as exc:
                delay = self._retry_delay(exc, wait)
                if delay is None or attempt == TRIES - 1:
                    detail = exc.read().decode("utf-8", "replace")[:200]
                    raise ForgeError(L(f"{self.label} trả lời {exc.code} cho {method} {url}: {detail}",
                                       f"{self.label} answered {exc.code} to {method} {url}: {detail}")) from None
                time.sleep(delay)
                wait *= 2
            except (urllib.error.URLError, OSError, ValueError) as exc:
                raise ForgeError(L(f"không gọi được {self.label} ({method} {url}): {exc}",
                                   f"cannot reach {self.label} ({method} {url}): {exc}")) from None
        raise AssertionError("unreachable")  # pragma: no cover

    @staticmethod
    def _retry_delay(exc: urllib.error.HTTPError, backoff: float) -> float | None:
        """Seconds to wait before trying again, or None when the answer is final."""
        headers = exc.headers
        limited = exc.code == 429 or (exc.code == 403 and headers.get("X-RateLimit-Remaining") == "0")
        if not limited:
            return backoff if exc.code >= 500 else None
        after = headers.get("Retry-After")
        reset = headers.get("X-RateLimit-Reset")
        try:
            delay = float(after) if after is not None else (float(reset) - time.time() if reset else backoff)
        except ValueError:
            delay = backoff
        return max(0.0, delay) if delay <= MAX_WAIT else None

    def pages(self, path: str, size_param: str, size: int) -> list[Any]:
        """Every item of a paginated list, following ``Link: <…>; rel="next"``."""
        out: list[Any] = []
        url: str | None = path + ("&" if "?" in path else "?") + f"{size_param}={size}"
        while url:
            page, headers = self.request("GET", url)
            if not isinstance(page, list):
                raise ForgeError(L(f"{self.label} trả lời không phải danh sách cho {url}",
                                   f"{self.label} did not answer a list for {url}"))
            out.extend(page)
            link = next((v for k, v in headers.items() if k.lower() == "link"), "")
            m = _NEXT.search(link)
            url = m.group(1) if m else None
        return out
