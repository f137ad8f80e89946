from django.shortcuts import render

from assessments.selectors import team_status
from assessments.selectors.team import open_cycle_call, with_current
from coordinators.access import role_required
from coordinators.models import CoordinatorProfile, Role, School
from coordinators.prepared import Prepared, attach, grouped, together
from dashboards.selectors.attention import admin_attention
from dashboards.selectors.growth_panel import assessment_infos, own_growth, own_growth_calls
from growthmatrix.roster.importing import roster_imports_with_errors

# The coordinator's own profile, its school sites and the organization's open cycle, on every
# My growth page (the page coordinators come back to most), read with the page's history and
# growth panel in one round trip.
_own_profile = Prepared(
    lambda _shape, user: CoordinatorProfile.objects.filter(user_id=user).select_related(
        "team", "team__director", "role_family", "career_position__stage"
    ),
    "user",
)
_own_schools = Prepared(
    lambda _shape, user: School.objects.filter(profiles__user_id=user),
    "user",
)


@role_required(Role.COORDINATOR)
def my_growth(request):
    user, organization = request.user.pk, request.user.organization_id
    profile, schools, open_cycle, *growth = together(
        _own_profile.call(first=True, user=user),
        _own_schools.call(user=user),
        open_cycle_call(organization),
        *own_growth_calls(user_id=user, organization_id=organization),
    )
    # With their category levels: the growth panel below reads its history from them.
    assessments, panel_reads = own_growth(growth)
    if profile is not None:
        attach([profile], "schools", {profile.pk: schools})
    current = next((a for a in assessments if open_cycle and a.cycle_id == open_cycle.pk), None)
    return render(
        request,
        "pages/my_growth.html",
        {
            "profile": profile,
            "open_cycle": open_cycle,
            "current": current,
            "past": [a for a in assessments if a is not current],
            "history": assessment_infos(assessments),
            "panel_reads": panel_reads,
        },
    )


def _team_profiles(open_cycle: bool, user: int, organization: int, cycle: int):
    """The coordinators on the teams ``user`` directs (an admin may direct one too), with their
    assessment of the open cycle ``cycle`` when one is open."""
    profiles = CoordinatorProfile.objects.filter(
        organization_id=organization, team__director_id=user
    ).select_related("user", "team", "career_position__stage")
    if open_cycle:
        return with_current(profiles, cycle)
    return profiles.order_by("team__name", "user__last_name", "user__first_name")


_team_profiles_read = Prepared(
    _team_profiles, "user", "organization", "cycle", shapes=(False, True)
)
# Their school sites, by name.
_team_schools = Prepared(
    lambda _shape, user, organization: (
        CoordinatorProfile.schools.through.objects.filter(
            coordinatorprofile__organization_id=organization,
            coordinatorprofile__team__director_id=user,
        )
        .select_related("school")
        .order_by("school__name", "school_id")
    ),
    "user",
    "organization",
)


@role_required(Role.DIRECTOR, Role.ADMIN)
def my_team(request):
    user = request.user
    status = team_status(
        user=user,
        profiles=_team_profiles_read,
        also=[_team_schools.call(user=user.pk, organization=user.organization_id)],
    )
    attach(status.profiles, "schools", grouped(status.also[0], "coordinatorprofile_id", "school"))
    return render(
        request,
        "pages/my_team.html",
        {"profiles": status.profiles, "open_cycle": status.open_cycle, "status": status},
    )


@role_required(Role.ADMIN)
def organization(request):
    """The org admin's landing page: what needs them now (cycles to open or close, reviews and
    self-assessments overdue, roster imports that saved nothing), then the organization's
    numbers and every admin tool."""
    org = request.user.organization
    counts = {
        "people": org.users.filter(is_active=True).count(),
        "coordinators": org.profiles.filter(active=True).count(),
        "schools": org.schools.filter(active=True).count(),
        "teams": org.teams.count(),
        "cycles": org.cycles.count(),
    }
    return render(
        request,
        "pages/organization.html",
        {
            "organization": org,
            "counts": counts,
            "attention": admin_attention(organization_id=org.pk),
            "imports": roster_imports_with_errors(organization_id=org.pk),
        },
    )


def no_role(request):
    return render(request, "pages/no_role.html", status=403)
