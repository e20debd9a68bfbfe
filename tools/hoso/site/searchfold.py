"""Search that finds "kiểm điểm" when typed "kiem diem".

Material's search (lunr.js in a web worker) matches words exactly as written, and a phone keyboard
or a hurried reader often leaves out the tone marks. The index file gets one more field,
``fold``: every word of a section that has diacritics, written without them (đ as d). The worker
indexes every field named in the index's ``config.fields`` (``plugins: search: fields:`` in
``mkdocs.yml``) but shows only the title and text, so results look as before.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path
from typing import Any

FIELD = "fold"
TAGS = re.compile(r"<[^>]+>")
WORD = re.compile(r"[^\W\d_]+")


def fold(text: str) -> str:
    """The text without diacritics: ``kiểm điểm`` → ``kiem diem``."""
    plain = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return unicodedata.normalize("NFC", "".join(c for c in plain if not unicodedata.combining(c)))


def folded_words(*texts: str) -> str:
    """The words of the texts that change when folded, folded, once each, in order."""
    seen: dict[str, None] = {}
    for text in texts:
        for word in WORD.findall(TAGS.sub(" ", text)):
            plain = fold(word)
            if plain != word:
                seen.setdefault(plain.lower())
    return " ".join(seen)


def add_folded(index: dict[str, Any], done: set[int] | None = None) -> dict[str, Any]:
    """The search index with the ``fold`` field filled in for every section (but the sections
    in ``done``, by ``id()``: carried over from an index already folded, they have theirs)."""
    for doc in index.get("docs", []):
        if done and id(doc) in done:
            continue
        words = folded_words(str(doc.get("title", "")), str(doc.get("text", "")))
        if words:
            doc[FIELD] = words
    return index


INDEX = Path("search") / "search_index.json"
Carried = tuple[dict[str, Any], set[str], list[str]]  # previous index, kept pages' URLs, every page's URL in order


def read(site_dir: Path) -> dict[str, Any] | None:
    """The search index a site directory holds now (None: none, or unreadable)."""
    try:
        index = json.loads((site_dir / INDEX).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return index if isinstance(index, dict) else None


def _page(location: str) -> str:
    return location.split("#", 1)[0]


def carry(index: dict[str, Any], carried: Carried) -> dict[str, Any]:
    """The index of a build that rendered only some pages: each kept page's entries from the
    previous index, each rendered page's from this one, in the order of a full build's."""
    old, kept, order = carried
    by_page: dict[str, list[Any]] = {}
    for source, keep in ((old, True), (index, False)):
        for doc in source.get("docs", []):
            url = _page(str(doc.get("location", "")))
            if (url in kept) == keep:
                by_page.setdefault(url, []).append(doc)
    known = set(order)
    docs = [d for url in order for d in by_page.get(url, [])]
    docs += [d for url, ds in by_page.items() if url not in known for d in ds]
    return {**index, "docs": docs}


def rewrite(site_dir: Path, carried: Carried | None = None) -> bool:
    """Add the folded words to ``search/search_index.json`` under ``site_dir`` (after carrying
    kept pages' entries over, for an incremental build); False when there is no index."""
    path = site_dir / INDEX
    if not path.is_file():
        return False
    index = json.loads(path.read_text(encoding="utf-8"))
    done: set[int] = set()
    if carried is not None:
        index = carry(index, carried)
        old = {id(d) for d in carried[0].get("docs", [])}
        done = {id(d) for d in index["docs"] if id(d) in old}
    index = add_folded(index, done)
    path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return True
