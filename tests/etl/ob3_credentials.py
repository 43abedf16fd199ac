"""The Open Badges 3.0 credential the OB 3.0 loader tests start from.

A VCDM 2 OpenBadgeCredential issued 2024-05-01T09:30:00Z by https://acme.example/issuer ("Acme",
a Profile) for achievement https://acme.example/a/python ("Python Foundations", criteria "Pass
the exam", one alignment to the ESCO skill ccd0a1d9). Each test file says who receives it (a
plain ``credentialSubject.id`` or one ``identifier`` entry) and changes the rest as it needs.
"""

from __future__ import annotations

import copy
from typing import Any

PYTHON = "https://acme.example/a/python"
NAME = "Python Foundations"


def ob3_credential(
    number: int = 1,
    *,
    subject_id: str | None = None,
    identifier: dict[str, Any] | None = None,
    framework: str | None = None,
    name_first: bool = False,
    **changes: Any,
) -> dict[str, Any]:
    """A fresh credential (nothing shared between calls, so a test may change it in place).

    Args:
        number: the credential's number, written into its id (``urn:uuid:0001``).
        subject_id: ``credentialSubject.id``, when the recipient is named by id.
        identifier: the one ``credentialSubject.identifier`` entry, when the recipient is named
            by one (copied).
        framework: the alignment's ``targetFramework``, if it has one.
        name_first: ``name`` right after ``type`` instead of after ``validFrom``. Key order is
            part of the bytes a test writes, and some tests cut and splice those bytes.
        **changes: top-level fields to set (a field that is there keeps its place).

    Returns:
        The credential as a JSON object.
    """
    alignment: dict[str, Any] = {
        "type": ["Alignment"],
        "targetName": "Python (computer programming)",
        "targetUrl": "http://data.europa.eu/esco/skill/ccd0a1d9",
    }
    if framework is not None:
        alignment["targetFramework"] = framework
    alignment["targetCode"] = "ccd0a1d9"
    subject: dict[str, Any] = {} if subject_id is None else {"id": subject_id}
    subject["type"] = ["AchievementSubject"]
    if identifier is not None:
        subject["identifier"] = [copy.deepcopy(identifier)]
    subject["achievement"] = {
        "id": PYTHON,
        "type": ["Achievement"],
        "name": NAME,
        "criteria": {"narrative": "Pass the exam"},
        "alignment": [alignment],
    }
    credential: dict[str, Any] = {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": f"urn:uuid:{number:04d}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
    }
    if name_first:
        credential["name"] = NAME
    credential["issuer"] = {
        "id": "https://acme.example/issuer",
        "type": ["Profile"],
        "name": "Acme",
    }
    credential["validFrom"] = "2024-05-01T09:30:00Z"
    credential.setdefault("name", NAME)
    credential["credentialSubject"] = subject
    credential.update(changes)
    return credential
