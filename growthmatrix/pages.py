from django.db.models import Prefetch, prefetch_related_objects
from django.shortcuts import render

from assessments.models import Assessment, AssessmentCycle
from assessments.selectors import team_status
from coordinators.access import profiles_directed_by, role_required
from coordinators.models import CoordinatorProfile, Role, School
from coordinators.prepared import Prepared
from dashboards.selectors.attention import admin_attention
from dashboards.selectors.growth_panel import assessment_infos, with_scores
from growthmatrix.roster.importing import roster_imports_with_errors

# The coordinator's own profile and the organization's open cycle, on every My growth page
# (the page coordinators come back to most): their SQL is built once per connection.
_own_profile = Prepared(
    lambda _shape, user: CoordinatorProfile.objects.filter(user_id=user).select_related(
        "team", "team__director", "role_family", "career_position__stage"
    ),
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
    profile = _own_profile.first(user=request.user.pk)
    assessments = []
    if profile is not None:
        prefetch_related_objects([profile], "schools")
        # With their category levels: the growth panel below reads its history from them.
        assessments = list(
            with_scores(Assessment.objects.filter(coordinator=profile)).order_by("-cycle__opens_on")
        )
    open_cycle = _open_cycle.first(organization=request.user.organization_id)
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
