"""The moves of an assessment: save, submit, recall, review, return, finalize."""

import copy
import datetime
from collections.abc import Mapping, Sequence
from functools import partial
from typing import NamedTuple

from django.db import models, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from assessments import emails
from assessments import events as assessment_events
from assessments.access import (
    ASSESSMENT_RELATIONS,
    check_can_acknowledge,
    check_can_edit_self,
    check_can_review,
)
from assessments.models import (
    RATINGS_READ,
    Assessment,
    Rating,
    ReviewNextStep,
    review_settings_of,
)
from assessments.services.cycles import check_cycle_open
from assessments.services.errors import (
    IncompleteAssessmentError,
    StaleAssessmentError,
    WorkflowError,
)
from assessments.services.rows import rows_history, rows_update
from assessments.services.scores import category_scores_refresh
from coordinators import events
from rubrics.models import Indicator
from rubrics.text import rubric_text

# The only moves an assessment can make:
#
#   draft/returned --save_self, submit (the coordinator)--> submitted
#   submitted --recall (the coordinator, until the review started)--> draft
#   submitted --save_review, return (the director or an org admin)--> returned
#   submitted --finalize (the director or an org admin)--> finalized, never edited again
#
# Every move names the ``version`` it was read at and takes the next one in a conditional
# UPDATE, so a replayed or stale POST is refused instead of overwriting a later save.
# Ratings are written in one statement with simple_history's bulk history beside it, so the
# history keeps who set which level and when, in a fixed number of queries whatever the
# rubric's size.


class RatingInput(NamedTuple):
    """One indicator's level and text (evidence for the coordinator, a note for the director)."""

    level: int | None
    text: str = ""


class NextStepInput(NamedTuple):
    """One agreed next step as a form gives it: what, optionally who and by when."""

    text: str
    owner: str = ""
    due_on: datetime.date | None = None


def next_steps_from_text(text: str) -> list[NextStepInput]:
    """Free text read as next steps: one step per non-empty line."""
    return [NextStepInput(line.strip()) for line in text.splitlines() if line.strip()]


EDITABLE_BY_COORDINATOR = (Assessment.State.DRAFT, Assessment.State.RETURNED)
IN_REVIEW = (Assessment.State.SUBMITTED,)

STATE_REFUSALS = {
    Assessment.State.DRAFT: "This assessment is a draft: it has not been submitted yet.",
    Assessment.State.SUBMITTED: "This assessment has been submitted; it is waiting for review.",
    Assessment.State.RETURNED: "This assessment was returned to the coordinator for changes.",
    Assessment.State.FINALIZED: "This assessment is finalized; it can no longer be changed.",
}


def _with_relations(assessment: Assessment) -> bool:
    """Whether ``ASSESSMENT_RELATIONS`` are loaded on ``assessment`` already."""
    for path in ASSESSMENT_RELATIONS:
        related = assessment
        for name in path.split("__"):
            if related is None:
                break
            if not type(related)._meta.get_field(name).is_cached(related):
                return False
            related = getattr(related, name)
    return True


def _assessment_claim(*, assessment: Assessment, expected_version, states) -> Assessment:
    """Take the assessment's next version if it is still at ``expected_version`` and in one of
    ``states``, else say why not. Call inside the transaction of the move; the UPDATE holds
    the row until it commits."""
    now = timezone.now()
    claimed = Assessment.objects.filter(
        pk=assessment.pk, version=expected_version, state__in=states
    ).update(version=models.F("version") + 1, updated_at=now)
    if claimed and assessment.version == expected_version and _with_relations(assessment):
        # Every write to an assessment takes its next version, so a row still at the
        # version this object was read at holds what the object holds: only the claim
        # changed it. A copy goes on, without reading the row again; the caller's object
        # stays as read, as it must if the move is refused and rolled back.
        current = copy.copy(assessment)
        current.version = expected_version + 1
        current.updated_at = now
        held = getattr(assessment, RATINGS_READ, None)
        if held is not None and held[0] == expected_version:
            setattr(current, RATINGS_READ, (current.version, held[1]))
        return current
    current = Assessment.objects.select_related(*ASSESSMENT_RELATIONS).get(pk=assessment.pk)
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
    """The indicators of the pinned version whose rating has no ``field`` level, in page order.
    None, without asking the database, when the ratings held at this version (the save just
    made from the same page) have a level for every indicator of the version's words."""
    held = getattr(assessment, RATINGS_READ, None)
    if held is not None and held[0] == assessment.version:
        rated = {rating.indicator_id for rating in held[1] if getattr(rating, field) is not None}
        words = rubric_text(assessment.rubric_version)
        if all(
            indicator.pk in rated
            for _, indicators in words.categories
            for indicator, _ in indicators
        ):
            return []
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
    """Write the ratings that changed, and when any did, the category levels; returns how
    many. Refuses (before writing anything) an indicator outside the pinned version or a
    level the version does not have."""
    words = rubric_text(assessment.rubric_version)
    category_of = {
        indicator.pk: category.key
        for category, indicators in words.categories
        for indicator, _ in indicators
    }
    indicator_ids = set(category_of)
    level_values = {level.value for level in words.levels}
    if set(ratings) - indicator_ids:
        raise WorkflowError("Some ratings name an indicator that is not in this rubric version.")
    if any(
        entry.level is not None and entry.level not in level_values for entry in ratings.values()
    ):
        raise WorkflowError("Some ratings have a level this rubric does not have.")
    existing = {rating.indicator_id: rating for rating in _ratings_of(assessment)}
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
        rows_update(Rating, changed, [level_field, text_field])
        rows_history(Rating, changed, user=actor)
    if created or changed:
        written = [*existing.values(), *created]
        setattr(assessment, RATINGS_READ, (assessment.version, written))
        category_scores_refresh(assessment=assessment, ratings=written, category_of=category_of)
    return len(created) + len(changed)


def _ratings_of(assessment: Assessment) -> list[Rating]:
    """The assessment's ratings as read at its version (``assessment_sheet`` keeps them on
    the object with the version it read them at: ``RATINGS_READ``), else read now. Held ones
    are current when the claim went on with the object the page read, since every rating
    written since would have taken the next version."""
    held = getattr(assessment, RATINGS_READ, None)
    if held is not None and held[0] == assessment.version:
        # Copies: the save changes them, and the page's own stay as read if it rolls back.
        return [copy.copy(rating) for rating in held[1]]
    return list(assessment.ratings.order_by())


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


@transaction.atomic
def assessment_save_self(
    *, assessment: Assessment, actor, expected_version: int, ratings: Mapping[int, RatingInput]
) -> Assessment:
    """The coordinator saves levels and evidence of a draft or returned assessment."""
    check_can_edit_self(actor, assessment)
    assessment = _assessment_claim(
        assessment=assessment, expected_version=expected_version, states=EDITABLE_BY_COORDINATOR
    )
    check_cycle_open(assessment.cycle)
    if _ratings_write(
        assessment=assessment,
        actor=actor,
        ratings=ratings,
        level_field="self_level",
        text_field="self_evidence",
    ):
        _announce(assessment_events.AssessmentRatingsSaved, assessment, by_reviewer=False)
    return assessment


@transaction.atomic
def assessment_submit(*, assessment: Assessment, actor, expected_version: int) -> Assessment:
    """Send a complete self-assessment to the director (emailed after the commit)."""
    check_can_edit_self(actor, assessment)
    assessment = _assessment_claim(
        assessment=assessment, expected_version=expected_version, states=EDITABLE_BY_COORDINATOR
    )
    check_cycle_open(assessment.cycle)
    missing = _indicators_without(assessment=assessment, field="self_level")
    if missing:
        raise IncompleteAssessmentError.of(missing, choose="Choose a level", doing="submitting")
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
    check_can_edit_self(actor, assessment)
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


def _next_steps_write(*, assessment: Assessment, steps: Sequence[NextStepInput]) -> str:
    """Replace the review's next steps with ``steps`` (blank ones dropped) when they differ;
    returns them as plain text, one line each, the form the history and emails read."""
    wanted = [
        NextStepInput(step.text.strip(), step.owner.strip(), step.due_on)
        for step in steps
        if step.text.strip()
    ]
    stored = list(assessment.next_step_items.order_by("order", "pk"))
    if [(s.text, s.owner, s.due_on) for s in stored] != [tuple(step) for step in wanted]:
        assessment.next_step_items.all().delete()
        stored = ReviewNextStep.objects.bulk_create(
            ReviewNextStep(
                assessment=assessment,
                text=step.text,
                owner=step.owner,
                due_on=step.due_on,
                order=order,
            )
            for order, step in enumerate(wanted)
        )
    return "\n".join(step.as_line for step in stored)


def ratings_agreeing_with_self(
    *, assessment: Assessment, ratings: Mapping[int, RatingInput], category_key: str | None
) -> dict[int, RatingInput]:
    """``ratings`` with the supervisor level of every indicator of one category (or of all,
    when ``category_key`` is None) set to the coordinator's own level, where they chose one.
    Notes stay as typed. Saved by the director, the history shows it as their choice."""
    self_levels = dict(
        Rating.objects.filter(assessment=assessment, self_level__isnull=False)
        .filter(**({"indicator__category__key": category_key} if category_key else {}))
        .values_list("indicator_id", "self_level")
    )
    return {
        pk: entry._replace(level=self_levels[pk]) if pk in self_levels else entry
        for pk, entry in ratings.items()
    }


@transaction.atomic
def assessment_save_review(
    *,
    assessment: Assessment,
    actor,
    expected_version: int,
    ratings: Mapping[int, RatingInput],
    coaching_notes: str,
    next_steps: str | Sequence[NextStepInput] | None = None,
) -> Assessment:
    """The director saves supervisor levels and notes and the coaching conversation, with the
    agreed next steps (items, or a text read one step per line; None leaves them). The first
    save starts the review, which ends the coordinator's chance to recall."""
    check_can_review(actor, assessment)
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
    fields = []
    if assessment.review_started_at is None:
        assessment.review_started_at = timezone.now()
        fields.append("review_started_at")
    if isinstance(next_steps, str):
        next_steps = next_steps_from_text(next_steps)
    steps_text = (
        assessment.next_steps
        if next_steps is None
        else _next_steps_write(assessment=assessment, steps=next_steps)
    )
    for field, value in (("coaching_notes", coaching_notes), ("next_steps", steps_text)):
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
    check_can_review(actor, assessment)
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
    check_can_review(actor, assessment)
    assessment = _assessment_claim(
        assessment=assessment, expected_version=expected_version, states=IN_REVIEW
    )
    missing = _indicators_without(assessment=assessment, field="supervisor_level")
    if missing:
        raise IncompleteAssessmentError.of(
            missing, choose="Choose a supervisor level", doing="finalizing"
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


def assessment_claim_for_evidence(
    *, assessment: Assessment, actor, expected_version: int, reviewing: bool
) -> Assessment:
    """Take the assessment's next version for a change of its evidence (a file or link added
    or removed): the coordinator's while they may edit it and the cycle is open, the
    reviewer's while it is in review. Call inside the transaction that records the change, so
    a refused claim records nothing; a finalized assessment's evidence never changes."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Claim an assessment's version inside the evidence's transaction.")
    if reviewing:
        check_can_review(actor, assessment)
        return _assessment_claim(
            assessment=assessment, expected_version=expected_version, states=IN_REVIEW
        )
    check_can_edit_self(actor, assessment)
    claimed = _assessment_claim(
        assessment=assessment, expected_version=expected_version, states=EDITABLE_BY_COORDINATOR
    )
    check_cycle_open(claimed.cycle)
    return claimed


ACKNOWLEDGEMENT_MAX_CHARS = 4000


@transaction.atomic
def assessment_acknowledge(
    *, assessment: Assessment, actor, expected_version: int, response: str = ""
) -> Assessment:
    """The coordinator says they have read the finalized review, with an optional response
    of their own. Levels, notes and next steps stay as the director finalized them."""
    check_can_acknowledge(actor, assessment)
    if not review_settings_of(assessment.coordinator.organization_id).acknowledgement_on:
        raise WorkflowError("Your organization does not ask for reviews to be acknowledged.")
    if len(response.strip()) > ACKNOWLEDGEMENT_MAX_CHARS:
        raise WorkflowError(
            f"Keep your response to {ACKNOWLEDGEMENT_MAX_CHARS} characters; nothing was saved."
        )
    assessment = _assessment_claim(
        assessment=assessment,
        expected_version=expected_version,
        states=(Assessment.State.FINALIZED,),
    )
    if assessment.acknowledged_at is not None:
        raise WorkflowError("You already acknowledged this review.")
    assessment.acknowledged_at = timezone.now()
    assessment.acknowledgement_response = response.strip()
    _assessment_save(assessment, actor, ["acknowledged_at", "acknowledgement_response"])
    _announce(assessment_events.AssessmentAcknowledged, assessment)
    return assessment
