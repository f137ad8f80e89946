"""Writes of check-ins between the cycles, team check-in cadences and the organization's list
of coaching actions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from assessments.services import NextStepInput
from coordinators import events
from coordinators.models import CoordinatorProfile, Organization, Team
from coordinators.versioning import version_claim, versioned_save
from growth import events as growth_events
from growth.access import can_see_check_in, is_party_to
from growth.models import (
    CheckIn,
    CheckInCadence,
    CheckInGoal,
    CheckInNextStep,
    CoachingAction,
    Goal,
)
from growth.services import GrowthError

DEFAULT_COACHING_ACTIONS = (
    "Observed at the site",
    "Co-planned",
    "Modelled",
    "Reflected on data",
    "Connected to a network",
)
MAX_COACHING_ACTIONS = 20


@dataclass(frozen=True)
class GoalTouched:
    """What a check-in says of one goal: progress in words and, optionally, a new status."""

    goal: Goal
    progress: str = ""
    new_status: str = ""


def _announce(profile_id: int, organization_id: int) -> None:
    events.publish(
        growth_events.CheckInsChanged(organization_id=organization_id, coordinator_id=profile_id)
    )


def _goals_touched_write(check_in: CheckIn, touched: Sequence[GoalTouched]) -> None:
    """Replace the goals the check-in touched, and move each goal to its new status (a goal
    form opened before then is stale)."""
    check_in.goal_notes.all().delete()
    rows = []
    for item in touched:
        if item.goal.coordinator_id != check_in.coordinator_id:
            raise GrowthError("A check-in can only touch the coordinator's own goals.")
        if item.new_status and item.new_status not in Goal.Status.values:
            raise GrowthError("Unknown goal status.")
        if not (item.progress.strip() or item.new_status):
            continue
        rows.append(
            CheckInGoal(
                check_in=check_in,
                goal=item.goal,
                progress=item.progress.strip(),
                new_status=item.new_status,
            )
        )
        if item.new_status and item.goal.status != item.new_status:
            goal = Goal.objects.select_for_update().get(pk=item.goal.pk)
            goal.status = item.new_status
            versioned_save(goal, fields=["status"])
            events.publish(
                growth_events.GoalsChanged(
                    organization_id=check_in.coordinator.organization_id,
                    coordinator_id=check_in.coordinator_id,
                )
            )
    CheckInGoal.objects.bulk_create(rows)


def _next_steps_write(check_in: CheckIn, steps: Sequence[NextStepInput]) -> None:
    wanted = [
        NextStepInput(step.text.strip(), step.owner.strip(), step.due_on)
        for step in steps
        if step.text.strip()
    ]
    stored = list(check_in.next_step_items.order_by("order", "pk"))
    if [(s.text, s.owner, s.due_on) for s in stored] == [tuple(step) for step in wanted]:
        return
    check_in.next_step_items.all().delete()
    CheckInNextStep.objects.bulk_create(
        CheckInNextStep(
            check_in=check_in, text=step.text, owner=step.owner, due_on=step.due_on, order=n
        )
        for n, step in enumerate(wanted)
    )


def _check_day(held_on: date) -> None:
    if held_on > timezone.localdate():
        raise GrowthError("A check-in is logged once it has happened: choose a day up to today.")


@transaction.atomic
def check_in_create(
    *,
    profile: CoordinatorProfile,
    actor,
    held_on: date,
    participants: str = "",
    notes: str = "",
    notes_private: bool = False,
    coaching_actions: Sequence[CoachingAction] = (),
    goals: Sequence[GoalTouched] = (),
    next_steps: Sequence[NextStepInput] | None = (),
) -> CheckIn:
    _check_day(held_on)
    check_in = CheckIn(
        coordinator=profile,
        held_on=held_on,
        author=actor,
        participants=participants.strip(),
        notes=notes,
        notes_private=notes_private,
    )
    check_in._history_user = actor
    check_in.save(force_insert=True)
    check_in.coaching_actions.set(
        [a for a in coaching_actions if a.organization_id == profile.organization_id]
    )
    _goals_touched_write(check_in, goals)
    _next_steps_write(check_in, next_steps or ())
    _announce(profile.pk, profile.organization_id)
    return check_in


@transaction.atomic
def check_in_update(
    *,
    check_in: CheckIn,
    actor,
    expected_version: int,
    coaching_actions: Sequence[CoachingAction] | None = None,
    goals: Sequence[GoalTouched] | None = None,
    next_steps: Sequence[NextStepInput] | None = None,
    **fields,
) -> CheckIn:
    """Change a check-in as its author, if nobody saved it since its form was read at
    ``expected_version`` (else ``StaleEdit``); the history keeps each change."""
    if check_in.author_id != actor.pk:
        raise GrowthError("Only the person who logged a check-in can change it.")
    if "held_on" in fields:
        _check_day(fields["held_on"])
    version_claim(check_in, expected=expected_version)
    changed = [name for name, value in fields.items() if getattr(check_in, name) != value]
    for name in changed:
        setattr(check_in, name, fields[name])
    if changed:
        check_in._history_user = actor
        check_in.save(update_fields=changed)
    profile = check_in.coordinator
    if coaching_actions is not None:
        check_in.coaching_actions.set(
            [a for a in coaching_actions if a.organization_id == profile.organization_id]
        )
    if goals is not None:
        _goals_touched_write(check_in, goals)
    if next_steps is not None:
        _next_steps_write(check_in, next_steps)
    _announce(profile.pk, profile.organization_id)
    return check_in


def check_in_claim_for_evidence(*, check_in: CheckIn, actor, expected_version: int) -> CheckIn:
    """Take the check-in's next version for a change of its files and links, made by one of
    its two people (its author or the coordinator) who still sees it. Call inside the
    transaction that records the change, so a refused claim (``StaleEdit``,
    ``PermissionDenied``) records nothing."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Claim a check-in's version inside the evidence's transaction.")
    if not (is_party_to(actor, check_in) and can_see_check_in(actor, check_in)):
        raise PermissionDenied(
            "Only the coordinator and the person who logged the check-in can attach to it."
        )
    version_claim(check_in, expected=expected_version)
    return check_in


# Cadences -------------------------------------------------------------------------------


@transaction.atomic
def cadence_set(*, team: Team, every_days: int | None) -> CheckInCadence | None:
    """Give a team a check-in cadence of ``every_days`` (None removes it). A new cadence
    counts from today for those who never had a check-in."""
    existing = CheckInCadence.objects.select_for_update().filter(team=team).first()
    if every_days is None:
        if existing is not None:
            existing.delete()
    elif not 7 <= every_days <= 365:
        raise GrowthError("A cadence is between 7 and 365 days.")
    elif existing is None:
        existing = CheckInCadence.objects.create(
            team=team, every_days=every_days, since=timezone.localdate()
        )
    elif existing.every_days != every_days:
        existing.every_days = every_days
        versioned_save(existing, fields=["every_days"])
    events.publish(growth_events.CheckInCadenceChanged(organization_id=team.organization_id))
    return existing if every_days is not None else None


# Coaching actions -----------------------------------------------------------------------


@transaction.atomic
def coaching_actions_seed(*, organization: Organization) -> list[CoachingAction]:
    return CoachingAction.objects.bulk_create(
        CoachingAction(organization=organization, name=name, order=n)
        for n, name in enumerate(DEFAULT_COACHING_ACTIONS)
    )


@transaction.atomic
def coaching_actions_set(*, organization: Organization, names: Sequence[str]) -> None:
    """The organization's coaching actions become ``names`` in this order. An action left
    out is taken off the list but stays on the check-ins that name it; one named again
    (whatever its capitals) comes back."""
    wanted: list[str] = []
    for name in names:
        name = " ".join(name.split())
        if name and name.casefold() not in {w.casefold() for w in wanted}:
            wanted.append(name)
    if len(wanted) > MAX_COACHING_ACTIONS:
        raise GrowthError(f"Keep the list short: at most {MAX_COACHING_ACTIONS} actions.")
    existing = {
        action.name.casefold(): action
        for action in CoachingAction.objects.select_for_update().filter(organization=organization)
    }
    for order, name in enumerate(wanted):
        action = existing.pop(name.casefold(), None)
        if action is None:
            CoachingAction.objects.create(organization=organization, name=name, order=order)
        else:
            action.name, action.order, action.active = name, order, True
            action.save(update_fields=["name", "order", "active"])
    CoachingAction.objects.filter(pk__in=[a.pk for a in existing.values()]).update(active=False)
