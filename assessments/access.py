"""Who reaches cycles and assessments, and the workflow's object rules.

The rules are written once here: the views check them before reading a form, the services
check them again before writing, so a caller that skips the view is refused the same way.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from assessments.models import Assessment, AssessmentCycle
from coordinators.access import (
    can_direct,
    get_in_scope_or_404,
    is_own_profile,
    profiles_visible_to,
)

OWNER_ONLY = "Only the coordinator changes their own self-assessment."
REVIEWER_ONLY = "Only the director of this coordinator's team or an org admin reviews it."


# Scoped getters ---------------------------------------------------------------------------


def cycles_visible_to(user) -> QuerySet[AssessmentCycle]:
    """The cycles of the user's organization."""
    return AssessmentCycle.objects.filter(organization_id=user.organization_id)


def get_cycle_for_user(request, pk) -> AssessmentCycle:
    """A cycle of the user's organization, else 404."""
    return get_in_scope_or_404(cycles_visible_to(request.user), pk, label="cycle")


def assessments_visible_to(user) -> QuerySet[Assessment]:
    """Assessments the user may look at: their own, their teams', all of the org for an admin."""
    return Assessment.objects.filter(coordinator__in=profiles_visible_to(user))


def get_assessment_for_user(request, pk) -> Assessment:
    """An assessment within the user's reach, else 404 (another organization or team)."""
    assessments = assessments_visible_to(request.user).select_related(
        # What every matrix page shows. The director (named on a returned assessment) and the
        # finalizer are read when shown, the rubric's name with its words: each further join
        # here costs PostgreSQL more planning on the busiest pages.
        "cycle",
        "coordinator__user",
        "coordinator__team",
        "rubric_version",
    )
    return get_in_scope_or_404(assessments, pk, label="assessment")


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


def can_see_supervisor_side(user, assessment: Assessment) -> bool:
    """Supervisor levels, notes and coaching notes: the reviewers see them at once, the
    coordinator once the review is finalized."""
    return not is_owner(user, assessment) or assessment.state == Assessment.State.FINALIZED


def check_can_edit_self(user, assessment: Assessment) -> None:
    if not can_edit_self(user, assessment):
        raise PermissionDenied(OWNER_ONLY)


def check_can_review(user, assessment: Assessment) -> None:
    if not can_review(user, assessment):
        raise PermissionDenied(REVIEWER_ONLY)
