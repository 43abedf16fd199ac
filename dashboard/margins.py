"""Chart margins wide enough for the tick labels, worked out on the server.

The app's axes have plotly's ``automargin`` on (plotly_white's layout): plotly.js draws the
chart, measures the tick labels, and when they do not fit the margins it grows the margins and
draws the whole chart again. Every chart of the app used to be drawn twice that way, as its
margins started at 10 px. A chart whose margins already fit its labels is drawn once: in
headless Chromium at 50,000 employees the first drawing of the coverage page's three charts
took 130 ms instead of 320 ms.

So each figure's margins start from an estimate made from its labels here. The estimate errs
wide (a few pixels of white space); where it falls short, for a font much wider than expected,
automargin still grows the margin as before, at the cost of the second drawing. Long category
labels on a horizontal axis are slanted by a fixed angle rather than by plotly's own choice,
which depends on the width of the browser window and so cannot be known here.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import Any

import plotly.graph_objects as go

CHAR_PX = 7.0
"""Width of one character of a 12 px tick label. Measured in Chromium: 6.6-6.9 px (the widest
of 13 charts' labels: "Customer Support" 110 px, a 52-character gap label 343 px)."""

LINE_PX = 16
"""Height of one line of a 12 px label, with room to spare (measured 12-14 px)."""

TICKS_PX = 14
"""Tick length and the gap between the ticks and their labels (measured 11 px)."""

NUMBER_PX = 40
"""Width of a numeric tick label ("1000", "−150", "10k": measured 15-33 px; "−1500" more)."""

TITLE_PX = 28
"""An axis title with its gap to the tick labels (measured 25 px below, 33-36 px beside)."""

COLORBAR_PX = 145
"""A heatmap's colour bar with its tick labels and title (measured 133-137 px)."""

SLANT_DEGREES = 30
"""The angle of slanted category labels (plotly's own first choice when labels collide)."""

UPRIGHT_WIDTH_PX = 440
"""Category labels that together are wider than this are slanted: about the plot width of a
half-width chart on a 1280-pixel screen (measured 455-517 px)."""

MAX_MARGIN_PX = 400
"""The most a side is given here. A longer label (over 55 characters on the left) is left to
automargin, which also keeps some plot area however narrow the window: a margin set here is
drawn as given, and one wider than the chart would leave no plot at all."""

_ISO_DATE = re.compile(r"^\d{4}-\d{2}(-\d{2})?([ T]\d{2}:\d{2}(:\d{2})?)?$")


def fit_margins(fig: go.Figure) -> go.Figure:
    """Widen ``fig``'s margins to fit its tick labels (never narrow them) and slant long
    category labels on the horizontal axis. Changes ``fig`` in place and returns it."""
    layout = fig.layout
    need = {"l": 0.0, "r": 0.0, "b": 0.0}
    x_labels = _labels(fig, "x")
    y_labels = _labels(fig, "y")
    xaxis, yaxis = layout.xaxis, layout.yaxis
    if xaxis.visible is not False:
        need["b"], need["r"] = _bottom(xaxis, x_labels)
    if yaxis.visible is not False:
        need["l"] = _left(yaxis, y_labels)
    if any(_has_colorbar(trace) for trace in fig.data):
        need["r"] = max(need["r"], COLORBAR_PX)
    margin = layout.margin
    for side, pixels in need.items():
        current = getattr(margin, side) or 0
        pixels = min(pixels, MAX_MARGIN_PX)
        if pixels > current:
            setattr(margin, side, math.ceil(pixels))
    return fig


def _labels(fig: go.Figure, letter: str) -> list[str] | None:
    """The category labels on the ``letter`` axis in drawing order, or None when the axis is
    numeric or dates."""
    axis = fig.layout[f"{letter}axis"]
    if axis.type in ("linear", "log", "date"):
        return None
    labels: dict[str, None] = {}
    for trace in fig.data:
        values = getattr(trace, letter, None)
        if values is None or _values_axis(trace) == letter:
            continue
        for value in values:
            if not isinstance(value, str) or _ISO_DATE.match(value):
                return None
            labels.setdefault(value)
    return list(labels) if labels else None


def _values_axis(trace: Any) -> str | None:
    """The axis a bar trace's lengths run along (its other axis holds the categories)."""
    if trace.type == "bar":
        return "x" if trace.orientation == "h" else "y"
    return None


def _width(labels: Iterable[str]) -> float:
    return max((len(label) for label in labels), default=0) * CHAR_PX


def _titled(axis: Any) -> bool:
    return bool(axis.title and axis.title.text)


def _left(axis: Any, labels: list[str] | None) -> float:
    """The left margin for the vertical axis's tick labels and title."""
    width = _width(labels) if labels is not None else NUMBER_PX
    return width + TICKS_PX + (TITLE_PX if _titled(axis) else 0)


def _bottom(axis: Any, labels: list[str] | None) -> tuple[float, float]:
    """(bottom, right) margins for the horizontal axis's tick labels and title. Long category
    labels are slanted (the axis's ``tickangle`` is set) and may reach past the right edge."""
    title = TITLE_PX if _titled(axis) else 0
    if labels is None:
        return LINE_PX + TICKS_PX + title, 0.0
    angle = axis.tickangle
    if angle is None or angle == "auto":
        upright = sum(len(label) * CHAR_PX + 10 for label in labels)
        angle = 0 if upright <= UPRIGHT_WIDTH_PX else SLANT_DEGREES
        axis.tickangle = angle
    slant = math.radians(abs(float(angle)))
    widest = _width(labels)
    bottom = math.sin(slant) * widest + math.cos(slant) * LINE_PX + TICKS_PX + title
    # A label slanted down to the right starts at its tick: the last one reaches past the plot.
    right = math.cos(slant) * _width(labels[-1:]) if float(angle) > 0 else 0.0
    return bottom, right


def _has_colorbar(trace: Any) -> bool:
    return trace.type == "heatmap" and trace.showscale is not False
