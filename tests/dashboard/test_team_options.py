"""The team filter sends a bounded number of options and finds the rest by search."""

from __future__ import annotations

from dashboard import shell
from dashboard.data import Option


def _teams(count: int) -> list[Option]:
    return [Option(f"M{i}", f"Manager {i:05d} (org)") for i in range(count)]


def test_small_team_lists_are_sent_whole() -> None:
    """3 teams <= 200: all three, in their order, whatever the search says, as the dropdown's
    label / value pairs."""
    assert shell.shown_teams(_teams(3), [], "nobody") == [
        {"label": "Manager 00000 (org)", "value": "M0"},
        {"label": "Manager 00001 (org)", "value": "M1"},
        {"label": "Manager 00002 (org)", "value": "M2"},
    ]


def test_large_team_lists_are_cut_to_the_limit_with_chosen_teams_first() -> None:
    """1,000 teams, M999 chosen, no search: M999 first, then M0..M198 (199 more = 200)."""
    shown = shell.shown_teams(_teams(1000), ["M999"], "")
    assert len(shown) == shell.TEAM_OPTIONS_SHOWN == 200
    assert [o["value"] for o in shown[:3]] == ["M999", "M0", "M1"]
    assert shown[-1]["value"] == "M198"


def test_search_finds_teams_beyond_the_first_page() -> None:
    """Labels 'Manager 00000'..'Manager 00999': 'manager 0095' matches 00950..00959 (10)."""
    shown = shell.shown_teams(_teams(1000), [], "  manager 0095 ")
    assert [o["value"] for o in shown] == [f"M{i}" for i in range(950, 960)]
