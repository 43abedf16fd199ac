"""Models computed in Python, ordered together with the SQL models.

Each entry names the models it reads; :mod:`etl.sqlrunner` runs it after them and before
anything that reads its table. Keep this for statistics SQL cannot do (the Cox regression);
everything else belongs in ``sql/``.
"""

from __future__ import annotations

from etl.sqlrunner import Model
from etl.stats import COX_TABLE, build_retention_cox

PYTHON_MODELS: tuple[Model, ...] = (
    Model(
        name=COX_TABLE,
        depends_on=frozenset({"retention_segments", "stg_params"}),
        run=build_retention_cox,
    ),
)
