"""One base error; the CLI's top-level handler maps it to an exit code and a plain message."""

from __future__ import annotations

from hoso.messages import L


class HosoError(Exception):
    """An expected failure (bad input, missing repository): exit 1, no traceback."""

    exit_code = 1

    def __init__(self, message: L | str) -> None:
        super().__init__(message.vi if isinstance(message, L) else message)
        self.text = message

    def render(self, lang: str) -> str:
        return getattr(self.text, lang, self.text.vi) if isinstance(self.text, L) else self.text


class UsageError(HosoError):
    """The command line itself is wrong: exit 2."""

    exit_code = 2
