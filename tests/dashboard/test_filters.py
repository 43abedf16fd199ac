"""The URL query string <-> filter state round trip (SPEC §6 parameter names)."""

from __future__ import annotations

import datetime as dt

from dashboard.filters import Filters, from_query, from_store, to_query, to_store


def test_repeated_parameters_become_several_values() -> None:
    chosen = from_query("?department=Sales&department=Legal&location=Paris&as_of=2026-09-30")
    assert chosen.department == ("Sales", "Legal")
    assert chosen.location == ("Paris",)
    assert chosen.as_of == dt.date(2026, 9, 30)


def test_query_string_round_trips_with_the_spec_parameter_names() -> None:
    chosen = Filters(
        department=("R&D", "Sales"),
        team=("E1",),
        location=("São Paulo",),
        job_family=("Eng",),
        framework=("O*NET",),
        as_of=dt.date(2026, 1, 31),
    )
    query = to_query(chosen)
    assert query.startswith("?department=R%26D&department=Sales&team=E1")
    assert "job_family=Eng" in query and "framework=O%2ANET" in query
    assert query.endswith("as_of=2026-01-31")
    assert from_query(query) == chosen


def test_no_filter_is_an_empty_query() -> None:
    assert to_query(Filters()) == ""
    assert from_query("") == Filters()


def test_malformed_date_and_unknown_parameters_are_ignored() -> None:
    chosen = from_query("?as_of=2026-02-31&colour=red&department=")
    assert chosen == Filters()


def test_store_round_trip_keeps_every_field() -> None:
    chosen = Filters(department=("Sales",), framework=("ESCO",), as_of=dt.date(2026, 10, 31))
    assert from_store(to_store(chosen)) == chosen
    assert from_store(None) == Filters()
