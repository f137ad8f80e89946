"""What needs a person's attention now, for the pages they land on: the org admin's cycles to
open or close, self-assessments and reviews overdue; a mentor's mentees with flags or no
recent contact. Each read is a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Max
from django.utils import timezone

from assessments.models import Assessment, AssessmentCycle
from coordinators.models import CoordinatorProfile
from dashboards import flags as flag_rules
from dashboards.selectors.common import (
    default_cycle,
    organization_cycles,
    page_facts,
)
from dashboards.selectors.team import dashboard_rows
from growth.models import CheckIn, Goal, Support
from growth.selectors import Mentee
from rubrics.models import RubricVersion

OVERDUE_REVIEWS_LISTED = 10
# A mentee with no mentoring started, goal set or support added within this many days.
CONTACT_WINDOW_DAYS = 60


# The org admin ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CycleDue:
    """A cycle whose dates say it should move now: ``action`` is "open" or "close"."""

    cycle: AssessmentCycle
    action: str
    since: date  # the day it was due to move


@dataclass(frozen=True, slots=True)
class ReviewOverdue:
    assessment_id: int
    coordinator_name: str
    team_name: str
    cycle_name: str
    submitted_on: date
    days_late: int


@dataclass(frozen=True, slots=True)
class SubmissionsOverdue:
    """An open cycle past its due date, and how many of its assessments are not submitted."""

    cycle: AssessmentCycle
    not_submitted: int


@dataclass
class AdminAttention:
    cycles_due: list[CycleDue]
    reviews_overdue: list[ReviewOverdue]  # the longest overdue first, at most a page of them
    reviews_overdue_count: int
    submissions_overdue: list[SubmissionsOverdue]
    open_cycles: list[AssessmentCycle] = field(default_factory=list)
    next_cycle: AssessmentCycle | None = None  # the next planned one, to say what comes

    @property
    def anything(self) -> bool:
        return bool(self.cycles_due or self.reviews_overdue_count or self.submissions_overdue)


def admin_attention(*, organization_id: int, today: date | None = None) -> AdminAttention:
    """Cycles whose open or close date has come, reviews past their window and open cycles
    past their due date with assessments not submitted (three queries)."""
    today = today or timezone.localdate()
    cycles = list(AssessmentCycle.objects.filter(organization_id=organization_id))
    planned = AssessmentCycle.State.PLANNED
    due = [
        CycleDue(c, "open", c.opens_on)
        for c in cycles
        if c.state == planned and c.opens_on <= today
    ]
    due += [
        CycleDue(c, "close", c.closes_on)
        for c in cycles
        if c.state == AssessmentCycle.State.OPEN and c.closes_on <= today
    ]
    waiting = (
        Assessment.objects.filter(
            cycle__organization_id=organization_id,
            state=Assessment.State.SUBMITTED,
            submitted_at__isnull=False,
        )
        .order_by("submitted_at")
        .values_list(
            "pk",
            "coordinator__user__first_name",
            "coordinator__user__last_name",
            "coordinator__user__email",
            "team__name",
            "cycle__name",
            "cycle__review_window_days",
            "submitted_at",
        )
    )
    overdue = []
    for pk, first, last, email, team, cycle_name, window, submitted_at in waiting:
        submitted_on = timezone.localdate(submitted_at)
        late = (today - (submitted_on + timedelta(days=window))).days
        if late > 0:
            name = f"{first} {last}".strip() or email
            overdue.append(ReviewOverdue(pk, name, team or "", cycle_name, submitted_on, late))
    open_past_due = {
        c.pk: c for c in cycles if c.state == AssessmentCycle.State.OPEN and c.due_on < today
    }
    not_submitted = (
        dict(
            Assessment.objects.filter(
                cycle_id__in=open_past_due,
                state__in=(Assessment.State.DRAFT, Assessment.State.RETURNED),
            )
            .values_list("cycle_id")
            .annotate(count=Count("pk"))
            .order_by()
        )
        if open_past_due
        else {}
    )
    upcoming = sorted(
        (c for c in cycles if c.state == planned and c.opens_on > today), key=lambda c: c.opens_on
    )
    return AdminAttention(
        cycles_due=sorted(due, key=lambda item: item.since),
        reviews_overdue=overdue[:OVERDUE_REVIEWS_LISTED],
        reviews_overdue_count=len(overdue),
        submissions_overdue=[
            SubmissionsOverdue(cycle, not_submitted[pk])
            for pk, cycle in open_past_due.items()
            if not_submitted.get(pk)
        ],
        open_cycles=sorted(
            (c for c in cycles if c.state == AssessmentCycle.State.OPEN),
            key=lambda c: c.opens_on,
            reverse=True,
        ),
        next_cycle=upcoming[0] if upcoming else None,
    )


# A mentor -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GoalLine:
    category_name: str
    level_name: str
    target_date: date


@dataclass
class MenteeCard:
    mentee: Mentee
    flags: list[flag_rules.Flag]
    goals: list[GoalLine]
    last_contact: date | None  # mentoring started, a check-in, a goal set or a support added
    no_recent_contact: bool
    last_check_in: date | None = None

    @property
    def needs_attention(self) -> bool:
        return bool(self.flags) or self.no_recent_contact


def mentor_attention(*, mentees: list[Mentee], today: date | None = None) -> list[MenteeCard]:
    """Each mentee with their current flags, open goals in their rubric's words and the day of
    the last contact on record; those needing attention first (eleven queries, whatever
    the number of mentees)."""
    if not mentees:
        return []
    today = today or timezone.localdate()
    organization_id = mentees[0].profile.organization_id
    ids = [m.profile.pk for m in mentees]
    facts = page_facts(organization_id, default_cycle(organization_cycles(organization_id)))
    rows = {
        row.person.pk: row
        for row in dashboard_rows(
            profiles=CoordinatorProfile.objects.filter(pk__in=ids), context=facts
        )
    }
    published = dict(
        RubricVersion.objects.filter(
            rubric__organization_id=organization_id, state=RubricVersion.State.PUBLISHED
        ).values_list("rubric__role_family_id", "pk")
    )
    contact = _last_contact(ids)
    check_ins = dict(
        CheckIn.objects.filter(coordinator_id__in=ids)
        .values_list("coordinator_id")
        .annotate(latest=Max("held_on"))
        .order_by()
    )
    cards = []
    for mentee in mentees:
        profile = mentee.profile
        names = facts.names(published.get(profile.role_family_id))
        started = [s.starts_on for s in mentee.mentoring if s.starts_on and s.starts_on <= today]
        last_check_in = check_ins.get(profile.pk)
        last = max(
            [d for d in (*started, contact.get(profile.pk), last_check_in) if d], default=None
        )
        row = rows.get(profile.pk)
        cards.append(
            MenteeCard(
                mentee=mentee,
                flags=row.flags if row else [],
                goals=[
                    GoalLine(
                        names.category(goal.category_key),
                        names.level(goal.target_level),
                        goal.target_date,
                    )
                    for goal in mentee.open_goals
                ],
                last_contact=last,
                no_recent_contact=last is None or (today - last).days > CONTACT_WINDOW_DAYS,
                last_check_in=last_check_in,
            )
        )
    cards.sort(key=lambda card: not card.needs_attention)  # stable: names stay in order
    return cards


def _last_contact(profile_ids: list[int]) -> dict[int, date]:
    """The day each coordinator last had a goal set or a support added (two queries)."""
    latest: dict[int, date] = {}
    for model in (Goal, Support):
        for profile_id, moment in (
            model.objects.filter(coordinator_id__in=profile_ids)
            .values_list("coordinator_id")
            .annotate(latest=Max("created_at"))
            .order_by()
        ):
            day = timezone.localdate(moment)
            latest[profile_id] = max(latest.get(profile_id, day), day)
    return latest
