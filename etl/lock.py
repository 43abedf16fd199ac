"""One ETL run at a time: an exclusive ``flock`` on a lock file that names its holder.

The kernel drops a ``flock`` when its process dies, so a lock left by a killed run is never
"held": the next run takes it, notices the dead pid written in the file and says it cleared a
stale lock. A live holder is named in the error (pid, host, start time).
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import socket
from pathlib import Path
from types import TracebackType


class LockHeld(RuntimeError):
    """Another ETL run holds the lock."""


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class EtlLock:
    """Context manager holding the ETL lock for the duration of a run."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None
        self.cleared_stale: dict[str, object] | None = None
        """The previous holder's record when it was a dead process's leftover."""

    def holder(self) -> dict[str, object] | None:
        """The record written by the current or last holder, if any."""
        try:
            text = self.path.read_text(encoding="utf-8")
            record = json.loads(text) if text.strip() else None
        except (OSError, ValueError):
            return None
        return record if isinstance(record, dict) else None

    def acquire(self) -> None:
        """Take the lock or raise :class:`LockHeld` naming the holder."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            holder = self.holder() or {}
            raise LockHeld(
                f"another ETL run holds the lock {self.path}: pid {holder.get('pid', '?')} "
                f"on {holder.get('host', '?')} since {holder.get('started', '?')}"
            ) from None
        previous = self.holder()
        previous_pid = previous.get("pid") if previous else None
        if isinstance(previous_pid, int) and not _pid_alive(previous_pid):
            self.cleared_stale = previous
        record = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        }
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(record).encode(), 0)
        os.fsync(fd)
        self._fd = fd

    def release(self) -> None:
        """Drop the lock and empty the holder record."""
        if self._fd is None:
            return
        os.ftruncate(self._fd, 0)
        fcntl.flock(self._fd, fcntl.LOCK_UN)
        os.close(self._fd)
        self._fd = None

    def __enter__(self) -> EtlLock:
        self.acquire()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()
