"""The demo's cycles and assessments, written through the product's own workflow.

Each cycle is opened with ``cycle_open`` (a draft for every active coordinator), its drafts
are taken where their stories say with ``assessments_advance`` (the coordinator saves and
submits, the director returns, or reviews and finalizes: the workflow's moves, for many
assessments at once), and each past cycle is closed with ``cycle_close``. The demo holds
exactly the rows, history and events the product writes, and the product's category scores.

The workflow accepts self-assessments only in an open cycle before its closing day, so a
past cycle is filled in with tomorrow as its closing day and gets its real one once closed,
as an organization entering the history it kept on paper would. Every move, and every
history record, is dated on the day the demo pretends it happened (``assessment_timeline``,
``cycle_history_date``): a cycle finalized three years ago says so.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from assessments.models import Assessment, AssessmentCycle
from assessments.services import (
    AssessmentRoute,
    RatingInput,
    assessments_advance,
    cycle_close,
    cycle_open,
)
from growthmatrix.management.commands._demo_data import (
    COACHING_NOTES,
    EVIDENCE,
    NEXT_STEPS,
    RETURN_NOTE,
    STORIES,
    SUPERVISOR_NOTE,
)
from rubrics.models import Indicator, RubricVersion
from rubrics.vocabulary import CATEGORY_KEYS, MAX_LEVEL, MIN_LEVEL

DRAFT, SUBMITTED, RETURNED, FINALIZED = (
    Assessment.State.DRAFT,
    Assessment.State.SUBMITTED,
    Assessment.State.RETURNED,
    Assessment.State.FINALIZED,
)
# Where the coordinators stand in the open cycle, by their number (the first starts fresh).
OPEN_CYCLE_STATES = [SUBMITTED, DRAFT, FINALIZED, SUBMITTED, RETURNED, DRAFT]


@dataclass(frozen=True)
class CycleSpec:
    name: str
    opens_on: date
    due_on: date
    closes_on: date
    is_open: bool  # the current cycle; every earlier one is closed


@dataclass(frozen=True)
class AssessmentPlan:
    """Where one coordinator's assessment of one cycle ends up."""

    person: int  # the coordinator's number in the demo
    cycle: int  # the cycle's place in the list, oldest first
    state: str
    levels: tuple[int, ...]  # the category levels the director agrees, in CATEGORY_KEYS
    offset: int  # how many levels above the director the coordinator rates themselves
    serial: int  # the assessment's place among all the demo's; varies the indicator levels
    fresh: bool = False  # a draft with nothing saved yet


def clamp(level: int) -> int:
    return max(MIN_LEVEL, min(MAX_LEVEL, level))


def cycle_specs(n_cycles: int, today: date) -> list[CycleSpec]:
    """``n_cycles`` closed fall cycles, a year apart, then this fall's open one."""
    this_fall = today - timedelta(days=40)
    cycles = []
    for k in range(n_cycles, 0, -1):
        opens = this_fall - timedelta(days=365 * k)
        name = (
            f"{opens.year}–{str(opens.year + 1)[-2:]} Fall"
            if n_cycles <= 30
            else f"Cycle {n_cycles - k + 1}"
        )
        cycles.append(
            CycleSpec(
                name=name,
                opens_on=opens,
                due_on=opens + timedelta(days=45),
                closes_on=opens + timedelta(days=120),
                is_open=False,
            )
        )
    cycles.append(
        CycleSpec(
            name=f"{this_fall.year}–{str(this_fall.year + 1)[-2:]} Fall",
            opens_on=this_fall,
            due_on=today + timedelta(days=21),
            closes_on=today + timedelta(days=80),
            is_open=True,
        )
    )
    return cycles


def assessment_plans(
    starts: list[date], cycles: list[CycleSpec], rng: random.Random
) -> list[AssessmentPlan]:
    """Every assessment of the demo, coordinator by coordinator (``starts`` are their first
    days in the role): a story's levels, or a random climb, over the most recent past cycles
    since they started, then this cycle."""
    past = cycles[:-1]
    plans: list[AssessmentPlan] = []
    for person, start in enumerate(starts):
        eligible = [k for k, cycle in enumerate(past) if cycle.opens_on >= start]
        if person < len(STORIES):
            story = STORIES[person][1]
            history = story[-(len(eligible) + 1) :] if eligible else story[-1:]
        else:
            history = random_history(rng, len(eligible) + 1)
        offset = 1 if person == 3 else 0
        # A story shorter than the person's tenure fills the most recent cycles.
        past_levels = history[:-1]
        recent = eligible[len(eligible) - len(past_levels) :] if past_levels else []
        for k, levels in zip(recent, past_levels, strict=True):
            plans.append(
                AssessmentPlan(person, k, FINALIZED, levels, offset, serial=len(plans) + 1)
            )
        state = DRAFT if person == 0 else OPEN_CYCLE_STATES[person % 6]
        plans.append(
            AssessmentPlan(
                person,
                len(past),
                state,
                history[-1],
                offset,
                serial=len(plans) + 1,
                fresh=person == 0,
            )
        )
    return plans


def random_history(rng: random.Random, length: int) -> list[tuple[int, ...]]:
    levels = [rng.choice([1, 1, 2]) for _ in CATEGORY_KEYS]
    history = []
    for _ in range(length):
        history.append(tuple(levels))
        levels = [clamp(v + (1 if rng.random() < 0.35 else 0)) for v in levels]
    return history


# Writing a cycle ------------------------------------------------------------------------


def indicators_by_family(organization) -> dict[int, list[tuple[int, str]]]:
    """(indicator id, category key) of each role family's published rubric, in page order."""
    versions = RubricVersion.objects.filter(
        rubric__organization=organization, state=RubricVersion.State.PUBLISHED
    ).select_related("rubric")
    return {
        version.rubric.role_family_id: list(
            Indicator.objects.filter(category__version=version)
            .order_by("category__order", "order")
            .values_list("pk", "category__key")
        )
        for version in versions
    }


def cycle_write(
    *,
    organization,
    admin,
    spec: CycleSpec,
    plans: dict[int, AssessmentPlan],
    indicators: dict[int, list[tuple[int, str]]],
    directors: dict[int, object],
    today: date,
) -> AssessmentCycle:
    """Open a cycle for the coordinators there are now (``plans`` by their profile's id),
    take each assessment to its planned state, reviewed by the director of the coordinator's
    team (``directors`` by team id), and close the cycle if it is past."""
    cycle = AssessmentCycle.objects.create(
        organization=organization,
        name=spec.name,
        opens_on=spec.opens_on,
        due_on=spec.due_on,
        closes_on=max(spec.closes_on, today + timedelta(days=1)),
    )
    cycle_open(cycle=cycle, actor=admin)
    cycle_history_date(cycle, spec)
    routes = []
    for assessment in Assessment.objects.filter(cycle=cycle).select_related("coordinator"):
        plan = plans[assessment.coordinator_id]
        own, agreed = planned_ratings(plan, indicators[assessment.coordinator.role_family_id])
        routes.append(
            AssessmentRoute(
                assessment=assessment,
                state=plan.state,
                self_ratings=own,
                reviewer=directors[assessment.coordinator.team_id],
                review_ratings=agreed,
                return_note=RETURN_NOTE,
                coaching_notes=COACHING_NOTES,
                next_steps=NEXT_STEPS,
                timeline=assessment_timeline(spec, plan),
            )
        )
    assessments_advance(routes=routes)
    if not spec.is_open:
        cycle_close(cycle=cycle, actor=admin)
        # The real closing day, as if it had always been the cycle's: no history record of a
        # change nobody made.
        AssessmentCycle.objects.filter(pk=cycle.pk).update(closes_on=spec.closes_on)
        AssessmentCycle.history.filter(id=cycle.pk).update(closes_on=spec.closes_on)
        AssessmentCycle.history.filter(id=cycle.pk, state=AssessmentCycle.State.CLOSED).update(
            history_date=at(spec.closes_on, 17)
        )
    return cycle


def at(day: date, hour: int) -> datetime:
    """``hour`` o'clock on ``day``, in the project's time zone."""
    return timezone.make_aware(datetime.combine(day, time(hour)))


def cycle_history_date(cycle: AssessmentCycle, spec: CycleSpec) -> None:
    """Date what opening the cycle wrote on its opening day: the cycle (planned two weeks
    before), its opening, and each draft it made."""
    opened = at(spec.opens_on, 8)
    AssessmentCycle.objects.filter(pk=cycle.pk).update(opened_at=opened)
    AssessmentCycle.history.filter(id=cycle.pk, history_type="+").update(
        history_date=opened - timedelta(days=14)
    )
    AssessmentCycle.history.filter(id=cycle.pk, history_type="~").update(
        history_date=opened, opened_at=opened
    )
    Assessment.objects.filter(cycle=cycle).update(created_at=opened, updated_at=opened)
    Assessment.history.filter(cycle_id=cycle.pk).update(
        history_date=opened, created_at=opened, updated_at=opened
    )


def assessment_timeline(spec: CycleSpec, plan: AssessmentPlan) -> dict[str, datetime]:
    """When each move of a planned assessment happened: the coordinator saves within two weeks
    of the opening and submits a few days later; the director returns it a few days after,
    or reviews it a week after and finalizes the next day. All before today in the open
    cycle (it opened forty days ago), and well before the closing day in a past one."""
    saved = spec.opens_on + timedelta(days=3 + plan.serial % 10)
    submitted = saved + timedelta(days=1 + plan.serial % 3)
    reviewed = submitted + timedelta(days=7)
    return {
        "saved": at(saved, 10 + plan.serial % 6),
        "submitted": at(submitted, 16),
        "returned": at(submitted + timedelta(days=4), 11),
        "reviewed": at(reviewed, 14),
        "finalized": at(reviewed + timedelta(days=1), 9),
    }


def planned_ratings(
    plan: AssessmentPlan, indicators: list[tuple[int, str]]
) -> tuple[dict[int, RatingInput], dict[int, RatingInput]]:
    """The coordinator's and the director's ratings by indicator id. The director rates
    each indicator at its category's planned level, one above now and then; the coordinator
    a little higher where the plan says so. A draft is rated or not, every other one."""
    by_key = dict(zip(CATEGORY_KEYS, plan.levels, strict=True))
    self_rated = not plan.fresh and (plan.state != DRAFT or plan.serial % 2 == 0)
    own, agreed = {}, {}
    for position, (indicator_id, key) in enumerate(indicators):
        target = by_key[key]
        wobble = (position + plan.serial) % 5
        supervisor = clamp(target + (1 if wobble == 4 and target < 3 else 0))
        if self_rated:
            level = clamp(supervisor + plan.offset + (1 if wobble == 1 and target < 3 else 0))
            evidence = EVIDENCE[(position + plan.serial) % len(EVIDENCE)]
            own[indicator_id] = RatingInput(level, evidence)
        if plan.state == FINALIZED:
            agreed[indicator_id] = RatingInput(supervisor, SUPERVISOR_NOTE)
    return own, agreed
