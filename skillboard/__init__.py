"""Skillboard: workforce-skills analytics from digital badges and HR rosters.

This package holds what both sides share: settings, paths and the warehouse schema version.
The write side lives in :mod:`etl`, the read side in :mod:`dashboard`.
"""

SCHEMA_VERSION = 1
"""Version of the published snapshot's public tables; bumped when a column changes meaning."""
