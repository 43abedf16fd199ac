"""Values the Open Badges 3.0 loader's modules share: the vocabulary and how a field is read.

The per-credential parser (:mod:`etl.sources.open_badges_v3`), the status lists
(:mod:`etl.sources.ob3_status`), the file splitter (:mod:`etl.sources.ob3_items`) and the bulk
NDJSON path (:mod:`etl.sources.ob3_bulk`) read the same fields the same way; what they share
lives here, so none of them imports another's internals and no import goes in a circle.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

VC_CONTEXTS = frozenset(
    {"https://www.w3.org/ns/credentials/v2", "https://www.w3.org/2018/credentials/v1"}
)
# Identity types that mean "an email address"; normalised so SQL matches OB 2.0 and 3.0 alike.
EMAIL_IDENTITY_TYPES = frozenset({"emailaddress", "email"})
URI_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
KNOWN_DID_METHODS = frozenset({"key", "web", "jwk", "ion", "pkh", "ethr", "sov", "cheqd"})
# A validFrom a little ahead of the run is clock skew between issuer and us, not worth a note.
FUTURE_TOLERANCE = timedelta(days=1)

AchievementRows = tuple[str | None, str | None, dict[str, Any] | None, list[dict[str, Any]]]
"""(badge_class_id, badge_name, badge class row, alignment rows) of one achievement."""


class CredentialInvalid(ValueError):
    """A credential that cannot be counted as an award; the message says why."""

    raw_text: str | None = None
    """For an NDJSON line that is not JSON: the line (cut at 10,000 characters), for quarantine."""


def as_list(value: Any) -> list[Any]:
    """A JSON value as a list: None -> [], a list as is, anything else -> [value]."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def text_value(value: Any) -> str | None:
    """A non-empty string, or None (numbers are accepted and printed)."""
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def type_names(value: Any) -> list[str]:
    """The names of a ``type`` field, which may be one string or a list of them."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [t for t in value if isinstance(t, str)]
    return []
