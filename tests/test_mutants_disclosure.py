"""Disclosure control mutation testing found untested (issue 13): the published value of a
count, which cell secondary suppression takes (smallest count, a non-zero before a zero, ties by
name), the second stage that covers a cell the algebra exposes, and the equation signs."""

from __future__ import annotations

import pytest

from hoso.disclosure import Equation, exposed, protect, suppress, table_equations


@pytest.mark.parametrize(("value", "threshold", "shown"), [
    (0, 3, 0), (1, 3, None), (2, 3, None), (3, 3, 3), (4, 3, 4),
    (3, 4, None), (4, 4, 4), (1, 1, 1), (1, 2, None), (2, 2, 2),
])
def test_suppress_hides_exactly_one_to_threshold_minus_one(value: int, threshold: int, shown: int | None) -> None:
    assert suppress(value, threshold) == shown


def test_secondary_suppression_takes_the_smallest_count() -> None:
    """x = 1 is hidden; of t = 9, b = 3 and a = 5 the cheapest to hide as well is b."""
    cells = {"t": 9, "x": 1, "b": 3, "a": 5}
    assert protect(cells, [Equation("t", ("x", "b", "a"))], 3) == {"x", "b"}


def test_secondary_suppression_takes_a_non_zero_count_before_a_zero() -> None:
    """Hiding a zero beside x = 1 would still show the row's other counts add up: (0, 2) = 4 goes."""
    cells = {"t": 5, "x": 1, "z": 0, "a": 4}
    assert protect(cells, [Equation("t", ("x", "z", "a"))], 3) == {"x", "a"}


def test_secondary_suppression_breaks_ties_by_name() -> None:
    """b and a both count 4: the first by name (a) is hidden, whatever the equation's order."""
    cells = {"t": 9, "x": 1, "b": 4, "a": 4}
    assert protect(cells, [Equation("t", ("x", "b", "a"))], 3) == {"x", "a"}


def test_a_cost_ranks_the_cells_secondary_suppression_takes() -> None:
    cells = {"t": 9, "x": 1, "b": 3, "a": 5}
    assert protect(cells, [Equation("t", ("x", "b", "a"))], 3, cost=lambda k: (-cells[k],)) == {"x", "t"}


# Three hidden counts, each pair summed by a published total: no equation has one hidden member,
# yet A - B + C = 2x fixes x (and then y and w). The second stage hides a total for w (B) and for
# x (A); then y's equations have nothing left to hide, and C alone fixes no cell.
COVER_CELLS = {"x": 1, "y": 2, "w": 2, "A": 3, "B": 4, "C": 3}
COVER_EQS = [Equation("A", ("x", "y")), Equation("B", ("y", "w")), Equation("C", ("x", "w"))]


def test_the_algebra_exposes_cells_no_equation_shows_alone() -> None:
    assert exposed(COVER_CELLS, COVER_EQS, {"x", "y", "w"}) == {"x", "y", "w"}


def test_secondary_suppression_covers_a_cell_the_algebra_exposes() -> None:
    hidden = protect(COVER_CELLS, COVER_EQS, 3)
    assert hidden == {"x", "y", "w", "A", "B"}
    assert exposed(COVER_CELLS, COVER_EQS, hidden) == set()


def test_a_difference_of_totals_exposes_a_cell() -> None:
    """T = a + b and U = a + b + c: c = U - T, though c is alone in no equation with T (the signs:
    a total counts +1, a part -1)."""
    cells = {"T": 6, "U": 8, "a": 3, "b": 3, "c": 2}
    eqs = [Equation("T", ("a", "b")), Equation("U", ("a", "b", "c"))]
    assert exposed(cells, eqs, {"a", "b", "c"}) == {"c"}
    assert exposed(cells, eqs, {"a", "c"}) == {"a", "c"}


def test_parts_of_a_zero_total_are_all_zero() -> None:
    eqs = [Equation("T", ("a", "b", "c"))]
    assert exposed({"T": 0, "a": 0, "b": 0, "c": 0}, eqs, {"a", "b"}) == {"a", "b"}
    assert exposed({"T": 2, "a": 1, "b": 1, "c": 0}, eqs, {"a", "b"}) == set()
    # the shown parts are taken off first: 5 - 5 leaves nothing for a and b
    assert exposed({"T": 5, "a": 0, "b": 0, "c": 5}, eqs, {"a", "b"}) == {"a", "b"}
    assert exposed({"T": 7, "a": 1, "b": 1, "c": 5}, eqs, {"a", "b"}) == set()


def test_table_equations_name_every_row_and_column_with_its_total() -> None:
    eqs = table_equations([0, 1], ["a"], "R", "C")
    assert eqs == [Equation((0, "C"), ((0, "a"),)), Equation((1, "C"), ((1, "a"),)),
                   Equation(("R", "C"), (("R", "a"),)),
                   Equation(("R", "a"), ((0, "a"), (1, "a"))), Equation(("R", "C"), ((0, "C"), (1, "C")))]
