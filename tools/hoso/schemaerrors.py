"""Turn pydantic's validation errors into hoso issues with stable rule ids and plain words."""

from __future__ import annotations

import re
import reprlib
from typing import Any

from pydantic import ValidationError

from hoso.engine import Issue, Path, issue
from hoso.messages import L

_EXPECTED: dict[str, L] = {
    "string_type": L("chuỗi ký tự", "text"),
    "int_type": L("số nguyên", "a whole number"),
    "int_from_float": L("số nguyên", "a whole number"),
    "bool_type": L("true hoặc false", "true or false"),
    "dict_type": L("một bảng khóa: giá trị", "a mapping of key: value"),
    "model_type": L("một bảng khóa: giá trị", "a mapping of key: value"),
    "model_attributes_type": L("một bảng khóa: giá trị", "a mapping of key: value"),
    "list_type": L("một danh sách", "a list"),
    "date_type": L("một ngày YYYY-MM-DD", "a date YYYY-MM-DD"),
    "literal_error": L("một giá trị trong danh sách", "one of the listed values"),
}


# What each identifier pattern means, in words: a message never shows a regular expression.
_CODE = L("mã viết hoa: 1–6 chữ cái, gạch nối, 1–8 chữ số, ví dụ OF-017 hoặc DV-0101",
          "an upper-case code: 1–6 letters, a hyphen, 1–8 digits, e.g. OF-017 or DV-0101")
_WORDS: dict[str, L] = {
    r"^[A-Z]{1,6}-[0-9]{1,8}$": _CODE,
    r"^[a-z0-9]+(?:-[a-z0-9]+)*(?:/[a-z0-9]+(?:-[a-z0-9]+)*)*$": L(
        "mã đơn vị viết thường, các cấp cách nhau bằng '/', ví dụ van-chan/xa-a/chi-bo-thon-1",
        "a lower-case unit id, levels separated by '/', e.g. van-chan/xa-a/chi-bo-thon-1"),
    r"^[A-Z0-9]+(?:-[A-Z0-9]+)*$": L("mã hồ sơ viết hoa, ví dụ VC-2021-001", "an upper-case case id, e.g. VC-2021-001"),
    r"^[a-z0-9][a-z0-9-]*$": L("mã viết thường, chỉ chữ, số và gạch nối, ví dụ hd02-2025",
                               "a lower-case id of letters, digits and hyphens, e.g. hd02-2025"),
    r"^[a-z0-9_-]+$": L("mã viết thường, chỉ chữ, số, '_' và '-'", "a lower-case id of letters, digits, '_' and '-'"),
    r"^[A-Z]{1,6}$": L("1–6 chữ cái viết hoa, ví dụ VC", "1–6 upper-case letters, e.g. VC"),
    r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$": L("tên đăng nhập forge: chữ, số và gạch nối", "a forge login: letters, digits and hyphens"),
}


def pattern_words(pattern: str, value: Any) -> L:
    """A pattern mismatch in words, with the value as it should be written when only its case is wrong."""
    words = _WORDS.get(pattern, L("không đúng định dạng quy định", "not in the required format"))
    if isinstance(value, str):
        for fixed in (value.upper(), value.lower()):
            if fixed != value and re.fullmatch(pattern, fixed):
                return L(f"'{_show(value)}': {words.vi}; viết là {fixed}", f"'{_show(value)}': {words.en}; write {fixed}")
    return L(f"'{_show(value)}': {words.vi}", f"'{_show(value)}': {words.en}")


_BOUNDS = {"greater_than_equal": ("ge", "≥"), "greater_than": ("gt", ">"), "less_than_equal": ("le", "≤")}


def _bound(kind: str, ctx: dict[str, Any]) -> L:
    key, sign = _BOUNDS[kind]
    limit = ctx.get(key)
    if kind == "greater_than_equal" and limit == 0:
        return L("phải là số không âm", "must not be negative")
    return L(f"phải {sign} {limit}", f"must be {sign} {limit}")


def _show(value: Any) -> str:
    try:
        text = value if isinstance(value, str) else reprlib.repr(value)
    except (ValueError, RecursionError):  # a huge integer, a pathological structure
        text = f"<{type(value).__name__}>"
    return text if len(text) <= 60 else text[:57] + "…"


def _field_name(loc: tuple[Any, ...]) -> str:
    names = [str(p) for p in loc if not isinstance(p, int)]
    return ".".join(names) if names else "(tệp)"


def pydantic_issues(exc: ValidationError, prefix: Path = ()) -> list[Issue]:
    out: list[Issue] = []
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        kind = err["type"]
        ctx = err.get("ctx") or {}
        path = prefix + loc
        field = _field_name(loc)
        value = err.get("input")
        if kind == "missing":
            out.append(issue(prefix + loc[:-1], "SCHEMA-MISSING", field=str(loc[-1])))
        elif kind == "extra_forbidden":
            out.append(issue(path, "SCHEMA-UNKNOWN-KEY", field=str(loc[-1]), hint=""))
        elif kind == "literal_error":
            out.append(issue(path, "SCHEMA-VALUE", field=field, value=_show(value),
                             allowed=str(ctx.get("expected", "")).replace("'", "")))
        elif kind == "value_error" and str(ctx.get("error", "")).startswith("date_"):
            out.append(issue(path, "SCHEMA-DATE", field=field, value=_show(value)))
        elif kind == "value_error" and "selector_one_of" in str(ctx.get("error", "")):
            out.append(issue(path, "SCHEMA-FORMAT", field=field,
                             detail=L("cần đúng một trong relative, ancestor_kind, above", "exactly one of relative, ancestor_kind, above")))
        elif kind == "string_pattern_mismatch":
            out.append(issue(path, "SCHEMA-FORMAT", field=field, detail=pattern_words(str(ctx.get("pattern")), value)))
        elif kind in ("too_short",):
            out.append(issue(path, "SCHEMA-TOO-SHORT", field=field, min=ctx.get("min_length", 1)))
        elif kind in ("string_too_short",):
            out.append(issue(path, "SCHEMA-FORMAT", field=field, detail=L("không được để trống", "must not be empty")))
        elif kind in ("too_long", "string_too_long"):
            out.append(issue(path, "SCHEMA-FORMAT", field=field,
                             detail=L(f"dài quá {ctx.get('max_length')}", f"longer than {ctx.get('max_length')}")))
        elif kind in ("greater_than_equal", "greater_than", "less_than_equal"):
            out.append(issue(path, "SCHEMA-FORMAT", field=field, detail=_bound(kind, ctx)))
        else:
            expected = _EXPECTED.get(kind, L(err["msg"], err["msg"]))
            got = L(f" (nhận được {_show(value)!s})", f" (got {_show(value)!s})") if value is not None else L("", "")
            if value is None and kind != "missing":
                got = L(" (đang để trống)", " (empty)")
            out.append(issue(path, "SCHEMA-TYPE", field=field, expected=expected, got=got))
    return out
