"""Fault injection for the crash tests: one environment variable, read in this one place.

``SKILLBOARD_FAULT="POINT:N[:ACTION]"`` makes the N-th arrival at the named point (``*`` = every
arrival) do ACTION:

- ``kill`` (default): ``SIGKILL`` the process, as a power cut or the OOM killer would;
- ``raise``: raise :class:`InjectedFault`, an ordinary error the run must survive;
- ``sleep=S``: pause S seconds (a slow run, to make schedules overlap).

Several faults may be given separated by commas. The points, in the order a run meets them:

============== ==================================================================
``load_start``  the lock is taken and the run recorded, no file read yet
``before_file`` before each new or changed inbox file is read (after the previous committed)
``mid_file``    inside a file's store transaction, after each raw table's rows were inserted
``after_file``  after a file's transaction committed
``before_build`` the store is closed, the snapshot build has not started
``after_model`` after each SQL / Python model of the build was materialised
``before_checkpoint`` every model built, the temporary snapshot not yet checkpointed
``before_rename`` the temporary snapshot is complete, just before ``os.replace``
``after_rename`` the new snapshot is published, the store not yet told so
============== ==================================================================

Unset (production), :func:`fault_point` is one dictionary lookup.
"""

from __future__ import annotations

import os
import signal
import time
from dataclasses import dataclass

ENV_VAR = "SKILLBOARD_FAULT"
POINTS = frozenset(
    {
        "load_start",
        "before_file",
        "mid_file",
        "after_file",
        "before_build",
        "after_model",
        "before_checkpoint",
        "before_rename",
        "after_rename",
    }
)


class InjectedFault(RuntimeError):
    """The error raised by a ``raise`` fault."""


@dataclass(frozen=True)
class Fault:
    """One parsed fault: where, on which arrival, and what happens."""

    point: str
    hit: int | None  # None = every arrival
    action: str  # kill / raise / sleep
    seconds: float = 0.0


def parse_faults(text: str) -> list[Fault]:
    """Parse the value of ``SKILLBOARD_FAULT``.

    Raises:
        ValueError: naming the part that is not ``POINT:N[:ACTION]`` with a known point.
    """
    faults = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        point, _, rest = part.partition(":")
        count, _, action = rest.partition(":")
        if point not in POINTS:
            raise ValueError(f"{ENV_VAR}: unknown fault point {point!r} in {part!r}")
        if count != "*" and not count.isdigit():
            raise ValueError(f"{ENV_VAR}: {part!r} needs POINT:N or POINT:* (N counts from 1)")
        seconds = 0.0
        action = action or "kill"
        if action.startswith("sleep="):
            seconds = float(action.removeprefix("sleep="))
            action = "sleep"
        if action not in ("kill", "raise", "sleep"):
            raise ValueError(f"{ENV_VAR}: unknown action {action!r} in {part!r}")
        faults.append(Fault(point, None if count == "*" else int(count), action, seconds))
    return faults


# Arrivals per point, for the current value of the variable (a new value starts a new count).
_arrivals: dict[str, int] = {}
_parsed: tuple[str, list[Fault]] = ("", [])


def reset() -> None:
    """Forget the arrival counts (tests that set the variable again in the same process)."""
    _arrivals.clear()


def fault_point(name: str) -> None:
    """Mark a named point of the run; fires the fault configured for it, if any."""
    global _parsed
    text = os.environ.get(ENV_VAR)
    if not text:
        return
    if _parsed[0] != text:
        _parsed = (text, parse_faults(text))
        _arrivals.clear()
    _arrivals[name] = _arrivals.get(name, 0) + 1
    for fault in _parsed[1]:
        if fault.point == name and fault.hit in (None, _arrivals[name]):
            _fire(fault)


def _fire(fault: Fault) -> None:
    if fault.action == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
        time.sleep(60)  # the signal is delivered asynchronously; never run on past the point
    elif fault.action == "raise":
        raise InjectedFault(f"injected fault at {fault.point}")
    else:
        time.sleep(fault.seconds)
