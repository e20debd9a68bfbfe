"""Shared pydantic building blocks: strict models and explicit date parsing."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")


_DATES: dict[str, dt.date] = {}  # text -> date, for texts that passed (a run reads the same days often)
_DATES_MAX = 100_000


def parse_date(value: Any) -> Any:
    """Accept a ``YYYY-MM-DD`` string (what the strict loader gives) or a date object."""
    if type(value) is str:
        day = _DATES.get(value)
        if day is not None:
            return day
        day = _parse_text(value)
        if len(_DATES) < _DATES_MAX:
            _DATES[value] = day
        return day
    if isinstance(value, dt.datetime):
        raise ValueError("date_format")
    if isinstance(value, str):
        return _parse_text(value)
    return value


def _parse_text(value: str) -> dt.date:
    if not _ISO_DATE.match(value):
        raise ValueError("date_format")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError("date_impossible") from None


Date = Annotated[dt.date, BeforeValidator(parse_date)]


class Strict(BaseModel):
    """Every model hoso reads from a file: strict types, no unknown keys."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True, populate_by_name=True)


class Text(Strict):
    """A text in Vietnamese and English."""

    vi: str
    en: str

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.vi
