"""Opening and closing a cycle, and the draft assessments it gives each coordinator."""

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


@transaction.atomic
def cycle_open(*, cycle: AssessmentCycle, actor) -> int:
    """Open a planned cycle: a draft assessment for every active coordinator, pinned to their
    role family's published rubric. Emails each coordinator after the commit (a task, so a
    large organization does not hold the request). Returns how many assessments were made."""
    cycle = AssessmentCycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.state != AssessmentCycle.State.PLANNED:
        raise WorkflowError(f"{cycle} is already {cycle.get_state_display().lower()}.")
    if cycle.closes_on < timezone.localdate():
        raise WorkflowError(
            f"{cycle} closed on {date_format(cycle.closes_on, 'j M Y')}; change its dates first."
        )
    already_open = (
        AssessmentCycle.objects.filter(
            organization_id=cycle.organization_id, state=AssessmentCycle.State.OPEN
        )
        .exclude(pk=cycle.pk)
        .first()
    )
    if already_open is not None:
        raise WorkflowError(
            f"{already_open} is still open. Close it before opening {cycle}: coordinators "
            "work on one cycle at a time."
        )
    profiles = list(
        CoordinatorProfile.objects.filter(
            organization_id=cycle.organization_id, active=True, user__is_active=True
        )
        .exclude(assessments__cycle=cycle)
        .select_related("role_family")
        .prefetch_related("schools")
    )
    versions = _published_versions(cycle.organization_id)
    unpublished = sorted({p.role_family.name for p in profiles if p.role_family_id not in versions})
    if unpublished:
        raise WorkflowError(
            f"{cycle} cannot open: the role "
            f"{'family' if len(unpublished) == 1 else 'families'} {', '.join(unpublished)} "
            f"{'has' if len(unpublished) == 1 else 'have'} active people but no published "
            "rubric. Publish a rubric version first."
        )
    created = _assessments_create(cycle=cycle, profiles=profiles, versions=versions, actor=actor)
    cycle.state = AssessmentCycle.State.OPEN
    cycle.opened_at = timezone.now()
    cycle._history_user = actor
    cycle.save(update_fields=["state", "opened_at"])
    events.publish(
        assessment_events.CycleOpened(organization_id=cycle.organization_id, cycle_id=cycle.pk)
    )
    _announce_created(cycle, created)
    transaction.on_commit(partial(emails.cycle_opened_notify.enqueue, cycle_id=cycle.pk))
    return len(created)


@transaction.atomic
def cycle_close(*, cycle: AssessmentCycle, actor) -> AssessmentCycle:
    """Close an open cycle: coordinators can no longer change or submit their assessments;
    directors can still finish the reviews."""
    cycle = AssessmentCycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.state != AssessmentCycle.State.OPEN:
        raise WorkflowError(f"{cycle} is not open, so it cannot be closed.")
    cycle.state = AssessmentCycle.State.CLOSED
    cycle._history_user = actor
    cycle.save(update_fields=["state"])
    events.publish(
        assessment_events.CycleClosed(organization_id=cycle.organization_id, cycle_id=cycle.pk)
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
    versions = _published_versions(profile.organization_id)
    if profile.role_family_id not in versions:
        raise WorkflowError(
            f"Your role family ({profile.role_family}) has no published rubric yet; ask your "
            "organization's admin to publish one."
        )
    try:
        with transaction.atomic():
            [assessment] = _assessments_create(
                cycle=cycle, profiles=[profile], versions=versions, actor=actor
            )
            _announce_created(cycle, [assessment])
    except IntegrityError:  # the same person pressed Start twice at once
        assessment = Assessment.objects.get(cycle=cycle, coordinator=profile)
    return assessment
