"""bench/gen.py --national: deterministic, and a small national tree validates clean."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))

import national  # noqa: E402


def _gen(out: Path, *extra: str) -> None:
    subprocess.run([sys.executable, str(BENCH / "gen.py"), str(out), "--national", "--n", "60", "--provinces", "2",
                    "--communes", "4", *extra], check=True, capture_output=True)


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_same_seed_same_bytes_and_it_validates(tmp_path: Path) -> None:
    _gen(tmp_path / "a")
    _gen(tmp_path / "b")
    _gen(tmp_path / "c", "--seed", "7")
    a, b, c = _files(tmp_path / "a"), _files(tmp_path / "b"), _files(tmp_path / "c")
    assert a == b
    assert a != c
    assert {"org/units/ha-noi.yaml", "org/units/hue.yaml", "org/officers/ha-noi.yaml", "org/officers/hue.yaml"} <= set(a)
    assert not {"org/units.yaml", "org/officers.yaml"} & set(a)
    cases = [p for p in a if p.startswith("records/")]
    assert len(cases) == 60
    procedures = {text.split(b"procedure: ", 1)[1].split(b"\n", 1)[0] for p, text in a.items() if p in cases}
    assert procedures == {b"hd02-2021", b"hd02-2025"}
    proc = subprocess.run([sys.executable, "-m", "hoso", "-C", str(tmp_path / "a"), "validate", "--today", "2026-11-27",
                           "--no-cache", "--lang", "en"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 errors, 0 warnings" in proc.stdout


def test_the_whole_country_has_its_size() -> None:
    assert len(national.PROVINCES) == 34 == len({p for p, _, _ in national.PROVINCES})
    assert len({c for _, _, c in national.PROVINCES}) == 34  # case prefixes are distinct
    assert sum(national.commune_counts(34)) == 3321
    names = {national.commune_name(j) for j in range(max(national.commune_counts(34)))}
    assert len({slug for _, slug in names}) == max(national.commune_counts(34))  # distinct ids in a province
    tree = national.build_tree(2, communes=3, cells=10)
    assert len(tree.cells) == 60
    roles = {role for role, _ in tree.roles}
    wanted = {r for p in (BENCH.parent / "procedures").glob("*.yaml") for r in yaml.safe_load(p.read_text("utf-8"))["roles"]}
    assert roles == wanted  # every role the procedures ask for
