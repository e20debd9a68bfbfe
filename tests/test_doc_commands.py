"""Every command shown in docs/ and README.md runs, against a fresh copy of the demo, and prints
what the page says it prints (tests/doc_commands.py: the convention; tests/regen_docs.py: regenerate)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.doc_commands import PAGES, blocks, matches, published, run_page

SHOWN = [p for p in PAGES if any(b.commands for b in blocks(p))]
# Real officer and case ids of the demo may not reach the published site.
DEMO_IDS = re.compile(r"\b(?:OF-0\d\d|(?:VC|SA|SC)-20\d\d-\d{3})\b")


def test_the_pages_show_commands() -> None:
    assert any(p.name == "huong-dan-can-bo.md" for p in SHOWN)


@pytest.mark.parametrize("page", SHOWN, ids=[p.name for p in SHOWN])
def test_every_command_prints_what_the_page_shows(page: Path, tmp_path: Path) -> None:
    for block, command, actual in run_page(page, tmp_path):
        assert matches(command.expected, actual), (
            f"{page.name}: '$ {command.line}' printed:\n" + "\n".join(actual)
            + "\n(run python -m tests.regen_docs to update the page, then read the diff)")


@pytest.mark.parametrize("page", [p for p in SHOWN if published(p)], ids=lambda p: p.name)
def test_published_commands_use_fictitious_ids(page: Path) -> None:
    for block in blocks(page):
        for command in block.commands:
            text = "\n".join([command.line, *command.expected])
            assert not DEMO_IDS.search(text), (page.name, DEMO_IDS.search(text))


def test_skipped_blocks_say_why() -> None:
    for page in SHOWN:
        text = page.read_text(encoding="utf-8")
        for reason in re.findall(r"<!-- doc-test: skip(.*?)-->", text):
            assert reason.strip(), page.name
