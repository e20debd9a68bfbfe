"""Regenerate the outputs shown in docs/ and README.md: ``python -m tests.regen_docs [PAGE ...]``.

Runs every ```console block as tests/doc_commands.py describes and writes what each command
printed under it. Read ``git diff docs README.md`` before committing the result.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from tests.doc_commands import PAGES, blocks, run_page, shown_output


def regenerate(page: Path) -> int:
    with tempfile.TemporaryDirectory(prefix="hoso-docs-") as tmp:
        results = run_page(page, Path(tmp))
    text = page.read_text(encoding="utf-8")
    bodies: dict[int, list[str]] = {}
    for block, command, actual in results:
        bodies.setdefault(block.start, []).extend(["$ " + command.line, *shown_output(command.expected, actual)])
    for block in sorted(blocks(page), key=lambda b: b.start, reverse=True):
        if block.start in bodies:
            text = text[: block.start] + "\n".join(bodies[block.start]) + "\n" + text[block.end:]
    page.write_text(text, encoding="utf-8")
    return len(results)


def main(argv: list[str]) -> None:
    pages = [Path(a).resolve() for a in argv] or PAGES
    for page in pages:
        n = regenerate(page)
        if n:
            print(f"{page}: {n} commands")


if __name__ == "__main__":
    main(sys.argv[1:])
