"""Failed logins counted in a SQLite file that every worker of a host shares."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from dashboard.throttle import LoginThrottle

ROOT = Path(__file__).resolve().parents[2]


def test_throttle_forgets_failures_after_the_window() -> None:
    """Limit 2 in 10 s: failures at 0 and 1 (the name's case does not matter) block the pair at
    5; another address is not blocked; at 11.5 only the failure at 1 is in the window."""
    throttle = LoginThrottle(limit=2, window_s=10)
    throttle.failed("sam", "1.2.3.4", now=0)
    throttle.failed("SAM", "1.2.3.4", now=1)
    assert throttle.blocked("sam", "1.2.3.4", now=5)
    assert not throttle.blocked("sam", "5.6.7.8", now=5)
    assert not throttle.blocked("sam", "1.2.3.4", now=11.5)


def test_two_workers_on_one_file_share_the_count(tmp_path: Path) -> None:
    """Limit 5: 3 failures in one worker and 2 in another block the pair in both. Before, each
    worker counted its own and allowed 5 more. A success in either forgets them for both."""
    path = tmp_path / "login_failures.sqlite"
    first, second = LoginThrottle(path), LoginThrottle(path)
    for _ in range(3):
        first.failed("sam", "1.2.3.4")
    for _ in range(2):
        second.failed("sam", "1.2.3.4")
    assert first.blocked("sam", "1.2.3.4") and second.blocked("sam", "1.2.3.4")
    second.succeeded("Sam", "1.2.3.4")
    assert not first.blocked("sam", "1.2.3.4")


def test_failures_from_another_process_count(tmp_path: Path) -> None:
    """A separate Python process (as a gunicorn worker is) records 5 failures; this process
    then finds the pair blocked, and a pair the other process never saw is not."""
    path = tmp_path / "login_failures.sqlite"
    worker = textwrap.dedent(
        f"""
        from pathlib import Path
        from dashboard.throttle import LoginThrottle
        throttle = LoginThrottle(Path({str(path)!r}))
        for _ in range(5):
            throttle.failed("sam", "1.2.3.4")
        """
    )
    subprocess.run([sys.executable, "-c", worker], cwd=ROOT, check=True, timeout=60)
    here = LoginThrottle(path)
    assert here.blocked("sam", "1.2.3.4")
    assert not here.blocked("hanna", "1.2.3.4")


def test_in_memory_throttles_do_not_share(tmp_path: Path) -> None:
    """Without a file each instance keeps its own count (a test's app never sees another's)."""
    one, other = LoginThrottle(limit=1), LoginThrottle(limit=1)
    one.failed("sam", "1.2.3.4")
    assert one.blocked("sam", "1.2.3.4")
    assert not other.blocked("sam", "1.2.3.4")
