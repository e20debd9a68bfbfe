"""Disclosure control: no small count shown, no hidden count recoverable from the totals."""

from __future__ import annotations

import itertools
import random

import pytest

from hoso.disclosure import Equation, exposed, primary, protect, table_equations

R, C = "R", "C"  # the total row and the total column


def two_way(grid: list[list[int]]) -> tuple[dict[object, int], list[Equation]]:
    rows, cols = list(range(len(grid))), list(range(len(grid[0])))
    cells: dict[object, int] = {(r, c): grid[r][c] for r in rows for c in cols}
    for r in rows:
        cells[(r, C)] = sum(grid[r])
    for c in cols:
        cells[(R, c)] = sum(grid[r][c] for r in rows)
    cells[(R, C)] = sum(map(sum, grid))
    return cells, table_equations(list(rows), list(cols), R, C)


def lines_ok(eqs: list[Equation], hidden: set[object]) -> bool:
    """The brief's rule: a row or column (its total included) hides no cell, or two or more."""
    return all(sum(1 for k in e.members() if k in hidden) != 1 for e in eqs)


def brute_force_values(cells: dict[object, int], hidden: set[object], rows: int, cols: int,
                       bound: int) -> dict[object, set[int]]:
    """Every value each hidden cell takes over all non-negative tables (cells ≤ bound) that
    agree with every published cell: enumerated row by row, then checked whole."""
    seen: dict[object, set[int]] = {k: set() for k in hidden}
    options = [list(_row_options(cells, hidden, r, cols, bound)) for r in range(rows)]
    for choice in itertools.product(*options):
        grid = [list(row) for row in choice]
        candidate, _ = two_way(grid)
        if all(candidate[k] == v for k, v in cells.items() if k not in hidden):
            for k in hidden:
                seen[k].add(candidate[k])
    return seen


def _row_options(cells: dict[object, int], hidden: set[object], r: int, cols: int, bound: int):  # type: ignore[no-untyped-def]
    free = [c for c in range(cols) if (r, c) in hidden]
    known = sum(cells[(r, c)] for c in range(cols) if (r, c) not in hidden)
    for values in itertools.product(range(bound + 1), repeat=len(free)):
        if (r, C) not in hidden and known + sum(values) != cells[(r, C)]:
            continue
        row = [cells[(r, c)] for c in range(cols)]
        for c, v in zip(free, values):
            row[c] = v
        yield row


def test_every_2x2_table_up_to_3_no_hidden_cell_is_determined() -> None:
    """All 256 tables with cells 0..3: check by enumeration, independently of the algebra."""
    for flat in itertools.product(range(4), repeat=4):
        grid = [list(flat[:2]), list(flat[2:])]
        cells, eqs = two_way(grid)
        hidden = protect(cells, eqs, 3)
        assert not [k for k in cells if k not in hidden and 1 <= cells[k] <= 2], grid
        assert lines_ok(eqs, hidden), (grid, hidden)
        for k, values in brute_force_values(cells, hidden, 2, 2, 6).items():
            assert cells[k] in values
            assert len(values) >= 2, (grid, k, values)


def test_a_2x3_table_by_enumeration() -> None:
    grid = [[1, 5, 0], [4, 6, 2]]
    cells, eqs = two_way(grid)
    hidden = protect(cells, eqs, 3)
    assert (0, 0) in hidden and (1, 2) in hidden
    for k, values in brute_force_values(cells, hidden, 2, 3, 14).items():
        assert len(values) >= 2, (k, values)


def random_tables(seed: int, n: int) -> list[tuple[list[list[int]], int]]:
    rnd = random.Random(seed)
    out = []
    for _ in range(n):
        rows, cols = rnd.randint(1, 4), rnd.randint(1, 5)
        out.append(([[rnd.choice((0, 0, 1, 2, 3, 4, 7, 9)) for _ in range(cols)] for _ in range(rows)],
                    rnd.randint(2, 5)))
    return out


@pytest.mark.parametrize("seed", range(4))
def test_random_tables_hide_small_counts_and_leak_none(seed: int) -> None:
    for grid, threshold in random_tables(seed, 60):
        cells, eqs = two_way(grid)
        hidden = protect(cells, eqs, threshold)
        assert primary(cells, threshold) <= hidden
        assert all(not 1 <= v < threshold for k, v in cells.items() if k not in hidden), grid
        assert lines_ok(eqs, hidden), (grid, hidden)
        assert exposed(cells, eqs, hidden) == set(), grid


def test_exposed_finds_a_lone_hidden_cell() -> None:
    cells, eqs = two_way([[1, 5], [4, 6]])
    assert exposed(cells, eqs, {(0, 0)}) == {(0, 0)}
    # two hidden in a row but alone in their columns: both still follow from the column totals
    assert exposed(cells, eqs, {(0, 0), (0, 1)}) == {(0, 0), (0, 1)}
    assert exposed(cells, eqs, {(0, 0), (0, 1), (1, 0), (1, 1)}) == set()


def test_exposed_uses_that_counts_are_not_negative() -> None:
    # total 1 = a + b + z with z shown as 0 … and b + c = 0 forces b = c = 0, so a = 1.
    cells = {"t": 1, "a": 1, "b": 0, "u": 0, "c": 0, "s": 0}
    eqs = [Equation("t", ("a", "b", "s")), Equation("u", ("b", "c"))]
    assert exposed(cells, eqs, {"a", "b", "c"}) == {"a", "b", "c"}
    hidden = protect(cells, eqs, 3)
    assert exposed(cells, eqs, hidden) == set()
    assert "a" in hidden


def test_a_unit_tree_hides_a_second_sub_unit_or_the_parent() -> None:
    cells = {"d": 7, "d/a": 5, "d/b": 2, "d/c": 0}
    eqs = [Equation("d", ("d/a", "d/b", "d/c"))]
    hidden = protect(cells, eqs, 3)
    assert "d/b" in hidden and len(hidden) >= 2
    assert exposed(cells, eqs, hidden) == set()
    # a cost that protects the parent takes a sub-unit rather than the district figure
    hidden = protect(cells, eqs, 3, cost=lambda k: (-str(k).count("/"),))
    assert "d" not in hidden


def test_threshold_is_a_setting() -> None:
    cells, eqs = two_way([[3, 9], [4, 8]])
    assert protect(cells, eqs, 3) == set()
    assert (0, 0) in protect(cells, eqs, 4)
