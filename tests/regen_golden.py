"""Regenerate the golden files of the generated guide pages: ``python -m tests.regen_golden``.

Review the result with ``git diff tests/golden`` before committing it.
"""

from __future__ import annotations

import shutil

from tests.site_util import GOLDEN, LANGS, guide_pages


def main() -> None:
    if GOLDEN.exists():
        shutil.rmtree(GOLDEN)
    count = 0
    for lang in LANGS:
        for path, text in guide_pages(lang).items():
            target = GOLDEN / lang / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
            count += 1
    print(f"wrote {count} golden pages under {GOLDEN}")


if __name__ == "__main__":
    main()
