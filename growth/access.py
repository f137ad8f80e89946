"""Who reaches a coordinator's growth plan, and the rules of who may change it.

A coordinator's growth page is seen by the coordinator, their director, an org admin and
their mentors; goals and supports are changed by the coordinator, their director or an org
admin; career stages and the support catalogue belong to the org admin.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from coordinators.access import (
    can_direct,
    check_role,
    get_for_admin_or_404,
    get_in_scope_or_404,
    is_own_profile,
    profiles_visible_to,
    user_roles,
)
from coordinators.models import CoordinatorProfile, Role
from growth.models import (
    CareerStage,
    CheckIn,
    Goal,
    MentoringMatch,
    Support,
    SupportCatalogEntry,
)

NOT_YOURS = "Only the coordinator, their director or an org admin can change their growth plan."


# Object rules -----------------------------------------------------------------------------


def is_mentor_of(user, profile: CoordinatorProfile, *, active_only: bool = False) -> bool:
    """The user mentors this coordinator in a mentoring match (one query); ``active_only``
    asks for a match that has not ended."""
    matches = MentoringMatch.objects.filter(mentor=user, mentee=profile)
    if active_only:
        today = timezone.localdate()
        matches = matches.filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=today), starts_on__lte=today
        )
    return matches.exists()


def can_log_check_in(user, profile: CoordinatorProfile) -> bool:
    """The coordinator themself, their director or an org admin, or an active mentor."""
    return (
        is_own_profile(user, profile)
        or can_direct(user, profile)
        or is_mentor_of(user, profile, active_only=True)
    )


def can_read_private_notes(user, check_in: CheckIn) -> bool:
    """A private note is for its author and the coordinator only; an org admin too sees only
    that it exists."""
    return user.pk in (check_in.author_id, check_in.coordinator.user_id)


def check_ins_visible_to(user):
    """The check-ins the user may open: those of the coordinators whose growth page they see
    (self, their team, everyone for an admin) and of their mentees (one query when used)."""
    base = CheckIn.objects.filter(coordinator__organization_id=user.organization_id)
    if not user_roles(user):
        return base.none()
    mentees = MentoringMatch.objects.filter(mentor=user).values("mentee_id")
    return base.filter(Q(coordinator__in=profiles_visible_to(user)) | Q(coordinator__in=mentees))


def can_see_check_in(user, check_in: CheckIn) -> bool:
    return check_ins_visible_to(user).filter(pk=check_in.pk).exists()


def is_party_to(user, check_in: CheckIn) -> bool:
    """The two people of the conversation: its author (a director or a mentor) and the
    coordinator it was with."""
    return user.pk in (check_in.author_id, check_in.coordinator.user_id)


def can_edit_growth(user, profile: CoordinatorProfile) -> bool:
    """Goals and supports are set together: the coordinator themself, their director, or an
    org admin."""
    return is_own_profile(user, profile) or can_direct(user, profile)


# Scoped getters ---------------------------------------------------------------------------


def get_growth_profile_for_user(request, pk, *, edit=False, direct=False) -> CoordinatorProfile:
    """A coordinator profile the user may see (self, their team, all for an admin, or a mentee
    of theirs), else 404; ``edit`` or ``direct`` then require those rights, else 403."""
    user = request.user
    if not user_roles(user):
        raise PermissionDenied("Your role does not give access to this page.")
    profiles = CoordinatorProfile.objects.select_related(
        "user", "team", "team__director", "role_family", "career_position__stage"
    ).filter(organization_id=user.organization_id)
    profile = get_in_scope_or_404(profiles, pk, label="coordinator")
    visible = profiles_visible_to(user).filter(pk=profile.pk).exists() or is_mentor_of(
        user, profile
    )
    if not visible:
        raise Http404("No such coordinator.")
    if direct and not can_direct(user, profile):
        raise PermissionDenied("Only their director or an org admin can do this.")
    if edit and not can_edit_growth(user, profile):
        raise PermissionDenied(NOT_YOURS)
    return profile


def _get_plan_item(model, request, pk, *, label: str):
    """A goal or support of a profile the user may edit (404 out of reach, 403 read-only)."""
    items = model.objects.select_related("coordinator").filter(
        coordinator__organization_id=request.user.organization_id
    )
    item = get_in_scope_or_404(items, pk, label=label)
    get_growth_profile_for_user(request, item.coordinator_id, edit=True)
    return item


def get_goal_for_user(request, pk) -> Goal:
    return _get_plan_item(Goal, request, pk, label="goal")


def get_support_for_user(request, pk) -> Support:
    return _get_plan_item(Support, request, pk, label="support")


def get_career_stage_for_user(request, pk) -> CareerStage:
    """A career stage of the admin's organization, else 404 (403 for other roles)."""
    return get_for_admin_or_404(CareerStage.objects.all(), request, pk, label="career stage")


def get_catalogue_entry_for_user(request, pk, *, manage: bool = False) -> SupportCatalogEntry:
    """A support catalogue entry of the user's organization, else 404; ``manage`` (change or
    remove it) is the org admin's, else 403 whatever the id."""
    if manage:
        check_role(request.user, Role.ADMIN)
    entries = SupportCatalogEntry.objects.filter(organization_id=request.user.organization_id)
    return get_in_scope_or_404(entries, pk, label="catalogue entry")


def get_check_in_for_user(request, pk, *, edit: bool = False) -> CheckIn:
    """A check-in of a coordinator the user may see, else 404; ``edit`` is its author's
    alone, else 403."""
    check_ins = CheckIn.objects.select_related("coordinator__user", "author").filter(
        coordinator__organization_id=request.user.organization_id
    )
    check_in = get_in_scope_or_404(check_ins, pk, label="check-in")
    get_growth_profile_for_user(request, check_in.coordinator_id)
    if edit and check_in.author_id != request.user.pk:
        raise PermissionDenied("Only the person who logged a check-in can change it.")
    return check_in


def get_match_for_user(request, pk) -> MentoringMatch:
    """A mentoring match of a coordinator the user directs (their director or an org admin),
    else 404 out of reach or 403 for someone who may only see it."""
    matches = MentoringMatch.objects.select_related("mentee__team", "mentor").filter(
        mentee__organization_id=request.user.organization_id
    )
    match = get_in_scope_or_404(matches, pk, label="mentoring match")
    get_growth_profile_for_user(request, match.mentee_id, direct=True)
    return match
