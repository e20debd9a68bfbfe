"""hoso schema: the committed JSON Schemas are fresh (and `hoso schema --check` says when they
are not), they are draft-07 as the YAML language server wants, the demo records point at them,
and a JSON Schema validator agrees with them about the demo's records, org files, procedures
and hoso.yaml."""

from __future__ import annotations

import copy
import functools
import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from hoso.cli import main
from hoso.yamlload import load_strict
from tests.conftest import ROOT, copy_demo

SCHEMA_DIR = ROOT / "schema"
MARK = "# yaml-language-server: $schema="
DRAFT07 = "http://json-schema.org/draft-07/schema#"
OTHER = {"hoso-units.json": ["org/units.yaml"], "hoso-officers.json": ["org/officers.yaml"],
         "hoso-procedure.json": ["procedures/hd02-2021.yaml", "procedures/hd02-2025.yaml"],
         "hoso-settings.json": ["hoso.yaml"]}


def demo_records() -> list[Path]:
    return sorted((ROOT / "records").rglob("*.yaml"))


def test_committed_schemas_are_fresh(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["-C", str(ROOT), "schema", "--output", str(tmp_path)]) == 0
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == sorted([p.stem + ".json" for p in (ROOT / "procedures").glob("*.yaml")] + list(OTHER))
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
    flagged = doc["definitions"]["hd02-2021_flagged"]
    assert flagged["title"] == "Rà soát, phát hiện"
    assert "Consultations held" in flagged["properties"]["consultations"]["description"]
    ballot = doc["definitions"]["Ballot_hd02-2021"]
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
    assert schema["$schema"] == DRAFT07  # the draft the YAML language server validates with
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())


def test_every_schema_is_draft07_with_no_later_keywords() -> None:
    for path in sorted(SCHEMA_DIR.glob("*.json")):
        text = path.read_text(encoding="utf-8")
        assert json.loads(text)["$schema"] == DRAFT07, path
        assert '"$defs"' not in text and "#/$defs/" not in text and "prefixItems" not in text, path
        _validator(path.stem)


@pytest.mark.parametrize("schema", sorted(OTHER))
def test_jsonschema_accepts_the_demos_other_files(schema: str) -> None:
    for name in OTHER[schema]:
        errors = [e.message for e in _validator(schema[:-5]).iter_errors(load_strict((ROOT / name).read_bytes()).value)]
        assert errors == [], name


def test_jsonschema_rejects_broken_org_procedure_and_settings_files() -> None:
    units = load_strict((ROOT / "org/units.yaml").read_bytes()).value
    units["units"][0]["colour"] = "red"
    officers = load_strict((ROOT / "org/officers.yaml").read_bytes()).value
    del officers["officers"][0]["id"]
    procedure = load_strict((ROOT / "procedures/hd02-2025.yaml").read_bytes()).value
    procedure["events"] = "none"
    for schema, doc in (("hoso-units", units), ("hoso-officers", officers), ("hoso-procedure", procedure),
                        ("hoso-settings", {"synthetic": "maybe"})):
        assert list(_validator(schema).iter_errors(doc)), schema


def test_schema_check_passes_when_fresh_and_fails_when_stale(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["-C", str(ROOT), "schema", "--check"]) == 0
    repo = copy_demo(tmp_path / "repo", records=False)
    shutil.copytree(SCHEMA_DIR, repo / "schema")
    assert main(["-C", str(repo), "schema", "--check"]) == 0
    proc = repo / "procedures" / "hd02-2025.yaml"
    text = proc.read_text(encoding="utf-8")
    assert 'vi: "Rà soát' in text
    proc.write_text(text.replace('vi: "Rà soát', 'vi: "Mới: Rà soát', 1), encoding="utf-8")  # a new title
    (repo / "schema" / "hoso-units.json").unlink()
    capsys.readouterr()
    before = {p.name: p.read_bytes() for p in (repo / "schema").iterdir()}
    assert main(["-C", str(repo), "--lang", "en", "schema", "--check"]) == 1
    out = capsys.readouterr().out
    assert "hd02-2025.json: stale or missing" in out and "hoso-units.json: stale or missing" in out
    assert "hd02-2021.json" not in out
    assert {p.name: p.read_bytes() for p in (repo / "schema").iterdir()} == before  # --check writes nothing
    assert main(["-C", str(repo), "schema"]) == 0
    assert main(["-C", str(repo), "schema", "--check"]) == 0


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
