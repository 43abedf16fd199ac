"""Issue 7's soak: a scheduled ETL every minute for N minutes, files dropped in between, the
dashboard (gunicorn, several workers) under a steady client load; counts failed requests and
checks every dropped file's change was published.

    python bench/soak.py --minutes 10 --workers 2

Loopback only, bounded in time. Uses the demo employer (2,000 people) in a temporary folder.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.e2e.conftest import free_port  # noqa: E402
from tests.e2e.test_zero_downtime import (  # noqa: E402
    Client,
    add_hire,
    headcount_callback,
)


def main() -> int:
    """Run the soak and print one JSON line of results."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--drop-every-s", type=float, default=110)
    args = parser.parse_args()
    skillboard = str(ROOT / ".venv" / "bin" / "skillboard")
    work = Path(tempfile.mkdtemp(prefix="skillboard-soak-"))
    inbox, warehouse = work / "inbox", work / "warehouse"
    subprocess.run(
        [skillboard, "generate", "--employees", "2000", "--out", str(inbox)],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [skillboard, "etl", "run", "--inbox", str(inbox), "--warehouse", str(warehouse)],
        check=True,
        capture_output=True,
    )
    port = free_port()
    common = ["--inbox", str(inbox), "--warehouse", str(warehouse)]
    server = subprocess.Popen(
        [
            skillboard,
            "serve",
            "--prod",
            "--workers",
            str(args.workers),
            "--port",
            str(port),
            *common,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    schedule = subprocess.Popen(
        [skillboard, "etl", "schedule", "--cron", "* * * * *", *common],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                callback = headcount_callback(port)
                break
            except (OSError, AssertionError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        client = Client(port, callback)
        threads = [threading.Thread(target=client.run, daemon=True) for _ in range(2)]
        for thread in threads:
            thread.start()
        first = (
            next(a.value for a in client.snapshot()[::-1] if a.kind == "callback" and a.value)
            if client.snapshot()
            else None
        )
        end = time.monotonic() + args.minutes * 60
        drops = 0
        next_drop = time.monotonic() + args.drop_every_s / 2
        while time.monotonic() < end:
            if time.monotonic() >= next_drop:
                drops += 1
                add_hire(inbox, drops)
                next_drop += args.drop_every_s
            time.sleep(1)
        time.sleep(75)  # let the last drop's scheduled run publish
        client.stop.set()
        for thread in threads:
            thread.join(timeout=60)
        answers = client.snapshot()
        errors = [a for a in answers if a.error]
        headcounts = [a.value for a in answers if a.kind == "callback" and a.value is not None]
        runs = subprocess.run(
            [skillboard, "etl", "status", "--json", "--limit", "50", *common],
            capture_output=True,
            text=True,
            check=False,
        )
        statuses = [r["status"] for r in json.loads(runs.stdout or "[]")]
        result = {
            "minutes": args.minutes,
            "workers": args.workers,
            "requests": len(answers),
            "errors": len(errors),
            "first_errors": [a.error for a in errors[:3]],
            "files_dropped": drops,
            "headcount_first": first or (headcounts[0] if headcounts else None),
            "headcount_last": headcounts[-1] if headcounts else None,
            "scheduled_runs": len(statuses) - 1,
            "run_statuses": {s: statuses.count(s) for s in set(statuses)},
        }
        print(json.dumps(result))
        return 0 if not errors else 1
    finally:
        for proc in (schedule, server):
            proc.send_signal(signal.SIGTERM)
        for proc in (schedule, server):
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
        if not os.environ.get("SOAK_KEEP"):
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
