"""Reads of a director's team page: each coordinator's state in the open cycle and the
submissions waiting for their review."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import F, OuterRef, QuerySet, Subquery
from django.utils import timezone

from assessments.models import Assessment, AssessmentCycle, review_settings_of
from coordinators.models import CoordinatorProfile


def open_cycle_of(organization_id) -> AssessmentCycle | None:
    return (
        AssessmentCycle.objects.filter(
            organization_id=organization_id, state=AssessmentCycle.State.OPEN
        )
        .order_by("-opens_on")
        .first()
    )


@dataclass
class TeamStatus:
    open_cycle: AssessmentCycle | None
    profiles: list[CoordinatorProfile]  # each with current_pk, current_state, current_state_label
    awaiting: list[Assessment]  # submitted, waiting for this director, oldest first
    # Finalized reviews the coordinator has not acknowledged within the organization's days.
    unacknowledged: list[Assessment] = field(default_factory=list)
    acknowledgement_days: int = 0

    @property
    def awaiting_earlier(self) -> list[Assessment]:
        """Submissions from cycles other than the open one (the table shows the open one)."""
        open_pk = self.open_cycle.pk if self.open_cycle else None
        return [a for a in self.awaiting if a.cycle_id != open_pk]


def team_status(*, user, profiles: QuerySet[CoordinatorProfile]) -> TeamStatus:
    """Each coordinator's state in the open cycle (newest submissions first) and the
    submissions awaiting ``user``'s review in any cycle; a fixed number of queries."""
    open_cycle = open_cycle_of(user.organization_id)
    if open_cycle is not None:
        # One assessment per coordinator and cycle: no order to sort by (the model's default
        # order joined the cycle and the user inside each of the three subqueries).
        current = Assessment.objects.filter(coordinator=OuterRef("pk"), cycle=open_cycle).order_by()
        profiles = profiles.annotate(
            current_pk=Subquery(current.values("pk")[:1]),
            current_state=Subquery(current.values("state")[:1]),
            current_submitted_at=Subquery(current.values("submitted_at")[:1]),
        ).order_by(
            F("current_submitted_at").desc(nulls_last=True), "user__last_name", "user__first_name"
        )
    profiles = list(profiles)
    for profile in profiles:
        state = getattr(profile, "current_state", None)
        profile.current_state_label = Assessment.State(state).label if state else "Not started"
    awaiting = list(
        Assessment.objects.filter(
            state=Assessment.State.SUBMITTED,
            coordinator__organization_id=user.organization_id,
            coordinator__team__director=user,
        )
        .select_related("coordinator__user", "cycle")
        .order_by("submitted_at")
    )
    settings = review_settings_of(user.organization_id)
    unacknowledged = []
    if settings.acknowledgement_on:
        unacknowledged = list(
            Assessment.objects.filter(
                state=Assessment.State.FINALIZED,
                acknowledged_at__isnull=True,
                finalized_at__lt=timezone.now()
                - timedelta(days=settings.acknowledgement_overdue_days),
                coordinator__organization_id=user.organization_id,
                coordinator__team__director=user,
            )
            .select_related("coordinator__user", "cycle")
            .order_by("finalized_at")[:50]
        )
    return TeamStatus(
        open_cycle=open_cycle,
        profiles=profiles,
        awaiting=awaiting,
        unacknowledged=unacknowledged,
        acknowledgement_days=settings.acknowledgement_overdue_days,
    )
