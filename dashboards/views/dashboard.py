"""The dashboards: the director's team heatmap, the organization overview, a coordinator's
page over time and its CSV export (scoped exactly like the pages). The heatmap's exports are
in dashboards/views/exports.py."""

from django.http import Http404
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_GET

from coordinators.access import check_role, get_profile_for_user, has_role, role_required
from coordinators.models import Role, Team
from dashboards import exports, fragments
from dashboards.filters import DashboardFilterSet, sort_links
from dashboards.flags import FLAG_LABELS
from dashboards.overview_counts import SCHOOLS_KEPT
from dashboards.selectors.common import (
    CATEGORY_KEYS,
    STATUS_LABELS,
    chosen_cycle,
    cycles_and_version,
)
from dashboards.selectors.coordinator import CoordinatorPage, coordinator_page
from dashboards.selectors.overview import overview_page
from dashboards.selectors.schools import coordinator_agreements
from dashboards.selectors.team import (
    DashboardReach,
    TeamDashboard,
    TeamOutOfReach,
    dashboard_page,
    dashboard_reach,
    team_dashboard_for,
)
from dashboards.selectors.trends import organization_trend, rubric_words
from rubrics.models import CategoryKey

ROWS_PER_PAGE = 100
SCHOOLS_ON_OVERVIEW = SCHOOLS_KEPT  # the sites with most flags; "show all" lists every one
NARROWING_FILTERS = ("team", "school", "school_level", "setting", "flag", "status", "q")


def _reach_and_team(request) -> tuple[DashboardReach, Team | None, DashboardFilterSet]:
    """The user's reach, the team the request names if it is in reach (else a 404), and the
    request's filters (built when first used: a cache hit uses them only to name a team)."""
    check_role(request.user, Role.DIRECTOR, Role.ADMIN)
    reach = dashboard_reach(user=request.user)
    filterset = SimpleLazyObject(
        lambda: DashboardFilterSet(
            request.GET or None,
            queryset=reach.profiles,
            cycles=reach.cycles,
            teams=reach.team_queryset,
        )
    )
    try:
        team = reach.team_named_by(request.GET.get("team", ""), filterset)
    except TeamOutOfReach as exc:
        raise Http404("No such team in your reach.") from exc
    return reach, team, filterset


def _dashboard(reach: DashboardReach, team: Team | None, filterset) -> TeamDashboard:
    """The heatmap of the coordinators in the user's reach, with the request's filters: their
    teams' for a director, everyone (or one chosen team) for an org admin."""
    return team_dashboard_for(reach=reach, team=team, filterset=filterset)


TEAM_PAGE_VALUES = (
    "dashboard",
    "page_obj",
    "rows",
    "rows_and_deadlines",
    "category_columns",
    "sort_links",
)


@require_GET
@role_required(Role.DIRECTOR, Role.ADMIN)
def team_dashboard(request):
    """Rendered from the fragment cache when the same view of the same data was rendered
    before; the rows are read only on a miss."""
    reach, team, filterset = _reach_and_team(request)
    is_admin = has_role(request.user, Role.ADMIN)
    cycle = chosen_cycle(reach.cycles, request.GET.get("cycle", ""))

    def compute():
        dashboard = _dashboard(reach, team, filterset)
        page = dashboard_page(
            dashboard.rows, number=request.GET.get("page"), per_page=ROWS_PER_PAGE
        )
        links = sort_links(request.GET, dashboard.sort)
        return {
            "dashboard": dashboard,
            "page_obj": page.page,
            "rows": page.page.object_list,
            "rows_and_deadlines": page.rows_and_deadlines,
            "category_columns": [
                (key, CategoryKey(key).label, links[key]) for key in CATEGORY_KEYS
            ],
            "sort_links": links,
        }

    export_query = request.GET.copy()
    export_query.pop("page", None)
    return render(
        request,
        "dashboards/dashboard_team.html",
        {
            **fragments.lazy_context(TEAM_PAGE_VALUES, compute),
            "fragment_key": fragments.fragment_key(
                page="team",
                organization_id=reach.organization_id,
                cycle_id=cycle.pk if cycle else None,
                scope=fragments.scope_of(
                    is_admin=is_admin, team_ids=() if is_admin else [t.pk for t in reach.teams]
                ),
                query=request.GET,
                version=reach.version,
            ),
            "fragment_timeout": fragments.TIMEOUT,
            "export_query": export_query.urlencode(),
            "filtered": any(request.GET.get(name) for name in NARROWING_FILTERS),
        },
    )


OVERVIEW_VALUES = ("overview", "school_rows", "schools_flagged", "trend")


@require_GET
@role_required(Role.ADMIN)
def org_overview(request):
    """Rendered from the fragment cache when the same view of the same data was rendered
    before; the counts are read only on a miss."""
    organization_id = request.user.organization_id
    cycles, version = cycles_and_version(organization_id)
    cycle = chosen_cycle(cycles, request.GET.get("cycle", ""))
    every_school = request.GET.get("schools") == "all"

    def compute():
        words = rubric_words(organization_id)
        page = overview_page(
            organization=organization_id,
            cycle_id=request.GET.get("cycle", ""),
            cycles=cycles,
            names_by_version=words.names_by_version,
            every_school=every_school,
            team_page=request.GET.get("page"),
        )
        schools = page.overview.flags_by_school
        return {
            "overview": page.overview,
            "school_rows": page.overview.flag_table(
                schools if every_school else schools[:SCHOOLS_ON_OVERVIEW]
            ),
            "schools_flagged": page.overview.schools_flagged,
            "trend": organization_trend(
                organization=organization_id,
                cycles=cycles,
                names_by_version=words.names_by_version,
                labels=words.labels,
            ),
        }

    return render(
        request,
        "dashboards/overview.html",
        {
            **fragments.lazy_context(OVERVIEW_VALUES, compute),
            "fragment_key": fragments.fragment_key(
                page="overview",
                organization_id=organization_id,
                cycle_id=cycle.pk if cycle else None,
                scope=fragments.scope_of(is_admin=True, team_ids=()),
                query=request.GET,
                version=version,
            ),
            "fragment_timeout": fragments.TIMEOUT,
            "cycles": cycles,
            "cycle": cycle,
            "every_school": every_school,
            "flag_labels": list(FLAG_LABELS.items()),
            "statuses": list(STATUS_LABELS.items()),
        },
    )


def _coordinator_page(request, pk) -> CoordinatorPage:
    check_role(request.user, Role.COORDINATOR, Role.DIRECTOR, Role.ADMIN)
    profile = get_profile_for_user(request, pk, related=("career_position__stage",))
    return coordinator_page(profile=profile)


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
            "site_agreements": coordinator_agreements(
                schools=history.row.schools, year=page.facts.school_year
            ),
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
