"""The columns of the raw badge tables every badge loader fills (OB 2.0, OB 3.0, platform
CSVs), with the row number each row came from. They match ``sql/store/raw_tables.sql``."""

from __future__ import annotations

import polars as pl

AWARD_SCHEMA: dict[str, pl.DataType] = {
    "row_number": pl.Int64(),
    "award_id": pl.String(),
    "source_format": pl.String(),
    "badge_class_id": pl.String(),
    "badge_name": pl.String(),
    "issuer_id": pl.String(),
    "issuer_name": pl.String(),
    "recipient_employee_id": pl.String(),
    "recipient_type": pl.String(),
    "recipient_identity": pl.String(),
    "recipient_hashed": pl.Boolean(),
    "recipient_salt": pl.String(),
    "issued_on": pl.Date(),
    "expires_on": pl.Date(),
    "revoked": pl.Boolean(),
    "revoked_on": pl.Date(),
    "revocation_reason": pl.String(),
    "status": pl.String(),
    "evidence": pl.String(),
    "narrative": pl.String(),
}
BADGE_CLASS_SCHEMA: dict[str, pl.DataType] = {
    "row_number": pl.Int64(),
    "badge_class_id": pl.String(),
    "name": pl.String(),
    "description": pl.String(),
    "issuer_id": pl.String(),
    "issuer_name": pl.String(),
    "criteria": pl.String(),
    "source_format": pl.String(),
}
ALIGNMENT_SCHEMA: dict[str, pl.DataType] = {
    "row_number": pl.Int64(),
    "badge_class_id": pl.String(),
    "target_name": pl.String(),
    "target_url": pl.String(),
    "target_framework": pl.String(),
    "target_code": pl.String(),
    "target_type": pl.String(),
}
REVOCATION_SCHEMA: dict[str, pl.DataType] = {
    "row_number": pl.Int64(),
    "award_id": pl.String(),
    "revoked_on": pl.Date(),
    "reason": pl.String(),
}
