"""hoso schema: the committed JSON Schemas are fresh, the demo records point at them, and a
JSON Schema validator agrees with them about the demo records."""

from __future__ import annotations

import copy
import functools
import json
import os
from pathlib import Path
from typing import Any

import pytest

from hoso.cli import main
from hoso.yamlload import load_strict
from tests.conftest import ROOT, copy_demo

SCHEMA_DIR = ROOT / "schema"
MARK = "# yaml-language-server: $schema="


def demo_records() -> list[Path]:
    return sorted((ROOT / "records").rglob("*.yaml"))


def test_committed_schemas_are_fresh(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["-C", str(ROOT), "schema", "--output", str(tmp_path)]) == 0
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == sorted(p.stem + ".json" for p in (ROOT / "procedures").glob("*.yaml"))
    for name in written:
        fresh = (tmp_path / name).read_text(encoding="utf-8")
        committed = (SCHEMA_DIR / name).read_text(encoding="utf-8")
        assert fresh == committed, f"schema/{name} is stale: run `hoso schema`"
    assert str(tmp_path / written[0]) in capsys.readouterr().out


def test_default_output_is_the_repository_schema_dir(tmp_path: Path) -> None:
    repo = copy_demo(tmp_path / "repo", records=False)
    assert main(["-C", str(repo), "schema"]) == 0
    doc = json.loads((repo / "schema" / "hd02-2025.json").read_text(encoding="utf-8"))
    assert doc["properties"]["procedure"]["const"] == "hd02-2025"
    assert "flagged" in doc["properties"]["history"]["items"]["discriminator"]["mapping"]


def test_schema_carries_the_procedures_words() -> None:
    doc = json.loads((SCHEMA_DIR / "hd02-2021.json").read_text(encoding="utf-8"))
    flagged = doc["$defs"]["hd02-2021_flagged"]
    assert flagged["title"] == "Rà soát, phát hiện"
    assert "Consultations held" in flagged["properties"]["consultations"]["description"]
    ballot = doc["$defs"]["Ballot_hd02-2021"]
    assert set(ballot["properties"]["excluded"]["propertyNames"]["enum"]) == {"exempt", "transferred", "suspended"}


def test_every_demo_record_points_at_its_schema() -> None:
    records = demo_records()
    assert len(records) >= 25
    for path in records:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith(MARK), path
        target = (path.parent / first[len(MARK):]).resolve()
        procedure = load_strict(path.read_bytes()).value["procedure"]
        assert target == (SCHEMA_DIR / f"{procedure}.json").resolve(), path
        assert os.path.isfile(target)


@functools.lru_cache(maxsize=None)
def _validator(procedure: str) -> Any:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((SCHEMA_DIR / f"{procedure}.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def test_jsonschema_accepts_every_demo_record() -> None:
    for path in demo_records():
        value = load_strict(path.read_bytes()).value
        errors = [e.message for e in _validator(value["procedure"]).iter_errors(value)]
        assert errors == [], path


def test_jsonschema_rejects_what_the_model_rejects() -> None:
    value = load_strict((ROOT / "records/van-chan/xa-a/chi-bo-thon-1/VC-2021-001.yaml").read_bytes()).value
    v = _validator("hd02-2021")
    bad: list[Any] = []
    for change in (
        lambda d: d.update(colour="red"),                              # unknown header key
        lambda d: d.update(procedure="hd02-2025"),                     # another procedure's schema
        lambda d: d["history"][1]["ballot"].update(abstain=1),         # unknown ballot key
        lambda d: d["history"][1].update(result="maybe"),              # not in the vocabulary
        lambda d: d["history"][0].pop("consultations"),                # required field missing
        lambda d: d["history"][2].update(event="approved_list"),       # no such event
        lambda d: d["history"][0]["consultations"][0].update(date="2021-02-30"),  # impossible date
    ):
        doc = copy.deepcopy(value)
        change(doc)
        bad.append(list(v.iter_errors(doc)))
    assert all(bad), [i for i, errs in enumerate(bad) if not errs]


def test_schema_refuses_a_broken_procedure(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = copy_demo(tmp_path / "repo", records=False)
    proc = repo / "procedures" / "hd02-2025.yaml"
    proc.write_text(proc.read_text(encoding="utf-8").replace("next: [list_voted]", "next: [list_vote]"),
                    encoding="utf-8")
    assert main(["-C", str(repo), "schema", "--output", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "PROC-UNKNOWN-EVENT" in err and "Traceback" not in err
