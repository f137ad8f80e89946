"""The dashboards: the director's team heatmap, the organization overview, a coordinator's
page over time, and their CSV/XLSX exports (scoped exactly like the pages)."""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from assessments.models import AssessmentCycle
from coordinators.access import (
    check_role,
    get_profile_for_user,
    has_role,
    profiles_directed_by,
    role_required,
)
from coordinators.models import Role, Team
from dashboards import exports
from dashboards.filters import DashboardFilterSet
from dashboards.flags import FLAG_HELP, FLAG_LABELS
from dashboards.selectors.team import (
    CATEGORY_KEYS,
    STATUS_LABELS,
    DashboardRow,
    coordinator_history,
    dashboard_rows,
    default_cycle,
    organization_cycles,
    organization_overview,
    page_context,
    rows_filtered_and_sorted,
)
from growth.selectors import goal_deadlines
from rubrics.models import CategoryKey

ROWS_PER_PAGE = 100
SCHOOLS_ON_OVERVIEW = 20  # the sites with most flags; "show all" lists every one


@dataclass
class Dashboard:
    """The team heatmap as the user may see it, with the filters of the request applied."""

    filterset: DashboardFilterSet
    cycles: list[AssessmentCycle]
    cycle: AssessmentCycle | None
    teams: list[Team]
    team: Team | None
    rows: list[DashboardRow]  # filtered and sorted
    total: int  # coordinators in reach before the flag and status filters
    sort: str
    any_finalized: bool


def dashboard_for(request) -> Dashboard:
    """Rows in the user's reach: their teams' coordinators for a director, everyone (or one
    chosen team) for an org admin. A team outside that reach is a 404."""
    user = request.user
    check_role(user, Role.DIRECTOR, Role.ADMIN)
    organization = user.organization_id
    teams = Team.objects.filter(organization=organization).order_by("name")
    if not has_role(user, Role.ADMIN):
        teams = teams.filter(director=user)
    teams = list(teams)
    wanted_team = request.GET.get("team", "")
    team = next((t for t in teams if str(t.pk) == wanted_team), None)
    if wanted_team and team is None:
        raise Http404("No such team in your reach.")
    cycles = organization_cycles(organization)
    filterset = DashboardFilterSet(
        request.GET or None,
        queryset=profiles_directed_by(user).filter(active=True),
        cycles=cycles,
        teams=teams,
    )
    wanted_cycle = filterset.value("cycle")
    cycle = next((c for c in cycles if str(c.pk) == wanted_cycle), None) or default_cycle(cycles)
    context = page_context(organization, cycle)
    rows = dashboard_rows(profiles=filterset.qs, context=context)
    sort = filterset.value("sort") or "name"
    return Dashboard(
        filterset=filterset,
        cycles=cycles,
        cycle=cycle,
        teams=teams,
        team=team,
        rows=rows_filtered_and_sorted(
            rows, flag=filterset.value("flag"), status=filterset.value("status"), sort=sort
        ),
        total=len(rows),
        sort=sort,
        any_finalized=any(
            cell.value and not cell.submitted_only for row in rows for cell in row.cells
        ),
    )


def sort_links(request, current: str) -> dict[str, dict]:
    """For each sortable column: the URL that sorts by it, and its aria-sort state."""
    links = {}
    for key in ("name", "team", "status", "flags", *CATEGORY_KEYS):
        ascending = current == key
        descending = current == f"-{key}"
        params = request.GET.copy()
        params["sort"] = f"-{key}" if ascending else key
        params.pop("page", None)
        links[key] = {
            "url": f"?{params.urlencode()}",
            "aria_sort": "ascending" if ascending else "descending" if descending else "none",
        }
    return links


@require_GET
@role_required(Role.DIRECTOR, Role.ADMIN)
def team_dashboard(request):
    dashboard = dashboard_for(request)
    page = Paginator(dashboard.rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    # Goals overdue and due soon of this page's coordinators only (one query, whatever the team).
    deadlines = goal_deadlines(profile_ids=[row.person.pk for row in page.object_list])
    export_query = request.GET.copy()
    export_query.pop("page", None)
    links = sort_links(request, dashboard.sort)
    return render(
        request,
        "dashboards/dashboard_team.html",
        {
            "dashboard": dashboard,
            "page_obj": page,
            "rows": page.object_list,
            # The same rows, each with its goals overdue and due soon (or None), as drawn.
            "rows_and_deadlines": [(row, deadlines.get(row.person.pk)) for row in page.object_list],
            "category_columns": [
                (key, CategoryKey(key).label, links[key]) for key in CATEGORY_KEYS
            ],
            "sort_links": links,
            "export_query": export_query.urlencode(),
            "flag_help": [(FLAG_LABELS[code], text) for code, text in FLAG_HELP.items()],
            "filtered": any(
                request.GET.get(name)
                for name in ("team", "school", "school_level", "setting", "flag", "status", "q")
            ),
        },
    )


@require_GET
@role_required(Role.DIRECTOR, Role.ADMIN)
def team_dashboard_export(request, fmt):
    """The dashboard as CSV or XLSX: every row of the filtered list, in its order."""
    dashboard = dashboard_for(request)
    header, lines = exports.matrix_table(dashboard.rows, dashboard.cycle)
    if dashboard.team is not None or len(dashboard.teams) == 1:
        scope = (dashboard.team or dashboard.teams[0]).name
    elif has_role(request.user, Role.ADMIN):
        scope = request.user.organization.slug
    else:
        scope = "teams"
    cycle_name = dashboard.cycle.name if dashboard.cycle else ""
    filename = exports.export_filename("growth-matrix", scope, cycle_name, extension=fmt)
    if fmt == "xlsx":
        return exports.xlsx_response(filename, header, lines, title=cycle_name or "Matrix")
    return exports.csv_response(filename, header, lines)


@require_GET
@role_required(Role.ADMIN)
def org_overview(request):
    organization = request.user.organization_id
    cycles = organization_cycles(organization)
    wanted = request.GET.get("cycle", "")
    cycle = next((c for c in cycles if str(c.pk) == wanted), None) or default_cycle(cycles)
    context = page_context(organization, cycle)
    overview = organization_overview(organization=organization, context=context)
    schools = overview.flags_by_school_table()
    every_school = request.GET.get("schools") == "all"
    return render(
        request,
        "dashboards/overview.html",
        {
            "cycles": cycles,
            "cycle": cycle,
            "overview": overview,
            "school_rows": schools if every_school else schools[:SCHOOLS_ON_OVERVIEW],
            "schools_flagged": len(schools),
            "every_school": every_school,
            "flag_labels": list(FLAG_LABELS.items()),
            "statuses": list(STATUS_LABELS.items()),
        },
    )


def _history_for(request, pk):
    check_role(request.user, Role.COORDINATOR, Role.DIRECTOR, Role.ADMIN)
    profile = get_profile_for_user(request, pk, related=("career_position__stage",))
    organization = request.user.organization_id
    cycles = organization_cycles(organization)
    context = page_context(organization, default_cycle(cycles))
    return profile, context, coordinator_history(profile=profile, context=context)


@require_GET
def coordinator_detail(request, pk):
    """The coordinator themself, their team's director or an org admin; others get a 404."""
    profile, context, history = _history_for(request, pk)
    return render(
        request,
        "dashboards/coordinator_detail.html",
        {
            "profile": profile,
            "history": history,
            "row": history.row,
            "flags_cycle": context.cycle,
            "page_context": context,  # stages, thresholds and names, for the growth panel too
            "chart_data": history.chart_data(),
            "is_own_page": profile.user_id == request.user.pk,
        },
    )


@require_GET
def coordinator_history_export(request, pk):
    profile, _context, history = _history_for(request, pk)
    header, lines = exports.history_table(history)
    filename = exports.export_filename(
        "growth-matrix-history", profile.user.display_name, extension="csv"
    )
    return exports.csv_response(filename, header, lines)
