"""Whatever bytes arrive, the Open Badges 2.0 loader either rejects the file with a reason or
accounts for every unit: ``rows_read == rows_loaded + quarantined``. And it streams NDJSON."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl.models import BadgeAward
from etl.sources import open_badges_v2
from etl.sources.base import FileRejected, LoadContext, LoadResult
from skillboard.settings import load_settings

REPO_ROOT = Path(__file__).resolve().parents[2]

EMBEDDED_CLASS = {
    "type": "BadgeClass",
    "id": "https://example.org/robotics-badge.json",
    "name": "Awesome Robotics Badge",
    "criteria": {"narrative": "Build a robot."},
    "issuer": {"id": "https://example.org/org.json", "type": "Profile", "name": "Org"},
    "alignment": [{"targetName": "Robotics", "targetUrl": "https://esco.example/robotics"}],
}


def assertion(number: int) -> dict[str, Any]:
    return {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "Assertion",
        "id": f"urn:uuid:{number}",
        "recipient": {"type": "email", "hashed": False, "identity": f"p{number}@example.org"},
        "issuedOn": "2020-01-31T10:00:00Z",
        "badge": EMBEDDED_CLASS,
        "verification": {"type": "hosted"},
    }


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.floats(allow_nan=False)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
FIELDS = ["id", "type", "recipient", "issuedOn", "expires", "badge", "revoked", "evidence"]


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("ob2_properties")


def check(path: Path, content: bytes) -> LoadResult | None:
    """Load ``content``; the only exception allowed is FileRejected, with a reason."""
    path.write_bytes(content)
    ctx = LoadContext(settings=load_settings(), inbox=path.parent)
    try:
        result = open_badges_v2.load(path, ctx)
    except FileRejected as rejected:
        assert str(rejected).strip()
        return None
    assert result.rows_read == result.loaded + len(result.quarantine)
    awards = result.tables["raw_badge_awards"]
    assert awards.height <= result.loaded
    for row in awards.head(3).iter_rows(named=True):
        # Every row that reaches the store is a valid award by the one definition.
        fields = {k: v for k, v in row.items() if k != "row_number"}
        BadgeAward.model_validate(fields)
    for quarantined in result.quarantine:
        assert quarantined.reason.strip()
        orjson.dumps(quarantined.raw)  # the quarantine table stores it as JSON
    return result


SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@SETTINGS
@given(st.binary(max_size=400))
def test_random_bytes_are_rejected_or_accounted_for(workdir: Path, data: bytes) -> None:
    check(workdir / "random.json", data)


@SETTINGS
@given(st.integers(min_value=0, max_value=3), st.data())
def test_truncated_documents_are_rejected_or_accounted_for(
    workdir: Path, shape: int, data: st.DataObject
) -> None:
    docs = [assertion(n) for n in range(3)]
    content = [
        orjson.dumps(docs[0], option=orjson.OPT_INDENT_2),
        orjson.dumps(docs),
        b"\n".join(orjson.dumps(d) for d in docs),
        orjson.dumps(docs[0]),
    ][shape]
    cut = data.draw(st.integers(min_value=0, max_value=len(content)))
    result = check(workdir / "truncated.json", content[:cut])
    if result is not None and shape == 2:
        # NDJSON cut mid-line: the whole lines load, the cut one is quarantined.
        assert result.rows_read <= 3


@SETTINGS
@given(st.sampled_from(FIELDS), json_values)
def test_wrong_types_in_fields_are_quarantined_not_raised(
    workdir: Path, field: str, value: Any
) -> None:
    doc = assertion(1)
    doc[field] = value
    result = check(workdir / "wrong.json", orjson.dumps(doc))
    assert result is not None and result.rows_read <= 1


@SETTINGS
@given(st.sampled_from(FIELDS), json_values)
def test_wrong_types_inside_ndjson_cost_only_their_line(
    workdir: Path, field: str, value: Any
) -> None:
    """Line 2 is mangled; lines 1 and 3 are good and must load whatever line 2 holds."""
    mangled = assertion(2)
    mangled[field] = value
    lines = [assertion(1), mangled, assertion(3)]
    result = check(workdir / "wrong.ndjson", b"\n".join(orjson.dumps(d) for d in lines))
    assert result is not None
    assert {1, 3} <= set(result.tables["raw_badge_awards"]["row_number"].to_list())


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.integers(min_value=1, max_value=3000), st.sampled_from(["[", '{"a":']))
def test_deep_nesting_is_rejected_or_accounted_for(workdir: Path, depth: int, opener: str) -> None:
    closer = "]" if opener == "[" else "}"
    nested = opener * depth + "1" + closer * depth
    content = f'{{"type": "Assertion", "recipient": "a@b.org", "badge": {nested}}}'
    check(workdir / "deep.json", content.encode())


@settings(
    max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.sampled_from(["id", "issuedOn", "narrative", "badge"]), st.integers(1, 3))
def test_huge_strings_are_rejected_or_accounted_for(workdir: Path, field: str, mb: int) -> None:
    doc = assertion(1)
    doc[field] = "x" * (mb * 1_000_000)
    result = check(workdir / "huge.json", orjson.dumps(doc))
    assert result is not None
    if result.quarantine:
        assert len(json.dumps(result.quarantine[0].raw)) < 50_000  # clipped, not copied whole


# --------------------------------------------------------------------------------------------
# streaming

STREAM_SCRIPT = textwrap.dedent(
    """
    import sys
    from pathlib import Path

    from etl.sources import open_badges_v2
    from etl.sources.base import LoadContext
    from skillboard.settings import load_settings

    def kib(field):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field):
                return int(line.split()[1])
        raise RuntimeError(field)

    path = Path(sys.argv[1])
    ctx = LoadContext(settings=load_settings(), inbox=path.parent)
    open_badges_v2.load(path.with_name("warmup.ndjson"), ctx)  # imports, polars pools
    baseline = kib("VmRSS:")
    result = open_badges_v2.load(path, ctx)
    print(result.rows_read, result.loaded, len(result.quarantine),
          result.tables["raw_badge_awards"].height, baseline, kib("VmHWM:"))
    """
)


EXPORTED_CLASS = {
    **EMBEDDED_CLASS,
    "description": "Awarded to people who designed, built and demonstrated a working robot "
    "that moves, senses obstacles and picks up an object, with a written reflection.",
    "image": "https://badges.example.org/images/robotics-badge-2024.png",
    "criteria": {
        "id": "https://badges.example.org/criteria/robotics",
        "narrative": "Complete the four robotics workshops, pass the practical assessment "
        "and submit a reflection of at least 500 words.",
    },
    "tags": ["robotics", "engineering", "hands-on"],
}


def exported_assertion(number: int) -> dict[str, Any]:
    """An assertion as badge platforms export them: class and issuer embedded, evidence."""
    return {
        **assertion(number),
        "badge": EXPORTED_CLASS,
        "image": "https://badges.example.org/assertions/baked/robotics-badge.png",
        "evidence": {
            "id": "https://portfolio.example.org/robot-project",
            "narrative": "Video of the robot completing the obstacle course, with source code.",
        },
        "narrative": "Completed the robotics programme with distinction.",
    }


def write_big_ndjson(path: Path, target_bytes: int) -> int:
    """Exported-style lines (about 1.3 KB each), every 1000th one broken."""
    template = orjson.dumps(exported_assertion(0)).replace(b'"urn:uuid:0"', b'"urn:uuid:%d"')
    template = template.replace(b'"p0@example.org"', b'"p%d@example.org"')
    lines = 0
    with path.open("wb") as out:
        written = 0
        while written < target_bytes:
            batch = bytearray()
            for _ in range(10_000):
                lines += 1
                if lines % 1000 == 0:
                    batch += b'{"type": "Assertion", broken\n'
                else:
                    batch += template % (lines, lines) + b"\n"
            out.write(batch)
            written += len(batch)
    return lines


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc")
def test_200mb_ndjson_streams_with_memory_well_below_the_file_size(tmp_path: Path) -> None:
    """~200 MB of NDJSON: every line is read (1 in 1000 quarantined), and the loader's peak
    memory growth stays under half the file size. Lines are parsed one at a time; what stays
    is the output columns (about 330 bytes per award, whatever the line length: polars string
    views), so holding the parsed documents instead would cost several times the file."""
    path = tmp_path / "awards.ndjson"
    lines = write_big_ndjson(path, 200_000_000)
    size = path.stat().st_size
    (tmp_path / "warmup.ndjson").write_bytes(orjson.dumps(assertion(1)) + b"\n")
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    completed = subprocess.run(
        [sys.executable, "-c", STREAM_SCRIPT, str(path)],
        capture_output=True,
        text=True,
        check=True,
        env=env,
        cwd=REPO_ROOT,
    )
    rows_read, loaded, quarantined, awards, baseline_kib, peak_kib = map(
        int, completed.stdout.split()
    )
    assert rows_read == lines
    assert quarantined == lines // 1000
    assert loaded == awards == lines - quarantined
    growth = (peak_kib - baseline_kib) * 1024
    assert growth < size / 2, f"peak grew {growth / 1e6:.0f} MB for a {size / 1e6:.0f} MB file"
