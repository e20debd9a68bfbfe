"""Writing case files: one canonical format, appends that keep a hand-edited file's comments.

New files are rendered whole: the schema comment, the synthetic-data notice when the repository
says so, the header keys in contract order and the history. An event is appended as text: a
canonically rendered block put at the end of the history, in the file's own indentation, so
every comment and line a person wrote stays as it was. Either way the result is read back
through the strict loader and must equal the intended data exactly; if a hand-made layout
defeats the text append (a flow-style history), the file is rendered whole instead, keeping its
leading comments.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hoso.errors import HosoError
from hoso.fieldvalues import sub_fields
from hoso.messages import L
from hoso.procedure import FieldSpec, Procedure
from hoso.yamlload import Loaded, YamlError, load_strict

HEADER_KEYS = ("case", "procedure", "unit", "member", "member_status")
SYNTHETIC_NOTE = "# DỮ LIỆU MÔ PHỎNG — hồ sơ mẫu, không có người thật."
_PLAIN = re.compile(r"[^\W\d_][\w\-./]*\Z")
_RESERVED = frozenset({"true", "false", "null", "yes", "no", "on", "off", "y", "n", "nan", "inf"})


# ------------------------------------------------------------------------ scalars


def scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if value is None:
        return "null"
    text = str(value)
    if _PLAIN.match(text) and text.lower() not in _RESERVED:
        return text
    return json.dumps(text, ensure_ascii=False)


def flow(value: Any, spec: FieldSpec | None, proc: Procedure) -> str:
    """A value on one line: ``[a, b]``, ``{k: v}``, or a scalar."""
    if isinstance(value, dict):
        parts = sub_fields(proc, spec) if spec is not None else None
        keys = ordered_keys(value, parts or {})
        return "{" + ", ".join(f"{scalar(k)}: {flow(value[k], (parts or {}).get(k), proc)}" for k in keys) + "}"
    if isinstance(value, list):
        item = spec.item if spec is not None else None
        return "[" + ", ".join(flow(v, item, proc) for v in value) + "]"
    return scalar(value)


def ordered_keys(values: dict[str, Any], specs: dict[str, FieldSpec]) -> list[str]:
    """Spec order first (so the file reads the same whoever typed the values), unknown keys last."""
    known = [k for k in specs if k in values]
    return known + [k for k in values if k not in specs]


# ------------------------------------------------------------------------- events


def event_order(proc: Procedure, event: str) -> dict[str, FieldSpec]:
    """Canonical key order of an event: common required fields, the event's own, optional common ones."""
    common = proc.common_fields
    first = {k: s for k, s in common.items() if s.required or s.required_when}
    last = {k: s for k, s in common.items() if k not in first}
    return {**first, **proc.events[event].fields, **last}


def event_lines(proc: Procedure, entry: dict[str, Any]) -> list[str]:
    """An event as block lines, relative to its ``- `` (first line starts with ``event:``)."""
    name = entry.get("event")
    specs = event_order(proc, name) if isinstance(name, str) and name in proc.events else {}
    lines = [f"event: {scalar(entry['event'])}"]
    for key in ordered_keys({k: v for k, v in entry.items() if k != "event"}, specs):
        value, spec = entry[key], specs.get(key)
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            lines.append(f"{scalar(key)}:")
            item = spec.item if spec is not None else None
            lines.extend(f"  - {flow(v, item, proc)}" for v in value)
        else:
            lines.append(f"{scalar(key)}: {flow(value, spec, proc)}")
    return lines


def indent_event(lines: list[str], dash: int, key: int) -> list[str]:
    out = [" " * dash + "-" + " " * (key - dash - 1) + lines[0]]
    out.extend(" " * key + line for line in lines[1:])
    return out


# ------------------------------------------------------------------------ files


def schema_comment(path: str, procedure: str) -> str:
    depth = path.count("/")
    return f"# yaml-language-server: $schema={'../' * depth}schema/{procedure}.json"


def render_case(data: dict[str, Any], proc: Procedure, path: str, synthetic: bool,
                comments: list[str] | None = None) -> str:
    lines = comments if comments is not None else [schema_comment(path, str(data.get("procedure")))]
    if comments is None and synthetic:
        lines = lines + [SYNTHETIC_NOTE]
    lines = list(lines)
    for key in ordered_keys({k: v for k, v in data.items() if k != "history"}, {k: FieldSpec(type="text") for k in HEADER_KEYS}):
        lines.append(f"{key}: {flow(data[key], None, proc)}")
    lines.append("history:")
    for entry in data.get("history", []):
        lines.extend(indent_event(event_lines(proc, entry), 2, 4))
    return "\n".join(lines) + "\n"


@dataclass
class Appended:
    text: str
    rewritten: bool  # True when the file had to be rendered whole


def append_event(text: str, entry: dict[str, Any], proc: Procedure, path: str, synthetic: bool) -> Appended:
    """``text`` with ``entry`` appended to its history, in the file's own line endings."""
    if "\r\n" in text:
        done = append_event(text.replace("\r\n", "\n"), entry, proc, path, synthetic)
        return Appended(done.text.replace("\n", "\r\n"), done.rewritten)
    loaded = load_strict(text)
    data = loaded.value
    expected = {**data, "history": [*data["history"], entry]}
    new = _text_append(text, loaded, list(data), entry, proc)
    if new is not None and _reads_as(new, expected):
        return Appended(new, False)
    lead = leading_comments(text)
    whole = render_case(expected, proc, path, synthetic, comments=lead)
    if not _reads_as(whole, expected):  # pragma: no cover - render_case's own bug
        raise HosoError(L("không ghi được hồ sơ ở dạng chuẩn", "could not render the case file"))
    return Appended(whole, True)


def _text_append(text: str, loaded: Loaded, keys: list[str], entry: dict[str, Any],
                 proc: Procedure) -> str | None:
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    first = loaded.values.get(("history", 0))
    if first is None:
        return None
    row = lines[first.line - 1]
    dash = row.rfind("-", 0, first.column - 1)
    if dash < 0 or row[:dash].strip():
        return None  # a flow-style history: no dash before the first item
    key = first.column - 1 if row[first.column - 1] not in "{[" else dash + 2
    block = indent_event(event_lines(proc, entry), dash, max(key, dash + 2))
    index = keys.index("history")
    if index == len(keys) - 1:
        at = len(lines)
    else:
        at = loaded.keys[(keys[index + 1],)].line - 1
        while at > 0 and (not lines[at - 1].strip() or lines[at - 1].startswith("#")):
            at -= 1
    return "\n".join(lines[:at] + block + lines[at:]) + "\n"


def leading_comments(text: str) -> list[str]:
    out = []
    for line in text.split("\n"):
        if not line.startswith("#"):
            break
        out.append(line)
    return out


def _reads_as(text: str, expected: Any) -> bool:
    try:
        return bool(load_strict(text).value == expected)
    except YamlError:
        return False


def write_atomic(path: Path, text: str) -> None:
    """Write through a temporary file in the same directory and rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o777)
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
