"""One report and its tables, for the report pages and the read API alike."""

from dashboards.report_tables import (
    calibration_tables,
    impact_tables,
    pre_post_table,
    retention_tables,
)
from dashboards.selectors.calibration import calibration_report
from dashboards.selectors.impact import impact_report
from dashboards.selectors.retention import retention_report

# The filters each report takes, by the names its page uses in its address.
REPORT_FILTERS = {
    "impact": ("cycle_from", "cycle_to", "role_family", "school_level", "setting", "pre_post"),
    "retention": ("role_family", "school_level", "setting", "split"),
    "calibration": ("cycle_from", "cycle_to", "role_family", "school_level", "setting", "group"),
}


def report_with_tables(
    slug: str,
    *,
    organization,
    scope,
    cycles,
    may_list: bool,
    viewer=None,
    directing=(),
    page=None,
):
    """The report ``slug`` narrowed by ``scope``, and its tables (the before-and-after table
    first, when the impact report has one). ``may_list``: whether its numbers link to the
    people behind them; ``viewer`` and ``directing``: a director's own calibration; ``page``:
    the page of its directors or teams to show (None: all of them)."""
    if slug == "impact":
        report = impact_report(organization=organization, scope=scope, cycles=cycles)
        tables = impact_tables(report, may_list=may_list)
        before_and_after = pre_post_table(report, may_list=may_list)
        if before_and_after is not None:
            tables.insert(0, before_and_after)
    elif slug == "retention":
        report = retention_report(organization=organization, scope=scope)
        tables = retention_tables(report, may_list=may_list)
    else:
        report = calibration_report(
            organization=organization,
            scope=scope,
            cycles=cycles,
            viewer=viewer,
            directing=directing,
            page=page,
        )
        tables = calibration_tables(report)
    return report, tables
