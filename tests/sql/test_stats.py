"""The Cox fit of etl.stats against lifelines, on data where their tie rules agree."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from lifelines import CoxPHFitter

from etl.stats import CoxFitError, fit_cox_counting


def _data() -> pd.DataFrame:
    """40 rows, (start, stop] with delayed entry, every event time distinct (no ties, so
    Breslow = Efron), two 0/1 covariates that matter a little."""
    rng = np.random.default_rng(3)
    n = 40
    start = rng.integers(0, 5, n).astype(float)
    stop = 6 + rng.permutation(n).astype(float) * 0.5 + 0.25
    exposed = (np.arange(n) % 2).astype(float)
    other = (np.arange(n) % 3 == 0).astype(float)
    event = (rng.random(n) < 0.6 - 0.2 * exposed).astype(float)
    return pd.DataFrame(
        {"start": start, "stop": stop, "event": event, "exposed": exposed, "other": other}
    )


def test_counting_process_fit_matches_lifelines_without_ties() -> None:
    """Same coefficients and standard errors as lifelines' CoxPHFitter with entry_col."""
    frame = _data()
    assert frame.loc[frame["event"] > 0, "stop"].is_unique
    fit = fit_cox_counting(
        frame["start"].to_numpy(),
        frame["stop"].to_numpy(),
        frame["event"].to_numpy(),
        np.ones(len(frame)),
        frame[["exposed", "other"]].to_numpy(),
    )
    reference = CoxPHFitter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reference.fit(frame, duration_col="stop", event_col="event", entry_col="start")
    expected = reference.params_[["exposed", "other"]].to_numpy()
    assert fit.coefficients == pytest.approx(expected, abs=1e-5)
    errors = np.sqrt(np.diag(fit.covariance))
    assert errors == pytest.approx(reference.standard_errors_[["exposed", "other"]], rel=1e-4)


def test_weights_stand_for_repeated_rows() -> None:
    """A row with weight 2 is the same as the row written twice."""
    frame = _data()
    twice = pd.concat([frame, frame.iloc[:10]], ignore_index=True)
    weights = np.ones(len(frame))
    weights[:10] = 2
    columns = ["exposed", "other"]
    by_weight = fit_cox_counting(
        frame["start"].to_numpy(),
        frame["stop"].to_numpy(),
        frame["event"].to_numpy(),
        weights,
        frame[columns].to_numpy(),
    )
    by_rows = fit_cox_counting(
        twice["start"].to_numpy(),
        twice["stop"].to_numpy(),
        twice["event"].to_numpy(),
        np.ones(len(twice)),
        twice[columns].to_numpy(),
    )
    assert by_weight.coefficients == pytest.approx(by_rows.coefficients, abs=1e-9)


def test_complete_separation_is_reported_not_returned() -> None:
    """When every leaver is exposed and nobody exposed stays, ln HR runs to infinity."""
    start = np.zeros(6)
    stop = np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
    event = np.array([1.0, 1.0, 1.0, 0.0, 0.0, 0.0])
    exposed = np.array([[1.0], [1.0], [1.0], [0.0], [0.0], [0.0]])
    with pytest.raises(CoxFitError):
        fit_cox_counting(start, stop, event, np.ones(6), exposed)
