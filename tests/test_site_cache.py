"""The site's pages from the validate cache: the status figures are counted from the summaries
``hoso validate`` keeps (hoso.summaries) and the guide and rule pages are kept under the cache's
context fingerprint, signed with the machine key. Every page is the same as without a cache; a
kept file is read only for its own context and only under this machine's signature."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
from pathlib import Path

import pytest

from hoso.cli import main
from hoso.site import GUIDES_DIR, generate_all
from tests.conftest import TODAY, copy_demo

DAY = dt.date.fromisoformat(TODAY)


def validate(repo: Path, today: str = TODAY) -> None:
    assert main(["-C", str(repo), "validate", "--today", today]) in (0, 1)


def guides_file(repo: Path) -> Path:
    files = sorted((repo / GUIDES_DIR).glob("guides-*.json"), key=lambda p: p.stat().st_mtime_ns)
    assert files
    return files[-1]


def sign(body: bytes, key: bytes) -> bytes:
    return hmac.new(key, body, "sha256").hexdigest().encode() + b"\n" + body


def machine_key() -> bytes:
    return (Path(os.environ["HOME"]) / ".cache" / "hoso" / "cache-key").read_bytes()


def doctored(path: Path) -> bytes:
    """The kept pages with every guide page's text replaced."""
    doc = json.loads(path.read_bytes().partition(b"\n")[2])
    for pages in doc.values():
        for name in pages:
            pages[name] = "# doctored\n"
    return json.dumps(doc).encode()


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    return copy_demo(tmp_path / "repo")


def test_pages_from_the_cache_equal_pages_without_it(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cold = generate_all(demo, DAY)
    assert not (demo / GUIDES_DIR).exists()  # no validate cache: nothing kept
    validate(demo)
    capsys.readouterr()
    first = generate_all(demo, DAY)  # summaries read, guide pages made and kept
    assert guides_file(demo).is_file()
    again = generate_all(demo, DAY)  # summaries read, guide pages read back
    assert cold == first == again
    assert any(p.startswith("status/") for p in cold["vi"]) and len(cold["en"]) > 20


def test_kept_pages_are_read_for_their_context_only(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    validate(demo)
    truth = generate_all(demo, DAY)
    path = guides_file(demo)
    path.write_bytes(sign(doctored(path), machine_key()))
    used = generate_all(demo, DAY)
    assert used != truth and "# doctored\n" in used["vi"].values()  # read: the file is the cache
    units = demo / "org" / "units.yaml"
    units.write_text(units.read_text("utf-8") + "\n# edited\n", "utf-8")  # another context
    validate(demo)
    capsys.readouterr()
    assert generate_all(demo, DAY) == truth


@pytest.mark.parametrize("how", ["unsigned", "foreign-key"])
def test_a_planted_file_of_pages_is_not_read(demo: Path, how: str) -> None:
    validate(demo)
    truth = generate_all(demo, DAY)
    path = guides_file(demo)
    body = doctored(path)
    key = hashlib.sha256(b"another machine").digest() if how == "foreign-key" else None
    path.write_bytes(sign(body, key) if key else b"0" * 64 + b"\n" + body)
    assert generate_all(demo, DAY) == truth


def test_a_doctored_summary_changes_nothing_once_the_record_changed(demo: Path) -> None:
    """Status figures: a record edited after validate is replayed, whatever its old entry says."""
    validate(demo)
    truth = generate_all(demo, DAY)
    cache = sorted((demo / ".hoso-cache").glob("summaries-*.json"))[-1]
    doc = json.loads(cache.read_bytes().partition(b"\n")[2])
    for entry in doc["entries"].values():
        entry[1] = "[null,null]"
    cache.write_bytes(sign(json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode(), machine_key()))
    assert generate_all(demo, DAY) != truth  # the summaries are what the figures came from
    for rec in (demo / "records").rglob("*.yaml"):
        rec.write_text(rec.read_text("utf-8") + "\n", "utf-8")
    assert generate_all(demo, DAY) == truth
