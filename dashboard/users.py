"""The users file: who may log in, with which role and scope (SPEC §6, Access).

A TOML file (config key ``[auth] users_file``), one table per user::

    [users.maria]
    password_hash = "scrypt:32768:8:1$..."   # werkzeug.security; never the password itself
    role = "manager"                          # admin | hr | manager | viewer
    departments = ["Sales", "Legal"]          # optional: the departments a manager sees
    employee_id = "E1042"                     # optional: the manager's own org, recursively

The file is read again whenever it changes (its mtime and size), so ``skillboard users add``
takes effect without a restart, and a removed user or a changed password ends that user's
sessions on their next request (see :func:`User.session_tag`).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import re
import threading
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, cast

from werkzeug.security import check_password_hash, generate_password_hash

Role = Literal["admin", "hr", "manager", "viewer"]
ROLES: tuple[Role, ...] = ("admin", "hr", "manager", "viewer")
USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")
MIN_PASSWORD = 10


@functools.cache
def _dummy_hash() -> str:
    # A hash of a random password, checked when the username is unknown so that a failed
    # login takes as long for a missing user as for a wrong password (no enumeration by timing).
    return generate_password_hash(os.urandom(16).hex(), method="scrypt")


class UsersFileError(ValueError):
    """The users file or a user entry is invalid."""


@dataclass(frozen=True)
class User:
    """One person who may log in."""

    name: str
    role: Role
    password_hash: str
    departments: tuple[str, ...] = ()
    employee_id: str | None = None

    @property
    def sees_everything(self) -> bool:
        """Admins and HR see every department; so does a viewer with no scope listed."""
        if self.role in ("admin", "hr"):
            return True
        return self.role == "viewer" and not self.departments and self.employee_id is None

    @property
    def person_level(self) -> bool:
        """Whether person-level lists (who holds a skill) are shown to this role."""
        return self.role != "viewer"

    def session_tag(self) -> str:
        """A short digest of the password hash and role stored in the session: when either
        changes (or the user is removed) every session of this user stops being valid."""
        text = f"{self.password_hash}|{self.role}|{self.departments}|{self.employee_id}"
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def check_username(name: str) -> str:
    """Return the name, or raise when it is not a valid username.

    Raises:
        UsersFileError: for an empty, too long or oddly spelled name.
    """
    if not USERNAME.match(name):
        raise UsersFileError(
            f"username {name!r} is not valid: 1-64 letters, digits, '.', '_', '@' or '-'"
        )
    return name


def _user(name: str, entry: Any) -> User:
    if not isinstance(entry, dict):
        raise UsersFileError(f"user {name!r}: expected a table")
    role = entry.get("role")
    if role not in ROLES:
        raise UsersFileError(f"user {name!r}: role {role!r} is not one of {', '.join(ROLES)}")
    password_hash = entry.get("password_hash")
    if not isinstance(password_hash, str) or "$" not in password_hash:
        raise UsersFileError(f"user {name!r}: password_hash is missing or not a werkzeug hash")
    departments = entry.get("departments", [])
    if not isinstance(departments, list) or not all(isinstance(d, str) for d in departments):
        raise UsersFileError(f"user {name!r}: departments must be a list of names")
    employee_id = entry.get("employee_id")
    if employee_id is not None and not isinstance(employee_id, str):
        raise UsersFileError(f"user {name!r}: employee_id must be a string")
    user = User(
        check_username(name),
        cast(Role, role),
        password_hash,
        tuple(d.strip() for d in departments if d.strip()),
        employee_id.strip() if employee_id and employee_id.strip() else None,
    )
    if user.role == "manager" and not user.departments and user.employee_id is None:
        raise UsersFileError(
            f"user {name!r}: a manager needs departments or an employee_id (their scope)"
        )
    return user


def read_users(path: Path) -> dict[str, User]:
    """Every user of a users file (an absent file has none).

    Raises:
        UsersFileError: when the file is not valid TOML or an entry is invalid.
    """
    if not path.is_file():
        return {}
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise UsersFileError(f"{path} is not valid TOML: {exc}") from exc
    table = document.get("users", {})
    if not isinstance(table, dict):
        raise UsersFileError(f"{path}: [users] must be a table of users")
    return {name: _user(name, entry) for name, entry in table.items()}


def _toml_string(text: str) -> str:
    # A JSON string is a valid TOML basic string for every character JSON escapes.
    return json.dumps(text, ensure_ascii=False)


def write_users(path: Path, users: dict[str, User]) -> None:
    """Write the users file atomically, readable by its owner only (it holds hashes)."""
    lines = [
        "# Skillboard users: written by `skillboard users add`. Password hashes only.",
        "",
    ]
    for user in sorted(users.values(), key=lambda u: u.name):
        lines.append(f"[users.{_toml_string(user.name)}]")
        lines.append(f"password_hash = {_toml_string(user.password_hash)}")
        lines.append(f"role = {_toml_string(user.role)}")
        if user.departments:
            lines.append(
                "departments = [" + ", ".join(_toml_string(d) for d in user.departments) + "]"
            )
        if user.employee_id:
            lines.append(f"employee_id = {_toml_string(user.employee_id)}")
        lines.append("")
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write("\n".join(lines))
    os.replace(temporary, path)


def add_user(
    path: Path,
    name: str,
    password: str,
    role: str,
    departments: tuple[str, ...] = (),
    employee_id: str | None = None,
) -> User:
    """Create or replace one user in the users file, storing only a scrypt hash.

    Raises:
        UsersFileError: for a bad name, role, scope or a password shorter than 10 characters.
    """
    if len(password) < MIN_PASSWORD:
        raise UsersFileError(f"the password must have at least {MIN_PASSWORD} characters")
    users = read_users(path)
    entry: dict[str, Any] = {
        "role": role,
        "password_hash": generate_password_hash(password, method="scrypt"),
        "departments": list(departments),
    }
    if employee_id:
        entry["employee_id"] = employee_id
    user = _user(name, entry)
    users[user.name] = user
    write_users(path, users)
    return user


class UserDirectory:
    """The users of one users file, re-read when the file changes (thread-safe)."""

    def __init__(self, path: Path | None) -> None:
        """Remember the path; read it now so that a broken file stops the app at start.

        Args:
            path: the users file, or None for the open demo mode.

        Raises:
            UsersFileError: when the file exists but is invalid.
        """
        self.path = path
        self._lock = threading.Lock()
        self._stamp: tuple[int, int] | None = None
        self._users: dict[str, User] = {}
        self._reload()

    @property
    def configured(self) -> bool:
        """True when a users file is named (login is then required everywhere)."""
        return self.path is not None

    def _reload(self) -> None:
        if self.path is None:
            return
        try:
            st = self.path.stat()
            stamp: tuple[int, int] | None = (st.st_mtime_ns, st.st_size)
        except FileNotFoundError:
            stamp = None
        if stamp == self._stamp and self._stamp is not None:
            return
        self._users = read_users(self.path) if stamp is not None else {}
        self._stamp = stamp

    def get(self, name: str) -> User | None:
        """The user of that name, from the file as it is now."""
        with self._lock:
            # Keep the last good file: a half-edited file must not lock everyone out.
            with contextlib.suppress(UsersFileError):
                self._reload()
            return self._users.get(name)

    def authenticate(self, name: str, password: str) -> User | None:
        """The user when the password matches, else None (same work either way)."""
        user = self.get(name)
        if user is None:
            check_password_hash(_dummy_hash(), password)
            return None
        return user if check_password_hash(user.password_hash, password) else None
