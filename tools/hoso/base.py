"""Shared pydantic building blocks: strict models and explicit date parsing."""

from __future__ import annotations

import datetime as dt
import re
import sys
import types
from typing import Annotated, Any


def _without_plugins() -> None:
    """No pydantic plugin installed beside hoso may watch or alter how a file is judged: pydantic
    looks its plugins up (through ``importlib.metadata`` entry points, an import that alone costs
    about four bare interpreter start-ups) the first time it builds a validator; a stand-in for
    that loader finds none. Whoever imported pydantic's own loader first keeps it."""
    name = "pydantic.plugin._loader"
    if name not in sys.modules:
        loader = types.ModuleType(name)
        loader.get_plugins = lambda: ()  # type: ignore[attr-defined]
        sys.modules[name] = loader


_without_plugins()

from pydantic import BaseModel, BeforeValidator, ConfigDict  # noqa: E402

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
