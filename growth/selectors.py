"""Reads of the growth path: the growth panel of a coordinator's page, goal deadlines for
dashboards, and a mentor's mentees. Each is a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import connection
from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from coordinators.change_history import ChangeHistory, change_history
from coordinators.models import CoordinatorProfile
from coordinators.prepared import ids_in, read_sql
from growth.cadence import CheckInClock
from growth.models import CareerPosition, CheckIn, Goal, MentoringMatch, Support
from rubrics.vocabulary import DEFAULT_LEVEL_NAMES

DUE_SOON_DAYS = 30
GOALS = Goal._meta.db_table


def check_in_clocks(profile_ids) -> dict[int, CheckInClock]:
    """The check-in cadence of each coordinator of ``profile_ids`` whose team has one, with
    their last check-in (one query); those without a cadence are left out."""
    return clocks_from(check_in_query(profile_ids))


def check_in_query(profile_ids) -> QuerySet:
    return (
        CoordinatorProfile.objects.filter(pk__in=profile_ids, team__check_in_cadence__isnull=False)
        .annotate(last=Max("check_ins__held_on"))
        .values_list(
            "pk",
            "team__check_in_cadence__every_days",
            "team__check_in_cadence__since",
            "role_start_date",
            "last",
        )
        .order_by()
    )


def clocks_from(rows) -> dict[int, CheckInClock]:
    """``CheckInClock``s by profile from the rows of ``check_in_query``."""
    return {
        pk: CheckInClock.of(
            every_days=every, cadence_since=since, role_start_date=started, last_check_in=last
        )
        for pk, every, since, started, last in rows
    }


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
    query): ``{profile_id: {"overdue": n, "due_soon": n}}``; profiles without any are left out.
    Written in SQL: through the ORM, a dashboard page's hundred ids cost several times the
    query."""
    today = today or timezone.localdate()
    ids = list(profile_ids)
    if not ids:
        return {}
    day = connection.ops.adapt_datefield_value
    among, among_params = ids_in("coordinator_id", ids)
    with connection.cursor() as cursor:
        read_sql(
            cursor,
            "SELECT coordinator_id, COUNT(CASE WHEN target_date < %s THEN 1 END), "
            f"COUNT(CASE WHEN target_date >= %s THEN 1 END) FROM {GOALS} "
            f"WHERE {among} AND status = %s AND target_date <= %s GROUP BY coordinator_id",
            [
                day(today),
                day(today),
                *among_params,
                Goal.Status.OPEN.value,
                day(today + timedelta(days=DUE_SOON_DAYS)),
            ],
        )
        return {
            profile_id: {"overdue": overdue, "due_soon": due_soon}
            for profile_id, overdue, due_soon in cursor.fetchall()
        }


@dataclass
class Mentee:
    profile: CoordinatorProfile
    mentoring: list[MentoringMatch]
    open_goals: list[Goal]


def mentees_of(user, today: date | None = None) -> list[Mentee]:
    """The coordinators ``user`` mentors in a match active today, in the user's organization
    only, with those matches and their open goals (two queries)."""
    today = today or timezone.localdate()
    matches = list(
        MentoringMatch.objects.filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=today),
            starts_on__lte=today,
            mentor=user,
            mentee__organization_id=user.organization_id,
        )
        .select_related("mentee__user", "mentee__team", "mentee__career_position__stage")
        .order_by("mentee__user__last_name", "mentee__user__first_name", "starts_on")
    )
    by_profile: dict[int, Mentee] = {}
    for match in matches:
        mentee = by_profile.setdefault(
            match.mentee_id, Mentee(profile=match.mentee, mentoring=[], open_goals=[])
        )
        mentee.mentoring.append(match)
    if by_profile:
        for goal in Goal.objects.filter(
            coordinator_id__in=by_profile, status=Goal.Status.OPEN
        ).order_by("target_date"):
            by_profile[goal.coordinator_id].open_goals.append(goal)
    return list(by_profile.values())


# Who changed what, and when ---------------------------------------------------------------


def goal_changes(*, goal: Goal, latest: int | None) -> ChangeHistory:
    """The goal's changes in words; a level reads "2 (Proficient)"."""
    levels = {value: f"{value} ({name})" for value, name in DEFAULT_LEVEL_NAMES.items()}
    return change_history(
        Goal.history.filter(id=goal.pk),
        noun="goal",
        hidden=("coordinator",),
        words={"target_level": levels},
        labels={"category_key": "Category"},
        latest=latest,
    )


def support_changes(*, support: Support, latest: int | None) -> ChangeHistory:
    return change_history(
        Support.history.filter(id=support.pk),
        noun="support",
        hidden=("coordinator",),
        labels={"network_scope": "Network", "catalog_entry": "From the catalogue"},
        latest=latest,
    )


def career_position_changes(*, profile: CoordinatorProfile, latest: int | None) -> ChangeHistory:
    """Every change of the coordinator's career stage and its date, promotions included."""
    return change_history(
        CareerPosition.history.filter(profile_id=profile.pk),
        noun="career stage",
        hidden=("profile",),
        latest=latest,
    )


def check_in_changes(*, check_in, latest: int | None, with_notes: bool) -> ChangeHistory:
    """The check-in's changes in words; a private note's words are left out for a reader who
    may not see them."""
    hidden = ("coordinator", "author") if with_notes else ("coordinator", "author", "notes")
    return change_history(
        CheckIn.history.filter(id=check_in.pk),
        noun="check-in",
        hidden=hidden,
        labels={"held_on": "Day", "notes_private": "Private notes"},
        latest=latest,
    )


def match_changes(*, match: MentoringMatch, latest: int | None) -> ChangeHistory:
    return change_history(
        MentoringMatch.history.filter(id=match.pk),
        noun="mentoring match",
        hidden=("mentee", "confirmed_by"),
        latest=latest,
    )
