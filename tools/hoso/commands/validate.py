"""hoso validate: every record, the org files and the procedures."""

from __future__ import annotations

import argparse

from hoso.options import settings
from hoso.reporters import render
from hoso.repository import WorkTree
from hoso.validation import validate

NAME = "validate"
HELP = {
    "vi": "kiểm tra mọi hồ sơ, tệp tổ chức và quy trình (0: không lỗi, 1: có lỗi, 2: sai cú pháp lệnh)",
    "en": "check every record, the org files and the procedures (0 no errors, 1 errors, 2 usage)",
}
EXAMPLE = "hoso validate --today 2026-11-27 --format json"


def add_arguments(parser: argparse.ArgumentParser, lang: str) -> None:
    pass


def run(args: argparse.Namespace) -> int:
    s = settings(args)
    report, _ = validate(WorkTree(s.root), s.today)
    print(render(report, s.format, s.lang), end="")
    return report.exit_code()
