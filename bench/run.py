"""The benchmark: SPEC §7's numbers at S / M / L, printed as a table and written as JSON + Markdown.

    python bench/run.py --scale S      (or: make bench SCALE=M)

Inputs are generated with ``skillboard generate`` into ``bench/cache/<scale>/inbox`` once and
reused. Every ETL measurement runs in a fresh child process; its peak memory is the largest
total resident memory of that process and its own children (the loader workers), sampled every
50 ms, or its own ru_maxrss if that is larger. The DuckDB floor is DuckDB alone reading the
same input files (``read_csv`` / ``read_json``; XLSX, which DuckDB cannot read offline,
through polars/fastexcel), measured in the same run: each file is read into an in-memory table
(``create temp table ... as select * from read_json(...)``), so every value is parsed, as the
ETL must. (``select count(*)`` over the same reader is ~40 % faster only because DuckDB then
skips parsing the columns nobody asked for.)

``bench/results/latest.json`` holds exactly the fields of SPEC §7; ``bench/results/<scale>.json``
keeps each scale's last result, and ``docs/benchmarks.md`` is rewritten from those files (with
the load tests' ``bench/results/load-*.json`` when ``bench/load.py`` has been run).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "bench" / "cache"
RESULTS = ROOT / "bench" / "results"
DOCS = ROOT / "docs" / "benchmarks.md"
SCALES = {"S": 2_000, "M": 50_000, "L": 500_000}
REPEATS = {"S": 5, "M": 20, "L": 10}
"""Calls per callback and filter state (S must finish within a minute)."""
SEED = 7
SPEC_FIELDS = (
    "scale",
    "employees",
    "awards",
    "cores",
    "etl_full_s",
    "etl_noop_s",
    "duckdb_floor_s",
    "etl_peak_rss_mb",
    "worker_rss_mb",
    "callbacks",
    "pages",
)

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


def _materialise(con, reader, path):
    # Every value of every row is parsed and stored, as the ETL must: a count(*) alone would
    # let DuckDB skip the columns (projection pushdown) and time a scan, not a read.
    con.execute(f"create or replace temp table floor_rows as select * from {reader}", [str(path)])
    return con.execute("select count(*) from floor_rows").fetchall()[0][0]


started = time.perf_counter()
rows = 0
for path in sorted(inbox.rglob("*")):
    if not path.is_file():
        continue
    suffix = path.suffix.lower()
    if suffix == ".csv":
        rows += _materialise(con, "read_csv(?, all_varchar=true)", path)
    elif suffix in (".json", ".ndjson", ".jsonl"):
        try:
            rows += _materialise(con, "read_json(?)", path)
        except duckdb.Error:
            pass
    elif suffix == ".xlsx":
        rows += pl.read_excel(path, engine="calamine").height
print(json.dumps({"seconds": time.perf_counter() - started, "rows": rows}))
"""


def _python() -> str:
    venv = ROOT / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


def _tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants, in MB (0 when it has ended)."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            for task in Path(f"/proc/{current}/task").iterdir():
                stack += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total / 1024


def _child(code: str, *args: str) -> dict[str, Any]:
    proc = subprocess.Popen(
        [_python(), "-c", code, *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    peak = [0.0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.05):
            peak[0] = max(peak[0], _tree_rss_mb(proc.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = proc.communicate()
    done.set()
    sampler.join()
    if proc.returncode != 0:
        raise RuntimeError(f"benchmark child failed: {stderr[-2000:]}")
    result = dict(json.loads(stdout.strip().splitlines()[-1]))
    result["tree_peak_rss_mb"] = peak[0]
    return result


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
    if full["status"] != "published":
        raise RuntimeError(f"the full ETL run did not publish: {full['error']}")
    noop = _child(_CHILD_ETL, str(inbox), str(warehouse))
    floor = _child(_CHILD_FLOOR, str(inbox))
    return {
        "etl_full_s": round(full["seconds"], 2),
        "etl_noop_s": round(noop["seconds"], 2),
        "duckdb_floor_s": round(floor["seconds"], 2),
        "etl_peak_rss_mb": round(max(full["peak_rss_mb"], full["tree_peak_rss_mb"]), 1),
        "warehouse": str(warehouse),
    }


def bench_dashboard(warehouse: Path, repeats: int) -> dict[str, Any]:
    """Callback latencies (p50/p95) and worker memory, if the dashboard's bench hook exists."""
    sys.path.insert(0, str(ROOT))
    from bench.dashboard_bench import measure

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
    """One scale's result as a Markdown section."""
    ratio = result["etl_full_s"] / max(result["duckdb_floor_s"], 1e-9)
    lines = [
        f"## Scale {result['scale']}: {result['employees']:,} employees, "
        f"{result['awards']:,} awards",
        "",
        f"Measured {result.get('measured_at', '?')} on {result['cores']} cores "
        f"({result.get('machine', platform.platform())}), Python {platform.python_version()}; "
        f"load average {result.get('load_average_1m', '?')} when it finished (a shared machine "
        "reads slower).",
        "",
        "| measure | value |",
        "|---|---|",
        f"| ETL full run | {result['etl_full_s']} s |",
        f"| ETL run with nothing new | {result['etl_noop_s']} s |",
        f"| DuckDB alone reading the same files | {result['duckdb_floor_s']} s "
        f"(ETL = {ratio:.1f}x) |",
        f"| ETL peak memory (run + loader workers) | {result['etl_peak_rss_mb']} MB |",
        f"| dashboard worker memory | {result['worker_rss_mb']} MB |",
    ]
    for page in result["pages"]:
        lines.append(f"| first render {page['path']} | {page['render_s']} s |")
    for layout in result.get("layouts", []):
        lines.append(
            f"| first view of {layout['path']} drawn on the server (layout) | "
            f"p50 {layout['p50_ms']} ms, p95 {layout['p95_ms']} ms |"
        )
    for cb in result["callbacks"]:
        lines.append(f"| callback {cb['name']} | p50 {cb['p50_ms']} ms, p95 {cb['p95_ms']} ms |")
    return "\n".join(lines) + "\n"


def write_docs() -> None:
    """Rewrite docs/benchmarks.md from every scale's last result and the load test."""
    parts = [
        "# Benchmarks",
        "",
        "Written by `make bench SCALE=S|M|L` (`bench/run.py`) and `bench/load.py`; targets in "
        "SPEC §7, method in `bench/run.py` and `bench/dashboard_bench.py`, growth and limits "
        "in [scaling.md](scaling.md). Callback names are `component.property [filter]`, "
        "where the filter is none (`all`) or the largest department.",
        "",
    ]
    for scale in SCALES:
        path = RESULTS / f"{scale}.json"
        if path.is_file():
            parts.append(to_markdown(json.loads(path.read_text(encoding="utf-8"))))
    loads = sorted(RESULTS.glob("load-*.json"), key=lambda p: json.loads(p.read_text())["users"])
    if loads:
        from bench.load import to_markdown as load_markdown

        for load in loads:
            parts.append(load_markdown(json.loads(load.read_text(encoding="utf-8"))))
    DOCS.write_text("\n".join(parts), encoding="utf-8")


def print_table(result: dict[str, Any]) -> None:
    """The result as one plain-text table on stdout."""
    rows = [
        (
            "scale",
            f"{result['scale']} ({result['employees']:,} employees, "
            f"{result['awards']:,} awards, {result['cores']} cores)",
        ),
        ("ETL full run", f"{result['etl_full_s']} s"),
        ("ETL no-op run", f"{result['etl_noop_s']} s"),
        (
            "DuckDB floor",
            f"{result['duckdb_floor_s']} s (ETL = "
            f"{result['etl_full_s'] / max(result['duckdb_floor_s'], 1e-9):.1f}x)",
        ),
        ("ETL peak memory", f"{result['etl_peak_rss_mb']} MB"),
        ("worker memory", f"{result['worker_rss_mb']} MB"),
    ]
    rows += [(f"render {p['path']}", f"{p['render_s']} s") for p in result["pages"]]
    rows += [
        (f"layout {p['path']}", f"p50 {p['p50_ms']:>7} ms  p95 {p['p95_ms']:>7} ms")
        for p in result.get("layouts", [])
    ]
    rows += [
        (f"cb {c['name']}", f"p50 {c['p50_ms']:>7} ms  p95 {c['p95_ms']:>7} ms")
        for c in result["callbacks"]
    ]
    width = max(len(r[0]) for r in rows)
    print("\n".join(f"{name:<{width}}  {value}" for name, value in rows))


def main() -> int:
    """Run the benchmark at one scale (or all)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="S", choices=[*SCALES, "all"])
    parser.add_argument("--repeats", type=int, help="calls per callback (default by scale)")
    args = parser.parse_args()
    scales = list(SCALES) if args.scale == "all" else [args.scale]
    RESULTS.mkdir(parents=True, exist_ok=True)
    for scale in scales:
        etl = bench_etl(scale)
        warehouse = Path(etl.pop("warehouse"))
        dash = bench_dashboard(warehouse, args.repeats or REPEATS[scale])
        result = {
            "scale": scale,
            "employees": SCALES[scale],
            "awards": count_awards(warehouse / "skillboard.duckdb"),
            "cores": os.cpu_count(),
            **etl,
            "worker_rss_mb": dash.get("worker_rss_mb"),
            "callbacks": dash.get("callbacks", []),
            "pages": dash.get("pages", []),
            "layouts": dash.get("layouts", []),
        }
        spec = {name: result[name] for name in SPEC_FIELDS}
        (RESULTS / "latest.json").write_text(json.dumps(spec, indent=2), encoding="utf-8")
        extra = {
            "measured_at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "machine": platform.platform(),
            "load_average_1m": round(os.getloadavg()[0], 2),
        }
        (RESULTS / f"{scale}.json").write_text(
            json.dumps({**spec, "layouts": result["layouts"], **extra}, indent=2),
            encoding="utf-8",
        )
        write_docs()
        print_table(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
