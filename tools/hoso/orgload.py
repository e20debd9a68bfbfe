"""Reading the organisation: one file each, or one shard per province, loaded on demand.

Two layouts are accepted, one at a time (both at once is ``ORG-LAYOUT``):

* ``org/units.yaml`` and ``org/officers.yaml``, as in the demo;
* ``org/units/<province>.yaml``, holding the unit ``<province>`` and every unit under it
  (a unit elsewhere is ``ORG-SHARD``), and ``org/officers/<name>.yaml``, any split of the
  roster (by province, by convention).

The unit tree's index is the path itself: unit ``a/b/c`` can only stand in ``org/units/a.yaml``.
The roster's index is the shards' bytes: an officer with id ``X`` stands in a shard whose
text contains ``X``, and an assignment at unit ``U`` in one whose text contains ``U`` (YAML can
spell a string otherwise only with a backslash escape, so a shard holding a backslash is a
candidate for every lookup; ``OF-1`` is looked up as a whole word, not inside ``OF-12``). A one-case command thus parses only the shards its case names;
``hoso validate`` loads every shard and reports every finding.

Each kind of file has its own size limit (:data:`ORG_MAX_BYTES`, larger than a record's).
"""

from __future__ import annotations

import re
from collections.abc import MutableMapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from hoso.engine import Issue
from hoso.findings import Finding, finding
from hoso.messages import L
from hoso.org import OfficersFile, Org, Table, Unit, UnitsFile

if TYPE_CHECKING:
    from hoso.recordmodel import Compiled
    from hoso.repository import Parsed
    from hoso.source import Source

UNITS = "org/units.yaml"
OFFICERS = "org/officers.yaml"
UNITS_DIR = "org/units"
OFFICERS_DIR = "org/officers"
# A roster or unit file may hold a country: 46,542 officers take 6.6 MB in one file. A record
# stays at yamlload.MAX_BYTES (1 MB).
ORG_MAX_BYTES = 16_000_000
PARENT_ON_PATH = L("đơn vị này đã có cấp trên theo đường dẫn mã; chỉ đơn vị cấp cao nhất (mã không có '/') mới ghi parent",
                   "its id's path already names the unit above; only a top-level unit (no '/' in its id) names a parent")
PARENT_LOOP = L("các cấp trên tạo thành vòng lặp", "the parents form a loop")
V = TypeVar("V")


def org_paths(source: Source) -> list[str]:
    """Every file the organisation is read from (both layouts, whatever is present)."""
    out = [p for p in (UNITS, OFFICERS) if source.read(p) is not None]
    return out + source.list(UNITS_DIR) + source.list(OFFICERS_DIR)


def is_org_path(path: str) -> bool:
    return path in (UNITS, OFFICERS) or (path.startswith((UNITS_DIR + "/", OFFICERS_DIR + "/"))
                                         and path.endswith(".yaml"))


def shard_of(unit_id: str) -> str:
    return f"{UNITS_DIR}/{unit_id.split('/', 1)[0]}.yaml"


@dataclass
class Loader:
    """Loads unit and roster shards as they are needed, checking each as it comes in."""

    source: Source
    procedures: dict[str, Compiled]
    org: Org
    unit_files: list[str]
    officer_files: list[str]
    sharded_units: bool
    findings: list[Finding] = field(default_factory=list)
    # lazy: what refers to another shard (a successor, an assignment's unit) is not looked up
    # while loading, or one shard would pull in its neighbours; `hoso validate` checks it all
    lazy: bool = False
    scanned: list[str] = field(default_factory=list)  # roster shards whose bytes were searched
    done: set[str] = field(default_factory=set)
    _bytes: dict[str, bytes | None] = field(default_factory=dict)
    _logins: dict[str, tuple[str, int]] = field(default_factory=dict)  # login -> (file, index): where first seen
    _ids: dict[str, tuple[str, int]] = field(default_factory=dict)
    _parsed: dict[str, Parsed] = field(default_factory=dict)
    _pending_units: list[tuple[Parsed, UnitsFile]] = field(default_factory=list)
    # units naming an explicit parent, which may stand in another shard: judged once all are in
    _explicit_parents: list[tuple[Parsed, int, Unit]] = field(default_factory=list)

    # ------------------------------------------------------------------ reading

    def _read(self, path: str) -> bytes | None:
        if path not in self._bytes:
            self._bytes[path] = self.source.read(path)
        return self._bytes[path]

    def _parse(self, path: str) -> Parsed | None:
        from hoso.repository import parse

        self.done.add(path)
        parsed = parse(path, self._read(path), max_bytes=ORG_MAX_BYTES)
        self.findings.extend(parsed.findings)
        return parsed if parsed.ok else None

    # -------------------------------------------------------------------- units

    def find_unit(self, unit_id: str) -> None:
        if self.sharded_units:
            path = shard_of(unit_id)
            if path in self.unit_files and path not in self.done:
                self.load_units(path)
                self._home_roster(path)
        else:
            self.all_units()

    def _home_roster(self, unit_path: str) -> None:
        """By convention a province's officers stand in org/officers/<province>.yaml: once its units
        are asked for, that shard is parsed too, so that looking up its officers by id reads no
        other shard (an id found nowhere loaded is still looked for in every shard)."""
        home = OFFICERS_DIR + unit_path[len(UNITS_DIR):]
        if self.org.index is not None and home in self.officer_files and home not in self.done:
            self.load_officers(home)

    def all_units(self) -> None:
        for path in self.unit_files:
            if path not in self.done:
                self.load_units(path)
        pending, self._explicit_parents = self._explicit_parents, []
        for parsed, i, u in pending:
            self.findings.extend(parsed.place(self._parent_issues(i, u)))

    def load_units(self, path: str) -> None:
        from hoso.repository import validate_model

        parsed = self._parse(path)
        if parsed is None:
            return
        units, fs = validate_model(parsed, UnitsFile)
        self.findings.extend(fs)
        if units is None:
            return
        table = self.org.units.data if isinstance(self.org.units, Table) else self.org.units
        issues: list[Issue] = []
        province = path[len(UNITS_DIR) + 1: -len(".yaml")] if self.sharded_units else None
        for i, u in enumerate(units.units):
            if u.id in table:
                issues.append(Issue(("units", i, "id"), "ORG-DUPLICATE-ID", "error", (("id", u.id),)))
            if province is not None and u.id.split("/", 1)[0] != province:
                issues.append(Issue(("units", i, "id"), "ORG-SHARD", "error",
                                    (("province", province), ("shard", path), ("unit", u.id))))
                continue  # never found through the index: not loaded at all
            table[u.id] = u
        issues += [i for j, u in enumerate(units.units) for i in self._unit_issues(j, u)]
        self._explicit_parents += [(parsed, j, u) for j, u in enumerate(units.units) if u.parent is not None]
        self.findings.extend(parsed.place(issues))

    def _unit_issues(self, i: int, u: Unit) -> list[Issue]:
        issues: list[Issue] = []
        if u.parent is None and u.parent_id is not None and u.parent_id not in self.org.units:
            issues.append(Issue(("units", i, "id"), "ORG-UNKNOWN-PARENT", "error", (("parent", u.parent_id), ("unit", u.id))))
        for j, s in enumerate(u.successors):
            if not self.lazy and s not in self.org.units:
                issues.append(Issue(("units", i, "successors", j), "ORG-UNKNOWN-UNIT", "error", (("unit", s),)))
        if u.valid_to is not None and u.valid_to < u.valid_from:
            issues.append(Issue(("units", i, "valid_to"), "ORG-DATES", "error", (("end", u.valid_to), ("start", u.valid_from))))
        return issues

    def _parent_issues(self, i: int, u: Unit) -> list[Issue]:
        """An explicit parent: only on a top-level unit, known, and never a loop (once every unit
        file is loaded: the parent may stand in another shard)."""
        assert u.parent is not None
        where = ("units", i, "parent")
        if "/" in u.id:
            return [Issue(where, "ORG-PARENT", "error", (("unit", u.id), ("parent", u.parent), ("detail", PARENT_ON_PATH)))]
        if u.parent not in self.org.units:
            return [Issue(where, "ORG-UNKNOWN-PARENT", "error", (("parent", u.parent), ("unit", u.id)))]
        if u.parent == u.id or u.id in self.org.upward(u.parent):
            return [Issue(where, "ORG-PARENT", "error", (("unit", u.id), ("parent", u.parent), ("detail", PARENT_LOOP)))]
        return []

    # ----------------------------------------------------------------- officers

    def _candidates(self, word: str) -> list[str]:
        """The roster shards not yet loaded whose text could name ``word``."""
        key = word.encode("utf-8")
        whole = re.compile(rb"(?<![A-Za-z0-9_/-])" + re.escape(key) + rb"(?![A-Za-z0-9_/-])")
        out = []
        for path in self.officer_files:
            if path in self.done:
                continue
            data = self._read(path)
            self.scanned.append(path)
            if data is None or b"\\" in data or (key in data and whole.search(data) is not None):
                out.append(path)
        return out

    def find_officer(self, officer_id: str) -> None:
        for path in self._candidates(officer_id):
            self.load_officers(path)

    def load_holders(self, unit: str) -> None:
        for path in self._candidates(unit):
            self.load_officers(path)

    def all_officers(self) -> None:
        for path in self.officer_files:
            if path not in self.done:
                self.load_officers(path)

    def load_officers(self, path: str) -> None:
        from hoso.repository import validate_model

        parsed = self._parse(path)
        if parsed is None:
            return
        officers, fs = validate_model(parsed, OfficersFile)
        self.findings.extend(fs)
        if officers is not None:
            self._parsed[path] = parsed
            self.findings.extend(parsed.place(self._officer_issues(path, officers)))

    def _duplicate(self, seen: dict[str, tuple[str, int]], key: str, path: str, i: int, field_: str,
                   shown: str) -> list[Issue]:
        """A second officer with ``key``: reported here, and at the first one when it stands in
        another shard (whichever file a change adds, the finding lands in it)."""
        first = seen.setdefault(key, (path, i))
        if first == (path, i):
            return []
        issue = Issue(("officers", i, field_), "ORG-DUPLICATE-ID", "error", (("id", key),))
        if first[0] != path:
            self.findings.extend(self._parsed[first[0]].place(
                [Issue(("officers", first[1], field_), "ORG-DUPLICATE-ID", "error", (("id", shown),))]))
        return [issue]

    def _officer_issues(self, path: str, officers: OfficersFile) -> list[Issue]:
        known_roles = sorted({r for c in self.procedures.values() for r in c.proc.roles})
        known = frozenset(known_roles)
        table = self.org.officers.data if isinstance(self.org.officers, Table) else self.org.officers
        units = self.org.units.data if isinstance(self.org.units, Table) and self.org.units._find is None \
            else self.org.units  # complete: no lookup can load another shard
        have_units = bool(self.unit_files) and not self.lazy
        check_roles = bool(self.procedures)
        ids, logins = self._ids, self._logins
        issues: list[Issue] = []
        for i, o in enumerate(officers.officers):
            login = o.login.lower()
            if o.id in ids:  # the first of each is remembered; the rest are duplicates
                issues += self._duplicate(ids, o.id, path, i, "id", o.id)
            else:
                ids[o.id] = (path, i)
            if login in logins:
                issues += self._duplicate(logins, login, path, i, "login", o.login)
            else:
                logins[login] = (path, i)
            table.setdefault(o.id, o)
            for j, a in enumerate(o.roles):
                if check_roles and a.role not in known:
                    issues.append(Issue(("officers", i, "roles", j, "role"), "ORG-UNKNOWN-ROLE", "error",
                                        (("allowed", ", ".join(known_roles)), ("role", a.role))))
                if have_units and a.unit not in units:
                    issues.append(Issue(("officers", i, "roles", j, "unit"), "ORG-UNKNOWN-UNIT", "error", (("unit", a.unit),)))
                if a.to is not None and a.to < a.from_:
                    issues.append(Issue(("officers", i, "roles", j, "to"), "ORG-DATES", "error", (("end", a.to), ("start", a.from_))))
        return issues


def _layout(source: Source, single: str, directory: str) -> tuple[list[str], bool, list[Finding]]:
    """The files of one kind, whether they are shards, and ORG-LAYOUT when both layouts are there."""
    shards = source.list(directory)
    has_single = source.read(single) is not None
    if not shards:
        return [single], False, []
    if has_single:
        return shards, True, [finding(single, 1, 1, "ORG-LAYOUT", single=single, directory=directory + "/")]
    return shards, True, []


def open_org(source: Source, procedures: dict[str, Compiled], *, lazy: bool = False) -> tuple[Org, Loader]:
    """The organisation, with a loader; ``lazy``: shards are parsed when first needed."""
    unit_files, sharded_units, f1 = _layout(source, UNITS, UNITS_DIR)
    officer_files, sharded_officers, f2 = _layout(source, OFFICERS, OFFICERS_DIR)
    org = Org()
    loader = Loader(source, procedures, org, unit_files, officer_files, sharded_units, f1 + f2, lazy=lazy)
    if sharded_units:  # a successor in another shard is looked up through the index, eager or not
        org.units = Table(loader.find_unit, loader.all_units)
    if sharded_officers:
        org.officers = Table(loader.find_officer, loader.all_officers)
        if lazy:
            org.index = loader
    if sharded_units and not lazy:
        _complete(org.units)
    elif not sharded_units:
        loader.all_units()
    if sharded_officers and not lazy:
        _complete(org.officers)
    elif not sharded_officers:
        loader.all_officers()
    if not lazy:  # everything is loaded: plain dicts answer the many lookups of a full run faster
        org.units, org.officers = _loaded(org.units), _loaded(org.officers)
    return org, loader


def _complete(table: object) -> None:
    if isinstance(table, Table):
        table.complete()


def _loaded(table: MutableMapping[str, V]) -> MutableMapping[str, V]:
    """A completed table's plain dict (a table that loads nothing more is a dict)."""
    if isinstance(table, Table):
        table.complete()
        return table.data
    return table


def load_org(source: Source, procedures: dict[str, Compiled], *, lazy: bool = False) -> tuple[Org, list[Finding]]:
    """The organisation and its findings. ``lazy`` (a one-case command): the shards a lookup
    needs are parsed then, and their findings join ``Loader.findings`` as they come."""
    org, loader = open_org(source, procedures, lazy=lazy)
    return org, loader.findings
