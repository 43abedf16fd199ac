"""Forged callback requests: log in as a manager, take every callback from
``/_dash-dependencies`` and POST hand-made bodies to ``/_dash-update-component`` with inputs
naming another department, another manager's org, and crafted strings (quotes, SQL, very long
values, wrong types). No response may carry a name, id or department outside the scope, a
stack trace, or a 500.

The hand-made snapshot (snapshot_factory): Sales (S1..S7, "Ada Sales", "Sam n", "Sid Seven"),
Engineering (N1 "Nia Eng" and N2..N7 "Ned n"), Legal (L1 "Lea Law", L2 "Leo Law").
- sam manages the Sales department: Engineering and Legal people and names are outside.
- nia manages by employee id N1 (her org is N1..N7): Sales and Legal people are outside.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dash
import pytest
from flask.testing import FlaskClient

from dashboard import access, data, ids
from tests.dashboard.access_helpers import SECRET, login, secured_app, write_users

ENGINEERING = ["Nia Eng", "Ned 2", "Ned 3", "Ned 4", "Ned 5", "Ned 6", "Ned 7", "Engineering"]
LEGAL = ["Lea Law", "Leo Law", "Legal"]
SALES = ["Ada Sales", "Sam 2", "Sam 3", "Sam 4", "Sam 5", "Sam 6", "Sid Seven"]
OUTSIDE = {"sam": ENGINEERING + LEGAL, "nia": SALES + LEGAL}
"""Strings that must never appear in a response to that user."""

LONG = "Engineering" + "x" * 100_000
SQL = "Sales' OR '1'='1"
STORES: list[Any] = [
    {"department": ["Engineering"]},
    {"department": ["Legal", "Sales"]},
    {"team": ["N1"]},
    {"team": ["S1", "L1"], "department": ["Sales"]},
    {"location": ["Paris"], "job_family": ["Engineering"]},
    {"department": [SQL], "team": ["N1') --"]},
    {"department": [LONG]},
    {"department": {"$ne": "Sales"}, "as_of": "2026-13-45"},
    {"department": [["Engineering"]], "team": [None, 7, {"x": 1}]},
    {"as_of": "2026-09-30", "department": ["Engineering", "Legal"]},
    "Engineering",
    42,
    ["Engineering"],
    None,
    {},
    # Also the drill-down's key store (the cell whose people the CSV lists): cells outside
    # each manager's scope.
    ["department", "Engineering", "SK1", "Python"],
    ["manager_org", "S1", "SK2", "Negotiation"],
]
SEARCHES: list[Any] = [
    "?department=Engineering&department=Legal",
    "?team=N1&team=L1",
    "?department=Sales%27%20OR%201%3D1--",
    "?department=" + "A" * 50_000,
    "?as_of=9999-99-99&location=Paris",
    42,
    None,
]
CLICKS: list[Any] = [
    {"points": [{"customdata": ["department", "Engineering", "SK1", "Python"]}]},
    {"points": [{"customdata": ["department", "Legal", "SK3", "Contract law"]}]},
    {"points": [{"customdata": ["manager_org", "N1", "SK1", "Python"]}]},
    {"points": [{"customdata": ["manager_org", "S1", "SK2", "Negotiation"]}]},
    {"points": [{"customdata": ["all", "all", "SK2", "Negotiation"]}]},
    {"points": [{"customdata": ["location", "Paris", "SK1", "Python"]}]},
    {"points": [{"customdata": ["department'; drop table employees; --", SQL, "SK1", "x"]}]},
    {"points": [{"customdata": "Engineering"}]},
    {"points": "Engineering"},
    "Engineering",
    None,
]
VALUES: list[Any] = [
    ["Engineering"],
    ["N1", "L1"],
    [SQL],
    [LONG],
    "Engineering",
    {"department": "Engineering"},
    1e308,
    -5,
    None,
]
N_CLICKS: list[Any] = [1, "1", -1, None, {"x": 1}]
PATHS: list[Any] = ["/coverage", "/../../etc/passwd", "/" + "a" * 10_000, 7, None]

BY_PROPERTY = {
    "data": STORES,
    "search": SEARCHES,
    "clickData": CLICKS,
    "value": VALUES,
    "n_clicks": N_CLICKS,
    "pathname": PATHS,
}
WILDCARDS = {
    "chart": [*data.chart_frames(), "overview-headcount' OR 1=1", "quarantine"],
    "path": ["/", "/coverage", "/roi", "/retention", "/data"],
}


@pytest.fixture
def secured(
    warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[dash.Dash]:
    monkeypatch.setenv(access.SECRET_ENV, SECRET)
    application = secured_app(warehouse, write_users(tmp_path / "users.toml"))
    yield application
    application.server.extensions["skillboard.snapshot"].close()


def _concrete(spec_id: str, choice: int) -> Any:
    """A component id from the dependency list, with a concrete value for MATCH wildcards
    (ALL and ALLSMALLER become a list of every value)."""
    if not spec_id.startswith("{"):
        return spec_id
    pattern = json.loads(spec_id)
    concrete: dict[str, Any] = {}
    for key, value in pattern.items():
        if isinstance(value, list):  # ["MATCH"], ["ALL"]...
            options = WILDCARDS.get(key, ["x"])
            concrete[key] = options[choice % len(options)]
        else:
            concrete[key] = value
    return concrete


def _is_all(spec_id: str) -> bool:
    return spec_id.startswith("{") and '["ALL"]' in spec_id


def _prop_id(component_id: Any, prop: str) -> str:
    if isinstance(component_id, dict):
        return json.dumps(component_id, sort_keys=True, separators=(",", ":")) + "." + prop
    return f"{component_id}.{prop}"


def _item(spec: dict[str, Any], variant: int, choice: int) -> Any:
    values = BY_PROPERTY.get(spec["property"], VALUES)
    value = values[variant % len(values)]
    if _is_all(spec["id"]):
        return [
            {"id": _concrete(spec["id"], i), "property": spec["property"], "value": value}
            for i in range(len(WILDCARDS.get("path", [])))
        ]
    return {"id": _concrete(spec["id"], choice), "property": spec["property"], "value": value}


def _outputs(output: str, choice: int) -> Any:
    multi = output.startswith("..")
    parts = output.strip(".").split("...") if multi else [output]
    specs = []
    for part in parts:
        component, _, prop = part.rpartition(".")
        if _is_all(component):
            specs.append(
                [
                    {"id": _concrete(component, i), "property": prop}
                    for i in range(len(WILDCARDS["path"]))
                ]
            )
        else:
            specs.append({"id": _concrete(component, choice), "property": prop})
    return specs if multi else specs[0]


def forged_bodies(callback: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every forged body for one callback: each variant of crafted inputs, for each concrete
    value of its MATCH wildcard (every chart's CSV download, for instance)."""
    matches = 1
    if '["MATCH"]' in callback["output"]:
        matches = len(WILDCARDS["chart"])
    variants = max(len(v) for v in BY_PROPERTY.values())
    for choice in range(matches):
        for variant in range(variants):
            inputs = [_item(spec, variant, choice) for spec in callback["inputs"]]
            state = [_item(spec, variant + 1, choice) for spec in callback["state"]]
            first = inputs[0] if inputs else None
            changed = []
            if isinstance(first, dict):
                changed = [_prop_id(first["id"], first["property"])]
            yield {
                "output": callback["output"],
                "outputs": _outputs(callback["output"], choice),
                "inputs": inputs,
                "state": state,
                "changedPropIds": changed,
            }


def _send_all(client: FlaskClient, user: str) -> tuple[int, int, list[str]]:
    callbacks = client.get("/_dash-dependencies").get_json()
    assert len(callbacks) >= 25, "every page's callbacks are registered"
    sent, covered, problems = 0, 0, []
    for callback in callbacks:
        if callback.get("clientside_function"):
            continue  # runs in the browser: no server endpoint to forge
        if ids.OVERVIEW_REPORT_DOWNLOAD in callback["output"]:
            continue  # renders with Chromium: covered by test_report_download_is_forged_too
        covered += 1
        for body in forged_bodies(callback):
            response = client.post("/_dash-update-component", json=body)
            sent += 1
            text = response.get_data(as_text=True)
            where = f"{callback['output'][:60]} with {json.dumps(body['inputs'])[:160]}"
            if response.status_code >= 500:
                problems.append(f"{response.status_code} for {where}")
            if "Traceback" in text or 'File "' in text:
                problems.append(f"stack trace for {where}")
            leaked = [name for name in OUTSIDE[user] if name in text]
            if leaked:
                problems.append(f"{leaked} in the answer to {where}")
    return sent, covered, problems


@pytest.mark.parametrize("user", ["sam", "nia"])
def test_forged_callbacks_never_leave_the_managers_scope(secured: dash.Dash, user: str) -> None:
    client = secured.server.test_client()
    assert login(client, user).status_code == 302
    sent, covered, problems = _send_all(client, user)
    print(f"{user}: {sent} forged requests over {covered} callbacks")
    assert problems == []
    assert covered >= 25 and sent >= 25 * 15


def test_report_download_is_forged_too(secured: dash.Dash) -> None:
    """The board report renders every Overview figure in Chromium (slow): one forged click
    naming Engineering; its content is a base64 image, so the check is on its scope: the
    report is built from the same scoped callbacks, and the answer carries no name."""
    client = secured.server.test_client()
    login(client, "sam")
    body = {
        "output": f"{ids.OVERVIEW_REPORT_DOWNLOAD}.data",
        "outputs": {"id": ids.OVERVIEW_REPORT_DOWNLOAD, "property": "data"},
        "inputs": [
            {"id": ids.OVERVIEW_REPORT_PNG, "property": "n_clicks", "value": "1; drop"},
            {"id": ids.OVERVIEW_REPORT_PDF, "property": "n_clicks", "value": None},
        ],
        "state": [{"id": ids.FILTERS_STORE, "property": "data", "value": "Engineering"}],
        "changedPropIds": ["nothing.n_clicks"],
    }
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code in (200, 204)
    text = response.get_data(as_text=True)
    assert not [name for name in OUTSIDE["sam"] if name in text]


def test_a_manager_sees_their_own_org(secured: dash.Dash) -> None:
    """The positive control: nia's headcount callback answers with her org, all in
    Engineering: 7 people (N1..N7)."""
    client = secured.server.test_client()
    login(client, "nia")
    body = {
        "output": f"..{ids.OVERVIEW_HEADCOUNT}.figure...{ids.KPI_HEADCOUNT}.children..",
        "outputs": [
            {"id": ids.OVERVIEW_HEADCOUNT, "property": "figure"},
            {"id": ids.KPI_HEADCOUNT, "property": "children"},
        ],
        "inputs": [{"id": ids.FILTERS_STORE, "property": "data", "value": {}}],
        "state": [],
        "changedPropIds": [f"{ids.FILTERS_STORE}.data"],
    }
    text = client.post("/_dash-update-component", json=body).get_data(as_text=True)
    assert "Engineering" in text and "7 people" in text
    assert "Sales" not in text and "Legal" not in text
