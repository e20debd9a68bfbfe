"""The language switch goes to the same page in the other language.

Each entry of ``extra.alternate`` in ``mkdocs.yml`` may carry ``same_page``: which path prefixes
of this site are which of the other's (``quy-trinh/`` ↔ ``procedures/``; the key ``""`` is the
home page). A page with no counterpart links to the other language's home page.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def counterpart(url: str, prefixes: Mapping[str, str]) -> str | None:
    """The other site's path of the page at ``url`` (site-relative), or None when it has none."""
    if url in ("", "index.html"):
        return prefixes.get("")
    best = max((p for p in prefixes if p and url.startswith(p)), key=len, default=None)
    return None if best is None else prefixes[best] + url[len(best):]


def links(url: str, alternates: list[dict[str, Any]], lang: str) -> list[dict[str, str]]:
    """The language selector's entries for the page at ``url``: name, lang, and a link relative to
    that page (the theme's ``url`` filter mangles links that climb out of the site with ``../``)."""
    up = "../" * (url.rsplit("/", 1)[0].count("/") + 1 if "/" in url else 0)
    out = []
    for alt in alternates:
        link = str(alt.get("link", "./")).removeprefix("./")
        target = url if alt.get("lang") == lang else counterpart(url, alt.get("same_page") or {})
        if target is not None:
            link = (link.rstrip("/") + "/" if link else "") + target
        out.append({"name": str(alt.get("name", "")), "lang": str(alt.get("lang", "")), "link": up + link or "./"})
    return out
