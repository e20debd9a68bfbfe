"""hoso report: exact yearly figures in four formats, as a real process and through main()."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from hoso.cli import main
from tests import hoso_proc
from tests.conftest import ROOT, TODAY, copy_demo
from tests.status_util import article_records


@pytest.fixture(scope="module")
def article_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_demo(tmp_path_factory.mktemp("report") / "repo", records=False)
    article_records(root)
    return root


def report(capsys: pytest.CaptureFixture[str], root: Path, *args: str) -> tuple[int, str, str]:
    code = main(["-C", str(root), "report", "--today", TODAY, *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def rows_by_unit(text: str) -> dict[str, dict[str, object]]:
    return {r["unit"]: r for r in json.loads(text)["rows"]}


def test_json_has_the_articles_figures(capsys: pytest.CaptureFixture[str], article_repo: Path) -> None:
    code, out, _ = report(capsys, article_repo, "--year", "2021", "--format", "json")
    assert code == 0
    assert rows_by_unit(out)["van-chan"]["listed"] == 6
    code, out, _ = report(capsys, article_repo, "--year", "2022", "--unit", "van-chan", "--format", "json")
    rows = rows_by_unit(out)
    assert (rows["van-chan"]["listed"], rows["van-chan"]["progress"]) == (6, 5)
    assert rows["van-chan"]["under_help"] == 7
    assert set(rows) == {"van-chan", "van-chan/xa-a", "van-chan/xa-b", "van-chan/xa-c"}
    assert sum(int(rows[u]["listed"]) for u in rows if u != "van-chan") == 6  # type: ignore[call-overload]


def test_table_is_the_default_and_reads_in_both_languages(capsys: pytest.CaptureFixture[str], article_repo: Path) -> None:
    code, out, err = report(capsys, article_repo, "--year", "2022", "--unit", "van-chan")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["2022", "van-chan", "van-chan/xa-a", "van-chan/xa-b", "van-chan/xa-c"]
    listed = next(line for line in lines if line.startswith("Đưa vào danh sách"))
    progress = next(line for line in lines if line.startswith("Công nhận tiến bộ"))
    assert listed.split()[-4:] == ["6", "3", "2", "1"]
    assert progress.split()[-4:] == ["5", "3", "1", "1"]
    assert "1 lỗi" in err  # the fixture's one incomplete case is reported, the figures still print
    _, out, err = report(capsys, article_repo, "--year", "2022", "--unit", "van-chan", "--lang", "en")
    assert any(line.startswith("Put on the help list") and line.split()[-4] == "6" for line in out.splitlines())
    assert "has 1 error (see" in err


def test_csv_and_markdown(capsys: pytest.CaptureFixture[str], article_repo: Path) -> None:
    _, out, _ = report(capsys, article_repo, "--year", "2021", "--unit", "van-chan", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows[0]["unit"] == "van-chan" and rows[0]["listed"] == "6" and rows[0]["late"] == "1"
    _, out, _ = report(capsys, article_repo, "--year", "2021", "--unit", "van-chan", "--format", "md")
    assert out.startswith("| 2021 | `van-chan` |")
    assert "| Đưa vào danh sách giúp đỡ | 6 | 4 | 1 | 1 |" in out


def test_a_moved_case_counts_where_it_was_listed(capsys: pytest.CaptureFixture[str], article_repo: Path) -> None:
    _, out, _ = report(capsys, article_repo, "--year", "2025", "--format", "json")
    rows = rows_by_unit(out)
    assert rows["van-chan"]["listed"] == 1
    assert rows["lao-cai"]["listed"] == 0 and rows["lao-cai"]["under_help"] == 2


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str], article_repo: Path) -> None:
    code, _, err = report(capsys, article_repo, "--year", "2022", "--unit", "no-such-unit")
    assert code == 2 and "no-such-unit" in err
    code, _, _ = report(capsys, article_repo, "--year", "twenty")
    assert code == 2
    code, _, _ = report(capsys, article_repo, "--year", "2022", "--format", "sarif")
    assert code == 2


def test_real_process(article_repo: Path) -> None:
    proc = hoso_proc.run(["-C", str(article_repo), "report", "--year", "2022",
                          "--today", TODAY, "--format", "csv"], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert "2022,van-chan,6,6,5," in proc.stdout
    assert "Traceback" not in proc.stderr


def test_demo_records_reproduce_the_article(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = report(capsys, ROOT, "--year", "2021", "--unit", "van-chan", "--format", "json")
    assert code == 0 and rows_by_unit(out)["van-chan"]["listed"] == 6
    _, out, _ = report(capsys, ROOT, "--year", "2022", "--unit", "van-chan", "--format", "json")
    row = rows_by_unit(out)["van-chan"]
    assert (row["listed"], row["progress"]) == (6, 5)
    code, out, err = report(capsys, ROOT, "--year", "2022", "--unit", "van-chan")
    assert code == 0 and err == ""
    assert any(line.startswith("Đưa vào danh sách giúp đỡ") and line.split()[-4] == "6" for line in out.splitlines())


def test_the_current_year_adds_the_cases_overdue_today(capsys: pytest.CaptureFixture[str], article_repo: Path) -> None:
    _, out, _ = report(capsys, article_repo, "--year", "2026", "--format", "json")
    assert rows_by_unit(out)["lao-cai"]["overdue"] == 2  # both moved cases: final review long due
    _, out, _ = report(capsys, article_repo, "--year", "2022", "--format", "json")
    assert "overdue" not in rows_by_unit(out)["van-chan"]
