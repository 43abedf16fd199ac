"""The reference files of the inbox: skills map, role requirements, programmes, assumptions.

They do not depend on the seed: the same employer always requires the same skills.
``skills_map.csv`` maps every Credly template (which carries no alignment) by its id, gives
skill levels to a few Open Badges classes, and adds one skill to a class by its exact name.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from etl.generate import org
from etl.generate.identities import write_csv
from etl.generate.taxonomy import (
    BADGE_BY_SLUG,
    BADGE_CLASSES,
    BADGE_SKILL_LEVEL,
    SKILL_BY_ID,
)

# (job family, skill id, target share, weight); required_level only where a level exists.
ROLE_REQUIREMENTS: tuple[tuple[str, str, float, float], ...] = (
    ("Software Engineering", "2.B.3.e", 0.8, 3.0),
    ("Software Engineering", "2.B.3.b", 0.75, 2.0),
    ("Software Engineering", "2.B.2.i", 0.25, 1.0),
    ("Software Engineering", "SB-CLOUD", 0.2, 1.0),
    ("Data Science", "SB-SQL", 0.4, 3.0),
    ("Data Science", "2.A.1.e", 0.5, 2.0),
    ("Data Science", "2.B.3.e", 0.6, 2.0),
    ("Data Science", "SB-PRIVACY", 0.9, 1.0),
    ("Sales", "2.B.1.c", 0.8, 3.0),
    ("Sales", "2.B.1.d", 0.7, 2.0),
    ("Sales", "2.A.1.b", 0.3, 1.0),
    ("Marketing", "2.A.1.c", 0.3, 2.0),
    ("Marketing", "2.B.1.c", 0.3, 2.0),
    ("Marketing", "SB-PRIVACY", 0.6, 1.0),
    ("Finance", "2.B.5.b", 0.8, 3.0),
    ("Finance", "2.A.1.e", 0.4, 2.0),
    ("Finance", "SB-SQL", 0.3, 1.0),
    ("Operations", "SB-SAFETY", 0.95, 3.0),
    ("Operations", "2.B.3.a", 0.3, 2.0),
    ("Operations", "2.B.1.b", 0.2, 1.0),
    ("Customer Support", "2.B.1.f", 0.8, 3.0),
    ("Customer Support", "2.A.1.b", 0.7, 2.0),
    ("Customer Support", "2.B.1.a", 0.4, 1.0),
    ("Human Resources", "SB-EMPLAW", 0.9, 3.0),
    ("Human Resources", "2.B.1.e", 0.4, 1.0),
    ("Legal", "SB-PRIVACY", 1.0, 3.0),
    ("Legal", "2.A.1.a", 0.3, 2.0),
    ("Legal", "2.B.1.d", 0.3, 1.0),
    ("Manufacturing", "SB-SAFETY", 1.0, 3.0),
    ("Manufacturing", "2.A.2.d", 0.2, 2.0),
    ("Manufacturing", "2.B.3.a", 0.3, 1.0),
)
REQUIRED_LEVEL: dict[tuple[str, str], int] = {("Data Science", "2.A.1.e"): 2}
MANAGER_TARGET = 0.7

# (program id, name, badge slug, by name instead of id, cost per learner, learning hours)
PROGRAMS: tuple[tuple[str, str, str, bool, float, float], ...] = (
    ("P-PY", "Python Academy", "python-101", False, 1200.0, 24.0),
    ("P-SEC", "Secure Coding Bootcamp", "secure-software-design", False, 2400.0, 32.0),
    ("P-PRIV", "Data Privacy Compliance", "data-privacy-essentials", False, 150.0, 3.0),
    ("P-SALES", "Sales Excellence Programme", "sales-methodology", True, 1800.0, 20.0),
    ("P-LEAD", "Leadership Essentials", "people-leadership", False, 3500.0, 40.0),
    ("P-CS", "Customer Service Excellence", "customer-service-excellence", False, 600.0, 12.0),
    ("P-CLOUD", "Cloud Upskilling", "cloud-practitioner", False, 900.0, 30.0),
)

ASSUMPTIONS_TOML = """\
# Assumptions behind the training-ROI and privacy figures (Skillboard SPEC sections 3 and 5).
replacement_cost_share = 0.33    # share of annual salary it costs to replace a leaver
loaded_hourly_rate = 60.0        # cost of one learning hour, salary plus overheads
analysis_window_months = 24      # retention and ROI look back this many months
k_anonymity = 5                  # aggregates over fewer people are suppressed
"""


def skills_map() -> pl.DataFrame:
    """Rows of ``skills_map.csv``."""
    rows: list[dict[str, object]] = []

    def add(class_id: str, name: str, skill_id: str, level: int | None) -> None:
        skill = SKILL_BY_ID[skill_id]
        rows.append(
            {
                "badge_class_id": class_id,
                "badge_name": name,
                "skill_id": skill_id,
                "skill_name": skill.name,
                "framework": skill.framework,
                "level": level,
            }
        )

    for badge in BADGE_CLASSES:
        if badge.format == "credly":
            for skill_id in badge.skills:
                add(badge.class_id, badge.name, skill_id, None)
    for (slug, skill_id), level in BADGE_SKILL_LEVEL.items():
        badge = BADGE_BY_SLUG[slug]
        add(badge.class_id, badge.name, skill_id, level)
    # By exact name only: the analysts who wrote the map did not have the BadgeClass URL.
    add("", BADGE_BY_SLUG["data-analysis-fundamentals"].name, "SB-SQL", 1)
    add("", BADGE_BY_SLUG["lean-operations"].name, "2.A.2.d", None)
    return pl.DataFrame(
        rows,
        schema={
            "badge_class_id": pl.String,
            "badge_name": pl.String,
            "skill_id": pl.String,
            "skill_name": pl.String,
            "framework": pl.String,
            "level": pl.Int64,
        },
    )


def role_requirements() -> pl.DataFrame:
    """Rows of ``role_requirements.csv``: per job family, plus people skills for managers."""
    rows: list[dict[str, object]] = [
        {
            "job_family": family,
            "job_title": "",
            "skill_id": skill_id,
            "required_level": REQUIRED_LEVEL.get((family, skill_id)),
            "target": target,
            "weight": weight,
        }
        for family, skill_id, target, weight in ROLE_REQUIREMENTS
    ]
    for dept in org.DEPARTMENTS:
        rows.append(
            {
                "job_family": "",
                "job_title": f"{dept.short} Manager",
                "skill_id": "2.B.5.d",
                "required_level": None,
                "target": MANAGER_TARGET,
                "weight": 2.0,
            }
        )
    return pl.DataFrame(
        rows,
        schema={
            "job_family": pl.String,
            "job_title": pl.String,
            "skill_id": pl.String,
            "required_level": pl.Int64,
            "target": pl.Float64,
            "weight": pl.Float64,
        },
    )


def programs() -> pl.DataFrame:
    """Rows of ``programs.csv``."""
    rows = []
    for program_id, name, slug, by_name, cost, hours in PROGRAMS:
        badge = BADGE_BY_SLUG[slug]
        rows.append(
            {
                "program_id": program_id,
                "program_name": name,
                "badge_class_id": "" if by_name else badge.class_id,
                "badge_name": badge.name,
                "cost_per_learner": cost,
                "learning_hours": hours,
            }
        )
    return pl.DataFrame(rows)


def write_reference_files(out: Path) -> list[Path]:
    """Write the four reference files into ``out``.

    Args:
        out: the inbox folder.

    Returns:
        The files written.
    """
    paths = [
        out / "skills_map.csv",
        out / "role_requirements.csv",
        out / "programs.csv",
        out / "assumptions.toml",
    ]
    write_csv(skills_map(), paths[0])
    write_csv(role_requirements(), paths[1])
    write_csv(programs(), paths[2])
    paths[3].write_text(ASSUMPTIONS_TOML, encoding="utf-8")
    return paths
