"""Settings from ``skillboard.toml`` plus environment variables, read through pydantic-settings.

Precedence, highest first: keyword overrides (command-line flags), environment variables
(``SKILLBOARD_`` prefix, ``__`` between nested keys, e.g. ``SKILLBOARD_ROSTER__DATE_FORMAT``),
the TOML file (``--config``, else ``SKILLBOARD_CONFIG``, else ``./skillboard.toml`` when present),
then the defaults below. Secrets are never read from the TOML file: the session key comes from
``SKILLBOARD_SECRET_KEY`` only.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SQL_DIR = PROJECT_ROOT / "sql"


class RosterSettings(BaseModel):
    """How roster exports are read."""

    profile: str | None = None
    """Force a header profile (workday, successfactors, bamboohr); detected when unset."""
    columns: dict[str, str] = Field(default_factory=dict)
    """Canonical field -> header in the export, for exports no built-in profile knows."""
    date_format: str | None = None
    """strftime format for every date column; detected per column when unset."""


class BadgeSettings(BaseModel):
    """How badge files are read."""

    columns: dict[str, str] = Field(default_factory=dict)
    """Canonical award field -> header, for a platform CSV no built-in profile knows."""
    date_format: str | None = None
    allow_network: bool = False
    """Never fetch a referenced BadgeClass/Issuer/status list over the network unless true."""
    keys_dir: Path | None = None
    """Folder of issuer public keys (PEM/JWK) for optional signature checks."""


class AuthSettings(BaseModel):
    """Who may log in to the dashboard."""

    users_file: Path | None = None
    """TOML file of users with password hashes; unset = the open demo (127.0.0.1 only)."""
    audit_log: Path | None = None
    """JSON-lines audit file (logins, person-level lists, downloads); default
    ``<warehouse>/audit.jsonl``."""
    trusted_proxies: int = 0
    """Reverse proxies in front of the app whose X-Forwarded-For/-Proto/-Host to trust."""


class ScheduleSettings(BaseModel):
    """Unattended refreshes."""

    timezone: str = "UTC"
    retries: int = 1
    retry_delay_s: float = 60.0
    webhook_url: str | None = None


class ServeSettings(BaseModel):
    """Where the dashboard listens."""

    host: str = "127.0.0.1"
    port: int = 8050


class Settings(BaseSettings):
    """Every setting of a Skillboard installation."""

    model_config = SettingsConfigDict(
        env_prefix="SKILLBOARD_",
        env_nested_delimiter="__",
        extra="ignore",
    )

    inbox: Path = Path("data/inbox")
    warehouse: Path = Path("data/warehouse")
    roster: RosterSettings = Field(default_factory=RosterSettings)
    badges: BadgeSettings = Field(default_factory=BadgeSettings)
    auth: AuthSettings = Field(default_factory=AuthSettings)
    schedule: ScheduleSettings = Field(default_factory=ScheduleSettings)
    serve: ServeSettings = Field(default_factory=ServeSettings)

    _toml_path: Path | None = None

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        toml_path = _CONFIG_PATH.get("path")
        if toml_path is not None:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=toml_path))
        return tuple(sources)

    @property
    def store_path(self) -> Path:
        """The store: raw rows with lineage, run log, quarantine. Written only by the ETL."""
        return self.warehouse / "store.duckdb"

    @property
    def snapshot_path(self) -> Path:
        """The published snapshot the dashboard reads."""
        return self.warehouse / "skillboard.duckdb"

    @property
    def lock_path(self) -> Path:
        """The ETL lock file (holds the running ETL's pid)."""
        return self.warehouse / "etl.lock"


# pydantic-settings builds sources from class-level hooks; the chosen TOML path is handed over here.
_CONFIG_PATH: dict[str, Path | None] = {"path": None}


def config_path(explicit: Path | str | None = None) -> Path | None:
    """The TOML file to read: explicit, else SKILLBOARD_CONFIG, else ./skillboard.toml."""
    if explicit is not None:
        return Path(explicit)
    env = os.environ.get("SKILLBOARD_CONFIG")
    if env:
        return Path(env)
    default = Path("skillboard.toml")
    return default if default.is_file() else None


def load_settings(config: Path | str | None = None, **overrides: Any) -> Settings:
    """Read the settings.

    Args:
        config: a TOML file; when ``None`` the ``SKILLBOARD_CONFIG`` /
            ``./skillboard.toml`` rule applies.
        **overrides: values that beat both the file and the environment (``None`` values are
            ignored).

    Returns:
        The validated settings.

    Raises:
        FileNotFoundError: when an explicitly named config file does not exist.
    """
    path = config_path(config)
    if path is not None and not path.is_file():
        raise FileNotFoundError(f"config file {path} does not exist")
    _CONFIG_PATH["path"] = path
    try:
        return Settings(**{k: v for k, v in overrides.items() if v is not None})
    finally:
        _CONFIG_PATH["path"] = None
