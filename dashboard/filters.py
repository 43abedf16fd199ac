"""The global filter state and its two encodings: the URL query string and a dcc.Store dict.

The query string is the source of truth a person can copy: ``?department=Sales&department=IT
&as_of=2026-09-30``. Parameter names are fixed by the SPEC (section 6); a parameter repeats for
several values. Unknown parameters are ignored and a malformed date is dropped, so a hand-edited
link degrades to "no filter" instead of an error page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields, replace
from typing import Any
from urllib.parse import parse_qs, urlencode

LIST_PARAMS: tuple[str, ...] = ("department", "team", "location", "job_family", "framework")
"""The multi-valued filters, in the order the filter bar shows them."""


@dataclass(frozen=True)
class Filters:
    """What the person has chosen to look at. Empty tuple = no restriction on that field."""

    department: tuple[str, ...] = ()
    team: tuple[str, ...] = ()
    location: tuple[str, ...] = ()
    job_family: tuple[str, ...] = ()
    framework: tuple[str, ...] = ()
    as_of: dt.date | None = None
    """None means the snapshot's date (the latest)."""

    @property
    def people_filtered(self) -> bool:
        """True when any filter narrows the set of employees (framework narrows skills)."""
        return bool(self.department or self.team or self.location or self.job_family)

    def with_as_of(self, as_of: dt.date | None) -> Filters:
        """A copy with another as-of date."""
        return replace(self, as_of=as_of)


def _clean(values: Any) -> tuple[str, ...]:
    if values is None:
        return ()
    if isinstance(values, str | int | float):
        values = [values]
    if not isinstance(values, list | tuple):
        return ()
    seen: list[str] = []
    for value in values:
        if not isinstance(value, str | int | float):
            continue
        text = str(value).strip()[:200]  # no real name is longer; a 1 MB string is not a name
        if text and text not in seen:
            seen.append(text)
    return tuple(seen)


def parse_date(text: Any) -> dt.date | None:
    """A YYYY-MM-DD string as a date; None for anything else."""
    if isinstance(text, dt.date):
        return text
    if not isinstance(text, str):
        return None
    try:
        return dt.date.fromisoformat(text.strip()[:10])
    except ValueError:
        return None


def from_query(search: str | None) -> Filters:
    """Parse a URL query string (with or without its leading ``?``).

    Args:
        search: e.g. ``"?department=Sales&department=IT&as_of=2026-09-30"``.

    Returns:
        The filters it names.
    """
    query = search.lstrip("?") if isinstance(search, str) else ""
    parsed = parse_qs(query, keep_blank_values=False)
    lists = {name: _clean(parsed.get(name)) for name in LIST_PARAMS}
    as_of_values = parsed.get("as_of") or []
    return Filters(**lists, as_of=parse_date(as_of_values[-1]) if as_of_values else None)


def query_params(search: str | None) -> dict[str, str | list[str]]:
    """A query string as Dash passes it to a page layout: one value per parameter, or a list
    when the parameter repeats (``dash._pages._parse_query_string``)."""
    query = search.lstrip("?") if isinstance(search, str) else ""
    parsed = parse_qs(query, keep_blank_values=True)
    return {name: values[0] if len(values) == 1 else values for name, values in parsed.items()}


def from_params(params: dict[str, Any]) -> Filters:
    """The filters named by page-layout parameters (see :func:`query_params`)."""
    return from_query(urlencode(params, doseq=True))


def to_query(filters: Filters) -> str:
    """The query string for the filters: ``""`` when none is set, else ``"?..."``."""
    pairs: list[tuple[str, str]] = []
    for name in LIST_PARAMS:
        pairs.extend((name, value) for value in getattr(filters, name))
    if filters.as_of is not None:
        pairs.append(("as_of", filters.as_of.isoformat()))
    return "?" + urlencode(pairs) if pairs else ""


def to_store(filters: Filters) -> dict[str, Any]:
    """The filters as JSON-ready data for a dcc.Store."""
    data: dict[str, Any] = {
        f.name: list(getattr(filters, f.name)) for f in fields(Filters) if f.name != "as_of"
    }
    data["as_of"] = filters.as_of.isoformat() if filters.as_of else None
    return data


def from_store(data: dict[str, Any] | None) -> Filters:
    """The filters from a dcc.Store's data (tolerates None and missing keys)."""
    if not isinstance(data, dict):
        data = {}  # a hand-made request may send anything: it means "no filter"
    lists = {name: _clean(data.get(name)) for name in LIST_PARAMS}
    return Filters(**lists, as_of=parse_date(data.get("as_of")))
