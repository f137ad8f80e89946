"""Many assessments moved at once: what the moves of ``workflow`` write, for years of history
(the demo organization, the benchmark's) in queries per batch rather than per assessment."""

import copy
from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import datetime
from functools import partial
from typing import NamedTuple

from django.apps import apps
from django.db import transaction
from django.utils import timezone

from assessments import emails
from assessments import events as assessment_events
from assessments.access import check_can_review
from assessments.models import Assessment, Rating, ReviewNextStep
from assessments.services.cycles import check_cycle_open
from assessments.services.errors import (
    IncompleteAssessmentError,
    StaleAssessmentError,
    WorkflowError,
)
from assessments.services.scores import category_scores_refresh_many
from assessments.services.workflow import STATE_REFUSALS, RatingInput, next_steps_from_text
from coordinators import events
from rubrics.text import RubricText, rubric_text

# Many assessments at once ----------------------------------------------------------------
#
# Years of history (the demo organization, the benchmark's) written one move at a time take
# minutes. These write what the moves above write for many assessments at once, in queries
# per distinct value and per batch of rows rather than per assessment; tests compare every
# row, history included, with the one-by-one path.


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
    # When each move happened, by move: "saved", "submitted", "returned", "reviewed",
    # "finalized"; a move not named happens now. For history an organization kept on paper.
    timeline: Mapping[str, datetime] = {}


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
        self.moment = self.now  # when the move being followed happens
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
        self.next_steps: dict[int, list] = {}  # the review's next steps, by assessment id

    def follow(self, route: AssessmentRoute) -> None:
        assessment = self.assessments[route.assessment.pk]
        if assessment.state != Assessment.State.DRAFT:
            raise WorkflowError(STATE_REFUSALS[assessment.state])
        if assessment.version != route.assessment.version:
            raise StaleAssessmentError(
                f"{assessment} changed since it was read.", current=assessment
            )
        coordinator = assessment.coordinator.user
        at = partial(self._at, route)
        if route.self_ratings:
            at("saved")
            self._claim(assessment)
            if self._rate(assessment, coordinator, route.self_ratings, by_reviewer=False):
                self._announce(assessment_events.AssessmentRatingsSaved, assessment, False)
        if route.state == Assessment.State.DRAFT:
            return
        submitted = at("submitted")
        self._claim(assessment)
        self._require_levels(assessment, "self_level", "Choose a level", "submitting")
        self._save(
            assessment,
            coordinator,
            state=Assessment.State.SUBMITTED,
            submitted_at=submitted,
            review_started_at=None,
        )
        self._announce(assessment_events.AssessmentSubmitted, assessment)
        if route.state == Assessment.State.RETURNED:
            at("returned")
            self._return(assessment, route.reviewer, route.return_note)
        elif route.state == Assessment.State.FINALIZED:
            at("reviewed")
            self._review(assessment, route)
            at("finalized")
            self._claim(assessment, route.reviewer)
            self._require_levels(
                assessment, "supervisor_level", "Choose a supervisor level", "finalizing"
            )
            self._save(
                assessment,
                route.reviewer,
                state=Assessment.State.FINALIZED,
                finalized_at=self.moment,
                finalized_by=route.reviewer,
            )
            self._announce(assessment_events.AssessmentFinalized, assessment)
        elif route.state != Assessment.State.SUBMITTED:
            raise ValueError(f"No route ends in {route.state!r}.")

    def _at(self, route: AssessmentRoute, move: str) -> datetime:
        """Start ``move`` of ``route``: at its time in the route's timeline, or now."""
        self.moment = route.timeline.get(move, self.now)
        return self.moment

    def _claim(self, assessment: Assessment, reviewer=None) -> None:
        """A move's checks, then the next version, as ``_assessment_claim`` takes it: the
        coordinator moves while the cycle is open, ``reviewer`` must review this coordinator."""
        if reviewer is None:
            check_cycle_open(assessment.cycle)
        else:
            check_can_review(reviewer, assessment)
        assessment.version += 1
        assessment.updated_at = self.moment

    def _return(self, assessment: Assessment, reviewer, note: str) -> None:
        check_can_review(reviewer, assessment)
        if not note.strip():
            raise WorkflowError(
                "Say in a note what the coordinator should change before returning."
            )
        self._claim(assessment, reviewer)
        self._save(
            assessment,
            reviewer,
            state=Assessment.State.RETURNED,
            returned_at=self.moment,
            return_note=note.strip(),
        )
        self._announce(assessment_events.AssessmentReturned, assessment)

    def _review(self, assessment: Assessment, route: AssessmentRoute) -> None:
        self._claim(assessment, route.reviewer)
        self._rate(assessment, route.reviewer, route.review_ratings, by_reviewer=True)
        self._save(
            assessment,
            route.reviewer,
            review_started_at=self.moment,
            coaching_notes=route.coaching_notes.strip(),
            next_steps=route.next_steps.strip(),
        )
        self.next_steps[assessment.pk] = next_steps_from_text(route.next_steps)
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
            raise IncompleteAssessmentError.of(missing, choose=choose, doing=doing)

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
        snapshot._history_date = self.moment
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
        ReviewNextStep.objects.bulk_create(
            ReviewNextStep(assessment_id=pk, text=step.text, order=order)
            for pk, steps in self.next_steps.items()
            for order, step in enumerate(steps)
        )
        events.publish_many(
            [
                event_type(
                    organization_id=assessment.cycle.organization_id,
                    assessment_id=assessment.pk,
                    coordinator_id=assessment.coordinator_id,
                    cycle_id=assessment.cycle_id,
                    **extra,
                )
                for event_type, assessment, extra in self.events
            ]
        )
        for event_type, assessment, _extra in self.events:
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
