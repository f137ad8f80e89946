"""The organization's reports: impact of supports, retention and careers, calibration across
directors. Each page shows tables (with a chart beside those that have one) built by
dashboards/report_tables.py; its CSV and XLSX exports write the same tables, and each number
links to the people behind it for those allowed to see them (an org admin; a director for
the people of their own calibration figures)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from coordinators.access import has_role, role_required
from coordinators.models import CoordinatorProfile, Role, Team
from dashboards import exports
from dashboards.report_filters import ReportFilterForm
from dashboards.report_tables import (
    ASSOCIATION,
    ReportTable,
    export_lines,
)
from dashboards.selectors.impact import (
    organization_cycles_in_order,
    role_family_choices,
    support_groups,
)
from dashboards.selectors.reports import REPORT_FILTERS, report_with_tables

PEOPLE_SHOWN = 500
TITLES = {
    "impact": "Impact of supports",
    "retention": "Retention and careers",
    "calibration": "Calibration across directors",
}
INTROS = {
    "impact": "For each support kind and catalogue entry: the people who had it during a cycle "
    "and how their level in each category moved by their next finalized cycle, beside the "
    "people who started at the same level in the same cycles without it.",
    "retention": "Who stays in the role, one, two and three years on, and how long people "
    "take to reach each career stage.",
    "calibration": "Whether directors rate on the same scale: each director's supervisor "
    "levels beside the organization's, how far they sit from the coordinators' own levels, "
    "ratings finalized without evidence or note, and reviews finished within the window.",
}
EMPTY = {
    "impact": "Nothing to compare yet: it needs people with two finalized cycles and supports "
    "recorded between them (on a coordinator's growth page). Widen the filters if some are "
    "chosen.",
    "retention": "Nobody to count yet: add coordinators with their first day in the role.",
    "calibration": "No finalized reviews in these cycles yet. Widen the filters if some are "
    "chosen.",
}
ROLES = {
    "impact": (Role.ADMIN,),
    "retention": (Role.ADMIN,),
    "calibration": (Role.ADMIN, Role.DIRECTOR),
}


@dataclass
class ReportPage:
    slug: str
    form: ReportFilterForm
    tables: list[ReportTable]
    report: object
    note: str = ""

    @property
    def title(self) -> str:
        return TITLES[self.slug]

    @property
    def note_heading(self) -> str:
        return "Association, not proof of cause." if self.slug == "impact" else "Note."

    @property
    def headline_note(self) -> str:
        """The note as the page shows it, heading first; the exports carry it too."""
        return f"{self.note_heading} {self.note}" if self.note else ""

    @property
    def raters_page(self):
        """The page of directors or teams the calibration report shows, or None."""
        return getattr(self.report, "raters_page", None)

    @property
    def raters_pages_label(self) -> str:
        return f"Pages of {'teams' if self.report.group == 'team' else 'directors'}"

    @property
    def intro(self) -> str:
        return INTROS[self.slug]

    @property
    def empty_message(self) -> str:
        return EMPTY[self.slug]

    def filter_words(self) -> list[str]:
        """The filters in effect (an invalid one is ignored), in words, for the export."""
        words = []
        if self.form.is_bound:
            self.form.is_valid()
            for name, field in self.form.fields.items():
                value = self.form.cleaned_data.get(name)
                if value not in (None, "") and name not in self.form.errors:
                    words.append(f"{field.label}: {dict(field.choices).get(str(value), value)}")
        return words or ["Filters: none"]


def _report_page(request, slug: str, *, paged: bool = False) -> ReportPage:
    """The report ``slug`` as the request's filters narrow it, for whoever may see it;
    ``paged``: one page of a list that grows with the organization (calibration's directors
    or teams, the page the address names), else all of it."""
    user = request.user
    if not has_role(user, *ROLES[slug]):
        raise PermissionDenied("Your role does not give access to this report.")
    organization = user.organization
    cycles = organization_cycles_in_order(organization.pk)
    form = ReportFilterForm(
        request.GET,
        cycles=cycles,
        role_families=role_family_choices(organization.pk),
        groups=support_groups(organization) if slug == "impact" else (),
        fields=REPORT_FILTERS[slug],
    )
    is_admin = has_role(user, Role.ADMIN)
    directing = (
        []
        if is_admin or slug != "calibration"
        else list(Team.objects.filter(director=user).values_list("pk", flat=True))
    )
    report, tables = report_with_tables(
        slug,
        organization=organization,
        scope=form.scope(),
        cycles=cycles,
        may_list=True,
        viewer=None if is_admin else user,
        directing=directing,
        page=request.GET.get("page", "1") if paged else None,
    )
    if slug == "impact":
        return ReportPage(slug, form, tables, report, ASSOCIATION)
    if slug == "retention":
        note = ""
        if report.left_unknown:
            note = (
                f"{report.left_unknown} people left on a day nobody recorded and are not "
                "counted; record the day on their person page."
            )
        return ReportPage(slug, form, tables, report, note)
    note = "" if is_admin else "Your own figures are named; the other directors' are anonymised."
    return ReportPage(slug, form, tables, report, note)


@require_GET
@role_required(Role.ADMIN, Role.DIRECTOR)
def report(request, slug):
    page = _report_page(request, slug, paged=True)
    query = request.GET.urlencode()
    return render(
        request,
        "dashboards/report.html",
        {"page": page, "query": query, "other_reports": _reports_for(request.user)},
    )


@require_GET
@role_required(Role.ADMIN, Role.DIRECTOR)
def report_export(request, slug, fmt):
    """Exactly the tables the page shows, under the report's title and its filters."""
    page = _report_page(request, slug)
    notes = [page.headline_note] if page.note else []
    lines = export_lines(page.title, [*notes, *page.filter_words()], page.tables)
    day = timezone.localdate().isoformat()
    filename = exports.export_filename("growth-matrix", slug, day, extension=fmt)
    if fmt == "xlsx":
        return exports.xlsx_response(filename, lines[0], lines[1:], title=page.title)
    return exports.csv_response(filename, lines[0], lines[1:])


@require_GET
@role_required(Role.ADMIN, Role.DIRECTOR)
def report_people(request, slug):
    """The people behind one number of a report (``?cell=``), with the report's filters; a
    number hidden, not on the page, or not the viewer's to open is a 404."""
    page = _report_page(request, slug)
    found = page.report.people_of(request.GET.get("cell", "")[:200])
    if found is None:
        raise Http404("No such number on this report.")
    label, ids = found
    people = list(
        CoordinatorProfile.objects.filter(
            organization=request.user.organization_id, pk__in=list(ids)[: PEOPLE_SHOWN * 2]
        )
        .select_related("user", "team")
        .order_by("user__last_name", "user__first_name", "pk")[:PEOPLE_SHOWN]
    )
    back = request.GET.copy()
    back.pop("cell", None)
    return render(
        request,
        "dashboards/report_people.html",
        {
            "page": page,
            "label": label,
            "people": people,
            "total": len(ids),
            "back": back.urlencode(),
        },
    )


def _reports_for(user) -> list[tuple[str, str]]:
    return [(slug, title) for slug, title in TITLES.items() if has_role(user, *ROLES[slug])]
