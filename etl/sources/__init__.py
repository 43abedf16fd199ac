"""The source modules, in the order they are asked whether they read a file.

Reference files and rosters are recognised by their CSV headers, badge files by their JSON
``@context`` / ``type``, JWT shape or image chunks. The first source whose ``detect`` says yes
loads the file; the summary names it.
"""

from __future__ import annotations

import importlib
from types import ModuleType

SOURCE_MODULES = (
    "etl.sources.assumptions",
    "etl.sources.reference",
    "etl.sources.roster",
    "etl.sources.open_badges_v3",
    "etl.sources.open_badges_v2",
    "etl.sources.platform_csv",
    "etl.sources.baked",
)


def all_sources() -> list[ModuleType]:
    """Import and return every source module, in detection order."""
    return [importlib.import_module(name) for name in SOURCE_MODULES]
