"""Statistical disclosure control for published counts.

The status pages use :func:`suppress` only: they publish no totals and no sub-units, so there
is no equation for secondary suppression to protect (docs/cong-bo-so-lieu.md says why).
:func:`protect` is the earlier method, cell suppression with secondary suppression over
tables with totals. It holds against a reader of one build who does not assume hidden cells
are non-zero, and not against the reader of the threat model: the adversary test
(tests/test_publication_audit.py) replays both attacks on it.

A publication is a set of cells (key → exact count) and the additive equations a reader can
write down from it: a total equals the sum of its parts (a row and its row total, a unit and
its sub-units, a year column and the all-years total). Cells counting 1 to ``threshold - 1``
are suppressed (primary); further cells are suppressed until no suppressed cell can be worked
out again from the published ones (secondary), checked exactly by linear algebra over the
rationals plus the one thing non-negative counts add: parts that sum to zero are all zero.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass

Key = Hashable

DEFAULT_THRESHOLD = 3


@dataclass(frozen=True)
class Equation:
    """``total`` equals the sum of ``parts``."""

    total: Key
    parts: tuple[Key, ...]

    def members(self) -> tuple[Key, ...]:
        return (self.total, *self.parts)


def suppress(value: int, threshold: int) -> int | None:
    """A count as published: hidden (None) from 1 to ``threshold - 1``, else exact."""
    return None if 1 <= value < threshold else value


def primary(cells: dict[Key, int], threshold: int) -> set[Key]:
    return {k for k, v in cells.items() if 1 <= v < threshold}


Cost = Callable[[Key], tuple[int, ...]]


def protect(cells: dict[Key, int], equations: Iterable[Equation], threshold: int = DEFAULT_THRESHOLD,
            cost: Cost | None = None) -> set[Key]:
    """The cells to suppress so that no small count shows and none can be recovered.

    ``cost`` ranks the cells secondary suppression may take (cheapest first; default: the
    smallest count); a non-zero cell is always taken before a zero one."""
    rank: Cost = cost or (lambda k: (cells[k],))
    eqs = [Equation(e.total, tuple(p for p in e.parts if p in cells)) for e in equations if e.total in cells]
    hidden = primary(cells, threshold)
    while True:
        added = _lone_cells(cells, eqs, hidden, rank)
        if added:
            continue
        bad = exposed(cells, eqs, hidden)
        if not bad:
            return hidden
        covered = False
        for b in sorted(bad, key=str):
            covered = _cover(cells, eqs, hidden, b, rank) or covered
        if not covered:
            return hidden  # nothing left to suppress: every member of every equation is hidden


def _lone_cells(cells: dict[Key, int], eqs: list[Equation], hidden: set[Key], rank: Cost) -> bool:
    """Suppress one more cell in every equation with exactly one suppressed member."""
    added = False
    for e in eqs:
        if sum(1 for k in e.members() if k in hidden) == 1:
            pick = _choose(cells, e, hidden, rank)
            if pick is not None:
                hidden.add(pick)
                added = True
    return added


def _cover(cells: dict[Key, int], eqs: list[Equation], hidden: set[Key], key: Key, rank: Cost) -> bool:
    for e in eqs:
        if key in e.members():
            pick = _choose(cells, e, hidden, rank)
            if pick is not None:
                hidden.add(pick)
                return True
    return False


def _choose(cells: dict[Key, int], e: Equation, hidden: set[Key], rank: Cost) -> Key | None:
    """The cheapest non-zero member still shown, else the cheapest zero one."""
    shown = [k for k in e.members() if k not in hidden]
    if not shown:
        return None
    return min(shown, key=lambda k: (cells[k] == 0, rank(k), str(k)))


# ------------------------------------------------------------------------ the audit


def exposed(cells: dict[Key, int], equations: Iterable[Equation], hidden: set[Key]) -> set[Key]:
    """Suppressed cells whose value follows from the published cells and the equations."""
    eqs = [e for e in equations if e.total in cells]
    known = {k: v for k, v in cells.items() if k not in hidden}
    found: set[Key] = set()
    while True:
        new = _zero_parts(eqs, known) | _solved(eqs, known)
        new -= found
        if not new:
            return found
        found |= new
        for k in new:
            known[k] = cells[k]


def _zero_parts(eqs: list[Equation], known: dict[Key, int]) -> set[Key]:
    out: set[Key] = set()
    for e in eqs:
        if e.total in known:
            rest = known[e.total] - sum(known[p] for p in e.parts if p in known)
            if rest == 0:
                out.update(p for p in e.parts if p not in known)
    return out


def _solved(eqs: list[Equation], known: dict[Key, int]) -> set[Key]:
    """Unknowns fixed by the linear system, one connected group of unknowns at a time."""
    out: set[Key] = set()
    for _, group_eqs in _components(eqs, known):
        rows = []
        for e in group_eqs:
            row: dict[Key, int] = {}
            for k, sign in [(e.total, 1)] + [(p, -1) for p in e.parts]:
                if k not in known:
                    row[k] = (row.get(k, 0) + sign) % PRIME
            row = {k: v for k, v in row.items() if v}
            if row:
                rows.append(row)
        out.update(_singleton_pivots(rows))
    return out


def _components(eqs: list[Equation], known: dict[Key, int]) -> list[tuple[set[Key], list[Equation]]]:
    parent: dict[Key, Key] = {}

    def find(k: Key) -> Key:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    live = []
    for e in eqs:
        unknown = [k for k in e.members() if k not in known]
        if not unknown:
            continue
        live.append((e, unknown[0]))
        for k in unknown:
            parent.setdefault(k, k)
        for k in unknown[1:]:
            parent[find(k)] = find(unknown[0])
    groups: dict[Key, tuple[set[Key], list[Equation]]] = {}
    for k in parent:
        groups.setdefault(find(k), (set(), []))[0].add(k)
    for e, first in live:
        groups[find(first)][1].append(e)
    return list(groups.values())


# Row reduction modulo a large prime: exact for these small integer systems (a value fixed over
# the rationals stays fixed modulo the prime unless the prime divides a determinant, which with
# 2**61 - 1 does not happen at these sizes; the converse error would only hide more).
PRIME = (1 << 61) - 1


def _singleton_pivots(rows: list[dict[Key, int]]) -> list[Key]:
    """Sparse Gauss–Jordan: the pivot columns whose fully reduced row has a single entry,
    i.e. the unknowns the system determines on their own."""
    pivots: dict[Key, dict[Key, int]] = {}
    for row in rows:
        row = dict(row)
        while True:
            col = next((c for c in row if c in pivots), None)
            if col is None:
                break
            _subtract(row, pivots[col], row[col])
        if not row:
            continue
        col = min(row, key=str)
        inv = pow(row[col], PRIME - 2, PRIME)
        row = {k: v * inv % PRIME for k, v in row.items()}
        for other in pivots.values():
            if col in other:
                _subtract(other, row, other[col])
        pivots[col] = row
    return [c for c, r in pivots.items() if len(r) == 1]


def _subtract(row: dict[Key, int], pivot: dict[Key, int], factor: int) -> None:
    for k, v in pivot.items():
        x = (row.get(k, 0) - factor * v) % PRIME
        if x:
            row[k] = x
        else:
            row.pop(k, None)


# ------------------------------------------------------------------ two-way tables


def table_equations(rows: list[Key], cols: list[Key], row_total: Key, col_total: Key) -> list[Equation]:
    """Equations of a table whose cells are keyed (row, col), with a total row and column."""
    out = [Equation((r, col_total), tuple((r, c) for c in cols)) for r in rows + [row_total]]
    out += [Equation((row_total, c), tuple((r, c) for r in rows)) for c in cols + [col_total]]
    return out
