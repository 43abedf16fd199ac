"""One module per page: ``register(app)`` registers the page, its layout and its callbacks."""

from __future__ import annotations

from dashboard.pages import coverage, overview, retention, roi
from dashboard.pages import data as data_page

PAGE_MODULES = (overview, coverage, roi, retention, data_page)
