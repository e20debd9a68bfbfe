"""The organisation: a versioned unit tree and the roster of officers with dated roles."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

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

    @property
    def parent_id(self) -> str | None:
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


@dataclass
class Org:
    units: dict[str, Unit] = field(default_factory=dict)
    officers: dict[str, Officer] = field(default_factory=dict)

    @property
    def by_login(self) -> dict[str, Officer]:
        return {o.login.lower(): o for o in self.officers.values()}

    def ancestors(self, unit_id: str) -> list[str]:
        """Parent first, root last (by the path of the id)."""
        out: list[str] = []
        while "/" in unit_id:
            unit_id = unit_id.rsplit("/", 1)[0]
            out.append(unit_id)
        return out

    def holds(self, officer: Officer, roles: list[str], unit: str | None, day: dt.date) -> bool:
        """Whether ``officer`` holds one of ``roles`` on ``day`` at ``unit`` (None: at any unit)."""
        return any(a.role in roles and (unit is None or a.unit == unit) and a.covers(day) for a in officer.roles)

    def holders(self, roles: list[str], unit: str, day: dt.date) -> list[Officer]:
        return [o for o in self.officers.values() if self.holds(o, roles, unit, day)]
