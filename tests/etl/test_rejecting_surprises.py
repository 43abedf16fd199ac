"""A loader's unforeseen error becomes a rejected file with a reason, never a crashed run."""

from __future__ import annotations

from pathlib import Path

import pytest

from etl.sources.base import FileRejected, rejecting_surprises


class _Panic(BaseException):
    """Stands for pyo3's PanicException: a BaseException, not an Exception."""


def test_an_unforeseen_error_names_the_file_the_format_and_the_error() -> None:
    """A ValueError while reading credentials.ndjson as Open Badges 3.0 becomes
    "credentials.ndjson could not be read as Open Badges 3.0 (ValueError: bad byte)"."""
    where = Path("/inbox/credentials.ndjson")
    with pytest.raises(FileRejected) as caught, rejecting_surprises(where, "Open Badges 3.0"):
        raise ValueError("bad byte")
    assert str(caught.value) == (
        "credentials.ndjson could not be read as Open Badges 3.0 (ValueError: bad byte)"
    )
    assert isinstance(caught.value.__cause__, ValueError)


def test_a_panic_deriving_from_base_exception_is_caught_too() -> None:
    rejected = pytest.raises(FileRejected, match=r"^export.csv could not be read as a badge-plat")
    with rejected, rejecting_surprises(Path("export.csv"), "a badge-platform export"):
        raise _Panic("index out of bounds")


def test_a_file_rejected_and_the_stop_signals_pass_through_unchanged() -> None:
    """The loader's own reason is kept word for word; Ctrl-C and exit still stop the run."""
    badge = Path("badge.png")
    with pytest.raises(FileRejected) as caught, rejecting_surprises(badge, "a baked badge"):
        raise FileRejected("badge.png: no baked credential")
    assert str(caught.value) == "badge.png: no baked credential"
    for signal in (KeyboardInterrupt, SystemExit):
        with pytest.raises(signal), rejecting_surprises(badge, "a baked badge"):
            raise signal()
