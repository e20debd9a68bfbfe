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


def is_hoso_repo(root: Path) -> bool:
    return (root / "procedures").is_dir() or (root / "hoso.yaml").is_file()


def require_hoso_repo(root: Path) -> None:
    """Outside a hoso repository, say so (exit 2) and name the one above, if any, for ``-C``."""
    if is_hoso_repo(root):
        return
    above = next((p for p in root.parents if is_hoso_repo(p)), None)
    where = str(above) if above is not None else "THƯ-MỤC-CỦA-KHO"
    where_en = str(above) if above is not None else "REPOSITORY-DIR"
    raise UsageError(L(f"'{root}' không phải kho hoso (không có procedures/ hay hoso.yaml); chạy lệnh trong thư mục "
                       f"của kho, hoặc thêm -C {where}",
                       f"'{root}' is not a hoso repository (no procedures/ or hoso.yaml); run in the repository's "
                       f"directory, or add -C {where_en}"))


def settings(args: argparse.Namespace) -> Settings:
    """The options of every command. Every command reads a hoso repository: outside one (no
    procedures/, no hoso.yaml) it stops with exit 2 and says where to run, before anything else
    (``hoso validate`` used to report the organisation's files missing; ``hoso report`` printed an
    empty table)."""
    root = Path(args.C or ".").resolve()
    if not root.is_dir():
        raise UsageError(L(f"không có thư mục '{args.C}'", f"no directory '{args.C}'"))
    require_hoso_repo(root)
    today = parse_today(args.today or os.environ.get("HOSO_TODAY"))
    return Settings(root, today, args.lang, getattr(args, "format", "text") or "text")
