"""Generate a synthetic hoso repository with N case files, for the benchmarks.

The cases are valid and of realistic shape (about 2.4 KB, 3–12 events): a closed case under
the 2021 procedure in a district-era unit, or an open one under the 2025 procedure in a unit
of the reorganised province. They use the demo ``org/`` and ``procedures/``; every officer is
chosen from the roster by the role and body the procedure asks for, so the whole set validates
clean with ``--today`` = :data:`TODAY`. ``--invalid K`` plants K broken files (a duplicate key,
a YAML 1.1 ``yes``, a failed vote declared passed, a late final review…) spread over the set.

The generator is deterministic: the same ``--seed`` and ``--n`` give the same bytes.

``--national`` writes the country instead (bench/national.py): 34 provinces, 3,321 communes,
ten cells each, org files sharded by province; ``--provinces``/``--communes`` make it smaller.

This is a test fixture, not hoso: it may name the demo procedure's events (hoso itself may not).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import shutil
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 27)


def load_yaml(text: str) -> Any:
    """The demo's procedures and org files, read with libyaml (safe; ~10x the pure-Python loader)."""
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 (a safe loader)
D = dt.timedelta

NOTES = [
    "Đồng chí đã nhận thức được khuyết điểm, cam kết khắc phục trong sinh hoạt chi bộ.",
    "Chi ủy đã trao đổi trực tiếp tại nhà riêng, có mặt đại diện Ban công tác Mặt trận thôn.",
    "Đảng viên tham gia đầy đủ sinh hoạt chi bộ, đóng đảng phí đúng hạn trong quý.",
    "Người giúp đỡ ghi nhận tiến bộ rõ rệt về ý thức tổ chức kỷ luật và tác phong công tác.",
    "Biên bản họp lưu tại văn phòng đảng ủy; bản sao gửi cấp ủy cấp trên theo quy định.",
    "Đã lấy ý kiến nơi cư trú; không có phản ánh mới về đạo đức, lối sống của đảng viên.",
]


class Roster:
    """Officers by (role, unit), with their validity, and each unit's parent."""

    def __init__(self, roles: dict[tuple[str, str], list[tuple[str, dt.date, dt.date]]],
                 parent: dict[str, str | None]) -> None:
        self.roles = roles
        self.parent = parent

    @classmethod
    def read(cls, root: Path) -> Roster:
        """From org/units.yaml and org/officers.yaml."""
        units = load_yaml((root / "org/units.yaml").read_text("utf-8"))["units"]
        parent = {u["id"]: u.get("parent_id") or (u["id"].rsplit("/", 1)[0] if "/" in u["id"] else None)
                  for u in units}
        roles: dict[tuple[str, str], list[tuple[str, dt.date, dt.date]]] = {}
        for o in load_yaml((root / "org/officers.yaml").read_text("utf-8"))["officers"]:
            for a in o["roles"]:
                start = dt.date.fromisoformat(str(a["from"]))
                end = dt.date.fromisoformat(str(a["to"])) if a.get("to") else dt.date.max
                roles.setdefault((a["role"], a["unit"]), []).append((o["id"], start, end))
        return cls(roles, parent)

    def body_unit(self, proc: dict[str, Any], body: str, cell: str) -> str:
        sel = proc["bodies"][body]["unit"]
        if sel.get("relative") == "self":
            return cell
        if sel.get("relative") == "parent":
            return self.parent[cell] or cell
        raise ValueError(f"unsupported body {body}")

    def pick(self, rng: random.Random, proc: dict[str, Any], roles: list[str], body: str, cell: str,
             day: dt.date, avoid: str = "") -> str:
        unit = self.body_unit(proc, body, cell)
        ids = sorted({oid for r in roles for oid, a, b in self.roles.get((r, unit), []) if a <= day <= b} - {avoid})
        if not ids:
            raise ValueError(f"no officer for {roles} in {unit} on {day}")
        return rng.choice(ids)


def _q(s: str) -> str:
    return f'"{s}"'


class Maker:
    def __init__(self, root: Path, seed: int) -> None:
        self.roster = Roster.read(root)
        self.procs = {p.stem: load_yaml(p.read_text("utf-8")) for p in sorted((root / "procedures").glob("*.yaml"))}
        self.seed = seed

    def officer(self, rng: random.Random, proc: dict[str, Any], event: str, cell: str, day: dt.date,
                field: str | None = None) -> str:
        spec = proc["events"][event]
        if field is None:
            roles, body = spec["recorder"]["roles"], spec["recorder"]["body"]
        else:
            f = spec["fields"][field]
            roles, body = f["roles"], f["body"]
        return self.roster.pick(rng, proc, roles, body, cell, day)

    def case(self, i: int) -> tuple[str, str]:
        """(path, text) of case number i."""
        path, text, last, closed = self._case(i, D(0))
        if closed:
            return path, text
        # an open case ends a few days before TODAY, so that no deadline has passed yet
        lag = D(days=random.Random(f"{self.seed}:{i}:lag").randrange(0, 6))
        path, text, _, _ = self._case(i, TODAY - lag - last)
        return path, text

    def place(self, rng: random.Random, closed: bool) -> tuple[str, str, int, str]:
        """(procedure, case prefix, year, cell) of a case: the demo's cells."""
        if closed:
            pid, prefix, year = "hd02-2021", "VC", rng.choice([2021, 2022])
            cell = rng.choice(["van-chan/xa-a/chi-bo-thon-1", "van-chan/xa-a/chi-bo-thon-2",
                               "van-chan/xa-b/chi-bo-thon-3", "van-chan/xa-c/chi-bo-truong-hoc"])
        else:
            pid, prefix, year = "hd02-2025", rng.choice(["SA", "SC"]), 2026
            cell = rng.choice(["lao-cai/xa-son-a/chi-bo-thon-1", "lao-cai/xa-son-a/chi-bo-thon-3"]) \
                if prefix == "SA" else "lao-cai/xa-son-c/chi-bo-truong-hoc"
        return pid, prefix, year, cell

    def _case(self, i: int, shift: dt.timedelta) -> tuple[str, str, dt.date, bool]:
        rng = random.Random(f"{self.seed}:{i}")
        closed = rng.random() < 0.5
        pid, prefix, year, cell = self.place(rng, closed)
        start: dt.date | None = None
        if closed:
            start = dt.date(year, 5, 1) + D(days=rng.randrange(0, 150 if year == 2021 else 300))
        proc = self.procs[pid]
        case_id = f"{prefix}-{year}-{i:06d}"
        member = f"DV-{10000 + i}"
        notes = rng.randrange(0, 5)
        plan = ["flagged", "list_voted", "list_approved", "notified", "self_review", "help_assigned"]
        plan += ["progress_note"] * notes
        if closed:
            plan += ["final_review", "progress_recognised"]
        else:
            plan = plan[: rng.randrange(3, len(plan) + 1)]
            start = dt.date(2025, 9, 1) + shift
        assert start is not None
        lines = [
            f"# yaml-language-server: $schema=../../../../schema/{pid}.json",
            "# DỮ LIỆU MÔ PHỎNG — synthetic benchmark record; no real person.",
            f"case: {case_id}", f"procedure: {pid}", f"unit: {cell}", f"member: {member}",
            f"member_status: {rng.choice(['full', 'full', 'probationary'])}", "history:",
        ]
        day = start
        period_start = start
        total = rng.randrange(9, 31)
        for ev in plan:
            if ev == "final_review":
                day = period_start + D(days=366 + rng.randrange(0, 15))
            elif ev == "progress_note":
                day = day + D(days=rng.randrange(25, 40))
            elif ev != "flagged":
                day = day + D(days=rng.randrange(3, 8))
            rec = self.officer(rng, proc, ev, cell, day)
            ev_lines = [f"  - event: {ev}", f"    date: {_q(day.isoformat())}", f"    recorded_by: {rec}"]
            y = day.year
            if ev == "flagged":
                ev_lines.append(f"    grounds: [{rng.choice(list(proc['vocabularies']['grounds']))}]")
                body = rng.choice(list(proc["vocabularies"]["consultation_bodies"]))
                ev_lines += ["    consultations:",
                             f"      - {{body: {body}, date: {_q((day - D(days=5)).isoformat())}, ref: BB-{i % 97 + 1:02d}/{y}}}"]
            elif ev == "list_voted":
                present = total - rng.randrange(0, 3)
                for_ = present - rng.randrange(0, max(1, present - (2 * total + 2) // 3))
                ev_lines += [f"    resolution: NQ-{i % 50 + 1:02d}/{y}",
                             f"    ballot: {{members_total: {total}, present: {present}, for: {for_}, "
                             f"against: {present - for_}, invalid: 0, secret: true}}",
                             "    result: passed"]
            elif ev in ("list_approved", "progress_recognised"):
                ev_lines.append(f"    decision: QĐ-{i % 80 + 1:02d}/{y}")
            elif ev == "notified":
                ev_lines.append(f"    spoken_by: {self.officer(rng, proc, ev, cell, day, 'spoken_by')}")
            elif ev == "self_review":
                ev_lines += ["    status: submitted", f"    document: BTKĐ-{i % 60 + 1:02d}/{y}", "    commitment: true"]
            elif ev == "help_assigned":
                period_start = day
                helper = self.officer(rng, proc, ev, cell, day, "helper")
                ev_lines += [f"    resolution: NQ-{i % 40 + 1:02d}/{y}", f"    helper: {helper}",
                             f"    period_start: {_q(day.isoformat())}"]
            elif ev == "progress_note":
                ev_lines.append(f"    document: PGN-{i % 90 + 1:02d}/{y}")
            elif ev == "final_review":
                present = total - rng.randrange(0, 3)
                for_ = rng.randrange(0, 3)
                ev_lines += [f"    self_review: BTKĐ-{i % 60 + 1:02d}/{y}", f"    helper_assessment: NX-{i % 30 + 1:02d}/{y}",
                             f"    resolution: NQ-{i % 40 + 1:02d}/{y}",
                             f"    ballot: {{members_total: {total}, present: {present}, for: {for_}, "
                             f"against: {present - for_}, invalid: 0, secret: true}}",
                             "    outcome: progress"]
            if rng.random() < 0.9:
                ev_lines.append(f"    note: {_q(rng.choice(NOTES))}")
            lines += ev_lines
        return f"records/{cell}/{case_id}.yaml", "\n".join(lines) + "\n", day, closed


# A broken file for each kind of rule, planted in place of a valid one: (rule, how).
PLANTS = [
    ("YAML-DUPLICATE-KEY", lambda t: t.replace("member_status:", "member: DV-1\nmember_status:", 1)),
    ("SCHEMA-TYPE", lambda t: t.replace("commitment: true", "commitment: yes", 1) if "commitment: true" in t
     else t.replace("secret: true}", "secret: on}", 1)),
    ("VOTE-THRESHOLD", lambda t: re.sub(r"for: [0-9]+", "for: 1", t, count=1)),
    ("TIME-FUTURE", lambda t: t.replace('date: "20', 'date: "29', 1)),
    ("YAML-ALIAS", lambda t: t.replace("history:", "history: &h", 1)),
]


def generate(out: Path, n: int, seed: int = 2026, invalid: int = 0) -> list[str]:
    """Write a repository of n cases into out (replaced). Returns the planted files' paths."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    for name in ("org", "procedures"):
        shutil.copytree(ROOT / name, out / name)
    shutil.copy(ROOT / "hoso.yaml", out / "hoso.yaml")
    maker = Maker(ROOT, seed)
    planted: list[str] = []
    every = max(1, n // invalid) if invalid else 0
    made: set[Path] = set()
    for i in range(1, n + 1):
        path, text = maker.case(i)
        if every and i % every == 0 and len(planted) < invalid:
            _, how = PLANTS[len(planted) % len(PLANTS)]
            text = how(text)
            planted.append(path)
        target = out / path
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        target.write_text(text, "utf-8")
    return planted


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--invalid", type=int, default=0, help="plant this many broken files")
    ap.add_argument("--national", action="store_true",
                    help="the national tree (bench/national.py): 34 provinces, 3,321 communes, sharded org files")
    ap.add_argument("--provinces", type=int, default=34, help="--national: the first K provinces only")
    ap.add_argument("--communes", type=int, default=None, help="--national: at most M communes per province")
    ap.add_argument("--cells", type=int, default=10, help="--national: cells per commune")
    args = ap.parse_args(argv)
    if args.national:
        import national

        tree = national.generate_national(args.out, args.n, args.seed, ROOT, provinces=args.provinces,
                                          communes=args.communes, cells=args.cells)
        print(f"{args.n} cases in {len(tree.cells)} cells of {len(tree.provinces)} provinces in {args.out}; "
              f"validate with --today {TODAY}")
        return 0
    planted = generate(args.out, args.n, args.seed, args.invalid)
    print(f"{args.n} cases in {args.out} ({len(planted)} planted invalid); validate with --today {TODAY}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
