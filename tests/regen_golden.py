"""Regenerate the golden files of the generated guide pages: ``python -m tests.regen_golden``.

Review the result with ``git diff tests/golden`` before committing it.
"""

from __future__ import annotations

import shutil

from tests.site_util import GOLDEN, guide_pages


def main() -> None:
    if GOLDEN.exists():
        shutil.rmtree(GOLDEN)
    pages = guide_pages()
    for path, text in pages.items():
        target = GOLDEN / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    print(f"wrote {len(pages)} golden pages under {GOLDEN}")


if __name__ == "__main__":
    main()
