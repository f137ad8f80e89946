"""Writes that touch more than one row or move a state (STYLE.md, services)."""

import copy
from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from functools import partial
from typing import NamedTuple

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.dateformat import format as date_format
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from assessments import emails
from assessments import events as assessment_events
from assessments.models import Assessment, AssessmentCycle, CategoryScore, Rating
from assessments.scoring import category_level
from coordinators import events
from coordinators.access import can_direct
from coordinators.models import CoordinatorProfile
from rubrics.models import (
    CategoryKey,
    Indicator,
    RubricVersion,
)
from rubrics.text import RubricText, rubric_text


def category_scores_refresh(*, assessment: Assessment) -> list[CategoryScore]:
    """Recompute and store the four category levels (self and supervisor) of an assessment.

    Call inside the transaction that changed the ratings.
    """
    self_levels: dict[str, list] = defaultdict(list)
    supervisor_levels: dict[str, list] = defaultdict(list)
    for key, self_level, supervisor_level in assessment.ratings.values_list(
        "indicator__category__key", "self_level", "supervisor_level"
    ):
        self_levels[key].append(self_level)
        supervisor_levels[key].append(supervisor_level)
    scores = [
        CategoryScore(
            assessment=assessment,
            category_key=key,
            self_level=category_level(self_levels[key]),
            supervisor_level=category_level(supervisor_levels[key]),
        )
        for key in CategoryKey.values
    ]
    return CategoryScore.objects.bulk_create(
        scores,
        update_conflicts=True,
        unique_fields=["assessment", "category_key"],
        update_fields=["self_level", "supervisor_level"],
    )


# Cycles and the assessment workflow ----------------------------------------------------
#
# The only moves an assessment can make (DESIGN.md, "Cycles and the assessment workflow"):
#
#   draft/returned --save_self, submit (the coordinator)--> submitted
#   submitted --recall (the coordinator, until the review started)--> draft
#   submitted --save_review, return (the director or an org admin)--> returned
#   submitted --finalize (the director or an org admin)--> finalized, never edited again
#
# Every move names the ``version`` it was read at and takes the next one in a conditional
# UPDATE, so a replayed or stale POST is refused instead of overwriting a later save.
# Ratings are written with simple_history's bulk helpers, so the history keeps who set
# which level and when, in a fixed number of queries whatever the rubric's size.


class WorkflowError(Exception):
    """A move the workflow does not allow right now; the message is shown to the person."""


class StaleAssessmentError(WorkflowError):
    """The assessment was saved by someone else (or another tab) after this person loaded it."""

    def __init__(self, message: str, *, current: Assessment):
        super().__init__(message)
        self.current = current


class IncompleteAssessmentError(WorkflowError):
    """Submit or finalize refused: ``missing`` lists the indicators without a level."""

    def __init__(self, message: str, *, missing: list[Indicator]):
        super().__init__(message)
        self.missing = missing


class RatingInput(NamedTuple):
    """One indicator's level and text (evidence for the coordinator, a note for the director)."""

    level: int | None
    text: str = ""


EDITABLE_BY_COORDINATOR = (Assessment.State.DRAFT, Assessment.State.RETURNED)
IN_REVIEW = (Assessment.State.SUBMITTED,)

STATE_REFUSALS = {
    Assessment.State.DRAFT: "This assessment is a draft: it has not been submitted yet.",
    Assessment.State.SUBMITTED: "This assessment has been submitted; it is waiting for review.",
    Assessment.State.RETURNED: "This assessment was returned to the coordinator for changes.",
    Assessment.State.FINALIZED: "This assessment is finalized; it can no longer be changed.",
}


def _require_owner(*, assessment: Assessment, actor) -> None:
    if assessment.coordinator.user_id != actor.pk:
        raise PermissionDenied("Only the coordinator changes their own self-assessment.")


def _require_reviewer(*, assessment: Assessment, actor) -> None:
    if assessment.coordinator.user_id == actor.pk or not can_direct(actor, assessment.coordinator):
        raise PermissionDenied(
            "Only the director of this coordinator's team or an org admin reviews it."
        )


def cycle_accepts_changes(cycle: AssessmentCycle) -> bool:
    """Coordinators change their assessments while the cycle is open, up to its closing day."""
    return cycle.state == AssessmentCycle.State.OPEN and cycle.closes_on >= timezone.localdate()


def _require_cycle_open(cycle: AssessmentCycle) -> None:
    if not cycle_accepts_changes(cycle):
        raise WorkflowError(f"{cycle} is closed; self-assessments can no longer change.")


def _assessment_claim(*, assessment: Assessment, expected_version, states) -> Assessment:
    """Take the assessment's next version if it is still at ``expected_version`` and in one of
    ``states``, else say why not. Call inside the transaction of the move; the UPDATE holds
    the row until it commits."""
    claimed = Assessment.objects.filter(
        pk=assessment.pk, version=expected_version, state__in=states
    ).update(version=models.F("version") + 1, updated_at=timezone.now())
    current = Assessment.objects.select_related(
        "cycle", "coordinator__user", "coordinator__team", "rubric_version"
    ).get(pk=assessment.pk)
    if not claimed:
        if current.state not in states:
            raise WorkflowError(STATE_REFUSALS[current.state])
        saved_at = timezone.localtime(current.updated_at).strftime("%H:%M")
        raise StaleAssessmentError(
            f"This assessment was saved elsewhere at {saved_at} (in another tab or by someone "
            "else) after you opened it, so your changes were not saved. They are still below: "
            "compare them with what was saved, then save again.",
            current=current,
        )
    return current


def _indicators_without(*, assessment: Assessment, field: str) -> list[Indicator]:
    """The indicators of the pinned version whose rating has no ``field`` level, in page order."""
    rated = Rating.objects.filter(assessment=assessment, **{f"{field}__isnull": False}).values(
        "indicator_id"
    )
    return list(
        Indicator.objects.filter(category__version_id=assessment.rubric_version_id)
        .exclude(pk__in=rated)
        .select_related("category")
        .order_by("category__order", "order", "pk")
    )


def _ratings_write(
    *,
    assessment: Assessment,
    actor,
    ratings: Mapping[int, RatingInput],
    level_field: str,
    text_field: str,
) -> int:
    """Write the ratings that changed; returns how many. Refuses (before writing anything) an
    indicator outside the pinned version or a level the version does not have."""
    words = rubric_text(assessment.rubric_version)
    indicator_ids = {
        indicator.pk for _, indicators in words.categories for indicator, _ in indicators
    }
    level_values = {level.value for level in words.levels}
    if set(ratings) - indicator_ids:
        raise WorkflowError("Some ratings name an indicator that is not in this rubric version.")
    if any(
        entry.level is not None and entry.level not in level_values for entry in ratings.values()
    ):
        raise WorkflowError("Some ratings have a level this rubric does not have.")
    existing = {rating.indicator_id: rating for rating in assessment.ratings.order_by()}
    created, changed = [], []
    for indicator_id, entry in ratings.items():
        text = entry.text.strip()
        rating = existing.get(indicator_id)
        if rating is None:
            if entry.level is not None or text:
                created.append(
                    Rating(
                        assessment=assessment,
                        indicator_id=indicator_id,
                        **{level_field: entry.level, text_field: text},
                    )
                )
        elif getattr(rating, level_field) != entry.level or getattr(rating, text_field) != text:
            setattr(rating, level_field, entry.level)
            setattr(rating, text_field, text)
            changed.append(rating)
    if created:
        bulk_create_with_history(created, Rating, default_user=actor)
    if changed:
        bulk_update_with_history(changed, Rating, [level_field, text_field], default_user=actor)
    return len(created) + len(changed)


def _announce(event_type: type[assessment_events.AssessmentChanged], assessment, **extra) -> None:
    events.publish(
        event_type(
            organization_id=assessment.cycle.organization_id,
            assessment_id=assessment.pk,
            coordinator_id=assessment.coordinator_id,
            cycle_id=assessment.cycle_id,
            **extra,
        )
    )


def _assessment_save(assessment: Assessment, actor, fields: list[str]) -> None:
    """Save state or notes with a history row naming ``actor``."""
    assessment._history_user = actor
    assessment.save(update_fields=[*fields, "updated_at"])


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
    if profile.user_id != actor.pk:
        raise PermissionDenied("Only the coordinator starts their own self-assessment.")
    existing = Assessment.objects.filter(cycle=cycle, coordinator=profile).first()
    if existing is not None:
        return existing
    if cycle.organization_id != profile.organization_id:
        raise PermissionDenied("This cycle belongs to another organization.")
    _require_cycle_open(cycle)
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


@transaction.atomic
def assessment_save_self(
    *, assessment: Assessment, actor, expected_version: int, ratings: Mapping[int, RatingInput]
) -> Assessment:
    """The coordinator saves levels and evidence of a draft or returned assessment."""
    _require_owner(assessment=assessment, actor=actor)
    assessment = _assessment_claim(
        assessment=assessment, expected_version=expected_version, states=EDITABLE_BY_COORDINATOR
    )
    _require_cycle_open(assessment.cycle)
    if _ratings_write(
        assessment=assessment,
        actor=actor,
        ratings=ratings,
        level_field="self_level",
        text_field="self_evidence",
    ):
        category_scores_refresh(assessment=assessment)
        _announce(assessment_events.AssessmentRatingsSaved, assessment, by_reviewer=False)
    return assessment


@transaction.atomic
def assessment_submit(*, assessment: Assessment, actor, expected_version: int) -> Assessment:
    """Send a complete self-assessment to the director (emailed after the commit)."""
    _require_owner(assessment=assessment, actor=actor)
    assessment = _assessment_claim(
        assessment=assessment, expected_version=expected_version, states=EDITABLE_BY_COORDINATOR
    )
    _require_cycle_open(assessment.cycle)
    missing = _indicators_without(assessment=assessment, field="self_level")
    if missing:
        raise IncompleteAssessmentError(
            f"Choose a level for every indicator before submitting; {len(missing)} "
            f"{'has' if len(missing) == 1 else 'have'} none yet.",
            missing=missing,
        )
    assessment.state = Assessment.State.SUBMITTED
    assessment.submitted_at = timezone.now()
    assessment.review_started_at = None
    _assessment_save(assessment, actor, ["state", "submitted_at", "review_started_at"])
    _announce(assessment_events.AssessmentSubmitted, assessment)
    transaction.on_commit(
        partial(emails.assessment_submitted_notify.enqueue, assessment_id=assessment.pk)
    )
    return assessment


@transaction.atomic
def assessment_recall(*, assessment: Assessment, actor, expected_version: int) -> Assessment:
    """Take a submission back to draft, possible until the director starts the review."""
    _require_owner(assessment=assessment, actor=actor)
    assessment = _assessment_claim(
        assessment=assessment, expected_version=expected_version, states=IN_REVIEW
    )
    if assessment.review_started_at is not None:
        raise WorkflowError(
            "Your director has started the review, so the submission can no longer be "
            "recalled. Ask them to return it if something needs to change."
        )
    assessment.state = Assessment.State.DRAFT
    assessment.submitted_at = None
    _assessment_save(assessment, actor, ["state", "submitted_at"])
    _announce(assessment_events.AssessmentRecalled, assessment)
    return assessment


@transaction.atomic
def assessment_save_review(
    *,
    assessment: Assessment,
    actor,
    expected_version: int,
    ratings: Mapping[int, RatingInput],
    coaching_notes: str,
    next_steps: str,
) -> Assessment:
    """The director saves supervisor levels and notes and the coaching conversation. The first
    save starts the review, which ends the coordinator's chance to recall."""
    _require_reviewer(assessment=assessment, actor=actor)
    assessment = _assessment_claim(
        assessment=assessment, expected_version=expected_version, states=IN_REVIEW
    )
    changed = _ratings_write(
        assessment=assessment,
        actor=actor,
        ratings=ratings,
        level_field="supervisor_level",
        text_field="supervisor_note",
    )
    if changed:
        category_scores_refresh(assessment=assessment)
    fields = []
    if assessment.review_started_at is None:
        assessment.review_started_at = timezone.now()
        fields.append("review_started_at")
    for field, value in (("coaching_notes", coaching_notes), ("next_steps", next_steps)):
        if getattr(assessment, field) != value.strip():
            setattr(assessment, field, value.strip())
            fields.append(field)
    if fields:
        _assessment_save(assessment, actor, fields)
    if changed or fields:
        _announce(assessment_events.AssessmentRatingsSaved, assessment, by_reviewer=True)
    return assessment


@transaction.atomic
def assessment_return(
    *, assessment: Assessment, actor, expected_version: int, note: str
) -> Assessment:
    """Send a submission back to the coordinator, editable again, with a note saying why."""
    _require_reviewer(assessment=assessment, actor=actor)
    if not note.strip():
        raise WorkflowError("Say in a note what the coordinator should change before returning.")
    assessment = _assessment_claim(
        assessment=assessment, expected_version=expected_version, states=IN_REVIEW
    )
    assessment.state = Assessment.State.RETURNED
    assessment.returned_at = timezone.now()
    assessment.return_note = note.strip()
    _assessment_save(assessment, actor, ["state", "returned_at", "return_note"])
    _announce(assessment_events.AssessmentReturned, assessment)
    transaction.on_commit(
        partial(emails.assessment_returned_notify.enqueue, assessment_id=assessment.pk)
    )
    return assessment


@transaction.atomic
def assessment_finalize(*, assessment: Assessment, actor, expected_version: int) -> Assessment:
    """Close the review: every indicator has a supervisor level; from now on nothing changes
    and the coordinator sees the supervisor's levels, notes and next steps."""
    _require_reviewer(assessment=assessment, actor=actor)
    assessment = _assessment_claim(
        assessment=assessment, expected_version=expected_version, states=IN_REVIEW
    )
    missing = _indicators_without(assessment=assessment, field="supervisor_level")
    if missing:
        raise IncompleteAssessmentError(
            f"Choose a supervisor level for every indicator before finalizing; {len(missing)} "
            f"{'has' if len(missing) == 1 else 'have'} none yet.",
            missing=missing,
        )
    assessment.state = Assessment.State.FINALIZED
    assessment.finalized_at = timezone.now()
    assessment.finalized_by = actor
    fields = ["state", "finalized_at", "finalized_by"]
    if assessment.review_started_at is None:
        assessment.review_started_at = assessment.finalized_at
        fields.append("review_started_at")
    _assessment_save(assessment, actor, fields)
    _announce(assessment_events.AssessmentFinalized, assessment)
    transaction.on_commit(
        partial(emails.assessment_finalized_notify.enqueue, assessment_id=assessment.pk)
    )
    return assessment


# Many assessments at once ----------------------------------------------------------------
#
# Years of history (the demo organization, the benchmark's) written one move at a time take
# minutes. These write what the moves above write for many assessments at once, in queries
# per distinct value and per batch of rows rather than per assessment; tests compare every
# row, history included, with the one-by-one path.


def category_scores_refresh_many(*, assessment_ids: Collection[int]) -> list[CategoryScore]:
    """``category_scores_refresh`` for many assessments, in two queries."""
    levels: dict[tuple[int, str], tuple[list, list]] = defaultdict(lambda: ([], []))
    for assessment_id, key, self_level, supervisor_level in Rating.objects.filter(
        assessment_id__in=assessment_ids
    ).values_list("assessment_id", "indicator__category__key", "self_level", "supervisor_level"):
        levels[assessment_id, key][0].append(self_level)
        levels[assessment_id, key][1].append(supervisor_level)
    return CategoryScore.objects.bulk_create(
        [
            CategoryScore(
                assessment_id=assessment_id,
                category_key=key,
                self_level=category_level(levels[assessment_id, key][0]),
                supervisor_level=category_level(levels[assessment_id, key][1]),
            )
            for assessment_id in assessment_ids
            for key in CategoryKey.values
        ],
        update_conflicts=True,
        unique_fields=["assessment", "category_key"],
        update_fields=["self_level", "supervisor_level"],
        batch_size=2000,
    )


class AssessmentRoute(NamedTuple):
    """Where ``assessments_advance`` takes one draft, and what is said on the way: its
    coordinator saves ``self_ratings`` (when there are any) and, unless it stays a draft,
    submits; then ``reviewer`` returns it with ``return_note``, or saves ``review_ratings``
    with the coaching notes and finalizes it."""

    assessment: Assessment
    state: str  # where it ends: draft, submitted, returned or finalized
    self_ratings: Mapping[int, RatingInput] = {}
    reviewer: object = None  # the coordinator's director or an org admin
    review_ratings: Mapping[int, RatingInput] = {}
    return_note: str = ""
    coaching_notes: str = ""
    next_steps: str = ""


@transaction.atomic
def assessments_advance(*, routes: Sequence[AssessmentRoute]) -> None:
    """Move many drafts along their routes at once, writing what ``assessment_save_self``,
    ``assessment_submit``, then ``assessment_return``, or ``assessment_save_review`` and
    ``assessment_finalize`` write when called one after the other: the same rows, history
    (who changed what, move by move), events and emails. Checks the same rules before writing
    anything; the events are published once everything is written."""
    moves = _RouteMoves(routes)
    for route in routes:
        moves.follow(route)
    moves.write()


_NOTIFY = {
    assessment_events.AssessmentSubmitted: emails.assessment_submitted_notify,
    assessment_events.AssessmentReturned: emails.assessment_returned_notify,
    assessment_events.AssessmentFinalized: emails.assessment_finalized_notify,
}


class _RouteMoves:
    """The moves of ``assessments_advance``, made on the loaded rows and recorded as the
    services record them (a history copy per save, an event per move), then written."""

    def __init__(self, routes: Sequence[AssessmentRoute]):
        self.now = timezone.now()
        ids = [route.assessment.pk for route in routes]
        self.assessments = Assessment.objects.select_related(
            "cycle", "coordinator__user", "coordinator__team", "rubric_version"
        ).in_bulk(ids)
        self.started = {pk: assessment.version for pk, assessment in self.assessments.items()}
        self.ratings: dict[int, dict[int, Rating]] = defaultdict(dict)
        for rating in Rating.objects.filter(assessment_id__in=ids):
            self.ratings[rating.assessment_id][rating.indicator_id] = rating
        self.words: dict[int, RubricText] = {}  # by rubric version id, read once
        self.changed: dict[int, Rating] = {}  # ratings to write, by id
        self.rescored: set[int] = set()  # assessments whose ratings changed
        self.rating_copies: list[Rating] = []
        self.assessment_copies: list[Assessment] = []
        self.events: list[tuple[type, Assessment, dict]] = []

    def follow(self, route: AssessmentRoute) -> None:
        assessment = self.assessments[route.assessment.pk]
        if assessment.state != Assessment.State.DRAFT:
            raise WorkflowError(STATE_REFUSALS[assessment.state])
        if assessment.version != route.assessment.version:
            raise StaleAssessmentError(
                f"{assessment} changed since it was read.", current=assessment
            )
        coordinator = assessment.coordinator.user
        if route.self_ratings:
            self._claim(assessment)
            if self._rate(assessment, coordinator, route.self_ratings, by_reviewer=False):
                self._announce(assessment_events.AssessmentRatingsSaved, assessment, False)
        if route.state == Assessment.State.DRAFT:
            return
        self._claim(assessment)
        self._require_levels(assessment, "self_level", "Choose a level", "submitting")
        self._save(
            assessment,
            coordinator,
            state=Assessment.State.SUBMITTED,
            submitted_at=self.now,
            review_started_at=None,
        )
        self._announce(assessment_events.AssessmentSubmitted, assessment)
        if route.state == Assessment.State.RETURNED:
            self._return(assessment, route.reviewer, route.return_note)
        elif route.state == Assessment.State.FINALIZED:
            self._review(assessment, route)
            self._claim(assessment, route.reviewer)
            self._require_levels(
                assessment, "supervisor_level", "Choose a supervisor level", "finalizing"
            )
            self._save(
                assessment,
                route.reviewer,
                state=Assessment.State.FINALIZED,
                finalized_at=self.now,
                finalized_by=route.reviewer,
            )
            self._announce(assessment_events.AssessmentFinalized, assessment)
        elif route.state != Assessment.State.SUBMITTED:
            raise ValueError(f"No route ends in {route.state!r}.")

    def _claim(self, assessment: Assessment, reviewer=None) -> None:
        """A move's checks, then the next version, as ``_assessment_claim`` takes it: the
        coordinator moves while the cycle is open, ``reviewer`` must review this coordinator."""
        if reviewer is None:
            _require_cycle_open(assessment.cycle)
        else:
            _require_reviewer(assessment=assessment, actor=reviewer)
        assessment.version += 1
        assessment.updated_at = self.now

    def _return(self, assessment: Assessment, reviewer, note: str) -> None:
        _require_reviewer(assessment=assessment, actor=reviewer)
        if not note.strip():
            raise WorkflowError(
                "Say in a note what the coordinator should change before returning."
            )
        self._claim(assessment, reviewer)
        self._save(
            assessment,
            reviewer,
            state=Assessment.State.RETURNED,
            returned_at=self.now,
            return_note=note.strip(),
        )
        self._announce(assessment_events.AssessmentReturned, assessment)

    def _review(self, assessment: Assessment, route: AssessmentRoute) -> None:
        self._claim(assessment, route.reviewer)
        self._rate(assessment, route.reviewer, route.review_ratings, by_reviewer=True)
        self._save(
            assessment,
            route.reviewer,
            review_started_at=self.now,
            coaching_notes=route.coaching_notes.strip(),
            next_steps=route.next_steps.strip(),
        )
        self._announce(assessment_events.AssessmentRatingsSaved, assessment, True)

    def _rate(self, assessment, actor, entries: Mapping[int, RatingInput], *, by_reviewer) -> int:
        """Apply ``entries`` to the loaded ratings as ``_ratings_write`` does; returns how
        many changed."""
        level_field, text_field = (
            ("supervisor_level", "supervisor_note")
            if by_reviewer
            else ("self_level", "self_evidence")
        )
        words = self._words(assessment)
        known = {indicator.pk for _, indicators in words.categories for indicator, _ in indicators}
        level_values = {level.value for level in words.levels}
        rows = self.ratings[assessment.pk]
        if set(entries) - known:
            raise WorkflowError(
                "Some ratings name an indicator that is not in this rubric version."
            )
        if set(entries) - set(rows):  # every draft has a rating row per indicator from the start
            raise WorkflowError(f"{assessment} lacks rating rows; save it one move at a time.")
        if any(e.level is not None and e.level not in level_values for e in entries.values()):
            raise WorkflowError("Some ratings have a level this rubric does not have.")
        changed = 0
        for indicator_id, entry in entries.items():
            rating, text = rows[indicator_id], entry.text.strip()
            if getattr(rating, level_field) != entry.level or getattr(rating, text_field) != text:
                setattr(rating, level_field, entry.level)
                setattr(rating, text_field, text)
                self.changed[rating.pk] = rating
                self.rating_copies.append(self._copy(rating, actor))
                changed += 1
        if changed:
            self.rescored.add(assessment.pk)
        return changed

    def _require_levels(self, assessment, field: str, choose: str, doing: str) -> None:
        words = self._words(assessment)
        rows = self.ratings[assessment.pk]
        missing = [
            indicator
            for _, indicators in words.categories
            for indicator, _ in indicators
            if indicator.pk not in rows or getattr(rows[indicator.pk], field) is None
        ]
        if missing:
            raise IncompleteAssessmentError(
                f"{choose} for every indicator before {doing}; {len(missing)} "
                f"{'has' if len(missing) == 1 else 'have'} none yet.",
                missing=missing,
            )

    def _words(self, assessment: Assessment) -> RubricText:
        version_id = assessment.rubric_version_id
        if version_id not in self.words:
            self.words[version_id] = rubric_text(assessment.rubric_version)
        return self.words[version_id]

    def _save(self, assessment: Assessment, actor, **values) -> None:
        for field, value in values.items():
            setattr(assessment, field, value)
        self.assessment_copies.append(self._copy(assessment, actor))

    def _copy(self, row, actor):
        """The row as it is now, for its history: who changed it, and when."""
        snapshot = copy.copy(row)
        snapshot._history_user = actor
        snapshot._history_date = self.now
        return snapshot

    def _announce(self, event_type, assessment: Assessment, by_reviewer=None) -> None:
        extra = {} if by_reviewer is None else {"by_reviewer": by_reviewer}
        self.events.append((event_type, assessment, extra))

    def write(self) -> None:
        _rows_update(
            Rating.objects.all(),
            self.changed.values(),
            ["self_level", "self_evidence", "supervisor_level", "supervisor_note"],
        )
        Rating.history.bulk_history_create(
            self.rating_copies, update=True, default_change_reason=None
        )
        category_scores_refresh_many(assessment_ids=sorted(self.rescored))
        self._assessments_write()
        for event_type, assessment, extra in self.events:
            _announce(event_type, assessment, **extra)
            if event_type in _NOTIFY:
                transaction.on_commit(
                    partial(_NOTIFY[event_type].enqueue, assessment_id=assessment.pk)
                )

    def _assessments_write(self) -> None:
        """Each assessment's last values, refused if it moved meanwhile; then its history,
        with the school sites it had at each save (as simple_history keeps them)."""
        fields = [
            "state",
            "version",
            "submitted_at",
            "review_started_at",
            "returned_at",
            "return_note",
            "finalized_at",
            "finalized_by_id",
            "coaching_notes",
            "next_steps",
            "updated_at",
        ]
        moved = [a for a in self.assessments.values() if a.version != self.started[a.pk]]
        written = 0
        for version in {self.started[a.pk] for a in moved}:
            written += _rows_update(
                Assessment.objects.filter(state=Assessment.State.DRAFT, version=version),
                [a for a in moved if self.started[a.pk] == version],
                fields,
            )
        if written != len(moved):
            raise WorkflowError(
                "Some assessments changed while they were moved; nothing was saved."
            )
        history = Assessment.history.bulk_history_create(
            self.assessment_copies, update=True, default_change_reason=None
        )
        links = defaultdict(list)
        for link in Assessment.schools.through.objects.filter(assessment_id__in=self.assessments):
            links[link.assessment_id].append(link)
        site_history = apps.get_model("assessments", "HistoricalAssessment_schools")
        site_history.objects.bulk_create(
            [
                site_history(
                    history=row,
                    id=link.id,
                    assessment_id=link.assessment_id,
                    school_id=link.school_id,
                )
                for row in history
                for link in links[row.id]
            ],
            batch_size=2000,
        )


def _rows_update(queryset, rows, fields: list[str]) -> int:
    """Write ``fields`` of ``rows`` with one UPDATE per distinct set of values: the few levels
    and texts of many ratings take a few statements, where ``bulk_update`` builds a CASE per
    row."""
    groups = defaultdict(list)
    for row in rows:
        groups[tuple(getattr(row, field) for field in fields)].append(row.pk)
    written = 0
    for values, pks in groups.items():
        for start in range(0, len(pks), 500):
            written += queryset.filter(pk__in=pks[start : start + 500]).update(
                **dict(zip(fields, values, strict=True))
            )
    return written
