"""Fixtures: a small real snapshot file (see snapshot_factory) and an app serving it."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import dash
import pytest

from dashboard.app import create_app
from dashboard.snapshot import Snapshot
from skillboard.settings import load_settings
from tests.dashboard import snapshot_factory


@pytest.fixture(scope="session")
def snapshot_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hand-made snapshot, built once per session."""
    return snapshot_factory.build(tmp_path_factory.mktemp("template") / "skillboard.duckdb")


@pytest.fixture
def warehouse(tmp_path: Path, snapshot_template: Path) -> Path:
    """A warehouse folder holding a fresh copy of the hand-made snapshot."""
    shutil.copyfile(snapshot_template, tmp_path / "skillboard.duckdb")
    return tmp_path


@pytest.fixture
def db(warehouse: Path) -> Iterator[Snapshot]:
    """A Snapshot on the hand-made file."""
    snapshot = Snapshot(warehouse / "skillboard.duckdb")
    yield snapshot
    snapshot.close()


@pytest.fixture
def app(warehouse: Path) -> Iterator[dash.Dash]:
    """The real app over the hand-made snapshot, inside a Flask app context (callbacks read
    the snapshot through flask.current_app)."""
    application = create_app(load_settings(warehouse=warehouse))
    with application.server.app_context():
        yield application
    application.server.extensions["skillboard.snapshot"].close()
