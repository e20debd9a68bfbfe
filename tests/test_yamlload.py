"""The strict loader: what it refuses, where it says so, and what it leaves to the model."""

from __future__ import annotations

import pytest

from hoso.yamlload import MAX_BYTES, YamlError, load_fast, load_strict


@pytest.mark.parametrize(
    ("text", "rule", "line", "column"),
    [
        ("a: 1\nb: 2\na: 3\n", "YAML-DUPLICATE-KEY", 3, 1),
        ("a: &x [1]\nb: *x\n", "YAML-ALIAS", 1, 4),
        ("a: [1]\nb: *x\n", "YAML-ALIAS", 2, 4),
        ("base: {a: 1}\nc:\n  <<: {a: 2}\n", "YAML-MERGE-KEY", 3, 3),
        ("a: !!int 5\n", "YAML-TAG", 1, 4),
        ("a: !custom x\n", "YAML-TAG", 1, 4),
        ("a: 1\n---\nb: 2\n", "YAML-MULTI-DOC", 2, 1),
        ("a: [1, 2\n", "YAML-SYNTAX", 2, 1),
        ("? [a, b]\n: c\n", "YAML-COMPLEX-KEY", 1, 3),
        ("a:\n\tb: 1\n", "YAML-SYNTAX", 2, 1),
    ],
)
def test_refusals_are_placed(text: str, rule: str, line: int, column: int) -> None:
    with pytest.raises(YamlError) as info:
        load_strict(text.encode())
    assert (info.value.rule, info.value.line, info.value.column) == (rule, line, column)


def test_no_yaml_11_guessing() -> None:
    value = load_strict(b"a: no\nb: on\nc: 010\nd: 1:30\ne: 2021-03-02\nf: 0x1F\ng: 1e3\nh: yes\n").value
    assert value == {"a": "no", "b": "on", "c": "010", "d": "1:30", "e": "2021-03-02", "f": "0x1F",
                     "g": "1e3", "h": "yes"}


def test_plain_scalars_the_model_may_want() -> None:
    value = load_strict(b"a: true\nb: False\nc: 12\nd: -3\ne: ~\nf:\ng: '12'\nh: \"true\"\n").value
    assert value == {"a": True, "b": False, "c": 12, "d": -3, "e": None, "f": None, "g": "12", "h": "true"}


def test_invalid_utf8_and_nul_are_placed() -> None:
    with pytest.raises(YamlError) as info:
        load_strict(b"a: 1\nb: caf\xe9\n")
    assert (info.value.rule, info.value.line, info.value.column) == ("YAML-ENCODING", 2, 7)
    with pytest.raises(YamlError) as info:
        load_strict(b"a: 1\nb: \x00\n")
    assert info.value.rule == "YAML-ENCODING"


def test_size_and_depth_limits() -> None:
    with pytest.raises(YamlError) as info:
        load_strict(b"a: " + b"x" * MAX_BYTES)
    assert info.value.rule == "YAML-TOO-LARGE"
    with pytest.raises(YamlError) as info:
        load_strict(b"[" * 5000 + b"]" * 5000)
    assert info.value.rule == "YAML-TOO-DEEP"


def test_positions_of_nested_values_and_keys() -> None:
    text = b"history:\n  - event: x\n    ballot: {present: 3, for: 2}\n"
    loaded = load_strict(text)
    assert loaded.pos(("history", 0, "ballot", "for")) == loaded.values[("history", 0, "ballot", "for")]
    assert loaded.pos(("history", 0, "ballot", "for")) .line == 3
    assert loaded.pos(("history", 0, "ballot", "for")).column == 31
    assert loaded.pos(("history", 0, "event"), key=True).column == 5
    # a missing path falls back to the nearest enclosing node
    assert loaded.pos(("history", 0, "nothing")).line == 2


def test_bom_is_accepted() -> None:
    assert load_strict("\ufeffa: 1\n".encode()).value == {"a": 1}


@pytest.mark.parametrize("text", ["a: 010\n", "a: +5\n", "a: 1.5\n", "a: .5\n", "a: 0x1F\n", "a: 1e3\n",
                                  "a: &x 1\nb: *x\n", "a: !!str 1\n", "a: 1\n---\nb: 1\n", "<<: {a: 1}\n",
                                  "a: [1, 010]\n", "a: .inf\n"])
def test_fast_path_declines_what_could_differ(text: str) -> None:
    assert load_fast(text) is None


def test_fast_path_agrees_on_a_plain_record() -> None:
    text = ("case: VC-2021-001\nmember: DV-0001\nhistory:\n  - event: list_voted\n    date: \"2021-03-10\"\n"
            "    ballot: {members_total: 15, present: 13, for: 11, against: 2, secret: true}\n"
            "    grounds: [khong-hoan-thanh-2-nam]  # comment\n")
    assert load_fast(text) == load_strict(text).value
