"""assumptions.toml: one raw_assumptions row per known key present."""

from __future__ import annotations

from pathlib import Path

import pytest

from etl.models import ASSUMPTION_DEFAULTS
from etl.sources import assumptions, reference
from etl.sources.base import FileRejected, LoadContext, LoadResult, Probe
from skillboard.settings import Settings

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "reference"


def probe(path: Path) -> Probe:
    return Probe(path=path, head=path.read_bytes()[:65536])


def load(path: Path) -> LoadResult:
    assert assumptions.detect(probe(path))
    return assumptions.load(path, LoadContext(Settings(), inbox=path.parent))


def written(tmp_path: Path, text: str, name: str = "assumptions.toml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_fixture_gives_four_rows_in_file_order_and_ignores_unknown_keys() -> None:
    result = load(FIXTURES / "assumptions.toml")
    assert result.loader == "assumptions"
    assert (result.rows_read, result.loaded, result.quarantine) == (4, 4, [])
    assert result.tables["raw_assumptions"].to_dicts() == [
        {"row_number": 1, "key": "replacement_cost_share", "value": 0.4},
        {"row_number": 2, "key": "loaded_hourly_rate", "value": 75.0},
        {"row_number": 3, "key": "analysis_window_months", "value": 18.0},
        {"row_number": 4, "key": "k_anonymity", "value": 5.0},
    ]


def test_defaults_are_those_of_the_spec() -> None:
    assert ASSUMPTION_DEFAULTS == {
        "replacement_cost_share": 0.33,
        "loaded_hourly_rate": 60.0,
        "analysis_window_months": 24,
        "k_anonymity": 5,
    }


def test_only_the_keys_present_become_rows(tmp_path: Path) -> None:
    result = load(written(tmp_path, "k_anonymity = 7\n"))
    assert result.tables["raw_assumptions"].to_dicts() == [
        {"row_number": 1, "key": "k_anonymity", "value": 7.0}
    ]


def test_an_assumptions_table_is_read_too(tmp_path: Path) -> None:
    path = written(tmp_path, "[assumptions]\nloaded_hourly_rate = 55\n", name="costs.toml")
    assert load(path).tables["raw_assumptions"]["value"].to_list() == [55.0]


def test_bad_values_are_quarantined_each_with_its_reason(tmp_path: Path) -> None:
    """5 keys, 1 good (row 3, analysis_window_months 12); the others quarantined in order."""
    path = written(
        tmp_path,
        'replacement_cost_share = 1.5\nloaded_hourly_rate = "60"\nanalysis_window_months = 12\n'
        "k_anonymity = 2\nunknown = 1\n",
    )
    result = load(path)
    assert (result.rows_read, result.loaded) == (4, 1)
    assert [(q.row_number, q.raw, q.reason) for q in result.quarantine] == [
        (
            1,
            {"replacement_cost_share": "1.5"},
            "replacement_cost_share 1.5 is outside 0..1 (a share: 0.33 means 33%)",
        ),
        (
            2,
            {"loaded_hourly_rate": "60"},
            "loaded_hourly_rate '60' is not a number (write a plain number, without quotes)",
        ),
        (
            4,
            {"k_anonymity": "2"},
            "k_anonymity 2 is below the minimum of 3 (smaller groups would identify individuals)",
        ),
    ]
    assert result.tables["raw_assumptions"]["key"].to_list() == ["analysis_window_months"]


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("loaded_hourly_rate = -10", "loaded_hourly_rate -10 is negative"),
        ("k_anonymity = 3.5", "k_anonymity 3.5 is not a whole number of people"),
        (
            "analysis_window_months = 0",
            "analysis_window_months 0 is not a whole number of months of 1 or more",
        ),
        (
            "k_anonymity = true",
            "k_anonymity True is not a number (write a plain number, without quotes)",
        ),
    ],
)
def test_out_of_range_values_name_the_key_and_value(tmp_path: Path, line: str, reason: str) -> None:
    result = load(written(tmp_path, line + "\n"))
    assert [q.reason for q in result.quarantine] == [reason]


def test_k_anonymity_of_exactly_3_is_accepted(tmp_path: Path) -> None:
    assert load(written(tmp_path, "k_anonymity = 3\n")).loaded == 1


def test_broken_toml_with_known_keys_is_rejected_with_the_parser_message(tmp_path: Path) -> None:
    path = written(tmp_path, "k_anonymity = 5\nloaded_hourly_rate = \n")
    assert not assumptions.detect(probe(path))  # not recognisable, so the run names no loader
    with pytest.raises(FileRejected, match="is not valid TOML"):
        assumptions.load(path, LoadContext(Settings(), inbox=tmp_path))


def test_other_toml_and_csv_files_are_not_assumptions(tmp_path: Path) -> None:
    config = written(tmp_path, "[roster]\nprofile = 'workday'\n", name="skillboard.toml")
    assert not assumptions.detect(probe(config))
    assert not assumptions.detect(probe(FIXTURES / "skills_map.csv"))
    assert not reference.detect(probe(FIXTURES / "assumptions.toml"))
