"""hoso schema: JSON Schema for the case files of each procedure, for editors.

Built from the same generated models the validator uses (the case header and each procedure's
history union), so an editor with the YAML language server completes and checks a case file
as ``hoso validate`` would, short of the rules a schema cannot say (sequence, votes, time).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from hoso.errors import HosoError
from hoso.messages import L
from hoso.wording import os_error
from hoso.options import settings
from hoso.recordmodel import CaseHeader, Compiled
from hoso.repository import WorkTree, load_procedures

NAME = "schema"
HELP = {
    "vi": "ghi JSON Schema của hồ sơ cho từng quy trình vào schema/<quy trình>.json (cho trình soạn thảo)",
    "en": "write JSON Schema for the case files of each procedure to schema/<procedure>.json (for editors)",
}
EXAMPLE = "hoso schema --output schema"
FORMATS = False
DIALECT = "https://json-schema.org/draft/2020-12/schema"


def add_arguments(parser: argparse.ArgumentParser, lang: str) -> None:
    parser.add_argument("--output", metavar="DIR", default=None,
                        help="thư mục ghi (mặc định: schema/ của kho)" if lang != "en"
                        else "directory to write to (default: the repository's schema/)")


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


def render(c: Compiled) -> str:
    return json.dumps(case_schema(c), ensure_ascii=False, indent=2) + "\n"


def write_all(root: Path, output: Path) -> list[Path]:
    procedures, findings = load_procedures(WorkTree(root))
    errors = [f for f in findings if f.severity == "error"]
    if errors:
        first = errors[0]
        raise HosoError(L(f"quy trình có lỗi ({first.file}:{first.line} {first.rule}); chạy 'hoso validate'",
                          f"a procedure has errors ({first.file}:{first.line} {first.rule}); run 'hoso validate'"))
    output.mkdir(parents=True, exist_ok=True)
    written = []
    for pid in sorted(procedures):
        path = output / f"{pid}.json"
        path.write_text(render(procedures[pid]), encoding="utf-8")
        written.append(path)
    return written


def run(args: argparse.Namespace) -> int:
    s = settings(args)
    output = Path(args.output) if args.output else s.root / "schema"
    try:
        written = write_all(s.root, output)
    except OSError as exc:
        why = os_error(exc)
        raise HosoError(L(f"không ghi được vào '{output}': {why.vi}", f"cannot write to '{output}': {why.en}")) from None
    for path in written:
        print(path)
    return 0
