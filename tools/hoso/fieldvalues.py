"""Values an officer gives for an event's fields: typed words turned into file values.

Everything here goes by the *type* of a field spec (date, text, ref, officer, unit, procedure,
enum, bool, int, ballot, list, object), never by a field's name. ``--set`` paths are dotted:
``ballot.for=11``, ``grounds=a,b`` (a list of plain values, comma-separated),
``consultations.0.body=x`` (item 0 of a list of objects), ``ballot.excluded.transferred=1``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Any

from hoso.base import Text
from hoso.errors import HosoError, UsageError
from hoso.messages import L
from hoso.procedure import FieldSpec, Procedure

SCALARS = ("date", "text", "ref", "officer", "unit", "procedure", "enum", "bool", "int")
TRUE_WORDS = frozenset({"có", "co", "c", "true", "yes", "y", "đúng", "1"})
FALSE_WORDS = frozenset({"không", "khong", "k", "false", "no", "n", "sai", "0"})
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")


def _t(vi: str, en: str) -> Text:
    return Text(vi=vi, en=en)


def ballot_fields(proc: Procedure) -> dict[str, FieldSpec]:
    """The parts of a ballot-typed field, as field specs (the ballot model of the data contract)."""
    reasons = proc.ballot.excluded_reasons if proc.ballot else ""
    excluded = {
        r: FieldSpec(type="int", required=False, title=_t(proc.label(reasons, r, "vi"), proc.label(reasons, r, "en")))
        for r in proc.excluded_reasons()
    }
    return {
        "members_total": FieldSpec(type="int", title=_t("Tổng số đảng viên (thành viên)", "Members in total")),
        "excluded": FieldSpec(type="object", required=False, fields=excluded,
                              title=_t("Không tính biểu quyết (theo lý do)", "Not counted (by reason)")),
        "present": FieldSpec(type="int", title=_t("Số có mặt", "Present")),
        "for": FieldSpec(type="int", title=_t("Số phiếu tán thành", "Votes for")),
        "against": FieldSpec(type="int", title=_t("Số phiếu không tán thành", "Votes against")),
        "invalid": FieldSpec(type="int", required=False, title=_t("Số phiếu không hợp lệ", "Invalid ballots")),
        "secret": FieldSpec(type="bool", required=False, title=_t("Bỏ phiếu kín", "Secret ballot")),
    }


def sub_fields(proc: Procedure, spec: FieldSpec) -> dict[str, FieldSpec] | None:
    """The named parts of an object or ballot field; None for other types."""
    if spec.type == "ballot":
        return ballot_fields(proc)
    if spec.type == "object":
        return spec.fields or {}
    return None


def title(spec: FieldSpec, name: str, lang: str) -> str:
    return spec.title.get(lang) if spec.title else name


def convert(proc: Procedure, spec: FieldSpec, raw: str, where: str) -> Any:
    """One typed answer as the value the file holds; HosoError says what is wrong."""
    word = raw.strip()
    t = spec.type
    if t == "date":
        problem = date_problem(word)
        if problem is not None:
            raise HosoError(L(f"'{where}': {problem.vi}", f"'{where}': {problem.en}"))
        return word
    if t == "int":
        if not re.fullmatch(r"[0-9]+", word):
            raise HosoError(L(f"'{where}': cần một số nguyên không âm, không phải '{word}'",
                              f"'{where}': needs a whole number, not '{word}'"))
        return int(word)
    if t == "bool":
        low = word.lower()
        if low in TRUE_WORDS:
            return True
        if low in FALSE_WORDS:
            return False
        raise HosoError(L(f"'{where}': trả lời có hoặc không, không phải '{word}'",
                          f"'{where}': answer yes (có/true) or no (không/false), not '{word}'"))
    if t == "enum":
        allowed = proc.vocabulary_values(spec)
        if word not in allowed:
            def listed(lang: str) -> str:
                return ", ".join(f"{v} ({proc.label(spec.vocabulary, v, lang)})" if spec.vocabulary else v for v in allowed)

            raise HosoError(L(f"'{where}': '{word}' không có trong danh sách; được phép: {listed('vi')}",
                              f"'{where}': '{word}' is not allowed; allowed: {listed('en')}"))
        return word
    if t == "list" and spec.item is not None and spec.item.type in SCALARS:
        parts = [p.strip() for p in word.split(",") if p.strip()]
        return [convert(proc, spec.item, p, f"{where}.{i}") for i, p in enumerate(parts)]
    if t in ("list", "object", "ballot"):
        raise HosoError(L(f"'{where}' gồm nhiều phần: đặt từng phần, ví dụ --set {where}.<phần>=…",
                          f"'{where}' has parts: set each, e.g. --set {where}.<part>=…"))
    if not word:
        raise HosoError(L(f"'{where}': không được để trống", f"'{where}': may not be empty"))
    return word


def date_problem(word: str) -> L | None:
    """What is wrong with a date an officer typed: the format, or a day that does not exist."""
    if not _DATE.match(word):
        return L(f"cần một ngày dạng YYYY-MM-DD (năm-tháng-ngày, ví dụ 2025-03-14), không phải '{word}'",
                 f"needs a date written YYYY-MM-DD (year-month-day, e.g. 2025-03-14), not '{word}'")
    year, month, day = (int(p) for p in word.split("-"))
    if not 1 <= month <= 12:
        return L(f"ngày {word} không có thật: không có tháng {month}", f"{word} does not exist: there is no month {month}")
    last = calendar.monthrange(year, month)[1] if year >= 1 else 31
    if not 1 <= day <= last:
        return L(f"ngày {word} không có thật: tháng {month} năm {year} chỉ có {last} ngày",
                 f"{word} does not exist: month {month} of {year} has only {last} days")
    try:
        dt.date.fromisoformat(word)
    except ValueError:
        return L(f"ngày {word} không có thật", f"{word} does not exist")
    return None


def parse_assignment(text: str) -> tuple[list[str], str]:
    if "=" not in text:
        raise UsageError(L(f"--set cần dạng khóa=giá-trị, không phải '{text}'",
                           f"--set needs key=value, not '{text}'"))
    key, value = text.split("=", 1)
    path = [p for p in key.strip().split(".")]
    if not all(path):
        raise UsageError(L(f"--set: khóa '{key}' không hợp lệ", f"--set: bad key '{key}'"))
    return path, value


def assign(proc: Procedure, specs: dict[str, FieldSpec], target: dict[str, Any], path: list[str], raw: str,
           where: str = "") -> None:
    """Put one ``--set`` value into ``target`` at ``path``, converting it by the field's type."""
    name, rest = path[0], path[1:]
    here = f"{where}.{name}" if where else name
    spec = specs.get(name)
    if spec is None:
        raise HosoError(L(f"không có trường '{here}'; có: {', '.join(specs) or '—'}",
                          f"no field '{here}'; fields: {', '.join(specs) or '—'}"))
    if not rest:
        if raw.strip() == "":
            target.pop(name, None)
        else:
            target[name] = convert(proc, spec, raw, here)
        return
    parts = sub_fields(proc, spec)
    if parts is not None:
        sub = target.setdefault(name, {})
        if not isinstance(sub, dict):
            raise HosoError(L(f"'{here}' đã có giá trị khác", f"'{here}' already has another value"))
        assign(proc, parts, sub, rest, raw, here)
        return
    if spec.type == "list" and spec.item is not None:
        _assign_item(proc, spec.item, target, name, rest, raw, here)
        return
    if spec.type == "values":  # a correction's new values: checked later against the corrected step
        _assign_raw(target.setdefault(name, {}), rest, raw)
        return
    raise HosoError(L(f"'{here}' là giá trị đơn, không có phần '{rest[0]}'",
                      f"'{here}' is a single value with no part '{rest[0]}'"))


def _assign_raw(target: dict[str, Any], path: list[str], raw: str) -> None:
    """A value by its YAML reading (numbers, true/false, dates stay text) at a dotted path."""
    import yaml

    for key in path[:-1]:
        target = target.setdefault(key, {})
    value = yaml.safe_load(raw) if raw.strip() else None
    target[path[-1]] = value if isinstance(value, (int, bool, str)) and not isinstance(value, float) else raw


def _assign_item(proc: Procedure, item: FieldSpec, target: dict[str, Any], name: str, rest: list[str],
                 raw: str, here: str) -> None:
    items = target.setdefault(name, [])
    if not isinstance(items, list) or not rest[0].isdigit():
        raise HosoError(L(f"'{here}' là danh sách: dùng {here}.0, {here}.1 …",
                          f"'{here}' is a list: use {here}.0, {here}.1 …"))
    index = int(rest[0])
    if index > len(items):
        raise HosoError(L(f"'{here}.{index}': hãy đặt mục {len(items)} trước",
                          f"'{here}.{index}': set item {len(items)} first"))
    parts = sub_fields(proc, item)
    if index == len(items):
        items.append({} if parts is not None else None)
    if len(rest) == 1:
        items[index] = convert(proc, item, raw, f"{here}.{index}")
    elif parts is not None:
        assign(proc, parts, items[index], rest[1:], raw, f"{here}.{index}")
    else:
        raise HosoError(L(f"'{here}.{index}' là giá trị đơn", f"'{here}.{index}' is a single value"))


def condition_holds(when: dict[str, Any] | None, values: dict[str, Any]) -> bool:
    return all(values.get(k) == v for k, v in (when or {}).items())


def needed(spec: FieldSpec, values: dict[str, Any]) -> bool:
    """Whether a field must be given, judged on the values given so far."""
    if spec.required_when is not None:
        return condition_holds(spec.required_when, values)
    return spec.required


def describe_type(proc: Procedure, spec: FieldSpec, lang: str) -> str:
    vi = lang != "en"
    t = spec.type
    if t == "enum":
        return " | ".join(proc.vocabulary_values(spec))
    if t == "list" and spec.item is not None:
        inner = describe_type(proc, spec.item, lang)
        n = proc.amount(spec.min_items)
        more = (f", ít nhất {n}" if vi else f", at least {n}") if n else ""
        return (f"danh sách [{inner}]{more}" if vi else f"list of [{inner}]{more}")
    names = {"date": ("ngày YYYY-MM-DD", "date YYYY-MM-DD"), "text": ("văn bản", "text"),
             "ref": ("số hiệu văn bản", "reference"), "officer": ("mã cán bộ", "officer id"),
             "unit": ("mã đơn vị", "unit id"), "procedure": ("mã quy trình", "procedure id"),
             "bool": ("có/không", "yes/no"), "int": ("số nguyên", "whole number"),
             "ballot": ("kết quả bỏ phiếu", "ballot tally"), "object": ("nhóm trường", "group of fields"),
             "values": ("trường: giá trị mới", "field: new value")}
    pair = names.get(t, (t, t))
    return pair[0] if vi else pair[1]
