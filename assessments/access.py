"""Who reaches cycles and assessments, and the workflow's object rules.

The rules are written once here: the views check them before reading a form, the services
check them again before writing, so a caller that skips the view is refused the same way.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from assessments.models import (
    Assessment,
    AssessmentCycle,
    FeedbackRequest,
    PrincipalFeedbackSettings,
)
from coordinators.access import (
    ROLE_SHAPES,
    can_direct,
    get_in_scope_or_404,
    has_role,
    is_own_profile,
    profile_reach,
    user_roles,
    user_standing_in,
)
from coordinators.models import Role
from coordinators.prepared import Call, Prepared

OWNER_ONLY = "Only the coordinator changes their own self-assessment."
REVIEWER_ONLY = "Only the director of this coordinator's team or an org admin reviews it."
OWNER_ONLY_ACKNOWLEDGES = "Only the coordinator acknowledges their own review."
SHARER_ONLY = "Only the coordinator or an org admin shares the coaching notes of a review."
ASKER_ONLY = (
    "Only the coordinator's director or an org admin asks a principal for feedback (and the "
    "coordinator, where the organization allows it)."
)


# Scoped getters ---------------------------------------------------------------------------


def cycles_visible_to(user) -> QuerySet[AssessmentCycle]:
    """The cycles of the user's organization."""
    return AssessmentCycle.objects.filter(organization_id=user.organization_id)


def get_cycle_for_user(request, pk) -> AssessmentCycle:
    """A cycle of the user's organization, else 404."""
    return get_in_scope_or_404(cycles_visible_to(request.user), pk, label="cycle")


def assessments_visible_to(user) -> QuerySet[Assessment]:
    """Assessments the user may look at: their own, their teams', all of the org for an admin
    (the profiles of profiles_visible_to)."""
    reach = profile_reach(user, "coordinator__")
    if reach is None:
        return Assessment.objects.none()
    return Assessment.objects.filter(reach)


# What every matrix page shows of an assessment beside its own row, and what each move reads
# with it. The director (named on a returned assessment) and the finalizer are read when shown,
# the rubric's name with its words: each further join here costs PostgreSQL more planning on
# the busiest pages.
ASSESSMENT_RELATIONS = ("cycle", "coordinator__user", "coordinator__team", "rubric_version")


# The lookup of every matrix page, save and move: its SQL is built once per connection and
# shape of reach (the user's roles).
_assessment_in_reach = Prepared(
    lambda roles, pk, user, organization: (
        assessments_visible_to(user_standing_in(user, organization, roles))
        .select_related(*ASSESSMENT_RELATIONS)
        .filter(pk=pk)
    ),
    "pk",
    "user",
    "organization",
    shapes=ROLE_SHAPES,
)


def get_assessment_for_user(request, pk) -> Assessment:
    """An assessment within the user's reach, else 404 (another organization or team)."""
    user = request.user
    roles = user_roles(user)
    try:
        assessment = roles and _assessment_in_reach.first(
            roles, pk=pk, user=user.pk, organization=user.organization_id
        )
    except (TypeError, ValueError):
        assessment = None
    if not assessment:
        raise Http404("No such assessment.")
    return assessment


def feedback_requests_visible_to(user) -> QuerySet[FeedbackRequest]:
    """Principal feedback requests of the assessments the user may look at."""
    return FeedbackRequest.objects.filter(assessment__in=assessments_visible_to(user))


def get_feedback_request_for_user(request, pk) -> FeedbackRequest:
    """A feedback request of an assessment within the user's reach, else 404."""
    requests = feedback_requests_visible_to(request.user).select_related(
        "assessment__coordinator__user", "assessment__cycle", "school"
    )
    return get_in_scope_or_404(requests, pk, label="feedback request")


# Object rules -----------------------------------------------------------------------------


def is_owner(user, assessment: Assessment) -> bool:
    """The assessment is the user's own: they are the coordinator assessed."""
    return is_own_profile(user, assessment.coordinator)


def can_edit_self(user, assessment: Assessment) -> bool:
    """Only the coordinator sets their self levels and evidence (when the state allows)."""
    return is_owner(user, assessment)


def can_review(user, assessment: Assessment) -> bool:
    """The coordinator's director or an org admin reviews, never the coordinator themself."""
    return not is_owner(user, assessment) and can_direct(user, assessment.coordinator)


def can_make_goals_from(user, assessment: Assessment) -> bool:
    """Who may turn a next step into a growth goal of the coordinator: those who set goals
    with them (the coordinator themself, their director or an org admin)."""
    return is_owner(user, assessment) or can_direct(user, assessment.coordinator)


def can_see_supervisor_side(user, assessment: Assessment) -> bool:
    """Supervisor levels, notes on indicators and next steps: the reviewers see them at once,
    the coordinator once the review is finalized (the coaching notes have their own rule,
    ``can_read_coaching_notes``)."""
    return not is_owner(user, assessment) or assessment.state == Assessment.State.FINALIZED


def can_see_self_side(user, assessment: Assessment) -> bool:
    """The coordinator's levels, evidence and its files: theirs always; for those who reach
    the assessment (their director, an org admin) once it is submitted, as the review shows it."""
    return is_owner(user, assessment) or assessment.state in (
        Assessment.State.SUBMITTED,
        Assessment.State.FINALIZED,
    )


def can_acknowledge(user, assessment: Assessment) -> bool:
    """Only the coordinator acknowledges their finalized review."""
    return is_owner(user, assessment)


def wrote_coaching_notes(user, assessment: Assessment) -> bool:
    """The user led the conversation the notes record: they finalized the review, or the
    history shows them saving the review while it held coaching notes."""
    if assessment.finalized_by_id is not None and assessment.finalized_by_id == user.pk:
        return True
    return (
        Assessment.history.filter(id=assessment.pk, history_user_id=user.pk)
        .exclude(coaching_notes="")
        .exists()
    )


def can_read_coaching_notes(user, assessment: Assessment) -> bool:
    """Who reads the coaching notes of a review. While it is open, whoever reviews it now
    writes them (the coordinator waits for the finalized review). Once finalized they belong
    to the conversation: the coordinator, an org admin, the director who wrote them, and a
    director the coordinator or an admin shared them with. A director who inherits the
    coordinator sees the levels, the notes on indicators and the next steps, not these."""
    if is_owner(user, assessment):
        return assessment.state == Assessment.State.FINALIZED
    if assessment.state != Assessment.State.FINALIZED:
        return can_review(user, assessment)
    if assessment.coordinator.organization_id != user.organization_id:
        return False
    if has_role(user, Role.ADMIN):
        return True
    if not has_role(user, Role.DIRECTOR):
        return False
    return assessment.coaching_notes_shares.filter(
        director_id=user.pk
    ).exists() or wrote_coaching_notes(user, assessment)


def can_share_coaching_notes(user, assessment: Assessment) -> bool:
    """The coordinator or an org admin of theirs lets another director read the coaching
    notes of the review (once it is finalized: the services refuse an open one)."""
    if is_owner(user, assessment):
        return True
    return assessment.coordinator.organization_id == user.organization_id and has_role(
        user, Role.ADMIN
    )


def check_can_edit_self(user, assessment: Assessment) -> None:
    if not can_edit_self(user, assessment):
        raise PermissionDenied(OWNER_ONLY)


def check_can_review(user, assessment: Assessment) -> None:
    if not can_review(user, assessment):
        raise PermissionDenied(REVIEWER_ONLY)


def check_can_acknowledge(user, assessment: Assessment) -> None:
    if not can_acknowledge(user, assessment):
        raise PermissionDenied(OWNER_ONLY_ACKNOWLEDGES)


def check_can_share_coaching_notes(user, assessment: Assessment) -> None:
    if not can_share_coaching_notes(user, assessment):
        raise PermissionDenied(SHARER_ONLY)


_may_ask = Prepared(
    lambda _shape, organization: PrincipalFeedbackSettings.objects.filter(
        organization_id=organization, coordinators_may_send=True
    ).values_list("pk", flat=True),
    "organization",
)


def coordinators_may_ask_call(organization_id: int) -> Call:
    """The read of ``coordinators_may_ask_principals``, for a page's round trip: a row or None."""
    return _may_ask.call(first=True, organization=organization_id)


def coordinators_may_ask_principals(organization_id: int) -> bool:
    """The organization's setting: coordinators send their own principal feedback requests."""
    return coordinators_may_ask_call(organization_id).alone("default") is not None


def can_ask_principal(user, assessment: Assessment, *, may_ask: bool | None = None) -> bool:
    """Who sends, resends and revokes principal feedback requests of an assessment: whoever
    reviews it, and the coordinator themself when the organization allows it (``may_ask``,
    when the page read it already)."""
    if can_review(user, assessment):
        return True
    if not is_owner(user, assessment):
        return False
    if may_ask is None:
        may_ask = coordinators_may_ask_principals(assessment.coordinator.organization_id)
    return may_ask


def can_see_principal_feedback(user, assessment: Assessment) -> bool:
    """The principals' levels and comments: the reviewers at once, the coordinator once the
    review is finalized (as the supervisor's side)."""
    return can_see_supervisor_side(user, assessment)


def check_can_ask_principal(user, assessment: Assessment) -> None:
    if not can_ask_principal(user, assessment):
        raise PermissionDenied(ASKER_ONLY)
