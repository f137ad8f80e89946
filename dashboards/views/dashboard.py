"""The dashboards: the director's team heatmap, the organization overview, a coordinator's
page over time, and their CSV/XLSX exports (scoped exactly like the pages)."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from coordinators.access import check_role, get_profile_for_user, has_role, role_required
from coordinators.models import Role
from dashboards import exports
from dashboards.filters import DashboardFilterSet, sort_links
from dashboards.flags import FLAG_HELP, FLAG_LABELS
from dashboards.selectors.common import CATEGORY_KEYS, STATUS_LABELS
from dashboards.selectors.coordinator import CoordinatorPage, coordinator_page
from dashboards.selectors.overview import overview_page
from dashboards.selectors.team import (
    TeamDashboard,
    dashboard_page,
    dashboard_reach,
    team_dashboard_for,
)
from rubrics.models import CategoryKey

ROWS_PER_PAGE = 100
SCHOOLS_ON_OVERVIEW = 20  # the sites with most flags; "show all" lists every one
NARROWING_FILTERS = ("team", "school", "school_level", "setting", "flag", "status", "q")


def _dashboard(request) -> TeamDashboard:
    """The heatmap of the coordinators in the user's reach, with the request's filters: their
    teams' for a director, everyone (or one chosen team) for an org admin. A team outside that
    reach is a 404."""
    check_role(request.user, Role.DIRECTOR, Role.ADMIN)
    reach = dashboard_reach(user=request.user)
    wanted_team = request.GET.get("team", "")
    team = reach.team(wanted_team)
    if wanted_team and team is None:
        raise Http404("No such team in your reach.")
    filterset = DashboardFilterSet(
        request.GET or None, queryset=reach.profiles, cycles=reach.cycles, teams=reach.teams
    )
    return team_dashboard_for(reach=reach, team=team, filterset=filterset)


@require_GET
@role_required(Role.DIRECTOR, Role.ADMIN)
def team_dashboard(request):
    dashboard = _dashboard(request)
    page = dashboard_page(dashboard.rows, number=request.GET.get("page"), per_page=ROWS_PER_PAGE)
    export_query = request.GET.copy()
    export_query.pop("page", None)
    links = sort_links(request.GET, dashboard.sort)
    return render(
        request,
        "dashboards/dashboard_team.html",
        {
            "dashboard": dashboard,
            "page_obj": page.page,
            "rows": page.page.object_list,
            "rows_and_deadlines": page.rows_and_deadlines,
            "category_columns": [
                (key, CategoryKey(key).label, links[key]) for key in CATEGORY_KEYS
            ],
            "sort_links": links,
            "export_query": export_query.urlencode(),
            "flag_help": [(FLAG_LABELS[code], text) for code, text in FLAG_HELP.items()],
            "filtered": any(request.GET.get(name) for name in NARROWING_FILTERS),
        },
    )


@require_GET
@role_required(Role.DIRECTOR, Role.ADMIN)
def team_dashboard_export(request, fmt):
    """The dashboard as CSV or XLSX: every row of the filtered list, in its order."""
    dashboard = _dashboard(request)
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
    page = overview_page(
        organization=request.user.organization_id, cycle_id=request.GET.get("cycle", "")
    )
    schools = page.overview.flags_by_school_table()
    every_school = request.GET.get("schools") == "all"
    return render(
        request,
        "dashboards/overview.html",
        {
            "cycles": page.cycles,
            "cycle": page.cycle,
            "overview": page.overview,
            "school_rows": schools if every_school else schools[:SCHOOLS_ON_OVERVIEW],
            "schools_flagged": len(schools),
            "every_school": every_school,
            "flag_labels": list(FLAG_LABELS.items()),
            "statuses": list(STATUS_LABELS.items()),
        },
    )


def _coordinator_page(request, pk) -> CoordinatorPage:
    check_role(request.user, Role.COORDINATOR, Role.DIRECTOR, Role.ADMIN)
    return coordinator_page(profile=get_profile_for_user(request, pk))


@require_GET
def coordinator_detail(request, pk):
    """The coordinator themself, their team's director or an org admin; others get a 404."""
    page = _coordinator_page(request, pk)
    profile, history = page.profile, page.history
    return render(
        request,
        "dashboards/coordinator_detail.html",
        {
            "profile": profile,
            "history": history,
            "row": history.row,
            "flags_cycle": page.facts.cycle,
            "page_context": page.facts,  # stages, thresholds and names, for the growth panel too
            "chart_data": history.chart_data(),
            "is_own_page": profile.user_id == request.user.pk,
        },
    )


@require_GET
def coordinator_history_export(request, pk):
    page = _coordinator_page(request, pk)
    header, lines = exports.history_table(page.history)
    filename = exports.export_filename(
        "growth-matrix-history", page.profile.user.display_name, extension="csv"
    )
    return exports.csv_response(filename, header, lines)
