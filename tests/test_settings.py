"""Settings: TOML file, environment overrides, explicit overrides."""

from __future__ import annotations

from pathlib import Path

import pytest

from skillboard.settings import load_settings


def test_toml_file_then_environment_then_flags(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The file sets inbox and a roster mapping; the environment beats the file for the date
    format; an explicit override (a CLI flag) beats both for the warehouse."""
    config = tmp_path / "skillboard.toml"
    config.write_text(
        'inbox = "in"\nwarehouse = "wh"\n[roster]\ndate_format = "%d/%m/%Y"\n'
        '[roster.columns]\nemployee_id = "EmpID"\nhire_date = "DateofHire"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("SKILLBOARD_ROSTER__DATE_FORMAT", "%m/%d/%Y")
    settings = load_settings(config, warehouse=tmp_path / "flag-wh")
    assert settings.inbox == Path("in")
    assert settings.warehouse == tmp_path / "flag-wh"
    assert settings.roster.columns == {"employee_id": "EmpID", "hire_date": "DateofHire"}
    assert settings.roster.date_format == "%m/%d/%Y"
    assert settings.snapshot_path == tmp_path / "flag-wh" / "skillboard.duckdb"


def test_config_from_environment_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """SKILLBOARD_CONFIG names the file when --config is not given."""
    config = tmp_path / "other.toml"
    config.write_text('inbox = "elsewhere"\n', encoding="utf-8")
    monkeypatch.setenv("SKILLBOARD_CONFIG", str(config))
    assert load_settings().inbox == Path("elsewhere")


def test_missing_explicit_config_is_an_error(tmp_path: Path) -> None:
    """A named config file that does not exist is reported, not silently ignored."""
    with pytest.raises(FileNotFoundError, match="does not exist"):
        load_settings(tmp_path / "nope.toml")
