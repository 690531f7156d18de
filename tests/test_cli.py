"""The command line: `lumap list`, `lumap export`, and errors that name the command that fixes
them (with the --data-dir that was given)."""

import io

import pandas as pd
import pytest

from lumap import __main__ as cli


def run(argv, capsys):
    code = cli.main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_list_shows_every_indicator_with_levels_and_periods(fixture_store_dir, capsys):
    code, out, _ = run(["--data-dir", str(fixture_store_dir), "list"], capsys)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split()[:4] == ["indicator", "levels", "periods", "mission"]
    pay = next(line for line in lines if line.startswith("weekly-pay "))
    assert "ltla" in pay and "(" in pay  # levels, and the number of periods
    assert "export --indicator SLUG" in out


def test_export_and_its_fixes(fixture_store_dir, capsys):
    d = str(fixture_store_dir)
    code, out, _ = run(["export", "--indicator", "weekly-pay", "--year", "2024", "--data-dir", d], capsys)
    assert code == 0 and set(pd.read_csv(io.StringIO(out))["indicator"]) == {"weekly-pay"}
    code, _, err = run(["export", "--indicator", "weekly-py", "--data-dir", d], capsys)
    assert code == 2 and "Did you mean: weekly-pay?" in err
    assert f"Run: python -m lumap export --indicator weekly-pay --level ltla --data-dir {d}" in err
    code, _, err = run(["--data-dir", d, "export", "--indicator", "weekly-pay", "--year", "1900"], capsys)
    assert code == 2 and "no period starting in 1900" in err and "--year 2024" in err


def test_missing_store_names_the_build_command(tmp_path, capsys):
    code, _, err = run(["--data-dir", str(tmp_path / "none"), "list"], capsys)
    assert code == 2 and f"Run: python -m lumap build --data-dir {tmp_path / 'none'}" in err


@pytest.mark.parametrize("typo", ["onz", "ONS ", "osn"])
def test_a_mistyped_source_suggests_ons(typo, tmp_path, capsys):
    code, _, err = run(["build", "--source", typo, "--data-dir", str(tmp_path)], capsys)
    assert code == 2 and "did you mean 'ons'?" in err
    assert f"Run: python -m lumap build --source ons --data-dir {tmp_path}" in err
    assert not list(tmp_path.iterdir())  # nothing written


def test_console_script_name(monkeypatch):
    monkeypatch.setattr("sys.argv", ["/x/.venv/bin/lumap"])
    assert cli._command(["list"], None) == "lumap list"
    monkeypatch.setattr("sys.argv", ["/x/lumap/__main__.py"])
    assert (
        cli._command(["build", "--source", "my folder"], "d")
        == "python -m lumap build --source 'my folder' --data-dir d"
    )


def test_export_an_exact_period(fixture_store_dir, capsys):
    # two periods start in 2023 (FY and AY 2023-24): --year 2023 is the latest, --period names either
    d = str(fixture_store_dir)
    base = ["export", "--indicator", "period-forms", "--level", "ltla", "--data-dir", d]
    code, out, _ = run([*base, "--year", "2023"], capsys)
    assert code == 0 and set(pd.read_csv(io.StringIO(out))["period"]) == {"2023-09-01/P1Y"}
    for name in ("2023-04-01/P1Y", "FY 2023-24", "fy 2023-24"):
        code, out, _ = run([*base, "--period", name, "--year", "2019"], capsys)
        assert code == 0 and set(pd.read_csv(io.StringIO(out))["period"]) == {"2023-04-01/P1Y"}, name
    code, out, _ = run([*base, "--period", "2025-03"], capsys)  # a month as the app's links write it
    assert code == 0 and set(pd.read_csv(io.StringIO(out))["period"]) == {"2025-03-01/P1M"}
    code, _, err = run([*base, "--period", "2031-01"], capsys)
    assert code == 2 and "no period '2031-01'" in err and "--period" in err
