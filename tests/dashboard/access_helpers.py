"""Shared by the access tests: a users file, an app that requires login, and logging in.

Users (passwords are "correct horse <name>"):
- hanna: hr (everything)
- sam: manager of the Sales department
- nia: manager by employee id N1 (Nia Eng's org: N1..N7, all in Engineering)
- vic: viewer (aggregates of everything, no person-level lists)
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import dash
from flask.testing import FlaskClient

from dashboard.app import create_app
from dashboard.users import add_user
from skillboard.settings import load_settings

SECRET = "test-secret-" + "x" * 40
USERS = {
    "hanna": ("hr", (), None),
    "sam": ("manager", ("Sales",), None),
    "nia": ("manager", (), "N1"),
    "vic": ("viewer", (), None),
}


def password(name: str) -> str:
    """The test password of a user."""
    return f"correct horse {name}"


def write_users(path: Path) -> Path:
    """The users file of the module docstring."""
    for name, (role, departments, employee_id) in USERS.items():
        add_user(path, name, password(name), role, departments, employee_id)
    return path


def secured_app(warehouse: Path, users_file: Path, **auth: Any) -> dash.Dash:
    """The real app over ``warehouse`` with login required."""
    settings = load_settings(warehouse=warehouse, auth={"users_file": users_file, **auth})
    return create_app(settings)


CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def login(client: FlaskClient, name: str, secret: str | None = None) -> Any:
    """Post the login form as a browser would (GET the form for its CSRF token first)."""
    form = client.get("/login").get_data(as_text=True)
    match = CSRF.search(form)
    assert match, "the login form has a CSRF token"
    return client.post(
        "/login",
        data={
            "username": name,
            "password": secret if secret is not None else password(name),
            "csrf": match.group(1),
        },
    )
