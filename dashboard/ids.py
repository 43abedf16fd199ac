"""Every component id of the dashboard, in one place so that pages never collide.

Ids are namespaced by page (``overview-``, ``coverage-``...); the shell's are ``shell-``.
"""

from __future__ import annotations

# The shell: global filters, their URL mirror and the navigation.
FILTER_DEPARTMENT = "shell-filter-department"
FILTER_TEAM = "shell-filter-team"
FILTER_LOCATION = "shell-filter-location"
FILTER_JOB_FAMILY = "shell-filter-job-family"
FILTER_FRAMEWORK = "shell-filter-framework"
FILTER_AS_OF = "shell-filter-as-of"
FILTER_RESET = "shell-filter-reset"
FILTERS_STORE = "shell-filters"
QUERY_STORE = "shell-query"
URL = "shell-url"
URL_SYNC = "shell-url-sync"
FILTER_NOTE = "shell-filter-note"
NAV = "shell-nav"
NAV_LINK = "shell-nav-link"  # pattern id: {"type": NAV_LINK, "path": "/coverage"}
FRESHNESS = "shell-freshness"
USER_MENU = "shell-user-menu"
USER_NAME = "shell-user-name"
LOGOUT = "shell-logout"

# Overview.
OVERVIEW_KPIS = "overview-kpis"
KPI_HEADCOUNT = "overview-kpi-headcount"
KPI_COVERAGE = "overview-kpi-coverage"
KPI_EXPIRING = "overview-kpi-expiring"
KPI_ATTRITION = "overview-kpi-attrition"
KPI_ROI = "overview-kpi-roi"
KPI_FRESHNESS = "overview-kpi-freshness"
OVERVIEW_HEADCOUNT = "overview-headcount"
OVERVIEW_GAPS = "overview-gaps"
OVERVIEW_EXPIRING = "overview-expiring"
OVERVIEW_ATTRITION = "overview-attrition"
OVERVIEW_REPORT_PNG = "overview-report-png"
OVERVIEW_REPORT_PDF = "overview-report-pdf"
OVERVIEW_REPORT_DOWNLOAD = "overview-report-download"

# Coverage.
COVERAGE_HEATMAP = "coverage-heatmap"
COVERAGE_GAPS = "coverage-gaps"
COVERAGE_SPOF = "coverage-spof"
COVERAGE_TREND = "coverage-trend"
COVERAGE_DRILL = "coverage-drill"
COVERAGE_DRILL_TITLE = "coverage-drill-title"
COVERAGE_HOLDERS = "coverage-holders"
COVERAGE_MISSING = "coverage-missing"
COVERAGE_DRILL_KEY = "coverage-drill-key"  # the open cell: [team_type, team, skill_id, name]
COVERAGE_DRILL_CSV = "coverage-drill-csv"
COVERAGE_DRILL_DOWNLOAD = "coverage-drill-download"
COVERAGE_NOTE = "coverage-note"

# Training ROI.
ROI_CHART = "roi-chart"
ROI_TABLE = "roi-table"
ROI_SHARE = "roi-share"
ROI_RATE = "roi-rate"
ROI_ASSUMPTIONS = "roi-assumptions"
ROI_RESET = "roi-reset"
ROI_NOTE = "roi-note"

# Retention.
RETENTION_RATES = "retention-rates"
RETENTION_FOREST = "retention-forest"
RETENTION_KM = "retention-km"
RETENTION_SUMMARY = "retention-summary"
RETENTION_ATTRITION = "retention-attrition"

# Data.
DATA_RUNS = "data-runs"
DATA_FILES = "data-files"
DATA_QUARANTINE = "data-quarantine"
DATA_UNMATCHED = "data-unmatched"
DATA_UNMATCHED_CHART = "data-unmatched-chart"
DATA_UNMATCHED_CSV = "data-unmatched-csv"
DATA_UNMATCHED_DOWNLOAD = "data-unmatched-download"
DATA_FRESHNESS = "data-freshness"
DATA_STEWARD_NOTE = "data-steward-note"
DATA_LISTS = "data-lists"

# Pattern-matching ids shared by every chart card: the CSV button, its download and the chart.
CSV_BUTTON = "csv-button"  # {"type": CSV_BUTTON, "chart": <chart id>}
CSV_DOWNLOAD = "csv-download"  # {"type": CSV_DOWNLOAD, "chart": <chart id>}
