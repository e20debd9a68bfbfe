"""hoso site: validate the repository, then build the guidance site into ``site/``."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from hoso.errors import HosoError
from hoso.messages import L
from hoso.options import settings
from hoso.reporters import render
from hoso.repository import WorkTree, load_settings
from hoso.siteconfig import missing_site_modules
from hoso.validation import validate_repository
from hoso.wording import decimal

NAME = "site"
HELP = {
    "vi": "kiểm tra mọi hồ sơ rồi dựng trang hướng dẫn vào site/ (0: xong, 1: có lỗi, không dựng)",
    "en": "validate every record, then build the guidance site into site/ (0 built, 1 errors, nothing built)",
}
EXAMPLE = "hoso site --today 2026-11-27 --site-dir site"
FORMATS = False


def add_arguments(parser: argparse.ArgumentParser, lang: str) -> None:
    vi = lang != "en"
    parser.add_argument("--site-dir", metavar="DIR", default="site",
                        help="thư mục đầu ra (mặc định site/)" if vi else "output directory (default site/)")
    parser.add_argument("--full", action="store_true",
                        help="dựng lại mọi trang, kể cả trang không đổi" if vi
                        else "render every page again, even those that did not change")


def run(args: argparse.Namespace) -> int:
    s = settings(args)
    missing = missing_site_modules()
    if missing:
        raise HosoError(L(f"chưa cài phần dựng trang ({', '.join(missing)}): pip install 'hoso[site]'",
                          f"the site extra is not installed ({', '.join(missing)}): pip install 'hoso[site]'"))
    # the same cached, parallel check as `hoso validate`: a rerun with nothing changed is cheap
    report, _ = validate_repository(s.root, s.today)
    print(render(report, "text", s.lang), end="")
    if report.exit_code() != 0:
        raise HosoError(L("có lỗi trong hồ sơ; không dựng trang", "the records have errors; site not built"))
    if not (s.root / "docs").is_dir():
        raise HosoError(L(f"không có thư mục docs/ trong {s.root}", f"no docs/ directory in {s.root}"))
    from hoso.site.builder import build_site

    start = time.monotonic()
    name = load_settings(WorkTree(s.root))[0].name
    done = build_site(s.root, s.root / Path(args.site_dir), s.today, name, full=args.full)
    took = time.monotonic() - start
    msg = L(f"đã dựng {done.pages} trang vào {args.site_dir}/ trong {decimal(took, 'vi')} giây (mkdocs build --strict); "
            f"{done.rendered} trang sinh ra được viết lại, {done.kept} trang không đổi",
            f"built {done.pages} pages into {args.site_dir}/ in {took:.1f} s (mkdocs build --strict); "
            f"{done.rendered} generated pages written, {done.kept} unchanged")
    print(getattr(msg, s.lang))
    return 0
