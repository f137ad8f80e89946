"""Reads of the growth path: the growth panel of a coordinator's page, goal deadlines for
dashboards, and a mentor's mentees. Each is a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from coordinators.models import CoordinatorProfile
from growth.models import Goal, Support, SupportKind

DUE_SOON_DAYS = 30


def goal_due_state(goal: Goal, today: date) -> str | None:
    """ "overdue" or "due_soon" for an open goal, else None."""
    if goal.status != Goal.Status.OPEN:
        return None
    if goal.target_date < today:
        return "overdue"
    if goal.target_date <= today + timedelta(days=DUE_SOON_DAYS):
        return "due_soon"
    return None


def goal_deadlines(*, profile_ids, today: date | None = None) -> dict[int, dict[str, int]]:
    """Open goals overdue and due within DUE_SOON_DAYS per coordinator, for dashboards (one
    query): ``{profile_id: {"overdue": n, "due_soon": n}}``; profiles without any are left out."""
    today = today or timezone.localdate()
    rows = (
        Goal.objects.filter(coordinator_id__in=profile_ids, status=Goal.Status.OPEN)
        .filter(target_date__lte=today + timedelta(days=DUE_SOON_DAYS))
        .values("coordinator_id")
        .annotate(
            overdue=Count("pk", filter=Q(target_date__lt=today)),
            due_soon=Count("pk", filter=Q(target_date__gte=today)),
        )
    )
    return {
        row["coordinator_id"]: {"overdue": row["overdue"], "due_soon": row["due_soon"]}
        for row in rows
    }


@dataclass
class Mentee:
    profile: CoordinatorProfile
    mentoring: list[Support]
    open_goals: list[Goal]


def mentees_of(user) -> list[Mentee]:
    """The coordinators who name ``user`` as their mentor, in the user's organization only,
    with the mentoring supports and open goals (two queries)."""
    supports = list(
        Support.objects.filter(
            mentor=user,
            kind=SupportKind.MENTORING,
            coordinator__organization_id=user.organization_id,
        )
        .select_related(
            "coordinator__user", "coordinator__team", "coordinator__career_position__stage"
        )
        .order_by("coordinator__user__last_name", "coordinator__user__first_name", "starts_on")
    )
    by_profile: dict[int, Mentee] = {}
    for support in supports:
        mentee = by_profile.setdefault(
            support.coordinator_id, Mentee(profile=support.coordinator, mentoring=[], open_goals=[])
        )
        mentee.mentoring.append(support)
    if by_profile:
        for goal in Goal.objects.filter(
            coordinator_id__in=by_profile, status=Goal.Status.OPEN
        ).order_by("target_date"):
            by_profile[goal.coordinator_id].open_goals.append(goal)
    return list(by_profile.values())
