"""One strict YAML loader for every file hoso reads.

The line-tracking loader walks PyYAML's (C) event stream and builds plain Python values
itself, so it can refuse what a case file must never contain and remember where every key
and value stands:

* duplicate keys, anchors, aliases, merge keys, explicit tags, several documents;
* files over a size limit, invalid UTF-8, nesting deeper than a limit;
* YAML 1.1 type guessing: only ``true``/``false`` (any case YAML 1.2 allows) become booleans,
  only plain decimal integers without a leading zero become ``int``, ``null``/``~``/empty
  become ``None``; everything else (``no``, ``1:30``, ``010``, ``2021-03-02``) stays a string
  and the model decides what it must be.

:func:`load_fast` is the fast path for the common, valid file: a Rust parser guarded by a
pre-scan that sends every file that could parse differently to the strict loader.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

try:  # pragma: no cover - depends on the wheel
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_BYTES = 1_000_000
MAX_DEPTH = 32

Path = tuple[Any, ...]

_INT = re.compile(r"-?(?:0|[1-9][0-9]*)\Z")
_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})
_NULL = frozenset({"", "~", "null", "Null", "NULL"})


@dataclass(frozen=True)
class Pos:
    line: int  # from 1
    column: int  # from 1


class YamlError(Exception):
    """A file hoso cannot accept as YAML; carries a rule id and where it stands."""

    def __init__(self, rule: str, line: int, column: int, **args: Any) -> None:
        super().__init__(rule)
        self.rule = rule
        self.line = line
        self.column = column
        self.args_ = args


@dataclass
class Loaded:
    value: Any
    values: dict[Path, Pos] = field(default_factory=dict)
    keys: dict[Path, Pos] = field(default_factory=dict)

    def pos(self, path: Path, *, key: bool = False) -> Pos:
        """Where ``path`` stands; the nearest enclosing node when it is missing."""
        table = self.keys if key else self.values
        p = tuple(path)
        while p:
            if p in table:
                if not key and p in self.keys and self._block(p):
                    return self.keys[p]  # a block mapping or list starts below its key: point at the key
                return table[p]
            if key and p in self.values:
                return self.values[p]
            p = p[:-1]
        return self.values.get((), Pos(1, 1))

    def _block(self, path: Path) -> bool:
        """Whether the value at ``path`` is a mapping or list that starts on a later line than its key."""
        value = self.value
        for part in path:
            try:
                value = value[part]
            except (KeyError, IndexError, TypeError):
                return False
        return isinstance(value, (dict, list)) and self.values[path].line > self.keys[path].line


def decode(data: bytes, max_bytes: int = MAX_BYTES) -> str:
    if len(data) > max_bytes:
        raise YamlError("YAML-TOO-LARGE", 1, 1, size=len(data), limit=max_bytes)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise YamlError("YAML-ENCODING", line, col) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\x00" in text:
        idx = text.index("\x00")
        raise YamlError("YAML-ENCODING", text.count("\n", 0, idx) + 1, 1)
    check_characters(text, data[3:] if data.startswith(b"\xef\xbb\xbf") else data)
    return text


# What git and the forge show is what the parser reads: lines end at LF (or CRLF) only, and
# nothing in the text changes how it is displayed. A lone CR, NEL or U+2028/2029 ends a line for
# the YAML parser but not for git (an event hidden in what reviewers see as one comment line);
# other control characters are invisible; bidi overrides and isolates reorder what is shown.
_CONTROL = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]|\r(?!\n)")
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")


def _where(text: str, idx: int) -> tuple[int, int]:
    """Line and column of ``text[idx]`` as git counts lines (by LF)."""
    return text.count("\n", 0, idx) + 1, idx - (text.rfind("\n", 0, idx) + 1) + 1


_FINE_BYTES = b"\t\n" + bytes(range(0x20, 0x7F)) + bytes(range(0x80, 0x100))  # what needs no closer look

# U+2028/2029 and the bidi controls in UTF-8 ("—" and "…" share their lead bytes)
_FLAGGED = re.compile(rb"\xe2\x80[\xa8-\xae]|\xe2\x81[\xa6-\xa9]")


def check_characters(text: str, data: bytes | None = None) -> None:
    """Refuse a character that makes the text read differently from how it is shown.

    ``data`` is ``text`` encoded, when the caller has it. Cheap byte-level tests (C speed) find
    the common file clean; the regular expressions run only to say where a problem stands."""
    if data is None:
        data = text.encode("utf-8", "surrogatepass")
    rest = data.translate(None, _FINE_BYTES)
    suspect = bool(rest) and not (rest.count(b"\r") == len(rest) and data.count(b"\r\n") == len(rest))
    suspect = suspect or (b"\xc2" in data and _C1.search(data) is not None)
    suspect = suspect or (b"\xe2" in data and _FLAGGED.search(data) is not None)
    if not suspect:
        return
    for pattern, rule in ((_CONTROL, "YAML-CONTROL-CHAR"), (_BIDI, "YAML-BIDI")):
        m = pattern.search(text)
        if m is not None:
            line, col = _where(text, m.start())
            raise YamlError(rule, line, col, char=f"U+{ord(m.group()[0]):04X}")


def resolve_plain(value: str) -> Any:
    if value in _NULL:
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    if _INT.match(value):
        try:
            return int(value)
        except ValueError:  # more digits than Python converts from text: the model will refuse it
            return value
    return value


def _mark(ev: Any) -> Pos:
    m = ev.start_mark
    return Pos(m.line + 1, m.column + 1)


class _Builder:
    def __init__(self) -> None:
        self.values: dict[Path, Pos] = {}
        self.keys: dict[Path, Pos] = {}

    @staticmethod
    def _same_lines(text: str, end: Any) -> None:
        """The parser counted as many lines as git shows (lines end at LF): otherwise every
        position would point at the wrong line, and something is hidden between them."""
        shown = text.count("\n") + (1 if text and not text.endswith("\n") else 0)  # libyaml ends the last line
        if end.start_mark.line != shown:
            raise YamlError("YAML-LINE-COUNT", 1, 1, parsed=end.start_mark.line, shown=shown)

    def build(self, text: str) -> Any:
        events = yaml.parse(text, Loader=_Loader)
        root: Any = None
        seen_doc = False
        # stack items: [container, path, pending_key or None, key_set]
        stack: list[list[Any]] = []
        ev: Any
        for ev in events:
            kind = type(ev)
            if kind is yaml.DocumentStartEvent:
                if seen_doc:
                    p = _mark(ev)
                    raise YamlError("YAML-MULTI-DOC", p.line, p.column)
                seen_doc = True
                continue
            if kind is yaml.StreamEndEvent:
                self._same_lines(text, ev)
                continue
            if kind in (yaml.StreamStartEvent, yaml.DocumentEndEvent):
                continue
            if kind is yaml.AliasEvent:
                p = _mark(ev)
                raise YamlError("YAML-ALIAS", p.line, p.column, name=ev.anchor)
            if kind in (yaml.MappingEndEvent, yaml.SequenceEndEvent):
                stack.pop()
                continue
            # a node: scalar, mapping start or sequence start
            pos = _mark(ev)
            if ev.anchor is not None:
                raise YamlError("YAML-ALIAS", pos.line, pos.column, name=ev.anchor)
            tag = ev.tag
            if tag is not None and tag != "!":
                raise YamlError("YAML-TAG", pos.line, pos.column, tag=tag)
            if kind is yaml.ScalarEvent:
                plain = ev.style in (None, "")
                node: Any = resolve_plain(ev.value) if plain else ev.value
            elif kind is yaml.MappingStartEvent:
                node = {}
            else:
                node = []
            if not stack:
                root = node
                path: Path = ()
            else:
                top = stack[-1]
                container = top[0]
                if isinstance(container, list):
                    path = top[1] + (len(container),)
                    container.append(node)
                elif top[2] is None:  # this node is a key
                    if kind is not yaml.ScalarEvent:
                        raise YamlError("YAML-COMPLEX-KEY", pos.line, pos.column)
                    if plain and ev.value == "<<":
                        raise YamlError("YAML-MERGE-KEY", pos.line, pos.column)
                    key = node if isinstance(node, (str, int, bool)) or node is None else str(node)
                    if key in container:
                        raise YamlError("YAML-DUPLICATE-KEY", pos.line, pos.column, key=str(key),
                                        first=self.keys[top[1] + (key,)].line)
                    top[2] = (key,)
                    self.keys[top[1] + (key,)] = pos
                    continue
                else:
                    key = top[2][0]
                    top[2] = None
                    path = top[1] + (key,)
                    container[key] = node
            self.values[path] = pos
            if kind is not yaml.ScalarEvent:
                if len(stack) >= MAX_DEPTH:
                    raise YamlError("YAML-TOO-DEEP", pos.line, pos.column, limit=MAX_DEPTH)
                stack.append([node, path, None])
        return root


def load_strict(data: bytes | str, *, max_bytes: int = MAX_BYTES) -> Loaded:
    """Parse one YAML document, keeping positions. Raises :class:`YamlError`."""
    text = decode(data, max_bytes) if isinstance(data, bytes) else data
    if isinstance(data, str):
        if len(data.encode("utf-8", "surrogatepass")) > max_bytes:
            raise YamlError("YAML-TOO-LARGE", 1, 1, size=len(data), limit=max_bytes)
        check_characters(data)
    builder = _Builder()
    try:
        value = builder.build(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        problem = str(exc.problem or exc.context or "")
        if "nesting depth" in problem:
            raise YamlError("YAML-TOO-DEEP", line, col, limit=MAX_DEPTH) from None
        raise YamlError("YAML-SYNTAX", line, col, problem=problem) from None
    except yaml.YAMLError as exc:  # reader errors (control characters) and the like
        raise YamlError("YAML-SYNTAX", 1, 1, problem=str(exc)) from None
    except RecursionError:  # pragma: no cover - the C parser is iterative
        raise YamlError("YAML-TOO-DEEP", 1, 1, limit=MAX_DEPTH) from None
    return Loaded(value, builder.values, builder.keys)


# --------------------------------------------------------------------------- fast path

# Anything that could make the fast parser and the strict loader disagree sends the file to
# the strict loader. The pre-scan works on the UTF-8 bytes, translated once so that refused
# bytes read "!", every separator a plain scalar may follow (line break, ``,``, ``[``, ``{``,
# ``:``) reads as a space and every digit 1–9 as ``1``; then plain substring searches (a regex
# alternation costs more than the parse itself) look for:
#
# * characters: anchors, aliases and tags (``& * !``), escapes, tabs, carriage returns, every
#   character libyaml refuses (controls, C1, U+FEFF inside the text, U+FFFE/FFFF) and the line
#   breaks YAML 1.1 knows and YAML 1.2 does not (U+0085, U+2028, U+2029);
# * sequences: merge keys, document markers and directives, complex keys, block scalars (an
#   empty ``>`` at the end of a file reads differently), and every plain
#   number form the strict loader keeps as a string while YAML 1.2 makes it a number (leading
#   zero, ``+``, base prefixes, ``_`` separators, a leading ``_``).
#
# What the scan cannot see cheaply is checked on the parsed value (:func:`_plain`): a float
# (``1e3``, ``.5``, ``.inf``), a null key or nesting near :data:`MAX_DEPTH` sends the file to
# the strict loader too. yaml-rs refuses duplicate keys itself. tests/test_fastpath.py checks
# the whole arrangement against the strict loader on generated texts.
_BAD_SEQ = (b"\xe2\x80\xa8", b"\xe2\x80\xa9", b"\xef\xbb\xbf", b"\xef\xbf\xbe", b"\xef\xbf\xbf")
_C1 = re.compile(rb"\xc2[\x80-\x9f]")
# one translation: refused bytes become "!", separators a space, digits 1-9 "1"
_NORM = bytearray(range(256))
for _b in [*range(0x00, 0x0A), *range(0x0B, 0x20), 0x7F, *b"&*!\\"]:
    _NORM[_b] = ord("!")
for _b in b"\n,[{:":
    _NORM[_b] = ord(" ")
for _b in b"123456789":
    _NORM[_b] = ord("1")
_TABLE = bytes(_NORM)
# each token after a rarer part of it that is searched for first (a search for a token that
# begins with a blank steps through every blank of the text: ten of them cost more than the parse)
_BAD_TOKEN = ((b"!", b"!"), (b"<", b"<<"), (b"---", b" ---"), (b"...", b" ..."), (b"%", b" %"),
              (b"|", b" |"), (b">", b" >"), (b"+", b"+0"), (b"+", b"+1"), (b"+", b"+."))  # and _beside: "_" next to a digit
# a run of block-list indicators nests deeply in a few bytes (yaml-rs crashes on it)
_DASHES = re.compile(rb"-(?: +-){7}")
_DEEP_INDENT = b"\n" + b" " * 48
_BIG_INT = 10**60  # longer integers: the strict loader keeps one of over 4,300 digits as text
_AFTER_ZERO = frozenset(b"01ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_")
_MAX_FLOW = 256


def _leading_zero(norm: bytes, token: bytes) -> bool:
    """A plain scalar that starts with ``token`` (`` 0`` or `` -0``) and goes on: ``010``, ``0x1F``."""
    i = norm.find(token)
    while i >= 0:
        if norm[i + len(token)] in _AFTER_ZERO:
            return True
        i = norm.find(token, i + 2)
    return False


# In flow context, an empty key or value (`[:0]`, `[0:]`) or an explicit key (`[?]`): yaml-rs reads
# them where libyaml refuses, and no record writes them. That is ``[\[{,][ \t]*[:?]|:[\]},]``,
# searched for as patterns that begin with one fixed byte (the first half on the reversed
# text), which the regular expression engine finds far faster than a set of bytes.
_COLON_CLOSE = re.compile(rb":[\]},]")
_REVERSED_OPEN = (re.compile(rb":[ \t]*[\[{,]"), re.compile(rb"\?[ \t]*[\[{,]"))


def _flow_odd(data: bytes) -> bool:
    if b"[" not in data and b"{" not in data:
        return False
    if _COLON_CLOSE.search(data) is not None:
        return True
    reverse = data[::-1]
    return any(p.search(reverse) is not None for p in _REVERSED_OPEN)


def _beside(norm: bytes, byte: bytes, neighbours: frozenset[int]) -> bool:
    """Whether ``byte`` (one byte) has one of ``neighbours`` just before or just after it anywhere
    in ``norm`` (which begins and ends with a blank, so both neighbours exist)."""
    i = norm.find(byte, 1)
    while i >= 0:
        if norm[i - 1] in neighbours or norm[i + 1] in neighbours:
            return True
        i = norm.find(byte, i + 1)
    return False


_DIGIT_01 = frozenset(b"01")


def _bad_sequence(data: bytes) -> bool:
    """One of :data:`_BAD_SEQ` (each begins with one of two leads, rare in Vietnamese text)."""
    for lead in (b"\xe2\x80", b"\xef"):
        i = data.find(lead)
        while i >= 0:
            if data[i:i + 3] in _BAD_SEQ:
                return True
            i = data.find(lead, i + 1)
    return False


def _suspect(data: bytes) -> bool:
    if _flow_odd(data):
        return True
    norm = b" " + data.translate(_TABLE) + b" "
    for rare, t in _BAD_TOKEN:
        if rare in norm and t in norm:
            return True
    # 0_ or 1_: a number with separators; _0 or _1: yaml-rs reads `_5` as the number 5, libyaml as text
    if _beside(norm, b"_", _DIGIT_01):
        return True
    if b"?" in norm and (b" ? " in norm or norm.startswith(b" ? ")):
        return True
    if _leading_zero(norm, b" 0") or _leading_zero(norm, b" -0"):
        return True
    if b"\xc2" in data and _C1.search(data) is not None:
        return True
    if _bad_sequence(data):
        return True
    if _DEEP_INDENT in data or _DASHES.search(norm) is not None:
        return True
    return data.count(b"[") + data.count(b"{") > _MAX_FLOW


_SCALAR_TYPES = frozenset({str, bool, type(None)})
_KEY_TYPES = frozenset({str, bool})  # keys that need no closer look (an int's size, anything else refused)
_LEAF_TYPES = frozenset({str, bool, type(None), int})


def _plain(value: Any, depth: int = 1) -> bool:
    """True when the parsed value holds nothing the strict loader would build otherwise:
    no float, no null key (yaml-rs reads ``: x`` as one), no nesting the strict loader refuses.
    The types of a container's items are collected at C speed; only containers are walked."""
    if depth >= MAX_DEPTH:
        return False
    if type(value) is dict:
        if not set(map(type, value)) <= _KEY_TYPES:
            for k in value:
                t = type(k)
                if t is str or t is bool or (t is int and -_BIG_INT < k < _BIG_INT):
                    continue
                # an empty key (None: libyaml refuses it), a float, a huge number, or a collection
                # as a key (``[]: x``; yaml-rs makes it a tuple or a frozenset, the strict loader
                # refuses it: YAML-COMPLEX-KEY)
                return False
        items: Any = value.values()
    else:
        items = value
    types = set(map(type, items))
    if types <= _SCALAR_TYPES:
        return True
    if int in types and not all(-_BIG_INT < x < _BIG_INT for x in items if type(x) is int):
        return False
    for x in items:
        t = type(x)
        if t in _LEAF_TYPES:
            continue
        if t is not dict and t is not list:  # a float, or anything else: the strict loader judges
            return False
        if not _plain(x, depth + 1):
            return False
    return True


def load_fast(text: str, data: bytes | None = None) -> Any | None:
    """The value of a plain, common file, or ``None`` when only the strict loader may judge it.

    ``data`` is ``text`` encoded (the file's bytes without a leading BOM), when the caller has it.
    """
    if data is None:
        data = text.encode("utf-8", "surrogatepass")
    if _suspect(data):
        return None
    try:
        import yaml_rs
    except ImportError:  # pragma: no cover
        return None
    try:
        value = yaml_rs.loads(text, parse_datetime=False)
    except Exception:  # any parse problem: the strict loader will say what and where
        return None
    if isinstance(value, (dict, list)) and _plain(value):
        return value
    return None
