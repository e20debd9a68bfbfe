"""The case index (hoso.caseindex): a one-case command finds a case without listing every record,
and the index is only ever a hint. A stale index (the case moved), an index edited to name
another case's file, a link or a file outside records/ never make a command read the wrong file;
the command lists the records as before and writes the index again."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from hoso import caseindex
from tests.pr_util import hoso

CASE = "VC-2021-006"
PATH = "records/van-chan/xa-a/chi-bo-thon-1/VC-2021-006.yaml"
OTHER = "records/van-chan/xa-a/chi-bo-thon-2/VC-2021-008.yaml"
TODAY = "2024-11-01"


def status(repo: Path, case: str = CASE) -> dict[str, object]:
    code, out, err = hoso(repo, "status", case, "--today", TODAY, "--format", "json")
    assert code == 0, err
    doc: dict[str, object] = json.loads(out)
    return doc


def index_file(repo: Path) -> Path:
    return repo / ".hoso-cache" / "cases" / "VC.json"


def test_first_lookup_writes_the_index_and_the_next_one_uses_it(demo: Path) -> None:
    assert (demo / PATH).is_file()
    assert status(demo)["path"] == PATH
    assert json.loads(index_file(demo).read_text("utf-8"))[CASE] == PATH
    assert (demo / ".hoso-cache" / ".gitignore").read_text() == "*\n"
    assert caseindex.lookup(demo, CASE) == PATH
    assert caseindex.lookup(demo, CASE.lower()) == PATH  # letters' case aside, as find_case


def test_a_moved_case_is_found_where_it_is_now(demo: Path) -> None:
    status(demo)
    moved = "records/van-chan/xa-a/VC-2021-006.yaml"
    shutil.move(demo / PATH, demo / moved)
    assert caseindex.lookup(demo, CASE) is None  # the file the index names is gone
    assert status(demo)["path"] == moved
    assert json.loads(index_file(demo).read_text("utf-8"))[CASE] == moved


def test_an_index_naming_another_file_is_not_used(demo: Path) -> None:
    status(demo)
    for wrong in (OTHER, "hoso.yaml", "records/../hoso.yaml", "/etc/passwd", f"records/.x/{CASE}.yaml"):
        index_file(demo).write_text(json.dumps({CASE: wrong}), "utf-8")
        assert caseindex.lookup(demo, CASE) is None, wrong
        assert status(demo)["path"] == PATH
    index_file(demo).write_text("not json {", "utf-8")
    assert status(demo)["path"] == PATH


def test_a_link_named_after_the_case_is_not_used(demo: Path) -> None:
    status(demo)
    link = demo / "records/van-chan/VC-2021-006.yaml"
    link.symlink_to(demo / OTHER)
    index_file(demo).write_text(json.dumps({CASE: "records/van-chan/VC-2021-006.yaml"}), "utf-8")
    assert caseindex.lookup(demo, CASE) is None


def test_a_cache_folder_that_is_a_link_is_neither_read_nor_written(demo: Path, tmp_path: Path) -> None:
    copy = "records/van-chan/VC-2021-006.yaml"  # a second file of the case, which the listing does not pick
    shutil.copy(demo / PATH, demo / copy)
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "cases").mkdir(parents=True)
    (elsewhere / "cases" / "VC.json").write_text(json.dumps({CASE: copy}), "utf-8")
    (demo / ".hoso-cache").symlink_to(elsewhere)
    assert caseindex.lookup(demo, CASE) is None
    assert status(demo)["path"] == PATH
    assert json.loads((elsewhere / "cases" / "VC.json").read_text("utf-8")) == {CASE: copy}
    assert sorted(p.name for p in elsewhere.rglob("*")) == ["VC.json", "cases"]
