"""hoso schema: JSON Schema for the case files of each procedure and for the files beside them
(org/units.yaml, org/officers.yaml, procedures/*.yaml, hoso.yaml), for editors.

Built from the same models the validator uses (the case header and each procedure's history
union; the org, procedure and settings models), so an editor with the YAML language server
completes and checks a file as ``hoso validate`` would, short of the rules a schema cannot say
(sequence, votes, time). Written in draft-07, the draft the YAML language server supports.
``hoso schema --check`` says whether the committed files are what hoso would write.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from hoso.errors import HosoError
from hoso.messages import L
from hoso.wording import os_error
from hoso.options import settings
from hoso.org import OfficersFile, UnitsFile
from hoso.procedure import Procedure
from hoso.recordmodel import CaseHeader, Compiled
from hoso.repository import RepoSettings, WorkTree, load_procedures

NAME = "schema"
HELP = {
    "vi": "ghi JSON Schema của hồ sơ cho từng quy trình vào schema/<quy trình>.json (cho trình soạn thảo)",
    "en": "write JSON Schema for the case files of each procedure to schema/<procedure>.json (for editors)",
}
EXAMPLE = "hoso schema --check"
FORMATS = False
# The YAML language server (VS Code's YAML extension and others) validates with draft-07.
DIALECT = "http://json-schema.org/draft-07/schema#"
# The files beside the case files: schema file name -> (the files it is for, their model).
OTHER_FILES: dict[str, tuple[str, type[BaseModel]]] = {
    "hoso-units.json": ("org/units.yaml", UnitsFile),
    "hoso-officers.json": ("org/officers.yaml", OfficersFile),
    "hoso-procedure.json": ("procedures/*.yaml", Procedure),
    "hoso-settings.json": ("hoso.yaml", RepoSettings),
}


def add_arguments(parser: argparse.ArgumentParser, lang: str) -> None:
    parser.add_argument("--output", metavar="DIR", default=None,
                        help="thư mục ghi (mặc định: schema/ của kho)" if lang != "en"
                        else "directory to write to (default: the repository's schema/)")
    parser.add_argument("--check", action="store_true",
                        help="không ghi; trả 1 nếu tệp trong thư mục khác với tệp hoso sẽ ghi" if lang != "en"
                        else "write nothing; exit 1 when the directory's files differ from what hoso would write")


def _describe(node: dict[str, Any], title: Any, description: Any = None) -> None:
    """Put the procedure's own words on a schema node (Vietnamese title, both languages below)."""
    if title is None:
        return
    node["title"] = title.vi
    text = f"{title.vi} / {title.en}"
    if description is not None:
        text += f"\n\n{description.vi}\n\n{description.en}"
    node["description"] = text


def history_schema(c: Compiled) -> tuple[dict[str, Any], dict[str, Any]]:
    """The history array's schema and its definitions, described from the procedure."""
    schema = c.history_adapter.json_schema()
    defs: dict[str, Any] = schema.pop("$defs", {})
    proc = c.proc
    for event, model in c.event_models.items():
        node = defs.get(model.__name__)
        if node is None:
            continue
        spec = proc.events[event]
        _describe(node, spec.title, spec.description)
        for fname, fspec in proc.all_fields(event).items():
            prop = node.get("properties", {}).get(fname)
            if prop is not None:
                _describe(prop, fspec.title)
    return schema, defs


def case_schema(c: Compiled) -> dict[str, Any]:
    header = CaseHeader.model_json_schema()
    history, defs = history_schema(c)
    props = dict(header["properties"])
    props["procedure"] = {**props["procedure"], "const": c.proc.id}
    props["history"] = {**history, "minItems": 1, "maxItems": 500, "title": "history",
                        "description": "Các bước của hồ sơ, cũ trước mới sau / the case's steps, oldest first"}
    return {
        "$schema": DIALECT,
        "$id": f"{c.proc.id}.json",
        "title": f"{c.proc.title.vi} — hồ sơ / case file",
        "description": f"{c.proc.title.vi}\n\n{c.proc.title.en}",
        "type": "object",
        "additionalProperties": False,
        "properties": props,
        "required": header["required"],
        "$defs": defs,
    }


def draft07(node: Any) -> Any:
    """Pydantic writes 2020-12 (``$defs``); draft-07 keeps definitions under ``definitions``."""
    if isinstance(node, list):
        return [draft07(v) for v in node]
    if isinstance(node, str) and node.startswith("#/$defs/"):  # a $ref, or a discriminator's mapping
        return "#/definitions/" + node[len("#/$defs/"):]
    if not isinstance(node, dict):
        return node
    return {("definitions" if k == "$defs" else k): draft07(v) for k, v in node.items()}


def file_schema(name: str, files: str, model: type[BaseModel]) -> dict[str, Any]:
    schema = model.model_json_schema()
    return {"$schema": DIALECT, "$id": name, **schema,
            "description": f"{files} — hoso {schema.get('title', model.__name__)}"}


def dump(schema: dict[str, Any]) -> str:
    return json.dumps(draft07(schema), ensure_ascii=False, indent=2) + "\n"


def render(c: Compiled) -> str:
    return dump(case_schema(c))


def expected(root: Path) -> dict[str, str]:
    """File name -> content of every schema hoso writes for the repository at ``root``."""
    procedures, findings = load_procedures(WorkTree(root))
    errors = [f for f in findings if f.severity == "error"]
    if errors:
        first = errors[0]
        raise HosoError(L(f"quy trình có lỗi ({first.file}:{first.line} {first.rule}); chạy 'hoso validate'",
                          f"a procedure has errors ({first.file}:{first.line} {first.rule}); run 'hoso validate'"))
    out = {f"{pid}.json": render(procedures[pid]) for pid in sorted(procedures)}
    for name, (files, model) in OTHER_FILES.items():
        out[name] = dump(file_schema(name, files, model))
    return out


def write_all(root: Path, output: Path) -> list[Path]:
    schemas = expected(root)
    output.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in schemas.items():
        path = output / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def stale(root: Path, output: Path) -> list[str]:
    """The schema files in ``output`` that are missing or differ from what hoso would write."""
    def current(path: Path) -> str | None:
        return path.read_text(encoding="utf-8") if path.is_file() else None
    return [name for name, text in expected(root).items() if current(output / name) != text]


def run(args: argparse.Namespace) -> int:
    s = settings(args)
    output = Path(args.output) if args.output else s.root / "schema"
    if args.check:
        names = stale(s.root, output)
        for name in names:
            print(getattr(L(f"{output / name}: cũ hoặc thiếu; chạy 'hoso schema'",
                            f"{output / name}: stale or missing; run 'hoso schema'"), s.lang))
        return 1 if names else 0
    try:
        written = write_all(s.root, output)
    except OSError as exc:
        why = os_error(exc)
        raise HosoError(L(f"không ghi được vào '{output}': {why.vi}", f"cannot write to '{output}': {why.en}")) from None
    for path in written:
        print(path)
    return 0
