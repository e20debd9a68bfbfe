"""What the approval rules know of a forge: pull requests, reviews and commits, in one shape.

Each forge module maps its own JSON onto these types; nothing past this seam knows which forge a
review came from (pre-commit's ``Language`` protocol is the model).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol

from hoso.errors import HosoError

# A review's verdict, as the approval rules read it. PENDING (a draft, or a review requested but
# not given) and COMMENTED never approve nor revoke.
APPROVED, CHANGES_REQUESTED, DISMISSED, COMMENTED, PENDING = (
    "APPROVED", "CHANGES_REQUESTED", "DISMISSED", "COMMENTED", "PENDING")
VERDICTS = (APPROVED, CHANGES_REQUESTED, DISMISSED)
STATUS_CONTEXT = "hoso/approvals"
STATUS_STATES = ("pending", "success", "failure", "error")
# Roles are held on Vietnamese calendar days; forges stamp reviews in UTC (no DST in Vietnam).
LOCAL_TIME = dt.timezone(dt.timedelta(hours=7))


class ForgeError(HosoError):
    """The forge's API could not be used (unreachable, refused, unexpected answer): exit 4, so CI
    can tell "not approved yet" (1) from "could not ask" (4)."""

    exit_code = 4


@dataclass(frozen=True)
class Review:
    login: str
    state: str  # one of the verdicts above
    commit: str | None  # the commit reviewed (None: unknown, or stale)
    submitted: str  # ISO 8601 as the forge gave it ("" when it did not)
    order: int  # position in the forge's answer: breaks ties between equal times
    id: int | None = None

    def day(self) -> dt.date | None:
        """The Vietnamese calendar day the review was given (None: the forge did not say)."""
        try:
            stamp = dt.datetime.fromisoformat(self.submitted.replace("Z", "+00:00"))
        except ValueError:
            return None
        if stamp.tzinfo is None:
            stamp = stamp.replace(tzinfo=dt.timezone.utc)
        return stamp.astimezone(LOCAL_TIME).date()


@dataclass(frozen=True)
class Commit:
    """One commit of a pull request, with the forge account its author maps to (None: none).

    The account comes from the commit's author e-mail, which whoever commits can set: only a
    signature the forge verified (``verified``) proves who made the commit."""

    sha: str
    login: str | None
    verified: bool = False


@dataclass(frozen=True)
class PullRequest:
    number: int
    author: str
    base_sha: str
    head_sha: str
    base_ref: str


class Forge(Protocol):
    """One forge's API, as hoso uses it."""

    name: str

    def pull_request(self, number: int) -> PullRequest: ...

    def reviews(self, number: int) -> list[Review]: ...

    def commits(self, number: int) -> list[Commit]: ...

    def set_status(self, sha: str, state: str, description: str, target_url: str | None = None) -> None: ...

    def request_reviewers(self, number: int, logins: list[str]) -> None: ...

    def merge(self, number: int, head_sha: str, title: str, message: str) -> str: ...
