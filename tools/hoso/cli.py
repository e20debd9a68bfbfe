"""The command line: a thin layer that parses options and dispatches to one module per command.

Exit codes: 0 fine, 1 findings or an expected error, 2 usage, 3 a bug (traceback saved to a
log file, never shown), 130 interrupted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import os
import pkgutil
import sys
import tempfile
import traceback
from collections.abc import Sequence
from types import ModuleType

from hoso import __version__
from hoso import commands as commands_pkg
from hoso.errors import HosoError, UsageError
from hoso.messages import L
from hoso.reporters import FORMATS
from hoso.streams import utf8_output

DESCRIPTION = {
    "vi": "hoso: hồ sơ rà soát, giúp đỡ đảng viên lưu bằng YAML trong Git, kiểm tra theo quy trình.",
    "en": "hoso: case files of a review procedure kept as YAML in Git, checked against the procedure.",
}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(message)


# argparse words its help and its errors through gettext; an officer reading Vietnamese gets them
# in Vietnamese (the messages argparse 3.10-3.13 use; an unknown one stays as argparse wrote it).
ARGPARSE_VI = {
    "usage: ": "cách dùng: ",
    "positional arguments": "đối số",
    "options": "tùy chọn",
    "optional arguments": "tùy chọn",
    "show this help message and exit": "in phần trợ giúp này rồi thoát",
    "argument %(argument_name)s: %(message)s": "%(argument_name)s: %(message)s",
    "the following arguments are required: %s": "thiếu đối số bắt buộc: %s",
    "unrecognized arguments: %s": "không hiểu đối số: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "không có lựa chọn %(value)r (chọn một trong: %(choices)s)",
    "expected one argument": "cần một giá trị sau tùy chọn này",
    "expected at most one argument": "cần nhiều nhất một giá trị",
    "expected at least one argument": "cần ít nhất một giá trị",
    "not allowed with argument %s": "không dùng cùng với %s",
    "ignored explicit argument %r": "tùy chọn này không nhận giá trị %r",
    "one of the arguments %s is required": "cần một trong các đối số %s",
    "ambiguous option: %(option)s could match %(matches)s": "tùy chọn %(option)s không rõ: có thể là %(matches)s",
    "unexpected option string: %s": "tùy chọn không mong đợi: %s",
    "invalid %(type)s value: %(value)r": "giá trị %(value)r không hợp lệ",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "không có lệnh %(parser_name)r (các lệnh: %(choices)s)",
    "can't open '%(filename)s': %(error)s": "không mở được '%(filename)s': %(error)s",
    "expected %s argument": "cần %s giá trị",
    "expected %s arguments": "cần %s giá trị",
}


def speak_argparse(lang: str) -> None:
    """Make argparse's own words (usage:, options:, its errors) those of ``lang``."""
    if lang == "en":
        argparse._ = lambda message: message  # type: ignore[attr-defined]
        argparse.ngettext = lambda one, many, n: one if n == 1 else many  # type: ignore[attr-defined]
    else:
        argparse._ = lambda message: ARGPARSE_VI.get(message, message)  # type: ignore[attr-defined]
        argparse.ngettext = lambda one, many, n: ARGPARSE_VI.get(one if n == 1 else many, one if n == 1 else many)  # type: ignore[attr-defined]


def mark_required(parser: argparse.ArgumentParser, lang: str) -> None:
    """Required options say so in the help, as the usage line already shows them without brackets."""
    for action in parser._actions:
        if action.required and action.option_strings and action.help and action.help is not argparse.SUPPRESS:
            action.help += " (bắt buộc)" if lang != "en" else " (required)"


def command_names() -> list[str]:
    """The commands, from the package's module names: nothing is imported to list them."""
    return sorted(m.name for m in pkgutil.iter_modules(commands_pkg.__path__) if not m.name.startswith("_"))


def command_modules(only: str | None = None) -> list[ModuleType]:
    names = [only] if only is not None else command_names()
    mods = [importlib.import_module(f"hoso.commands.{n}") for n in names]
    return sorted((m for m in mods if hasattr(m, "run")), key=lambda m: m.NAME)


_VALUED = frozenset({"-C", "--today", "--lang"})


def _first_word(argv: Sequence[str]) -> str | None:
    """The first word of the line that is neither an option nor an option's value: where the
    command goes."""
    skip = False
    for a in argv:
        if skip:
            skip = False
        elif a in _VALUED:
            skip = True
        elif not a.startswith("-"):
            return a
    return None


def requested_command(argv: Sequence[str]) -> str | None:
    """The command named on the line, so only its module is imported (start-up stays small)."""
    word = _first_word(argv)
    return word if word in set(command_names()) else None


def unknown_command(argv: Sequence[str]) -> None:
    """A word where the command goes that is no command: say so, with the closest commands."""
    word = _first_word(argv)
    if word is not None:
        from hoso.suggest import did_you_mean

        names = command_names()
        hint = did_you_mean(word, names)
        raise UsageError(L(f"không có lệnh '{word}'{hint.vi}; các lệnh: {', '.join(names)}",
                           f"no command '{word}'{hint.en}; commands: {', '.join(names)}"))


def add_common(p: _Parser, lang: str, suppress: bool) -> _Parser:
    """-C, --today and --lang, accepted before the command (as git does) and after it."""
    vi = lang != "en"
    d = argparse.SUPPRESS if suppress else None
    p.add_argument("-C", metavar="DIR", default=d,
                   help="chạy trong kho DIR (như git -C)" if vi else "run in repository DIR (as git -C)")
    p.add_argument("--today", metavar="YYYY-MM-DD", default=d,
                   help="coi ngày này là hôm nay (hoặc HOSO_TODAY)" if vi else "take this date as today (or HOSO_TODAY)")
    p.add_argument("--lang", choices=("vi", "en"), default=argparse.SUPPRESS if suppress else lang,
                   help="ngôn ngữ thông báo (hoặc HOSO_LANG)" if vi else "language of messages (or HOSO_LANG)")
    return p


def build_parser(lang: str, only: str | None = None) -> argparse.ArgumentParser:
    parser: _Parser = _Parser(prog="hoso", description=DESCRIPTION[lang],
                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"hoso {__version__}",
                        help="in số phiên bản rồi thoát" if lang != "en" else "show the version and exit")
    add_common(parser, lang, suppress=False)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    parent = add_common(_Parser(add_help=False), lang, suppress=True)
    for mod in command_modules(only):
        help_text = mod.HELP[lang] if isinstance(mod.HELP, dict) else mod.HELP
        epilog = getattr(mod, "EXAMPLE", None)
        p = sub.add_parser(mod.NAME, parents=[parent], help=help_text, description=help_text,
                           epilog=(("Ví dụ:\n" if lang != "en" else "Example:\n") + "  " + epilog) if epilog else None,
                           formatter_class=argparse.RawDescriptionHelpFormatter)
        if getattr(mod, "FORMATS", True):
            p.add_argument("--format", choices=FORMATS, default="text",
                           help="định dạng đầu ra" if lang != "en" else "output format")
        mod.add_arguments(p, lang)
        mark_required(p, lang)
        p.set_defaults(_module=mod)
    return parser


def _lang_from(argv: Sequence[str]) -> str:
    for i, a in enumerate(argv):
        if a == "--lang" and i + 1 < len(argv):
            return "en" if argv[i + 1] == "en" else "vi"
        if a.startswith("--lang="):
            return "en" if a.split("=", 1)[1] == "en" else "vi"
    return "en" if os.environ.get("HOSO_LANG") == "en" else "vi"


def _crash_log() -> str:
    fd, path = tempfile.mkstemp(prefix=f"hoso-crash-{dt.datetime.now():%Y%m%d-%H%M%S}-", suffix=".log")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(f"hoso {__version__}\nargv: {sys.argv!r}\n\n")
        traceback.print_exc(file=fh)
    return path


def _tell(text: str) -> None:
    """The last word on standard error; a terminal that hung up (EIO) does not turn it into a crash."""
    try:
        print(text, file=sys.stderr, flush=True)
    except OSError:
        pass


def main(argv: Sequence[str] | None = None) -> int:
    utf8_output()
    argv = list(sys.argv[1:] if argv is None else argv)
    lang = _lang_from(argv)
    try:
        command = requested_command(argv)
        if command is None and "--version" in argv:  # answered without importing every command
            print(f"hoso {__version__}")
            return 0
        if command is None:
            unknown_command(argv)
        speak_argparse(lang)
        parser = build_parser(lang, command)
        args = parser.parse_args(argv)
        if not getattr(args, "_module", None):
            parser.print_help()
            return 2
        return int(args._module.run(args))
    except HosoError as exc:
        _tell(f"hoso: {exc.render(lang)}")
        return exc.exit_code
    except KeyboardInterrupt:
        _tell("hoso: đã dừng" if lang != "en" else "hoso: interrupted")
        return 130
    except BrokenPipeError:
        return 1
    except Exception:  # a bug: never a traceback on screen, always one in a log
        path = _crash_log()
        msg = ("lỗi nội bộ của hoso; chi tiết đã ghi vào " if lang != "en" else "internal error; details saved to ")
        print(f"hoso: {msg}{path}", file=sys.stderr)
        return 3
