"""The national tree for ``bench/gen.py --national``: 34 provinces, 3,321 communes with names,
about ten cells each, a sharded roster covering every role the procedures ask for, and N
cases spread over the cells (both procedures; open cases stop at every stage of the main path).

The province names are the 34 provinces and cities after 1 July 2025; the communes' names are
made up (two syllables, deterministic), as are every officer and case. Files are written as
``org/units/<province>.yaml`` and ``org/officers/<province>.yaml``, in block style (the fast
parser takes them). Everything follows from the arguments: same arguments, same bytes.

A test fixture, not hoso: it may name the demo procedure's roles.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
from dataclasses import dataclass
from pathlib import Path


PROVINCES = [  # (id, name, case prefix)
    ("ha-noi", "Thành phố Hà Nội", "HN"), ("hue", "Thành phố Huế", "HUE"), ("lai-chau", "Tỉnh Lai Châu", "LCH"),
    ("dien-bien", "Tỉnh Điện Biên", "DB"), ("son-la", "Tỉnh Sơn La", "SL"), ("lang-son", "Tỉnh Lạng Sơn", "LS"),
    ("quang-ninh", "Tỉnh Quảng Ninh", "QNI"), ("thanh-hoa", "Tỉnh Thanh Hóa", "TH"), ("nghe-an", "Tỉnh Nghệ An", "NA"),
    ("ha-tinh", "Tỉnh Hà Tĩnh", "HT"), ("cao-bang", "Tỉnh Cao Bằng", "CB"), ("tuyen-quang", "Tỉnh Tuyên Quang", "TQ"),
    ("lao-cai", "Tỉnh Lào Cai", "LC"), ("thai-nguyen", "Tỉnh Thái Nguyên", "TN"), ("phu-tho", "Tỉnh Phú Thọ", "PT"),
    ("bac-ninh", "Tỉnh Bắc Ninh", "BN"), ("hung-yen", "Tỉnh Hưng Yên", "HY"), ("hai-phong", "Thành phố Hải Phòng", "HP"),
    ("ninh-binh", "Tỉnh Ninh Bình", "NB"), ("quang-tri", "Tỉnh Quảng Trị", "QT"), ("da-nang", "Thành phố Đà Nẵng", "DN"),
    ("quang-ngai", "Tỉnh Quảng Ngãi", "QNG"), ("gia-lai", "Tỉnh Gia Lai", "GL"), ("khanh-hoa", "Tỉnh Khánh Hòa", "KH"),
    ("lam-dong", "Tỉnh Lâm Đồng", "LD"), ("dak-lak", "Tỉnh Đắk Lắk", "DL"),
    ("ho-chi-minh", "Thành phố Hồ Chí Minh", "HCM"), ("dong-nai", "Tỉnh Đồng Nai", "DNA"),
    ("tay-ninh", "Tỉnh Tây Ninh", "TNI"), ("can-tho", "Thành phố Cần Thơ", "CT"), ("vinh-long", "Tỉnh Vĩnh Long", "VL"),
    ("dong-thap", "Tỉnh Đồng Tháp", "DT"), ("ca-mau", "Tỉnh Cà Mau", "CM"), ("an-giang", "Tỉnh An Giang", "AG"),
]
COMMUNES = 3321
CELLS = 10
SYLLABLES = [("An", "an"), ("Bình", "binh"), ("Hòa", "hoa"), ("Phú", "phu"), ("Tân", "tan"), ("Thạnh", "thanh"),
             ("Long", "long"), ("Phước", "phuoc"), ("Mỹ", "my"), ("Hưng", "hung"), ("Thuận", "thuan"),
             ("Lợi", "loi"), ("Đông", "dong"), ("Tây", "tay"), ("Nam", "nam"), ("Bắc", "bac"), ("Trung", "trung"),
             ("Sơn", "son"), ("Hải", "hai"), ("Quang", "quang"), ("Minh", "minh"), ("Đức", "duc"), ("Phong", "phong"),
             ("Vĩnh", "vinh"), ("Xuân", "xuan"), ("Thủy", "thuy"), ("Lộc", "loc"), ("Gia", "gia"), ("Khánh", "khanh"),
             ("Thịnh", "thinh"), ("Cát", "cat"), ("Hiệp", "hiep"), ("Tiến", "tien"), ("Đạo", "dao"), ("Nghĩa", "nghia"),
             ("Lâm", "lam"), ("Yên", "yen"), ("Kim", "kim"), ("Ngọc", "ngoc"), ("Thọ", "tho")]
FROM = "2019-01-01"


def commune_counts(provinces: int) -> list[int]:
    """3,321 communes over 34 provinces, as evenly as they go (the first ones get one more)."""
    base, extra = divmod(COMMUNES, len(PROVINCES))
    return [base + (1 if i < extra else 0) for i in range(len(PROVINCES))][:provinces]


def commune_name(j: int) -> tuple[str, str]:
    """(name, id) of the j-th commune of a province: distinct for j < 1,600."""
    k = (j * 7 + 3) % (len(SYLLABLES) ** 2)
    (a, sa), (b, sb) = SYLLABLES[k // len(SYLLABLES)], SYLLABLES[k % len(SYLLABLES)]
    kind, word = ("phuong", "Phường") if j % 5 == 4 else ("xa", "Xã")
    return f"{word} {a} {b}", f"{kind}-{sa}-{sb}"


@dataclass
class Tree:
    provinces: list[tuple[str, str, str]]
    cells: list[str]  # every cell id, in order
    prefix: dict[str, str]  # province id -> case prefix
    units: dict[str, list[str]]  # province id -> its units file's lines
    officers: dict[str, list[str]]  # province id -> its roster shard's lines
    roles: dict[tuple[str, str], list[tuple[str, dt.date, dt.date]]]  # (role, unit) -> officers


def _unit(lines: list[str], uid: str, name: str, kind: str, prefix: str | None = None) -> None:
    lines += [f"  - id: {uid}", f'    name: "{name}"', f"    kind: {kind}", '    valid_from: "2000-01-01"']
    if prefix:
        lines.append(f"    case_prefix: {prefix}")


def build_tree(provinces: int = len(PROVINCES), communes: int | None = None, cells: int = CELLS) -> Tree:
    """The unit tree and roster; ``communes`` caps the communes per province (for small trees)."""
    chosen = PROVINCES[:provinces]
    tree = Tree(chosen, [], {}, {}, {}, {})
    n = 1
    start = dt.date.fromisoformat(FROM)

    def officer(lines: list[str], pid: str, roles: list[tuple[str, str]]) -> None:
        nonlocal n
        oid = f"OF-{n}"
        lines += [f"  - id: {oid}", f"    login: can-bo-{n}", "    roles:"]
        for role, unit in roles:
            lines += [f"      - role: {role}", f"        unit: {unit}", f'        from: "{FROM}"']
            tree.roles.setdefault((role, unit), []).append((oid, start, dt.date.max))
        n += 1

    for (pid, pname, prefix), count in zip(chosen, commune_counts(provinces)):
        tree.prefix[pid] = prefix
        units = ["# Đơn vị (dữ liệu mô phỏng — SYNTHETIC BENCHMARK DATA).", "units:"]
        staff = ["# Cán bộ (dữ liệu mô phỏng — SYNTHETIC BENCHMARK DATA).", "officers:"]
        _unit(units, pid, pname + " (mô phỏng)", "tinh", prefix)
        if pid == chosen[0][0]:
            officer(staff, pid, [("maintainer", pid)])
        for j in range(count if communes is None else min(count, communes)):
            cname, cslug = commune_name(j)
            commune = f"{pid}/{cslug}"
            _unit(units, commune, f"Đảng ủy {cname}", "xa")
            officer(staff, pid, [("dang_uy", commune), ("btv", commune)])
            officer(staff, pid, [("dang_uy", commune), ("ubkt", commune), ("ban_to_chuc", commune)])
            for c in range(1, cells + 1):
                cell = f"{commune}/chi-bo-{c}"
                _unit(units, cell, f"Chi bộ {c}, {cname}", "chi-bo")
                tree.cells.append(cell)
                officer(staff, pid, [("bi_thu", cell), ("chi_uy", cell)])
                officer(staff, pid, [("chi_uy", cell), ("dang_vien", cell)])
        tree.units[pid] = units
        tree.officers[pid] = staff
    return tree


def generate_national(out: Path, n: int, seed: int, root: Path, *, provinces: int = len(PROVINCES),
                      communes: int | None = None, cells: int = CELLS) -> Tree:
    import gen  # the case maker (bench/gen.py)

    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    shutil.copytree(root / "procedures", out / "procedures")
    shutil.copy(root / "hoso.yaml", out / "hoso.yaml")
    tree = build_tree(provinces, communes, cells)
    for kind, by in (("units", tree.units), ("officers", tree.officers)):
        (out / "org" / kind).mkdir(parents=True)
        for pid, lines in by.items():
            (out / "org" / kind / f"{pid}.yaml").write_text("\n".join(lines) + "\n", "utf-8")
    maker = NationalMaker(root, seed, tree)
    made: set[Path] = set()
    for i in range(1, n + 1):
        path, text = maker.case(i)
        target = out / path
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        target.write_text(text, "utf-8")
    return tree


def _maker_base() -> type:
    import gen

    return gen.Maker


class NationalMaker(_maker_base()):  # type: ignore[misc]
    def __init__(self, root: Path, seed: int, tree: Tree) -> None:
        import gen

        # gen's roster over the national tree: a cell's parent is its commune
        self.roster = gen.Roster(tree.roles, {cell: cell.rsplit("/", 1)[0] for cell in tree.cells})
        self.procs = {p.stem: gen.load_yaml(p.read_text("utf-8")) for p in sorted((root / "procedures").glob("*.yaml"))}
        self.seed = seed
        self.tree = tree

    def place(self, rng: random.Random, closed: bool) -> tuple[str, str, int, str]:
        cell = self.tree.cells[rng.randrange(len(self.tree.cells))]
        prefix = self.tree.prefix[cell.split("/", 1)[0]]
        if closed:
            return "hd02-2021", prefix, rng.choice([2021, 2022]), cell
        return "hd02-2025", prefix, 2026, cell
