"""Fixtures shared by every test folder: small real-format inputs and a settings factory."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from skillboard.settings import Settings, load_settings

REPO_ROOT = Path(__file__).resolve().parents[1]
CONFORMANCE = REPO_ROOT.parent / "shared" / "conformance"
IN_CI = os.environ.get("CI") == "true"

WORKDAY_HEADER = (
    "EmployeeID,Legal_Name,Email_Primary_Work,SupervisoryOrganization,Team,ManagerReference,"
    "BusinessTitle,JobFamilyID,LocationIdentifier,StatusHireDate,StatusTerminationDate,"
    "Termination_Reason,Voluntary_Termination,Regrettable_Termination,Active,Annual_Salary,"
    "Cost_Center,Performance_Rating"
)


def run_cli(
    settings: Settings,
    *args: str,
    env: dict[str, str] | None = None,
    preexec: Callable[[], None] | None = None,
    timeout: float = 300,
) -> subprocess.CompletedProcess[str]:
    """``skillboard etl run *args`` over ``settings``' inbox and warehouse, in a subprocess."""
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "skillboard.cli",
            "etl",
            "run",
            *args,
            "--inbox",
            str(settings.inbox),
            "--warehouse",
            str(settings.warehouse),
        ],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        preexec_fn=preexec,
    )


def workday_row(
    employee_id: str,
    name: str,
    department: str,
    hire_date: str,
    *,
    manager: str = "",
    title: str = "Analyst",
    family: str = "ANL",
    location: str = "Oslo",
    termination_date: str = "",
    reason: str = "",
    voluntary: str = "",
    regrettable: str = "",
    salary: str = "50000",
) -> str:
    """One workday-profile CSV line (quoted name because it is "Last, First")."""
    last_first = ", ".join(reversed(name.split(" ", 1)))
    email = name.lower().replace(" ", ".") + "@example.com"
    active = "0" if termination_date else "1"
    return (
        f'{employee_id},"{last_first}",{email},{department},,{manager},{title},{family},{location},'
        f"{hire_date},{termination_date},{reason},{voluntary},{regrettable},{active},{salary},CC1,3"
    )


@pytest.fixture
def write_roster() -> Callable[[Path, Sequence[str]], Path]:
    """Write a workday-profile roster CSV with the given data lines."""

    def write(path: Path, lines: Sequence[str]) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join([WORKDAY_HEADER, *lines]) + "\n", encoding="utf-8")
        return path

    return write


@pytest.fixture
def settings_for(tmp_path: Path) -> Callable[..., Settings]:
    """Settings pointing at a temporary inbox and warehouse (no config file read)."""

    def make(**overrides: object) -> Settings:
        inbox = tmp_path / "inbox"
        warehouse = tmp_path / "warehouse"
        inbox.mkdir(exist_ok=True)
        values: dict[str, object] = {"inbox": inbox, "warehouse": warehouse}
        values.update(overrides)
        return load_settings(None, **values)

    return make
