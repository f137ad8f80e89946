"""Writes of the growth path: goals, supports, the support catalogue, career positions and
promotions."""

from datetime import date

from django.db import IntegrityError, transaction

from coordinators import events
from coordinators.models import CoordinatorProfile, Organization
from coordinators.versioning import version_claim, versioned_save, versions_bump
from growth import events as growth_events
from growth.default_catalogue import DEFAULT_CATALOGUE
from growth.models import (
    CareerPosition,
    CareerStage,
    Goal,
    Promotion,
    Support,
    SupportCatalogEntry,
    SupportKind,
)
from rubrics.models import Indicator


class GrowthError(Exception):
    """A growth write that cannot be done as asked; the message says why, for the user."""


def _announce(event_type, profile_or_id) -> None:
    """Publish one coordinator's growth event (dashboards show goals due and career stages)."""
    profile = (
        profile_or_id
        if isinstance(profile_or_id, CoordinatorProfile)
        else CoordinatorProfile.objects.only("organization_id").get(pk=profile_or_id)
    )
    events.publish(event_type(organization_id=profile.organization_id, coordinator_id=profile.pk))


# Goals ------------------------------------------------------------------------------------


@transaction.atomic
def goal_create(
    *,
    profile: CoordinatorProfile,
    actor,
    category_key: str,
    target_level: int,
    target_date: date,
    indicator: Indicator | None = None,
    status: str = Goal.Status.OPEN,
    notes: str = "",
    supports=(),
) -> Goal:
    goal = Goal(
        coordinator=profile,
        category_key=category_key,
        indicator=indicator,
        target_level=target_level,
        target_date=target_date,
        status=status,
        notes=notes,
        created_by=actor,
    )
    goal._history_user = actor  # who set the goal, also outside a request
    goal.save(force_insert=True)
    _goal_supports_set(goal, _own_supports(profile, supports))
    _announce(growth_events.GoalsChanged, profile)
    return goal


@transaction.atomic
def goal_update(*, goal: Goal, expected_version: int, supports=None, **fields) -> Goal:
    """Change the given fields of a goal (and its supports when ``supports`` is given) if
    nobody saved it since its form was read at ``expected_version``, else ``StaleEdit``."""
    version_claim(goal, expected=expected_version)
    changed = [name for name, value in fields.items() if getattr(goal, name) != value]
    for name in changed:
        setattr(goal, name, fields[name])
    if changed:
        goal.save(update_fields=changed)
    if supports is not None:
        _goal_supports_set(goal, _own_supports(goal.coordinator, supports))
    _announce(growth_events.GoalsChanged, goal.coordinator_id)
    return goal


@transaction.atomic
def goal_status_set(*, goal: Goal, status: str) -> bool:
    """Mark a goal open, met or dropped; False when it already was. An edit form of the goal
    opened before is then stale (it would put the old status back)."""
    if status not in Goal.Status.values:
        raise GrowthError("Unknown goal status.")
    goal = Goal.objects.select_for_update().get(pk=goal.pk)
    if goal.status == status:
        return False
    goal.status = status
    versioned_save(goal, fields=["status"])
    _announce(growth_events.GoalsChanged, goal.coordinator_id)
    return True


@transaction.atomic
def goal_delete(*, goal: Goal) -> None:
    coordinator_id = goal.coordinator_id
    goal.delete()
    _announce(growth_events.GoalsChanged, coordinator_id)


def _own_supports(profile: CoordinatorProfile, supports) -> list[Support]:
    """Only the coordinator's own supports may serve their goals."""
    return [s for s in supports if s.coordinator_id == profile.pk]


def _goal_supports_set(goal: Goal, supports) -> None:
    """Link the goal to exactly ``supports``. Each support's form lists its goals, so the
    supports linked or unlinked take their next version: a form of them opened before is
    stale, and cannot undo the link."""
    before = set(goal.supports.values_list("pk", flat=True))
    goal.supports.set(supports)
    moved = before ^ {support.pk for support in supports}
    if moved:
        versions_bump(Support.objects.filter(pk__in=moved))


def _support_goals_set(support: Support, goals) -> None:
    """The other side of ``_goal_supports_set``: the goals linked or unlinked take their next
    version."""
    before = set(support.goals.values_list("pk", flat=True))
    support.goals.set(goals)
    moved = before ^ {goal.pk for goal in goals}
    if moved:
        versions_bump(Goal.objects.filter(pk__in=moved))


# Supports ---------------------------------------------------------------------------------


def _check_support(*, profile: CoordinatorProfile, kind: str, mentor, network_scope: str) -> None:
    if kind == SupportKind.MENTORING:
        raise GrowthError(
            "Mentoring is a mentoring match: choose the mentor from the suggested mentors."
        )
    if kind == SupportKind.NETWORK and not network_scope:
        raise GrowthError("Say whether the network is local, regional, university or national.")


@transaction.atomic
def support_create(
    *,
    profile: CoordinatorProfile,
    actor,
    kind: str,
    title: str,
    mentor=None,
    network_scope: str = "",
    starts_on: date | None = None,
    hours: int | None = None,
    notes: str = "",
    goals=(),
    catalog_entry: SupportCatalogEntry | None = None,
) -> Support:
    _check_support(profile=profile, kind=kind, mentor=mentor, network_scope=network_scope)
    support = Support(
        coordinator=profile,
        kind=kind,
        title=title,
        mentor=mentor if kind == SupportKind.MENTORING else None,
        network_scope=network_scope if kind == SupportKind.NETWORK else "",
        starts_on=starts_on,
        hours=hours,
        notes=notes,
        catalog_entry=catalog_entry,
        created_by=actor,
    )
    support._history_user = actor  # who added the support, also outside a request
    support.save(force_insert=True)
    _support_goals_set(support, [goal for goal in goals if goal.coordinator_id == profile.pk])
    _announce(growth_events.SupportsChanged, profile)
    return support


@transaction.atomic
def support_update(*, support: Support, expected_version: int, goals=None, **fields) -> Support:
    """Change the given fields of a support (and its goals when ``goals`` is given) if nobody
    saved it since its form was read at ``expected_version``, else ``StaleEdit``."""
    version_claim(support, expected=expected_version)
    kind = fields.get("kind", support.kind)
    mentor = fields.get("mentor", support.mentor)
    scope = fields.get("network_scope", support.network_scope)
    _check_support(profile=support.coordinator, kind=kind, mentor=mentor, network_scope=scope)
    if kind != SupportKind.MENTORING:
        fields["mentor"] = None
    if kind != SupportKind.NETWORK:
        fields["network_scope"] = ""
    changed = [name for name, value in fields.items() if getattr(support, name) != value]
    for name in changed:
        setattr(support, name, fields[name])
    if changed:
        support.save(update_fields=changed)
    if goals is not None:
        own = [g for g in goals if g.coordinator_id == support.coordinator_id]
        _support_goals_set(support, own)
    _announce(growth_events.SupportsChanged, support.coordinator_id)
    return support


@transaction.atomic
def support_delete(*, support: Support) -> None:
    coordinator_id = support.coordinator_id
    support.delete()
    _announce(growth_events.SupportsChanged, coordinator_id)


@transaction.atomic
def support_attach_from_catalogue(
    *, profile: CoordinatorProfile, entry: SupportCatalogEntry, actor, goal: Goal | None = None
) -> tuple[Support, bool]:
    """Give a coordinator a recommended support in one click. Attaching the same entry twice
    returns the support already there (``created`` False). Mentoring needs a named mentor, so
    it cannot be attached in one click."""
    if entry.organization_id != profile.organization_id:
        raise GrowthError("That catalogue entry belongs to another organization.")
    if entry.kind == SupportKind.MENTORING:
        raise GrowthError("Mentoring needs a mentor: add it with the support form.")
    # Lock the profile row so two quick clicks do not attach the entry twice.
    CoordinatorProfile.objects.select_for_update().get(pk=profile.pk)
    existing = Support.objects.filter(coordinator=profile, catalog_entry=entry).first()
    if existing is not None:
        linked = goal is not None and goal.supports.filter(pk=existing.pk).exists()
        if goal is not None and goal.coordinator_id == profile.pk and not linked:
            _support_goals_set(existing, [*existing.goals.all(), goal])
        return existing, False
    support = support_create(
        profile=profile,
        actor=actor,
        kind=entry.kind,
        title=entry.title,
        network_scope=entry.network_scope,
        hours=entry.hours,
        notes=entry.description,
        goals=[goal] if goal is not None else [],
        catalog_entry=entry,
    )
    return support, True


# The catalogue ------------------------------------------------------------------------------


@transaction.atomic
def support_catalogue_seed(*, organization: Organization) -> list[SupportCatalogEntry]:
    """The default recommended supports (growth/default_catalogue.py) for a new organization."""
    return SupportCatalogEntry.objects.bulk_create(
        SupportCatalogEntry(
            organization=organization,
            category_key=key,
            level=level,
            kind=kind,
            title=title,
            description=description,
            network_scope=scope,
            hours=hours,
        )
        for key, level, kind, title, description, scope, hours in DEFAULT_CATALOGUE
    )


@transaction.atomic
def catalogue_entry_delete(*, entry: SupportCatalogEntry) -> None:
    """Remove a recommended support from the catalogue. The supports given from it stay, no
    longer counted under it: each of their coordinators' supports changed."""
    coordinator_ids = sorted(
        set(Support.objects.filter(catalog_entry=entry).values_list("coordinator_id", flat=True))
    )
    entry.delete()
    events.publish_many(
        [
            growth_events.SupportsChanged(organization_id=entry.organization_id, coordinator_id=pk)
            for pk in coordinator_ids
        ]
    )


# Career stages and promotions ---------------------------------------------------------------


def _locked_position(profile: CoordinatorProfile) -> CareerPosition:
    """The profile's career position, read under a lock on the profile so that two changes of
    one person's stage wait for each other; a new unsaved one when the profile has none."""
    CoordinatorProfile.objects.select_for_update().get(pk=profile.pk)
    return CareerPosition.objects.filter(profile_id=profile.pk).first() or CareerPosition(
        profile_id=profile.pk
    )


def _place(position: CareerPosition, *, stage: CareerStage | None, since: date | None, actor):
    position.stage = stage
    position.since = since
    position._history_user = actor  # who changed the stage, also outside a request
    if position.pk is None:
        position.save()
    else:
        position.save(update_fields=["stage", "since"])
    _announce(growth_events.CareerPositionChanged, position.profile_id)


@transaction.atomic
def career_position_set(
    *, profile: CoordinatorProfile, stage: CareerStage | None, since: date | None, actor
) -> CareerPosition:
    """Put a coordinator at ``stage`` from ``since`` without recording a promotion (where a
    person starts, or a correction); the position's history keeps the change and who made it."""
    if stage is not None and stage.organization_id != profile.organization_id:
        raise GrowthError("That career stage belongs to another organization.")
    position = _locked_position(profile)
    _place(position, stage=stage, since=since, actor=actor)
    return position


@transaction.atomic
def promotion_record(
    *,
    profile: CoordinatorProfile,
    to_stage: CareerStage,
    effective_on: date,
    note: str = "",
    actor,
) -> Promotion:
    """Move a coordinator to another career stage from ``effective_on``; the Promotion row
    and the career position's history keep the change and who recorded it."""
    if to_stage.organization_id != profile.organization_id:
        raise GrowthError("That career stage belongs to another organization.")
    position = _locked_position(profile)
    if position.stage_id == to_stage.pk:
        raise GrowthError(f"{profile} is already {to_stage.title}.")
    promotion = Promotion.objects.create(
        profile=profile,
        from_stage_id=position.stage_id,
        to_stage=to_stage,
        effective_on=effective_on,
        note=note,
        recorded_by=actor,
    )
    _place(position, stage=to_stage, since=effective_on, actor=actor)
    return promotion


@transaction.atomic
def career_stage_delete(*, stage: CareerStage) -> None:
    """Delete a stage nobody is in and no promotion names."""
    if stage.positions.exists():
        raise GrowthError(
            f"{stage.positions.count()} people are at {stage.title}; move them to another stage "
            "first."
        )
    if (
        Promotion.objects.filter(from_stage=stage).exists()
        or Promotion.objects.filter(to_stage=stage).exists()
    ):
        raise GrowthError(
            f"Recorded promotions name {stage.title}, so it stays in the history. Rename it "
            "instead."
        )
    try:
        stage.delete()
    except IntegrityError as exc:  # pragma: no cover - guarded above
        raise GrowthError(f"{stage.title} is still in use.") from exc
    events.publish(growth_events.CareerStagesChanged(organization_id=stage.organization_id))
