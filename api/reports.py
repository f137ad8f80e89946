"""The reports' aggregates for the read API: the very tables the report pages show an org
admin (dashboards/views/reports.py), built by the same public entry points — so a group of
fewer than 5 people reads "fewer than 5" and its rates null, never a number."""

from dashboards.report_filters import ReportFilterForm
from dashboards.report_rules import SUPPRESSED
from dashboards.selectors.impact import (
    organization_cycles_in_order,
    role_family_choices,
    support_groups,
)
from dashboards.selectors.reports import REPORT_FILTERS, report_with_tables

REPORTS = ("impact", "retention", "calibration")


class BadFilter(ValueError):
    def __init__(self, errors: dict):
        super().__init__("invalid report filter")
        self.errors = errors


def report_tables(organization, slug: str, params) -> dict:
    """The report ``slug`` of the organization as its org admin sees it, narrowed by
    ``params`` (a QueryDict of the page's filters); ``BadFilter`` for a filter that is not
    one of its choices."""
    cycles = organization_cycles_in_order(organization.pk)
    data = params.copy()
    for name in list(data):
        if name not in REPORT_FILTERS[slug]:
            del data[name]
    form = ReportFilterForm(
        data,
        cycles=cycles,
        role_families=role_family_choices(organization.pk),
        groups=support_groups(organization) if slug == "impact" else (),
        fields=REPORT_FILTERS[slug],
    )
    if data and not form.is_valid():
        # The field names only: the messages would repeat the values sent.
        raise BadFilter({name: "not one of its choices" for name in form.errors})
    report, tables = report_with_tables(
        slug, organization=organization, scope=form.scope(), cycles=cycles, may_list=False
    )
    note = ""
    if slug == "retention" and report.left_unknown:
        note = f"{report.left_unknown} people left on a day nobody recorded and are not counted."
    return {
        "report": slug,
        "suppressed_as": SUPPRESSED,
        "note": note,
        "tables": [
            {
                "title": table.title,
                "how_to_read": table.how_to_read,
                "header": table.header,
                "rows": [[cell.value for cell in row] for row in table.rows],
            }
            for table in tables
        ],
    }
