"""Reads for the assessment workflow: who may reach an assessment, the matrix of one
assessment in a fixed number of queries, and its history in plain words."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import F, OuterRef, QuerySet, Subquery
from django.http import Http404
from django.utils.formats import date_format
from django.utils.timezone import localtime

from assessments.models import Assessment, AssessmentCycle, CategoryScore, Rating
from coordinators.access import profiles_visible_to
from coordinators.models import CoordinatorProfile
from rubrics.models import Category, Indicator, Level
from rubrics.text import rubric_text


def assessments_visible_to(user) -> QuerySet[Assessment]:
    """Assessments the user may look at: their own, their teams', all of the org for an admin."""
    return Assessment.objects.filter(coordinator__in=profiles_visible_to(user))


def get_assessment_for_user(request, pk) -> Assessment:
    """An assessment within the user's reach, else 404 (another organization or team)."""
    try:
        return (
            assessments_visible_to(request.user)
            # What every matrix page shows. The director (named on a returned assessment)
            # and the finalizer are read when shown, the rubric's name with its words: each
            # further join here costs PostgreSQL more planning on the busiest pages.
            .select_related("cycle", "coordinator__user", "coordinator__team", "rubric_version")
            .get(pk=pk)
        )
    except (Assessment.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such assessment.") from exc


def open_cycle_of(organization_id) -> AssessmentCycle | None:
    return (
        AssessmentCycle.objects.filter(
            organization_id=organization_id, state=AssessmentCycle.State.OPEN
        )
        .order_by("-opens_on")
        .first()
    )


@dataclass
class TeamStatus:
    open_cycle: AssessmentCycle | None
    profiles: list[CoordinatorProfile]  # each with current_pk, current_state, current_state_label
    awaiting: list[Assessment]  # submitted, waiting for this director, oldest first

    @property
    def awaiting_earlier(self) -> list[Assessment]:
        """Submissions from cycles other than the open one (the table shows the open one)."""
        open_pk = self.open_cycle.pk if self.open_cycle else None
        return [a for a in self.awaiting if a.cycle_id != open_pk]


def team_status(*, user, profiles: QuerySet[CoordinatorProfile]) -> TeamStatus:
    """Each coordinator's state in the open cycle (newest submissions first) and the
    submissions awaiting ``user``'s review in any cycle; a fixed number of queries."""
    open_cycle = open_cycle_of(user.organization_id)
    if open_cycle is not None:
        current = Assessment.objects.filter(coordinator=OuterRef("pk"), cycle=open_cycle)
        profiles = profiles.annotate(
            current_pk=Subquery(current.values("pk")[:1]),
            current_state=Subquery(current.values("state")[:1]),
            current_submitted_at=Subquery(current.values("submitted_at")[:1]),
        ).order_by(
            F("current_submitted_at").desc(nulls_last=True), "user__last_name", "user__first_name"
        )
    profiles = list(profiles)
    for profile in profiles:
        state = getattr(profile, "current_state", None)
        profile.current_state_label = Assessment.State(state).label if state else "Not started"
    awaiting = list(
        Assessment.objects.filter(
            state=Assessment.State.SUBMITTED,
            coordinator__organization_id=user.organization_id,
            coordinator__team__director=user,
        )
        .select_related("coordinator__user", "cycle")
        .order_by("submitted_at")
    )
    return TeamStatus(open_cycle=open_cycle, profiles=profiles, awaiting=awaiting)


@dataclass
class MatrixIndicator:
    indicator: Indicator
    descriptors: dict[int, str]  # level value → descriptor text
    rating: Rating | None

    @property
    def pk(self) -> int:
        return self.indicator.pk


@dataclass
class MatrixCategory:
    category: Category
    indicators: list[MatrixIndicator]
    score: CategoryScore | None


@dataclass
class Matrix:
    """One assessment's rubric version, word for word, with its ratings and category levels."""

    rubric_name: str
    levels: list[Level]
    categories: list[MatrixCategory]
    level_names: dict[int, str] = field(init=False)

    def __post_init__(self):
        self.level_names = {level.value: level.name for level in self.levels}

    @property
    def indicators(self) -> list[MatrixIndicator]:
        return [item for category in self.categories for item in category.indicators]


def matrix_load(*, assessment: Assessment) -> Matrix:
    """The pinned version's words with this assessment's ratings and stored category levels:
    two queries when the version's words are cached, seven when they are not."""
    text = rubric_text(assessment.rubric_version)
    ratings = {
        rating.indicator_id: rating
        for rating in Rating.objects.filter(assessment=assessment).order_by()
    }
    scores = {
        score.category_key: score for score in CategoryScore.objects.filter(assessment=assessment)
    }
    return Matrix(
        rubric_name=text.name,
        levels=text.levels,
        categories=[
            MatrixCategory(
                category=category,
                indicators=[
                    MatrixIndicator(
                        indicator=indicator,
                        descriptors=descriptors,
                        rating=ratings.get(indicator.pk),
                    )
                    for indicator, descriptors in indicators
                ],
                score=scores.get(category.key),
            )
            for category, indicators in text.categories
        ],
    )


# History -----------------------------------------------------------------------------


@dataclass
class HistoryEntry:
    when: datetime
    who: str
    text: str

    @property
    def when_display(self) -> str:
        return date_format(localtime(self.when), "j M Y H:i")

    def __str__(self):
        return f"{self.who} {self.text} — {self.when_display}"


STATE_WORDS = {
    Assessment.State.SUBMITTED: "submitted the self-assessment",
    Assessment.State.FINALIZED: "finalized the review",
}


def _who(record) -> str:
    return record.history_user.display_name if record.history_user else "Growth Matrix"


def _assessment_entries(records, include_supervisor: bool) -> list[HistoryEntry]:
    entries, previous = [], None
    for record in records:
        who, when = _who(record), record.history_date
        if previous is None:
            entries.append(HistoryEntry(when, who, f"created the assessment for {record.cycle}"))
        else:
            if record.state != previous.state:
                if record.state == Assessment.State.RETURNED:
                    text = f"returned the assessment for changes: “{record.return_note}”"
                elif record.state == Assessment.State.DRAFT:
                    text = "recalled the submission (back to draft)"
                else:
                    text = STATE_WORDS[record.state]
                entries.append(HistoryEntry(when, who, text))
            if record.review_started_at and not previous.review_started_at:
                if record.state == previous.state:
                    entries.append(HistoryEntry(when, who, "started the review"))
            if include_supervisor:
                for name, words in (
                    ("coaching_notes", "coaching notes"),
                    ("next_steps", "next steps"),
                ):
                    if getattr(record, name) != getattr(previous, name):
                        entries.append(HistoryEntry(when, who, f"updated the {words}"))
        previous = record
    return entries


def _text_change(before: str, after: str, noun: str, added: str, indicator: str) -> str | None:
    if before == after:
        return None
    if not before:
        return f"added {added} for {indicator}"
    if not after:
        return f"removed the {noun} for {indicator}"
    return f"updated the {noun} for {indicator}"


def _rating_entries(records, indicators, level_names, include_supervisor) -> list[HistoryEntry]:
    entries, previous = [], {}
    for record in records:
        before = previous.get(record.id)
        who, when = _who(record), record.history_date
        name = indicators.get(record.indicator_id, "an indicator")
        changes = []
        old_self = before.self_level if before else None
        if record.self_level != old_self:
            changes.append(
                f"set {name} to {level_names.get(record.self_level, record.self_level)}"
                if record.self_level is not None
                else f"cleared the level of {name}"
            )
        changes.append(
            _text_change(
                before.self_evidence if before else "",
                record.self_evidence,
                "evidence",
                "evidence",
                name,
            )
        )
        if include_supervisor:
            old_supervisor = before.supervisor_level if before else None
            if record.supervisor_level != old_supervisor:
                changes.append(
                    f"set the supervisor level of {name} to "
                    f"{level_names.get(record.supervisor_level, record.supervisor_level)}"
                    if record.supervisor_level is not None
                    else f"cleared the supervisor level of {name}"
                )
            changes.append(
                _text_change(
                    before.supervisor_note if before else "",
                    record.supervisor_note,
                    "supervisor note",
                    "a supervisor note",
                    name,
                )
            )
        entries.extend(HistoryEntry(when, who, text) for text in changes if text)
        previous[record.id] = record
    return entries


def assessment_history(*, assessment: Assessment, include_supervisor: bool) -> list[HistoryEntry]:
    """Every recorded change of the assessment and its ratings, newest first, in words
    ("Maria Lopez set Relationship building to Proficient"). Supervisor levels, notes and
    coaching notes are left out when ``include_supervisor`` is false (the coordinator before
    the review is finalized). Four queries whatever the length of the history."""
    version_id = assessment.rubric_version_id
    level_names = dict(Level.objects.filter(version_id=version_id).values_list("value", "name"))
    indicators = dict(
        Indicator.objects.filter(category__version_id=version_id).values_list("pk", "name")
    )
    assessment_records = (
        Assessment.history.filter(id=assessment.pk)
        .select_related("history_user", "cycle")
        .order_by("history_date", "history_id")
    )
    rating_records = (
        Rating.history.filter(assessment_id=assessment.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    entries = _assessment_entries(assessment_records, include_supervisor) + _rating_entries(
        rating_records, indicators, level_names, include_supervisor
    )
    return sorted(entries, key=lambda entry: entry.when, reverse=True)
