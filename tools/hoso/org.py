"""The organisation: a versioned unit tree and the roster of officers with dated roles."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, MutableMapping
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

from pydantic import Field

from hoso.base import Date, Strict

UNIT_ID = r"^[a-z0-9]+(?:-[a-z0-9]+)*(?:/[a-z0-9]+(?:-[a-z0-9]+)*)*$"
OFFICER_ID = r"^[A-Z]{1,6}-[0-9]{1,8}$"
MEMBER_CODE = r"^[A-Z]{1,6}-[0-9]{1,8}$"


class Unit(Strict):
    id: str = Field(pattern=UNIT_ID)
    name: str = Field(min_length=1, max_length=200)
    kind: str = Field(pattern=r"^[a-z0-9_-]+$")
    valid_from: Date
    valid_to: Date | None = None
    successors: list[str] = []
    case_prefix: str | None = Field(default=None, pattern=r"^[A-Z]{1,6}$")
    # The unit above a top-level unit (its id has no "/"), e.g. the province above a district
    # whose files live under records/<district>/: an appeal goes one level up (rule ORG-PARENT).
    parent: str | None = Field(default=None, pattern=UNIT_ID)

    @property
    def parent_id(self) -> str | None:
        if self.parent is not None:
            return self.parent
        return self.id.rsplit("/", 1)[0] if "/" in self.id else None

    def valid_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class UnitsFile(Strict):
    units: list[Unit]


class RoleAssignment(Strict):
    role: str
    unit: str = Field(pattern=UNIT_ID)
    from_: Date = Field(alias="from")
    to: Date | None = None

    def covers(self, day: dt.date) -> bool:
        return self.from_ <= day and (self.to is None or day <= self.to)


class Officer(Strict):
    id: str = Field(pattern=OFFICER_ID)
    login: str = Field(pattern=r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$")
    member: str | None = Field(default=None, pattern=MEMBER_CODE)
    roles: list[RoleAssignment] = []


class OfficersFile(Strict):
    officers: list[Officer]


V = TypeVar("V")


class Table(MutableMapping[str, V]):
    """A dict of units or officers that may load its shards when a key is first asked for.

    ``find(key)`` loads every shard that could hold ``key`` (a sharded roster's index);
    ``load_all()`` loads the rest. Iterating or counting loads everything, so a caller that
    walks the table sees exactly what a fully loaded dict holds; a lookup by key loads only
    the shards that could answer it.
    """

    def __init__(self, find: Callable[[str], None] | None = None, load_all: Callable[[], None] | None = None) -> None:
        self.data: dict[str, V] = {}
        self._find = find
        self._load_all = load_all
        self._asked: set[str] = set()

    def complete(self) -> None:
        if self._load_all is not None:
            load, self._load_all, self._find = self._load_all, None, None
            load()

    def _lookup(self, key: str) -> None:
        if self._find is not None and key not in self.data and key not in self._asked:
            self._asked.add(key)
            self._find(key)

    def __getitem__(self, key: str) -> V:
        self._lookup(key)
        return self.data[key]

    def __contains__(self, key: object) -> bool:
        if isinstance(key, str):
            self._lookup(key)
        return key in self.data

    def __setitem__(self, key: str, value: V) -> None:
        self.data[key] = value

    def __delitem__(self, key: str) -> None:
        del self.data[key]

    def __iter__(self) -> Iterator[str]:
        self.complete()
        return iter(self.data)

    def __len__(self) -> int:
        self.complete()
        return len(self.data)

    def __repr__(self) -> str:
        return f"Table({self.data!r})"


class RoleIndex(Protocol):
    def load_holders(self, unit: str) -> None:
        """Load every roster shard that could name an assignment at ``unit``."""


@dataclass
class Org:
    units: MutableMapping[str, Unit] = field(default_factory=Table)
    officers: MutableMapping[str, Officer] = field(default_factory=Table)
    index: RoleIndex | None = None  # a sharded roster loaded on demand
    # officers by the units they hold a role at, over the officers loaded when it was built
    _at_unit: tuple[int, int, dict[str, list[Officer]]] | None = field(default=None, init=False, repr=False,
                                                                          compare=False)

    @property
    def by_login(self) -> dict[str, Officer]:
        return {o.login.lower(): o for o in self.officers.values()}

    def parent_of(self, unit_id: str) -> str | None:
        """The unit above: a top-level unit's explicit ``parent``, else the path above the id."""
        unit = self.units.get(unit_id)
        if unit is not None:
            return unit.parent_id
        return unit_id.rsplit("/", 1)[0] if "/" in unit_id else None

    def upward(self, unit_id: str) -> Iterator[str]:
        """Parent first, root last: the path of the id, then the explicit parents above it (a
        loop of parents, reported as ORG-PARENT, stops where it repeats). Lazily, so that a
        lookup that stops early reads no shard above where it stopped."""
        seen = {unit_id}
        above = self.parent_of(unit_id)
        while above is not None and above not in seen:
            yield above
            seen.add(above)
            above = self.parent_of(above)

    def ancestors(self, unit_id: str) -> list[str]:
        return list(self.upward(unit_id))

    def holds(self, officer: Officer, roles: list[str], unit: str | None, day: dt.date) -> bool:
        """Whether ``officer`` holds one of ``roles`` on ``day`` at ``unit`` (None: at any unit)."""
        return any(a.role in roles and (unit is None or a.unit == unit) and a.covers(day) for a in officer.roles)

    def holders(self, roles: list[str], unit: str, day: dt.date) -> list[Officer]:
        """The officers holding one of ``roles`` at ``unit`` on ``day``, in roster order."""
        if self.index is not None and isinstance(self.officers, Table):
            self.index.load_holders(unit)  # every shard that could name ``unit``: the holders are among them
            pool: MutableMapping[str, Officer] = self.officers.data
        else:
            pool = self.officers
        return [o for o in self._officers_at(pool).get(unit, []) if self.holds(o, roles, unit, day)]

    def _officers_at(self, pool: MutableMapping[str, Officer]) -> dict[str, list[Officer]]:
        """Officers by the units they hold a role at, built once per roster (again when more of a
        sharded roster is loaded): an officer command asks for the holders of a dozen roles."""
        key = (id(pool), len(pool))
        if self._at_unit is None or self._at_unit[:2] != key:
            by_unit: dict[str, list[Officer]] = {}
            for o in pool.values():
                for u in dict.fromkeys(a.unit for a in o.roles):
                    by_unit.setdefault(u, []).append(o)
            self._at_unit = (*key, by_unit)
        return self._at_unit[2]
