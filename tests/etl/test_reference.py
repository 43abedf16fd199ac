"""Reference files recognised by their headers (tests/fixtures/reference/, see its README)."""

from __future__ import annotations

from pathlib import Path

import pytest

from etl.sources import reference, roster
from etl.sources.base import FileRejected, LoadContext, LoadResult, Probe
from skillboard.settings import Settings

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "reference"


def probe(path: Path) -> Probe:
    return Probe(path=path, head=path.read_bytes()[:65536])


def load(path: Path) -> LoadResult:
    assert reference.detect(probe(path))
    return reference.load(path, LoadContext(Settings(), inbox=path.parent))


def written(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def ddl_columns(table: str) -> list[str]:
    ddl = (Path(__file__).resolve().parents[2] / "sql" / "store" / "raw_tables.sql").read_text()
    block = ddl.split(f"create table if not exists {table} (")[1].split(");")[0]
    return [line.split()[0] for line in block.strip().splitlines() if line.strip()]


@pytest.mark.parametrize(
    ("name", "table"),
    [
        ("skills_map.csv", "raw_skills_map"),
        ("role_requirements.csv", "raw_role_requirements"),
        ("programs.csv", "raw_programs"),
    ],
)
def test_each_file_fills_its_raw_table_with_the_store_columns(name: str, table: str) -> None:
    result = load(FIXTURES / name)
    assert list(result.tables) == [table]
    assert ["file_id", *result.tables[table].columns] == ddl_columns(table)
    assert result.rows_read == result.loaded + len(result.quarantine)


def test_skills_map_keeps_ids_names_frameworks_and_levels() -> None:
    """3 lines: sql-101 -> O*NET 2.A.2.a level 2 and Lightcast KS1234 level 3; the AWS badge by
    name -> an ESCO skill without level. The notes column is ignored."""
    result = load(FIXTURES / "skills_map.csv")
    assert result.loader == "reference:skills_map"
    assert (result.rows_read, result.loaded) == (3, 3)
    frame = result.tables["raw_skills_map"]
    assert frame["skill_id"].to_list() == [
        "2.A.2.a",
        "http://data.europa.eu/esco/skill/1a3b",
        "KS1234",
    ]
    assert frame["level"].to_list() == [2, None, 3]
    assert frame["badge_name"].to_list() == [None, "AWS Certified Cloud Practitioner", None]
    assert frame["framework"].to_list() == ["onet", "esco", "lightcast"]
    assert frame["row_number"].to_list() == [1, 2, 3]


def test_role_requirements_fill_defaults_and_read_percent_targets() -> None:
    """Row 1: target 0.9 weight 2; row 2 (all optional empty): target 1.0, weight 1.0;
    row 3: "80%" -> 0.8, empty weight -> 1.0."""
    result = load(FIXTURES / "role_requirements.csv")
    assert result.loader == "reference:role_requirements"
    frame = result.tables["raw_role_requirements"]
    assert frame["target"].to_list() == [0.9, 1.0, 0.8]
    assert frame["weight"].to_list() == [2.0, 1.0, 1.0]
    assert frame["required_level"].to_list() == [3, None, 2]
    assert frame["job_family"].to_list() == [None, "ENG-IC", None]


def test_programs_read_grouped_costs_and_fractional_hours() -> None:
    """ "1,200.00" -> 1200.0; 12.5 learning hours stay 12.5; the owner column is ignored."""
    result = load(FIXTURES / "programs.csv")
    assert result.loader == "reference:programs"
    frame = result.tables["raw_programs"]
    assert frame["cost_per_learner"].to_list() == [1200.0, 450.0]
    assert frame["learning_hours"].to_list() == [16.0, 12.5]
    assert frame["badge_name"].to_list() == [None, "AWS Certified Cloud Practitioner"]


def test_headers_are_recognised_in_any_case_and_spacing(tmp_path: Path) -> None:
    path = written(
        tmp_path, "mapping.csv", "Badge Name,Skill ID,Skill Name\nPython Pro,PY,Python\n"
    )
    result = load(path)
    assert result.loader == "reference:skills_map"
    assert result.tables["raw_skills_map"]["skill_id"].to_list() == ["PY"]


def test_bad_skills_map_lines_are_quarantined_with_reasons(tmp_path: Path) -> None:
    """4 lines: 1 good; 2 has no skill id; 3 names no badge; 4 has level "two"."""
    path = written(
        tmp_path,
        "skills_map.csv",
        "badge_class_id,badge_name,skill_id,framework,level\n"
        "b1,,S1,own,1\n"
        "b2,,,own,\n"
        ",,S3,own,\n"
        "b4,,S4,own,two\n",
    )
    result = load(path)
    assert (result.rows_read, result.loaded) == (4, 1)
    assert [(q.row_number, q.reason) for q in result.quarantine] == [
        (2, "skill_id is missing"),
        (3, "badge_class_id and badge_name are both empty: give one"),
        (4, "level 'two' is not a number (expected a number such as 12 or 1,200.50)"),
    ]
    assert result.quarantine[0].raw == {
        "badge_class_id": "b2",
        "badge_name": "",
        "skill_id": "",
        "framework": "own",
        "level": "",
    }


def test_bad_role_requirements_are_quarantined_with_reasons(tmp_path: Path) -> None:
    """target 80 (not a share), weight -1 and no role at all are each refused."""
    path = written(
        tmp_path,
        "role_requirements.csv",
        "job_title,skill_id,target,weight\nAnalyst,S1,80,\nAnalyst,S1,,-1\n,S1,0.5,\n",
    )
    result = load(path)
    assert result.loaded == 0
    assert [q.reason for q in result.quarantine] == [
        "target '80' is not a share between 0 and 1 (write 0.8 or 80%)",
        "weight '-1' is negative",
        "job_title and job_family are both empty: give one",
    ]


def test_bad_program_lines_are_quarantined_with_reasons(tmp_path: Path) -> None:
    path = written(
        tmp_path,
        "programs.csv",
        "program_id,badge_class_id,cost_per_learner,learning_hours\n"
        "P1,b1,-200,10\nP2,b2,free,10\n,b3,100,1\nP4,b4,,\n",
    )
    result = load(path)
    assert (result.rows_read, result.loaded) == (4, 1)
    assert [q.reason for q in result.quarantine] == [
        "cost_per_learner '-200' is negative",
        "cost_per_learner 'free' is not a number (expected a number such as 12 or 1,200.50)",
        "program_id is missing",
    ]
    assert result.tables["raw_programs"]["cost_per_learner"].to_list() == [None]


def test_rosters_and_badge_exports_are_not_reference_files(tmp_path: Path) -> None:
    credly = written(tmp_path, "c.csv", "Badge Name,Badge Template ID,Issued to Email,Issue Date\n")
    hr = Path(__file__).resolve().parents[1] / "fixtures" / "roster" / "workday_export.csv"
    assert not reference.detect(probe(credly))
    assert not reference.detect(probe(hr))
    assert not roster.detect(probe(FIXTURES / "skills_map.csv"))


def test_a_headerless_file_given_to_load_is_rejected_with_what_each_file_needs(
    tmp_path: Path,
) -> None:
    path = written(tmp_path, "x.csv", "a,b\n1,2\n")
    with pytest.raises(FileRejected, match="skills_map needs skill_id"):
        reference.load(path, LoadContext(Settings(), inbox=tmp_path))
