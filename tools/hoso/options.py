"""Options every command shares: the repository, today, language and output format."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path

from hoso.errors import UsageError
from hoso.messages import L


_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")  # as hoso.fieldvalues reads a date


@dataclass(frozen=True)
class Settings:
    root: Path
    today: dt.date
    lang: str
    format: str


def parse_today(value: str | None) -> dt.date:
    if not value:
        return dt.date.today()
    if _DATE.match(value):  # the common, valid date: no need to import the field parsers (pydantic)
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    from hoso.fieldvalues import date_problem

    problem = date_problem(value)
    if problem is not None:
        raise UsageError(L(f"--today: {problem.vi}", f"--today: {problem.en}"))
    return dt.date.fromisoformat(value)


def settings(args: argparse.Namespace) -> Settings:
    root = Path(args.C or ".").resolve()
    if not root.is_dir():
        raise UsageError(L(f"không có thư mục '{args.C}'", f"no directory '{args.C}'"))
    today = parse_today(args.today or os.environ.get("HOSO_TODAY"))
    return Settings(root, today, args.lang, getattr(args, "format", "text") or "text")
