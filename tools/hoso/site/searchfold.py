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


def add_folded(index: dict[str, Any]) -> dict[str, Any]:
    """The search index with the ``fold`` field filled in for every section."""
    for doc in index.get("docs", []):
        words = folded_words(str(doc.get("title", "")), str(doc.get("text", "")))
        if words:
            doc[FIELD] = words
    return index


def rewrite(site_dir: Path) -> bool:
    """Add the folded words to ``search/search_index.json`` under ``site_dir``; False when absent."""
    path = site_dir / "search" / "search_index.json"
    if not path.is_file():
        return False
    index = add_folded(json.loads(path.read_text(encoding="utf-8")))
    path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return True
