"""Small pieces of wording shared by every command: numbers, counts and system errors, per language.

Vietnamese writes a decimal comma (8,9 giây); English counts agree in number (1 error, 2 errors);
an error from the operating system is told in the officer's language, not in the C library's.
"""

from __future__ import annotations

import errno

from hoso.messages import L

_OS_ERRORS: dict[int, L] = {
    errno.ENOENT: L("không có tệp hoặc thư mục này", "no such file or directory"),
    errno.EACCES: L("không có quyền truy cập", "permission denied"),
    errno.EPERM: L("không được phép", "operation not permitted"),
    errno.EISDIR: L("đây là một thư mục, không phải tệp", "is a directory, not a file"),
    errno.ENOTDIR: L("một phần của đường dẫn không phải thư mục", "a part of the path is not a directory"),
    errno.ENOSPC: L("hết chỗ trống trên đĩa", "no space left on the disk"),
    errno.EROFS: L("ổ đĩa chỉ cho đọc", "read-only file system"),
    errno.EEXIST: L("tệp đã có", "the file exists"),
    errno.ENAMETOOLONG: L("tên tệp quá dài", "file name too long"),
}


def os_error(exc: OSError) -> L:
    """What went wrong, in words of both languages (the system's own text when it is not known here)."""
    known = _OS_ERRORS.get(exc.errno or -1)
    if known is not None:
        return known
    text = exc.strerror or str(exc)
    return L(f"lỗi hệ thống: {text}", text)


def decimal(value: float, lang: str, digits: int = 1) -> str:
    text = f"{value:.{digits}f}"
    return text.replace(".", ",") if lang != "en" else text


def count(n: int, one: str, many: str, lang: str, vi: str) -> str:
    """``1 error``, ``2 errors`` in English; ``n lỗi`` in Vietnamese, which does not inflect."""
    if lang == "en":
        return f"{n} {one if n == 1 else many}"
    return f"{n} {vi}"
