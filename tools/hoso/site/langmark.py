"""Vietnamese words on an English page are marked ``lang="vi"``, so a screen reader says them in
Vietnamese (unit names, the procedure's own titles, the synthetic-data banner).

Works on the finished HTML of a page: only text between tags changes; a run of words that holds a
letter only Vietnamese writes (ă, â, đ, ê, ô, ơ, ư, or a tone mark) is wrapped in
``<span lang="vi">`` (``<tspan>`` inside SVG text). The head, scripts, styles, and SVG titles and
descriptions (which may hold no markup) are left alone.
"""

from __future__ import annotations

import re
import unicodedata

TAG = re.compile(r"(<!--.*?-->|<[^>]*>)", re.S)
NAME = re.compile(r"</?\s*([a-zA-Z][\w:-]*)")
_VI_LETTERS = "ăâđêôơưĂÂĐÊÔƠƯ"
_WORD = r"[\w\u0300-\u036f]+"
TONES = re.compile("[\u0300\u0301\u0303\u0309\u0323]")
SKIP = {"head", "script", "style", "title", "desc", "textarea"}


def is_vietnamese(word: str) -> bool:
    """True for a word only Vietnamese spells: a Vietnamese letter or a tone mark on a vowel."""
    if any(c in _VI_LETTERS for c in word):
        return True
    return bool(TONES.search(unicodedata.normalize("NFD", word)))


def _wrap(text: str, in_svg: bool) -> str:
    tokens = re.split(rf"({_WORD})", text)
    words = [i for i, tok in enumerate(tokens) if i % 2 == 1 and is_vietnamese(tok)]
    if not words:
        return text
    runs: list[list[int]] = []
    for i in words:  # join marked words separated by at most one plain word (Xã A, Hồ sơ 02)
        if runs and i - runs[-1][1] <= 4 and not re.search(r"[.,;:!?()|—\[\]]", "".join(tokens[runs[-1][1] + 1:i])):
            runs[-1][1] = i
        else:
            runs.append([i, i])
    tag = "tspan" if in_svg else "span"
    out, pos = [], 0
    for start, end in runs:
        out.append("".join(tokens[pos:start]))
        out.append(f'<{tag} lang="vi">' + "".join(tokens[start:end + 1]) + f"</{tag}>")
        pos = end + 1
    out.append("".join(tokens[pos:]))
    return "".join(out)


def mark(html: str) -> str:
    """The page with every run of Vietnamese words in its body wrapped in a ``lang="vi"`` element."""
    parts = TAG.split(html)
    skip: list[str] = []  # open elements whose text is left alone
    svg_text = 0  # depth inside SVG <text>, where the wrapper is a <tspan>
    for i, part in enumerate(parts):
        if i % 2 == 0:
            # every Vietnamese letter and tone mark is outside ASCII: an ASCII run has nothing to mark
            if not skip and not part.isascii() and part.strip():
                parts[i] = _wrap(part, svg_text > 0)
            continue
        m = NAME.match(part)
        if m is None or part.endswith("/>"):
            continue
        name, closing = m.group(1).lower(), part.startswith("</")
        if name in SKIP:
            if not closing:
                skip.append(name)
            elif name in skip:
                del skip[len(skip) - 1 - skip[::-1].index(name)]
        elif name == "text":
            svg_text += -1 if closing else 1
    return "".join(parts)
