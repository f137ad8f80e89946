"""Reads of a director's team page: each coordinator's state in the open cycle and the
submissions waiting for their review."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import F, OuterRef, QuerySet, Subquery
from django.utils import timezone

from assessments.models import (
    Assessment,
    AssessmentCycle,
    review_settings_call,
    review_settings_from,
)
from coordinators.models import CoordinatorProfile
from coordinators.prepared import Call, Prepared, together

_open_cycle = Prepared(
    lambda _shape, organization: AssessmentCycle.objects.filter(
        organization_id=organization, state=AssessmentCycle.State.OPEN
    ).order_by("-opens_on"),
    "organization",
)


def open_cycle_call(organization_id: int) -> Call:
    """The read of ``open_cycle_of``, for a page's round trip: the cycle or None."""
    return _open_cycle.call(first=True, organization=organization_id)


def open_cycle_of(organization_id) -> AssessmentCycle | None:
    return open_cycle_call(organization_id).alone("default")


def with_current(profiles: QuerySet[CoordinatorProfile], cycle) -> QuerySet[CoordinatorProfile]:
    """``profiles`` with their assessment of the open cycle ``cycle`` (its pk, state and
    submission time), newest submissions first: what ``team_status`` reads of each."""
    # One assessment per coordinator and cycle: no order to sort by (the model's default
    # order joined the cycle and the user inside each of the three subqueries).
    current = Assessment.objects.filter(coordinator=OuterRef("pk"), cycle_id=cycle).order_by()
    return profiles.annotate(
        current_pk=Subquery(current.values("pk")[:1]),
        current_state=Subquery(current.values("state")[:1]),
        current_submitted_at=Subquery(current.values("submitted_at")[:1]),
    ).order_by(
        F("current_submitted_at").desc(nulls_last=True), "user__last_name", "user__first_name"
    )


_awaiting = Prepared(
    lambda _shape, user, organization: (
        Assessment.objects.filter(
            state=Assessment.State.SUBMITTED,
            coordinator__organization_id=organization,
            coordinator__team__director_id=user,
        )
        .select_related("coordinator__user", "cycle")
        .order_by("submitted_at")
    ),
    "user",
    "organization",
)


@dataclass
class TeamStatus:
    open_cycle: AssessmentCycle | None
    profiles: list[CoordinatorProfile]  # each with current_pk, current_state, current_state_label
    awaiting: list[Assessment]  # submitted, waiting for this director, oldest first
    # Finalized reviews the coordinator has not acknowledged within the organization's days.
    unacknowledged: list[Assessment] = field(default_factory=list)
    acknowledgement_days: int = 0
    # The answers of the page's other reads, made in the same round trip (``also``).
    also: list = field(default_factory=list)

    @property
    def awaiting_earlier(self) -> list[Assessment]:
        """Submissions from cycles other than the open one (the table shows the open one)."""
        open_pk = self.open_cycle.pk if self.open_cycle else None
        return [a for a in self.awaiting if a.cycle_id != open_pk]


def team_status(*, user, profiles: Prepared, also: Sequence[Call] = ()) -> TeamStatus:
    """Each coordinator's state in the open cycle (newest submissions first) and the
    submissions awaiting ``user``'s review in any cycle: the open cycle, then the rest in one
    round trip on PostgreSQL (and the overdue acknowledgements when the organization asks for
    them). ``profiles`` reads the coordinators by ``user``, ``organization`` and ``cycle``, in
    the shape of whether a cycle is open (``with_current`` when it is); ``also`` are the page's
    other reads, their answers the status's ``also``."""
    organization = user.organization_id
    open_cycle = open_cycle_of(organization)
    listed, awaiting, found, *others = together(
        profiles.call(
            shape=open_cycle is not None,
            user=user.pk,
            organization=organization,
            cycle=open_cycle.pk if open_cycle else 0,
        ),
        _awaiting.call(user=user.pk, organization=organization),
        review_settings_call(organization),
        *also,
    )
    for profile in listed:
        state = getattr(profile, "current_state", None)
        profile.current_state_label = Assessment.State(state).label if state else "Not started"
    settings = review_settings_from(found, organization)
    unacknowledged = []
    if settings.acknowledgement_on:
        unacknowledged = list(
            Assessment.objects.filter(
                state=Assessment.State.FINALIZED,
                acknowledged_at__isnull=True,
                finalized_at__lt=timezone.now()
                - timedelta(days=settings.acknowledgement_overdue_days),
                coordinator__organization_id=organization,
                coordinator__team__director=user,
            )
            .select_related("coordinator__user", "cycle")
            .order_by("finalized_at")[:50]
        )
    return TeamStatus(
        open_cycle=open_cycle,
        profiles=listed,
        awaiting=awaiting,
        unacknowledged=unacknowledged,
        acknowledgement_days=settings.acknowledgement_overdue_days,
        also=others,
    )
