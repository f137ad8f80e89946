"""Opening, closing, reopening and extending a cycle, and the draft assessments it gives each
coordinator.

What a closed cycle means for each assessment: a draft or a returned one stays as its
coordinator left it, readable (evidence, levels, the director's note) but not changed or
submitted until an org admin reopens the cycle; a submitted one can still be reviewed,
finalized or returned by its director; a finalized one never changes anyway. Nothing typed is
removed by closing."""

from collections import defaultdict
from functools import partial

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateformat import format as date_format
from simple_history.utils import bulk_create_with_history

from assessments import emails
from assessments import events as assessment_events
from assessments.models import Assessment, AssessmentCycle, CategoryScore, Rating
from assessments.services.errors import WorkflowError
from coordinators import events
from coordinators.access import is_own_profile
from coordinators.models import CoordinatorProfile
from coordinators.versioning import version_claim, versioned_save
from rubrics.models import CategoryKey, Indicator, RubricVersion


def cycle_accepts_changes(cycle: AssessmentCycle) -> bool:
    """Coordinators change their assessments while the cycle is open, up to its closing day."""
    return cycle.state == AssessmentCycle.State.OPEN and cycle.closes_on >= timezone.localdate()


def check_cycle_open(cycle: AssessmentCycle) -> None:
    if not cycle_accepts_changes(cycle):
        raise WorkflowError(f"{cycle} is closed; self-assessments can no longer change.")


def _assessments_create(*, cycle: AssessmentCycle, profiles, versions: dict, actor) -> list:
    """Draft assessments for ``profiles`` pinned to their family's version in ``versions``,
    recording team and school sites as they are now; one empty rating per indicator."""
    assessments = bulk_create_with_history(
        [
            Assessment(
                coordinator=profile,
                cycle=cycle,
                rubric_version=versions[profile.role_family_id],
                team_id=profile.team_id,
            )
            for profile in profiles
        ],
        Assessment,
        batch_size=500,
        default_user=actor,
    )
    by_profile = {a.coordinator_id: a for a in assessments}
    Assessment.schools.through.objects.bulk_create(
        [
            Assessment.schools.through(assessment=by_profile[profile.pk], school=school)
            for profile in profiles
            for school in profile.schools.all()
        ],
        batch_size=2000,
    )
    indicators = defaultdict(list)
    for indicator_id, version_id in Indicator.objects.filter(
        category__version__in=set(versions.values())
    ).values_list("pk", "category__version_id"):
        indicators[version_id].append(indicator_id)
    Rating.objects.bulk_create(
        [
            Rating(assessment=a, indicator_id=indicator_id)
            for a in assessments
            for indicator_id in indicators[a.rubric_version_id]
        ],
        batch_size=2000,
    )
    CategoryScore.objects.bulk_create(
        [
            CategoryScore(assessment=a, category_key=key)
            for a in assessments
            for key in CategoryKey.values
        ],
        batch_size=2000,
    )
    return assessments


def _announce_created(cycle: AssessmentCycle, assessments: list[Assessment]) -> None:
    if assessments:
        events.publish(
            assessment_events.AssessmentsCreated(
                organization_id=cycle.organization_id,
                cycle_id=cycle.pk,
                assessment_ids=tuple(a.pk for a in assessments),
            )
        )


def _published_versions(organization_id: int) -> dict[int, RubricVersion]:
    return {
        version.rubric.role_family_id: version
        for version in RubricVersion.objects.filter(
            rubric__organization_id=organization_id, state=RubricVersion.State.PUBLISHED
        ).select_related("rubric")
    }


def _pinned_versions(cycle: AssessmentCycle) -> dict[int, RubricVersion]:
    """The version of each role family the cycle pinned when it opened."""
    return {
        version.rubric.role_family_id: version
        for version in cycle.rubric_versions.select_related("rubric")
    }


def _day(value) -> str:
    return date_format(value, "j M Y")


def _profiles_to_assess(cycle: AssessmentCycle):
    return CoordinatorProfile.objects.filter(
        organization_id=cycle.organization_id, active=True, user__is_active=True
    ).exclude(assessments__cycle=cycle)


def _other_open_cycle(cycle: AssessmentCycle) -> AssessmentCycle | None:
    return (
        AssessmentCycle.objects.filter(
            organization_id=cycle.organization_id, state=AssessmentCycle.State.OPEN
        )
        .exclude(pk=cycle.pk)
        .first()
    )


def cycle_open_refusal(cycle: AssessmentCycle) -> str | None:
    """Why opening ``cycle`` now would be refused, or None when it can open. The confirmation
    page runs it before it asks, and ``cycle_open`` again under the lock."""
    if cycle.state != AssessmentCycle.State.PLANNED:
        return f"{cycle} is already {cycle.get_state_display().lower()}."
    if cycle.closes_on < timezone.localdate():
        return f"{cycle} closed on {_day(cycle.closes_on)}; change its dates first."
    already_open = _other_open_cycle(cycle)
    if already_open is not None:
        return (
            f"{already_open} is still open. Close it before opening {cycle}: coordinators "
            "work on one cycle at a time."
        )
    versions = _published_versions(cycle.organization_id)
    unpublished = sorted(
        set(
            _profiles_to_assess(cycle)
            .exclude(role_family_id__in=versions)
            .values_list("role_family__name", flat=True)
        )
    )
    if unpublished:
        one = len(unpublished) == 1
        return (
            f"{cycle} cannot open: the role {'family' if one else 'families'} "
            f"{', '.join(unpublished)} {'has' if one else 'have'} active people but no "
            "published rubric. Publish a rubric version first."
        )
    return None


def cycle_close_refusal(cycle: AssessmentCycle) -> str | None:
    """Why closing ``cycle`` now would be refused, or None when it can close."""
    if cycle.state != AssessmentCycle.State.OPEN:
        return f"{cycle} is not open, so it cannot be closed."
    return None


def cycle_opens_early(cycle: AssessmentCycle) -> bool:
    """Opening today comes before the cycle's own opening date."""
    return timezone.localdate() < cycle.opens_on


def cycle_closes_early(cycle: AssessmentCycle) -> bool:
    """Closing today comes before the cycle's own closing date."""
    return timezone.localdate() < cycle.closes_on


def _transition_save(cycle: AssessmentCycle, actor, fields: list[str], reason: str = "") -> None:
    """Save a move of the cycle with a history row naming ``actor`` and, when given, why; a
    form opened before it (the cycle's edit page) is stale afterwards."""
    cycle._history_user = actor
    if reason:
        cycle._change_reason = reason[:100]
    versioned_save(cycle, fields=fields)


@transaction.atomic
def cycle_open(*, cycle: AssessmentCycle, actor) -> int:
    """Open a planned cycle: it pins each role family's published rubric version, and every
    active coordinator gets a draft assessment against it. Opening before the cycle's opening
    date says so in the history (the page asks first). Emails each coordinator after
    the commit (a task, so a large organization does not hold the request). Returns how many
    assessments were made."""
    cycle = AssessmentCycle.objects.select_for_update().get(pk=cycle.pk)
    refusal = cycle_open_refusal(cycle)
    if refusal:
        raise WorkflowError(refusal)
    reason = ""
    if cycle_opens_early(cycle):
        reason = (
            f"Opened early on {_day(timezone.localdate())}, before its opening date "
            f"{_day(cycle.opens_on)}"
        )
    profiles = list(
        _profiles_to_assess(cycle).select_related("role_family").prefetch_related("schools")
    )
    versions = _published_versions(cycle.organization_id)
    cycle.rubric_versions.set(versions.values())
    created = _assessments_create(cycle=cycle, profiles=profiles, versions=versions, actor=actor)
    cycle.state = AssessmentCycle.State.OPEN
    cycle.opened_at = timezone.now()
    _transition_save(cycle, actor, ["state", "opened_at"], reason)
    events.publish(
        assessment_events.CycleOpened(organization_id=cycle.organization_id, cycle_id=cycle.pk)
    )
    _announce_created(cycle, created)
    transaction.on_commit(partial(emails.cycle_opened_notify.enqueue, cycle_id=cycle.pk))
    return len(created)


@transaction.atomic
def cycle_close(*, cycle: AssessmentCycle, actor) -> AssessmentCycle:
    """Close an open cycle. Drafts and returned assessments stay as they are, readable by
    their coordinators but no longer changed or submitted (until the cycle is reopened);
    directors can still review and finalize what was submitted. Closing before the cycle's
    closing date says so in the history (the page asks first). The coordinators and
    directors whose work is affected are emailed after the commit."""
    cycle = AssessmentCycle.objects.select_for_update().get(pk=cycle.pk)
    refusal = cycle_close_refusal(cycle)
    if refusal:
        raise WorkflowError(refusal)
    reason = ""
    if cycle_closes_early(cycle):
        reason = (
            f"Closed early on {_day(timezone.localdate())}, before its closing date "
            f"{_day(cycle.closes_on)}"
        )
    cycle.state = AssessmentCycle.State.CLOSED
    _transition_save(cycle, actor, ["state"], reason)
    events.publish(
        assessment_events.CycleClosed(organization_id=cycle.organization_id, cycle_id=cycle.pk)
    )
    transaction.on_commit(partial(emails.cycle_closed_notify.enqueue, cycle_id=cycle.pk))
    return cycle


def _new_dates_check(cycle: AssessmentCycle, *, due_on, closes_on) -> None:
    if closes_on < timezone.localdate():
        raise WorkflowError(
            f"The new closing date must be today or later; {_day(closes_on)} has passed."
        )
    if not (cycle.opens_on <= due_on <= closes_on):
        raise WorkflowError(
            f"The due date must fall between the opening date ({_day(cycle.opens_on)}) and "
            "the closing date."
        )


def cycle_reopen_refusal(cycle: AssessmentCycle) -> str | None:
    """Why reopening ``cycle`` would be refused, or None. Another open cycle is the usual
    reason: the page then offers to extend that one instead."""
    if cycle.state != AssessmentCycle.State.CLOSED:
        return f"{cycle} is not closed, so there is nothing to reopen."
    already_open = _other_open_cycle(cycle)
    if already_open is not None:
        return (
            f"{already_open} is open, and coordinators work on one cycle at a time, so "
            f"{cycle} cannot be reopened while it is."
        )
    return None


def _reason_or(reason: str, default: str) -> str:
    """The reason the admin typed for the history, else what was done (the history shows the
    dates that changed either way)."""
    return (" ".join(reason.split()) or default)[:100]


@transaction.atomic
def cycle_reopen(
    *, cycle: AssessmentCycle, actor, expected_version: int, due_on, closes_on, reason: str = ""
) -> AssessmentCycle:
    """Open a closed cycle again until ``closes_on``: its drafts and returned assessments can
    change and be submitted again, on the rubric versions the cycle pinned. The history says
    who reopened it, until when and why; the coordinators who can continue are emailed."""
    cycle = AssessmentCycle.objects.select_for_update().get(pk=cycle.pk)
    refusal = cycle_reopen_refusal(cycle)
    if refusal:
        raise WorkflowError(refusal)
    version_claim(cycle, expected=expected_version)
    _new_dates_check(cycle, due_on=due_on, closes_on=closes_on)
    cycle.state = AssessmentCycle.State.OPEN
    cycle.due_on, cycle.closes_on = due_on, closes_on
    cycle._history_user = actor
    cycle._change_reason = _reason_or(reason, f"Reopened until {_day(closes_on)}")
    cycle.save(update_fields=["state", "due_on", "closes_on"])
    events.publish(
        assessment_events.CycleReopened(
            organization_id=cycle.organization_id, cycle_id=cycle.pk, closes_on=closes_on
        )
    )
    transaction.on_commit(
        partial(emails.cycle_continues_notify.enqueue, cycle_id=cycle.pk, reopened=True)
    )
    return cycle


@transaction.atomic
def cycle_extend(
    *, cycle: AssessmentCycle, actor, expected_version: int, due_on, closes_on, reason: str = ""
) -> AssessmentCycle:
    """Give an open cycle more time: the due and closing dates move later (never earlier).
    The history says who extended it, to when and why; coordinators still working on their
    self-assessment are emailed the new dates (unless the dates are the ones it already has)."""
    cycle = AssessmentCycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.state != AssessmentCycle.State.OPEN:
        raise WorkflowError(f"{cycle} is not open; only an open cycle is extended.")
    version_claim(cycle, expected=expected_version)
    _new_dates_check(cycle, due_on=due_on, closes_on=closes_on)
    if due_on < cycle.due_on or closes_on < cycle.closes_on:
        raise WorkflowError(
            f"Extending moves dates later: {cycle} is due on {_day(cycle.due_on)} and closes "
            f"on {_day(cycle.closes_on)}. To move them earlier, edit the cycle."
        )
    moved = (due_on, closes_on) != (cycle.due_on, cycle.closes_on)
    cycle.due_on, cycle.closes_on = due_on, closes_on
    cycle._history_user = actor
    cycle._change_reason = _reason_or(
        reason, f"Extended: due {_day(due_on)}, closes {_day(closes_on)}"
    )
    cycle.save(update_fields=["due_on", "closes_on"])
    if not moved:  # the same dates again (a second admin's save): the history has the reason
        return cycle
    events.publish(
        assessment_events.CycleExtended(
            organization_id=cycle.organization_id,
            cycle_id=cycle.pk,
            due_on=due_on,
            closes_on=closes_on,
        )
    )
    transaction.on_commit(
        partial(emails.cycle_continues_notify.enqueue, cycle_id=cycle.pk, reopened=False)
    )
    return cycle


@transaction.atomic
def assessment_start(*, cycle: AssessmentCycle, profile: CoordinatorProfile, actor) -> Assessment:
    """The coordinator's assessment in an open cycle, made now if they joined after it opened."""
    if not is_own_profile(actor, profile):
        raise PermissionDenied("Only the coordinator starts their own self-assessment.")
    existing = Assessment.objects.filter(cycle=cycle, coordinator=profile).first()
    if existing is not None:
        return existing
    if cycle.organization_id != profile.organization_id:
        raise PermissionDenied("This cycle belongs to another organization.")
    check_cycle_open(cycle)
    if not profile.active:
        raise WorkflowError("Your profile is not active; ask your organization's admin.")
    versions = _pinned_versions(cycle)
    if profile.role_family_id not in versions:
        # Nobody of this role family was assessed when the cycle opened: the first one pins
        # the version published now, and everyone of the family after them shares it.
        published = _published_versions(profile.organization_id).get(profile.role_family_id)
        if published is None:
            raise WorkflowError(
                f"Your role family ({profile.role_family}) has no published rubric yet; ask "
                "your organization's admin to publish one."
            )
        cycle.rubric_versions.add(published)
        versions[profile.role_family_id] = published
    try:
        with transaction.atomic():
            [assessment] = _assessments_create(
                cycle=cycle, profiles=[profile], versions=versions, actor=actor
            )
            _announce_created(cycle, [assessment])
    except IntegrityError:  # the same person pressed Start twice at once
        assessment = Assessment.objects.get(cycle=cycle, coordinator=profile)
    return assessment
