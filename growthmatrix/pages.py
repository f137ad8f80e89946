from django.db.models import Prefetch
from django.shortcuts import render

from assessments.models import AssessmentCycle
from assessments.selectors import team_status
from coordinators.access import profiles_directed_by, role_required
from coordinators.models import CoordinatorProfile, Role, School
from coordinators.prepared import Prepared, attach, together
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
_open_cycle = Prepared(
    lambda _shape, organization: AssessmentCycle.objects.filter(
        organization_id=organization, state="open"
    ).order_by("-opens_on"),
    "organization",
)


@role_required(Role.COORDINATOR)
def my_growth(request):
    user, organization = request.user.pk, request.user.organization_id
    profile, schools, open_cycle, *growth = together(
        _own_profile.call(first=True, user=user),
        _own_schools.call(user=user),
        _open_cycle.call(first=True, organization=organization),
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


@role_required(Role.DIRECTOR, Role.ADMIN)
def my_team(request):
    profiles = (
        profiles_directed_by(request.user)
        .filter(team__director=request.user)
        .select_related("user", "team", "career_position__stage")
        .prefetch_related(Prefetch("schools", queryset=School.objects.order_by("name")))
        .order_by("team__name", "user__last_name", "user__first_name")
    )
    status = team_status(user=request.user, profiles=profiles)
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
