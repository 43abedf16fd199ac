"""The benchmark: SPEC §7's numbers at S / M / L, printed as a table and written as JSON + Markdown.

    python bench/run.py --scale S      (or: make bench SCALE=M)

Inputs are generated with ``skillboard generate`` into ``bench/cache/<scale>/inbox`` once and
reused. Every ETL measurement runs in a fresh child process so its peak memory (ru_maxrss) is its
own. The DuckDB floor is DuckDB alone reading the same input files (``read_csv`` / ``read_json``;
XLSX, which DuckDB cannot read offline, through polars/fastexcel), measured in the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "bench" / "cache"
RESULTS = ROOT / "bench" / "results"
SCALES = {"S": 2_000, "M": 50_000, "L": 500_000}
SEED = 7

_CHILD_ETL = """
import json, resource, sys, time
from pathlib import Path
from etl.run import run_etl
from skillboard.settings import load_settings
settings = load_settings(None, inbox=Path(sys.argv[1]), warehouse=Path(sys.argv[2]))
started = time.perf_counter()
summary = run_etl(settings)
elapsed = time.perf_counter() - started
print(json.dumps({"seconds": elapsed, "status": summary.status,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "rows_loaded": sum(f.rows_loaded for f in summary.files),
                  "error": summary.error}))
"""

_CHILD_FLOOR = """
import json, sys, time
from pathlib import Path
import duckdb, polars as pl
inbox = Path(sys.argv[1])
con = duckdb.connect()
started = time.perf_counter()
rows = 0
for path in sorted(inbox.rglob("*")):
    if not path.is_file():
        continue
    suffix = path.suffix.lower()
    if suffix == ".csv":
        rows += con.execute("select count(*) from (select * from read_csv(?, all_varchar=true))",
                            [str(path)]).fetchall()[0][0]
    elif suffix in (".json", ".ndjson", ".jsonl"):
        try:
            rows += con.execute("select count(*) from (select * from read_json(?))",
                                [str(path)]).fetchall()[0][0]
        except duckdb.Error:
            pass
    elif suffix == ".xlsx":
        rows += pl.read_excel(path, engine="calamine").height
print(json.dumps({"seconds": time.perf_counter() - started, "rows": rows}))
"""


def _python() -> str:
    venv = ROOT / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


def _child(code: str, *args: str) -> dict[str, Any]:
    proc = subprocess.run(
        [_python(), "-c", code, *args], cwd=ROOT, capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        raise RuntimeError(f"benchmark child failed: {proc.stderr[-2000:]}")
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


def ensure_inputs(scale: str) -> tuple[Path, dict[str, Any]]:
    """Generate the scale's inbox once (cached) and return it with the generator's summary."""
    inbox = CACHE / scale / "inbox"
    meta = CACHE / scale / "generate.json"
    if not meta.exists():
        shutil.rmtree(inbox, ignore_errors=True)
        inbox.mkdir(parents=True)
        started = time.perf_counter()
        proc = subprocess.run(
            [
                _python(),
                "-m",
                "skillboard.cli",
                "generate",
                "--employees",
                str(SCALES[scale]),
                "--seed",
                str(SEED),
                "--out",
                str(inbox),
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        summary = {"seconds": time.perf_counter() - started, "output": proc.stdout.strip()[-4000:]}
        meta.write_text(json.dumps(summary), encoding="utf-8")
    return inbox, json.loads(meta.read_text(encoding="utf-8"))


def count_awards(snapshot: Path) -> int:
    """Awards in the published snapshot."""
    import duckdb

    con = duckdb.connect(str(snapshot), read_only=True)
    try:
        return int(con.execute("select count(*) from badge_awards").fetchall()[0][0])
    finally:
        con.close()


def bench_etl(scale: str) -> dict[str, Any]:
    """Full run, no-op run and the DuckDB floor."""
    inbox, _ = ensure_inputs(scale)
    warehouse = CACHE / scale / "warehouse"
    shutil.rmtree(warehouse, ignore_errors=True)
    full = _child(_CHILD_ETL, str(inbox), str(warehouse))
    noop = _child(_CHILD_ETL, str(inbox), str(warehouse))
    floor = _child(_CHILD_FLOOR, str(inbox))
    return {
        "etl_full_s": round(full["seconds"], 2),
        "etl_noop_s": round(noop["seconds"], 2),
        "duckdb_floor_s": round(floor["seconds"], 2),
        "etl_peak_rss_mb": round(full["peak_rss_mb"], 1),
        "etl_status": full["status"],
        "warehouse": str(warehouse),
    }


def bench_dashboard(warehouse: Path, repeats: int) -> dict[str, Any]:
    """Callback latencies (p50/p95) and worker memory, if the dashboard's bench hook exists."""
    try:
        from bench.dashboard_bench import measure  # type: ignore[import-not-found]
    except ImportError:
        return {"callbacks": [], "pages": [], "worker_rss_mb": None}
    result: dict[str, Any] = measure(warehouse, repeats=repeats)
    return result


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0..100) by linear interpolation."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * q / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def to_markdown(result: dict[str, Any]) -> str:
    """The result as a Markdown section."""
    lines = [
        f"## Scale {result['scale']}: {result['employees']:,} employees, "
        f"{result['awards']:,} awards",
        "",
        f"Machine: {result['cores']} cores, {platform.platform()}, "
        f"Python {platform.python_version()}.",
        "",
        "| measure | value |",
        "|---|---|",
        f"| ETL full run | {result['etl_full_s']} s |",
        f"| ETL run with nothing new | {result['etl_noop_s']} s |",
        f"| DuckDB alone reading the same files | {result['duckdb_floor_s']} s "
        f"(ETL = {result['etl_full_s'] / max(result['duckdb_floor_s'], 1e-9):.1f}x) |",
        f"| ETL peak memory | {result['etl_peak_rss_mb']} MB |",
        f"| dashboard worker memory | {result['worker_rss_mb']} MB |",
    ]
    for cb in result["callbacks"]:
        lines.append(f"| callback {cb['name']} | p50 {cb['p50_ms']} ms, p95 {cb['p95_ms']} ms |")
    for page in result["pages"]:
        lines.append(f"| first render {page['path']} | {page['render_s']} s |")
    return "\n".join(lines) + "\n"


def main() -> int:
    """Run the benchmark at one scale (or all)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="S", choices=[*SCALES, "all"])
    parser.add_argument("--repeats", type=int, default=30)
    args = parser.parse_args()
    scales = list(SCALES) if args.scale == "all" else [args.scale]
    RESULTS.mkdir(parents=True, exist_ok=True)
    for scale in scales:
        etl = bench_etl(scale)
        warehouse = Path(etl.pop("warehouse"))
        dash = bench_dashboard(warehouse, args.repeats)
        result = {
            "scale": scale,
            "employees": SCALES[scale],
            "awards": count_awards(warehouse / "skillboard.duckdb"),
            "cores": os.cpu_count(),
            **etl,
            "worker_rss_mb": dash.get("worker_rss_mb"),
            "callbacks": dash.get("callbacks", []),
            "pages": dash.get("pages", []),
        }
        (RESULTS / "latest.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
        (RESULTS / f"{scale}.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
        print(to_markdown(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
