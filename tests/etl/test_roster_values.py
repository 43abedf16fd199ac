"""Salaries, flags and names: the column expressions agree with the model's one-value path."""

from __future__ import annotations

import polars as pl
import pytest
from pydantic import ValidationError

from etl.models import RosterRecord, describe_errors
from etl.sources import column_dates, roster

SALARIES = [
    (" $54,500 ", 54500.0),
    ("54500", 54500.0),
    ("54500.00", 54500.0),
    ("54,500.50", 54500.5),
    ("€54.500", 54500.0),
    ("54.500,00 EUR", 54500.0),
    ("1.054.500", 1054500.0),
    ("54500,50", 54500.5),
    ("60000 - 65000", 62500.0),
    ("60,000–65,000", 62500.0),
    ("54500 USD", 54500.0),
    ("£ 48 000", 48000.0),
    ("-5000", -5000.0),
    ("54.500", None),  # 54.5 or 54 500? not guessed without a euro sign
    ("lots", None),
    ("54,50,0", None),
    ("1e5", None),
    ("nan", None),
    ("", None),
]


@pytest.mark.parametrize(("text", "expected"), SALARIES)
def test_salary_text_reads_as_the_amount_a_person_means(text: str, expected: float | None) -> None:
    assert roster.AMOUNT(text) == expected


def test_column_shortcut_and_grammar_agree_on_every_sample() -> None:
    """The loader casts plain numbers directly and sends the rest through the grammar; on a
    column of every sample (plain ones included) it gives what the one-value parser gives."""
    texts = [text for text, _ in SALARIES] + ["123", "123.4", "0.99"]
    column = roster._amounts(pl.Series(texts, dtype=pl.String))
    assert column.to_list() == [roster.AMOUNT(text) for text in texts]


def test_salary_errors_name_the_field_and_the_value() -> None:
    base = {"employee_id": "E1", "department": "Sales", "hire_date": "2020-01-01"}
    context = {"parsers": {"annual_salary": roster.AMOUNT}}
    with pytest.raises(ValidationError) as caught:
        RosterRecord.model_validate({**base, "annual_salary": "-1,000"}, context=context)
    assert describe_errors(caught.value) == "annual_salary '-1,000' is negative"
    record = RosterRecord.model_validate(
        {**base, "annual_salary": "60000 - 65000"}, context=context
    )
    assert record.annual_salary == 62500.0


@pytest.mark.parametrize(
    ("word", "flag"),
    [("Y", True), ("yes", True), ("1", True), ("TRUE", True), ("N", False), ("No", False),
     ("0", False), ("false", False)],
)  # fmt: skip
def test_flag_words_read_the_same_in_the_column_and_the_model(word: str, flag: bool) -> None:
    frame = pl.DataFrame({"regrettable": [word], "termination_voluntary": [word]})
    frame = frame.with_columns(
        annual_salary=pl.lit(None, dtype=pl.String),
        hire_date=pl.lit(None, dtype=pl.String),
        termination_date=pl.lit(None, dtype=pl.String),
    )
    formats = {"hire_date": column_dates.ISO, "termination_date": column_dates.ISO}
    typed = roster._typed_columns(frame, formats)
    assert typed["_regrettable"].to_list() == [flag]
    record = RosterRecord(
        employee_id="E1", department="D", hire_date="2020-01-01", regrettable=word
    )
    assert record.regrettable is flag


def test_last_comma_first_names_are_turned_round_only_when_unambiguous() -> None:
    """One comma swaps; no comma or two commas keep the name as written; spaces collapse."""
    names = ["Smith, John", "Adinolfi, Wilson  K", "Renée Côté", "Smith, Jr., John", "Cher,"]
    plan = roster.ColumnPlan("workday", {"full_name": "name"}, day_first=False)
    result = pl.DataFrame({"name": names}).select(roster._full_name(plan)).to_series().to_list()
    assert result == ["John Smith", "Wilson K Adinolfi", "Renée Côté", "Smith, Jr., John", "Cher,"]
