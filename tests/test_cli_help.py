"""Every command is documented: help in Vietnamese and English, an example, and --help works."""

from __future__ import annotations

import pytest

from hoso.cli import command_modules, command_names, main, requested_command


@pytest.mark.parametrize("name", command_names())
def test_command_has_help_and_example(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    (mod,) = command_modules(name)
    assert mod.NAME == name
    assert mod.HELP["vi"].strip() and mod.HELP["en"].strip() and mod.HELP["vi"] != mod.HELP["en"]
    assert str(mod.EXAMPLE).startswith("hoso ")
    for lang in ("vi", "en"):
        with pytest.raises(SystemExit) as info:
            main([name, "--help", "--lang", lang])
        assert info.value.code == 0
        out = capsys.readouterr().out
        assert mod.HELP[lang].split()[0] in out
        assert ("Ví dụ:" if lang == "vi" else "Example:") in out


def test_only_the_named_command_is_looked_for() -> None:
    assert requested_command(["-C", "validate", "--today", "2026-01-01", "check", "--base", "x"]) == "check"
    assert requested_command(["--lang", "en", "--help"]) is None
    assert requested_command(["nonsense"]) is None


def test_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["valdate"]) == 2
    assert "valdate" in capsys.readouterr().err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    from hoso import __version__

    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"hoso {__version__}"
