"""The dashboard half of the benchmark: callback latency, first page render, worker memory.

``measure(warehouse, repeats)`` is called by ``bench/run.py`` with a freshly built warehouse:

- **callbacks**: every server-side callback of the app, found in ``/_dash-dependencies`` and
  called through the Flask test client exactly as the browser calls it (a POST to
  ``/_dash-update-component``), with the filters a person typically sets: none, and one
  department. p50 / p95 over ``repeats`` calls each, after one warm-up call (the first query
  of a process opens the snapshot). The CSV / PNG / PDF downloads are not timed: they are
  exports, not clicks that redraw the page.
- **pages**: the first full render of each page in headless Chromium (Playwright), each in a
  fresh browser context (nothing cached), against the app served by ``skillboard serve --prod
  --workers 1`` in a subprocess on 127.0.0.1, in the open demo mode (no users file). "Fully
  rendered" = every graph of the page is drawn with data (or with its "no data" note), no
  spinner shows and no callback request is still unanswered (a grid's rows come that way).
- **layouts**: each page's ``/_dash-layout`` through the Flask test client, with the page's
  address as its ``Referer``: the first view drawn on the server (p50 / p95). Not a callback,
  but the server's share of a first render, reported beside them.
- **worker_rss_mb**: VmRSS of that gunicorn worker after the pages rendered and every
  callback was sent to it once per filter state.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb

from tests.e2e.conftest import CHROMIUM_ARGS, free_port, serve_command

ROOT = Path(__file__).resolve().parents[1]
PAGES = ("/", "/coverage", "/roi", "/retention", "/data")
# Exports (files for a board deck), not redraws: timed by nobody's click-to-chart budget.
SKIPPED_OUTPUTS = ("download", "report")
RENDERED_JS = """
() => {
    const busy = document.querySelector(
        '[data-dash-is-loading="true"], .dash-spinner, ._dash-loading, .dash-default-spinner');
    if (busy) return false;
    const graphs = Array.from(document.querySelectorAll('.dash-graph'));
    if (graphs.length === 0) return false;
    return graphs.every((g) => {
        const plot = g.querySelector('.js-plotly-plot');
        if (!plot || !plot._fullLayout || !plot.data) return false;
        const notes = (plot.layout && plot.layout.annotations) || [];
        return plot.data.length > 0 || notes.length > 0;
    });
}
"""


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0..100) by linear interpolation."""
    ordered = sorted(values)
    k = (len(ordered) - 1) * q / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


# -- payloads ------------------------------------------------------------------------------


def _typical_values(snapshot: Path) -> dict[str, Any]:
    """A department with many people, a heatmap cell to drill into, the filter states."""
    con = duckdb.connect(str(snapshot), read_only=True)
    try:
        department = con.execute(
            "select department from employees where active group by 1 order by count(*) desc "
            "limit 1"
        ).fetchall()[0][0]
        cell = con.execute(
            "select team, skill_id, skill_name from team_skill_coverage "
            "where team_type = 'department' and team = ? order by required desc limit 1",
            [department],
        ).fetchall()
    finally:
        con.close()
    return {
        "department": department,
        "cell": cell[0] if cell else (department, "", ""),
    }


def _component_ids(layout: Any) -> Iterator[Any]:
    """Every component id in a serialised Dash layout."""
    if isinstance(layout, dict):
        props = layout.get("props")
        if isinstance(props, dict):
            if "id" in props:
                yield props["id"]
            for value in props.values():
                yield from _component_ids(value)
        else:
            for value in layout.values():
                yield from _component_ids(value)
    elif isinstance(layout, list):
        for item in layout:
            yield from _component_ids(item)


def _split_outputs(output: str) -> list[tuple[str, str]]:
    """``"..a.b...c.d.."`` or ``"a.b"`` -> [(id, property)]; dict ids stay JSON text."""
    parts = output[2:-2].split("...") if output.startswith("..") else [output]
    pairs = [part.rsplit(".", 1) for part in parts]
    return [(pair[0], pair[1]) for pair in pairs]


def _resolve(raw_id: str, known: list[Any]) -> Any:
    """A plain id, or for a pattern id (ALL) the concrete ids of the layout that match it."""
    if not raw_id.startswith("{"):
        return raw_id
    pattern = json.loads(raw_id)
    fixed = {k: v for k, v in pattern.items() if not isinstance(v, list)}
    return [
        i for i in known if isinstance(i, dict) and all(i.get(k) == v for k, v in fixed.items())
    ]


def _input_value(component: str, prop: str, state: dict[str, Any]) -> Any:
    filters = state["filters"]
    values: dict[tuple[str, str], Any] = {
        ("shell-filters", "data"): filters,
        ("shell-query", "data"): state["query"],
        ("shell-url", "search"): state["query"],
        ("shell-url", "pathname"): "/coverage",
        ("_pages_location", "pathname"): "/coverage",
        ("_pages_location", "search"): state["query"],
        ("roi-share", "value"): 0.4,
        ("roi-rate", "value"): 60.0,
        ("coverage-heatmap", "clickData"): state["click"],
        ("shell-filter-department", "value"): filters["department"],
        ("shell-filter-as-of", "value"): None,
        ("shell-filter-team", "search_value"): "an",
    }
    return values.get((component, prop), [] if prop == "value" else None)


def build_payloads(
    deps: list[dict[str, Any]], layout: Any, typical: dict[str, Any]
) -> dict[str, dict[str, dict[str, Any]]]:
    """name -> filter state -> the JSON body Dash's renderer would POST for that callback."""
    known = list(_component_ids(layout))
    team, skill_id, skill_name = typical["cell"]
    states = {
        "all": {"filters": _store(), "query": "", "department": None},
        "department": {
            "filters": _store(department=[typical["department"]]),
            "query": "?department=" + str(typical["department"]).replace(" ", "+"),
            "department": typical["department"],
        },
    }
    click = {"points": [{"customdata": ["department", team, skill_id, skill_name]}]}
    payloads: dict[str, dict[str, dict[str, Any]]] = {}
    for dep in deps:
        if dep.get("clientside_function") or any(s in dep["output"] for s in SKIPPED_OUTPUTS):
            continue
        if any('"MATCH"' in i["id"] for i in dep["inputs"]):
            continue
        outputs: list[Any] = []
        for raw_id, prop in _split_outputs(dep["output"]):
            resolved = _resolve(raw_id, known)
            if isinstance(resolved, list):
                outputs.append([{"id": i, "property": prop} for i in resolved])
            else:
                outputs.append({"id": resolved, "property": prop})
        name = _callback_name(dep["output"])
        payloads[name] = {}
        for label, state in states.items():
            state = {**state, "click": click}
            inputs = [
                {
                    "id": i["id"],
                    "property": i["property"],
                    "value": _input_value(i["id"], i["property"], state),
                }
                for i in dep["inputs"]
            ]
            body = {
                "output": dep["output"],
                "outputs": outputs if dep["output"].startswith("..") else outputs[0],
                "inputs": inputs,
                "changedPropIds": [f"{inputs[0]['id']}.{inputs[0]['property']}"],
                "state": [
                    {
                        "id": s["id"],
                        "property": s["property"],
                        "value": _input_value(s["id"], s["property"], state),
                    }
                    for s in dep["state"]
                ],
            }
            payloads[name][label] = body
    return payloads


def _store(**lists: list[str]) -> dict[str, Any]:
    data: dict[str, Any] = {
        name: list(lists.get(name, []))
        for name in ("department", "team", "location", "job_family", "framework")
    }
    data["as_of"] = None
    return data


def _callback_name(output: str) -> str:
    first = _split_outputs(output)[0]
    raw_id, prop = first
    if raw_id.startswith("{"):
        raw_id = str(json.loads(raw_id).get("type"))
    return f"{raw_id}.{prop.split('@')[0]}"  # "@<hash>" marks a duplicate output


# -- callbacks in process --------------------------------------------------------------------


def measure_callbacks(warehouse: Path, repeats: int) -> list[dict[str, Any]]:
    """p50 / p95 of every callback through the Flask test client, per filter state."""
    from dashboard.app import create_app
    from skillboard.settings import load_settings

    settings = load_settings(None, warehouse=warehouse)
    client = create_app(settings).server.test_client()
    deps = client.get("/_dash-dependencies").get_json()
    layout = client.get("/_dash-layout").get_json()
    payloads = build_payloads(deps, layout, _typical_values(settings.snapshot_path))
    results = []
    for name, by_state in payloads.items():
        for label, body in by_state.items():
            timings = []
            for attempt in range(repeats + 1):
                started = time.perf_counter()
                response = client.post("/_dash-update-component", json=body)
                elapsed = (time.perf_counter() - started) * 1000
                if response.status_code not in (200, 204):
                    raise RuntimeError(
                        f"callback {name} ({label}) answered {response.status_code}: "
                        f"{response.get_data(as_text=True)[:500]}"
                    )
                if attempt:  # the first call of each opens caches; it is not what a click costs
                    timings.append(elapsed)
            results.append(
                {
                    "name": f"{name} [{label}]",
                    "p50_ms": round(statistics.median(timings), 1),
                    "p95_ms": round(percentile(timings, 95), 1),
                }
            )
    return results


def measure_layouts(warehouse: Path, repeats: int) -> list[dict[str, Any]]:
    """p50 / p95 of each page's ``/_dash-layout``, which draws the page's first view on the
    server (the work the page's callbacks would otherwise do on load), without filters."""
    from dashboard.app import create_app
    from skillboard.settings import load_settings

    client = create_app(load_settings(None, warehouse=warehouse)).server.test_client()
    results = []
    for path in PAGES:
        headers = {"Referer": f"http://localhost{path}"}
        timings = []
        for attempt in range(repeats + 1):
            started = time.perf_counter()
            response = client.get("/_dash-layout", headers=headers)
            elapsed = (time.perf_counter() - started) * 1000
            if response.status_code != 200:
                raise RuntimeError(f"layout of {path} answered {response.status_code}")
            if attempt:
                timings.append(elapsed)
        results.append(
            {
                "path": path,
                "p50_ms": round(statistics.median(timings), 1),
                "p95_ms": round(percentile(timings, 95), 1),
            }
        )
    return results


# -- pages in Chromium against a served app ------------------------------------------------------


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        found += [int(p) for p in task.read_text().split()]
    return found


def rss_mb(pid: int) -> float:
    """VmRSS of a process, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class ServedApp:
    """``skillboard serve --prod --workers N`` on a free 127.0.0.1 port, open demo mode."""

    def __init__(self, warehouse: Path, workers: int = 1) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._home = tempfile.mkdtemp(prefix="skillboard-bench-")
        env = {k: v for k, v in os.environ.items() if not k.startswith("SKILLBOARD_")}
        self.proc = subprocess.Popen(
            serve_command(warehouse.resolve(), self.port, workers),
            cwd=self._home,  # no skillboard.toml here: no users file, the open demo
            env={**env, "PYTHONPATH": str(ROOT)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                error = self.proc.stderr.read() if self.proc.stderr else b""
                raise RuntimeError(f"the app did not start: {error[-2000:]!r}")
            try:
                if self.get("/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError("the app did not answer /healthz within 60 s")

    def get(self, path: str) -> tuple[int, bytes]:
        """GET a path; (status, body)."""
        return self.request("GET", path, None)

    def request(self, method: str, path: str, body: Any) -> tuple[int, bytes]:
        """One HTTP request to the app."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            data = json.dumps(body).encode() if body is not None else None
            headers = {"Content-Type": "application/json"} if data else {}
            conn.request(method, path, body=data, headers=headers)
            response = conn.getresponse()
            return response.status, response.read()
        finally:
            conn.close()

    def worker_pid(self) -> int:
        """The gunicorn worker (the master's child); the server itself if it has none."""
        children = _children(self.proc.pid)
        return children[0] if children else self.proc.pid

    def stop(self) -> None:
        """Stop the server (and its worker) and remove its working folder."""
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        shutil.rmtree(self._home, ignore_errors=True)


NEXT_FRAME_JS = "() => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)))"


def _callbacks_in_flight(page: Any) -> set[Any]:
    """The page's callback requests sent and not yet answered (kept up to date by listeners)."""
    pending: set[Any] = set()

    def sent(request: Any) -> None:
        if "/_dash-update-component" in request.url:
            pending.add(request)

    def answered(request: Any) -> None:
        pending.discard(request)

    page.on("request", sent)
    page.on("requestfinished", answered)
    page.on("requestfailed", answered)
    return pending


def measure_pages(app: ServedApp) -> list[dict[str, Any]]:
    """First full render of each page, each in a fresh browser context."""
    from playwright.sync_api import sync_playwright

    results = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=shutil.which("chromium"), headless=True, args=CHROMIUM_ARGS
        )
        try:
            for path in PAGES:
                # bypass_csp: wait_for_function polls with eval, which the app's policy forbids.
                context = browser.new_context(bypass_csp=True)
                page = context.new_page()
                pending = _callbacks_in_flight(page)
                started = time.perf_counter()
                page.goto(app.url + path, wait_until="commit")
                page.wait_for_function(RENDERED_JS, polling=20, timeout=60_000)
                # A callback without a spinner (a grid's rows) may still be on its way.
                while pending:
                    page.wait_for_timeout(10)
                # ...and then drawn: the next frame comes after the task that handles the answer.
                page.evaluate(NEXT_FRAME_JS)
                results.append({"path": path, "render_s": round(time.perf_counter() - started, 2)})
                context.close()
        finally:
            browser.close()
    return results


def measure(warehouse: Path, repeats: int = 30) -> dict[str, Any]:
    """The dashboard's figures for ``bench/run.py``."""
    callbacks = measure_callbacks(warehouse, repeats)
    layouts = measure_layouts(warehouse, max(repeats // 3, 5))
    app = ServedApp(warehouse)
    try:
        pages = measure_pages(app)
        client_deps = json.loads(app.get("/_dash-dependencies")[1])
        layout = json.loads(app.get("/_dash-layout")[1])
        typical = _typical_values(warehouse / "skillboard.duckdb")
        for by_state in build_payloads(client_deps, layout, typical).values():
            for body in by_state.values():
                app.request("POST", "/_dash-update-component", body)
        worker_rss = round(rss_mb(app.worker_pid()), 1)
    finally:
        app.stop()
    return {
        "callbacks": callbacks,
        "layouts": layouts,
        "pages": pages,
        "worker_rss_mb": worker_rss,
    }
