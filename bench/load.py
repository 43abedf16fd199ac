"""A bounded load test: a fixed number of simulated users against ``skillboard serve --prod``.

    python bench/load.py --scale M --users 16 --workers 4 --seconds 60 --max-requests 20000

The app is served on 127.0.0.1 only (a free port, open demo mode, the warehouse ``bench/run.py``
built for the scale). Each simulated user is a thread with its own keep-alive connection that
visits pages one after another, with no think time: a visit is the page's HTML and its
``/_dash-layout`` (which draws the first view on the server, as a browser asks for it), and
every other visit then picks the largest department: every callback that filter change fires
(the shell's and the page's own, found in ``/_dash-dependencies``).
The test stops at ``--seconds`` or ``--max-requests``, whichever comes first. Reported:
requests per second, p50 / p95 / max latency, errors (non-2xx answers and failed
connections), and each worker's resident memory at the end. Results go to
``bench/results/load-<scale>-<users>users.json`` and, through ``bench/run.py``'s writer,
``docs/benchmarks.md``.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.dashboard_bench import (  # noqa: E402
    ServedApp,
    _children,
    _typical_values,
    build_payloads,
    percentile,
    rss_mb,
)

PAGE_PREFIXES = {
    "/": "overview-",
    "/coverage": "coverage-",
    "/roi": "roi-",
    "/retention": "retention-",
    "/data": "data-",
}
# The shell's callbacks run on every page; the drill-down only on a click, so it is left out.
SHELL_PREFIXES = ("shell-", "_pages_content")
LEFT_OUT = ("coverage-drill",)


def page_visits(payloads: dict[str, dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """path -> the callback payloads (per filter state) a browser fires on that page."""
    visits: dict[str, list[dict[str, Any]]] = {}
    for path, prefix in PAGE_PREFIXES.items():
        visits[path] = [
            by_state
            for name, by_state in payloads.items()
            if (name.startswith(prefix) or name.startswith(SHELL_PREFIXES))
            and not name.startswith(LEFT_OUT)
        ]
    return visits


class User(threading.Thread):
    """One simulated person clicking through pages as fast as the server answers."""

    def __init__(
        self, port: int, visits: dict[str, list[dict[str, Any]]], seed: int, run: Run
    ) -> None:
        super().__init__(daemon=True)
        self.port = port
        self.visits = visits
        self.random = random.Random(seed)
        self.run_state = run

    def _request(
        self,
        conn: http.client.HTTPConnection,
        method: str,
        path: str,
        body: bytes | None,
        headers: dict[str, str] | None = None,
    ) -> http.client.HTTPConnection:
        started = time.perf_counter()
        ok = False
        try:
            sent = {"Content-Type": "application/json"} if body else {}
            conn.request(method, path, body=body, headers={**sent, **(headers or {})})
            response = conn.getresponse()
            response.read()
            ok = 200 <= response.status < 300
        except (OSError, http.client.HTTPException):
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        self.run_state.record((time.perf_counter() - started) * 1000, ok)
        return conn

    def run(self) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        paths = list(self.visits)
        while not self.run_state.finished():
            path = self.random.choice(paths)
            conn = self._request(conn, "GET", path, None)
            page = {"Referer": f"http://127.0.0.1:{self.port}{path}"}
            conn = self._request(conn, "GET", "/_dash-layout", None, page)
            if self.random.random() < 0.5:
                continue  # read the first view and move on
            for by_state in self.visits[path]:
                if self.run_state.finished():
                    break
                body = json.dumps(by_state["department"]).encode()
                conn = self._request(conn, "POST", "/_dash-update-component", body)
        conn.close()


class Run:
    """Shared counters of one load test, bounded in requests and time."""

    def __init__(self, seconds: float, max_requests: int) -> None:
        self.deadline = time.monotonic() + seconds
        self.max_requests = max_requests
        self.latencies: list[float] = []
        self.errors = 0
        self._lock = threading.Lock()

    def record(self, ms: float, ok: bool) -> None:
        """One answered (or failed) request."""
        with self._lock:
            self.latencies.append(ms)
            self.errors += not ok

    def finished(self) -> bool:
        """Time is up or the request budget is spent."""
        return time.monotonic() >= self.deadline or len(self.latencies) >= self.max_requests


def run_load(
    warehouse: Path, users: int, workers: int, seconds: float, max_requests: int
) -> dict[str, Any]:
    """Serve the warehouse with ``workers`` gunicorn workers and drive ``users`` users at it."""
    app = ServedApp(warehouse, workers=workers)
    try:
        deps = json.loads(app.get("/_dash-dependencies")[1])
        layout = json.loads(app.get("/_dash-layout")[1])
        payloads = build_payloads(deps, layout, _typical_values(warehouse / "skillboard.duckdb"))
        visits = page_visits(payloads)
        # Warm every worker once (each opens the snapshot on its first query), untimed.
        for _ in range(workers * 2):
            for by_state in visits["/"]:
                app.request("POST", "/_dash-update-component", by_state["all"])
        run = Run(seconds, max_requests)
        started = time.perf_counter()
        threads = [User(app.port, visits, seed, run) for seed in range(users)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        worker_rss = [round(rss_mb(pid), 1) for pid in _children(app.proc.pid)]
    finally:
        app.stop()
    latencies = run.latencies
    return {
        "users": users,
        "workers": workers,
        "cores": os.cpu_count(),
        "seconds": round(elapsed, 1),
        "requests": len(latencies),
        "errors": run.errors,
        "requests_per_s": round(len(latencies) / elapsed, 1),
        "p50_ms": round(percentile(latencies, 50), 1),
        "p95_ms": round(percentile(latencies, 95), 1),
        "max_ms": round(max(latencies), 1),
        "worker_rss_mb": worker_rss,
        "measured_at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "load_average_1m": round(os.getloadavg()[0], 2),
    }


def to_markdown(result: dict[str, Any]) -> str:
    """The load test as a Markdown section."""
    memory = ", ".join(f"{mb} MB" for mb in result["worker_rss_mb"])
    return "\n".join(
        [
            f"## Load test: {result['users']} users, {result['workers']} gunicorn workers "
            f"(scale {result.get('scale', 'M')})",
            "",
            f"Measured {result['measured_at']} on {result['cores']} cores, client and server on "
            "the same machine (127.0.0.1). Each user loads a page's HTML and its first view "
            "(`/_dash-layout`), and every other time then picks the largest department (every "
            "callback that change fires), back to back, with no think time.",
            "",
            "| measure | value |",
            "|---|---|",
            f"| duration | {result['seconds']} s |",
            f"| requests | {result['requests']:,} |",
            f"| requests per second | {result['requests_per_s']} |",
            f"| latency p50 / p95 / max | {result['p50_ms']} / {result['p95_ms']} / "
            f"{result['max_ms']} ms |",
            f"| errors | {result['errors']} |",
            f"| worker memory at the end | {memory} |",
            "",
        ]
    )


def main() -> int:
    """Run the load test against a scale's warehouse (built by ``make bench SCALE=...``)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="M", choices=["S", "M", "L"])
    parser.add_argument("--users", type=int, default=16)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--max-requests", type=int, default=20_000)
    args = parser.parse_args()
    warehouse = ROOT / "bench" / "cache" / args.scale / "warehouse"
    if not (warehouse / "skillboard.duckdb").is_file():
        print(
            f"no warehouse for {args.scale}: run `make bench SCALE={args.scale}` first",
            file=sys.stderr,
        )
        return 2
    result = {
        "scale": args.scale,
        **run_load(warehouse, args.users, args.workers, args.seconds, args.max_requests),
    }
    results = ROOT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    name = f"load-{args.scale}-{args.users}users.json"
    (results / name).write_text(json.dumps(result, indent=2), encoding="utf-8")
    from bench.run import write_docs

    write_docs()
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
