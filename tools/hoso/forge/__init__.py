"""The forge seam: one protocol (:mod:`hoso.forge.model`), one module per forge.

``open_forge`` picks the client from the command line, ``hoso.yaml``'s ``forge:`` and the
environment (in that order); ``parse_reviews`` reads a file of reviews in a forge's own shape.
The approval rules see only :class:`Review`, :class:`Commit` and :class:`PullRequest`.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from typing import Any

from hoso.errors import UsageError
from hoso.forge import forgejo, github
from hoso.forge.model import Commit, Forge, ForgeError, PullRequest, Review
from hoso.messages import L

__all__ = ["FORGES", "Commit", "Forge", "ForgeError", "PullRequest", "Review", "event_pr_number", "open_forge",
           "parse_reviews"]

FORGES = ("github", "forgejo")
ALIASES = {"gitea": "forgejo"}
_READERS: dict[str, Callable[[Any, int], Review | None]] = {
    "github": github.review_from_json, "forgejo": forgejo.review_from_json}


def kind_of(name: str | None) -> str:
    kind = ALIASES.get(name or "github", name or "github")
    if kind not in FORGES:
        raise UsageError(L(f"không biết forge '{name}' (chọn: {', '.join(FORGES)})",
                           f"unknown forge '{name}' (one of: {', '.join(FORGES)})"))
    return kind


def parse_reviews(kind: str, data: Any) -> list[Review]:
    """A list of reviews in ``kind``'s own JSON shape, as its list-reviews endpoint returns it."""
    read = _READERS[kind_of(kind)]
    items = data if isinstance(data, list) else []
    return [r for i, raw in enumerate(items) if (r := read(raw, i)) is not None]


def open_forge(kind: str | None, repo: str | None, api_url: str | None) -> Forge:
    """The client for ``kind``: repository OWNER/NAME, API root, token from the environment
    (``HOSO_FORGE_TOKEN``, else ``GITHUB_TOKEN``, which GitHub and Forgejo Actions both set)."""
    kind = kind_of(kind)
    repo = repo or os.environ.get("GITHUB_REPOSITORY") or ""
    if not re.fullmatch(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+", repo):
        raise UsageError(L(f"kho phải có dạng OWNER/NAME, không phải '{repo}'",
                           f"the repository must read OWNER/NAME, not '{repo}'"))
    token = os.environ.get("HOSO_FORGE_TOKEN") or os.environ.get("GITHUB_TOKEN")
    url = api_url or os.environ.get("GITHUB_API_URL")
    if kind == "forgejo":
        return forgejo.Forgejo(repo, token, url)
    return github.GitHub(repo, token, url)


def event_pr_number() -> int | None:
    """The pull request number of the running Actions event (GitHub's and Forgejo's), if any."""
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
