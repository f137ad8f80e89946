"""The history of one assessment and its ratings in plain words."""

from dataclasses import dataclass
from datetime import datetime

from django.utils.formats import date_format
from django.utils.timezone import localtime

from assessments.models import Assessment, CoachingNotesShare, FeedbackRequest, Rating
from rubrics.models import Indicator, Level


@dataclass
class AssessmentHistoryEntry:
    when: datetime
    who: str
    text: str

    @property
    def when_display(self) -> str:
        return date_format(localtime(self.when), "DATETIME_FORMAT")

    def __str__(self):
        return f"{self.who} {self.text} — {self.when_display}"


STATE_WORDS = {
    Assessment.State.SUBMITTED: "submitted the self-assessment",
    Assessment.State.FINALIZED: "finalized the review",
}


def _who(record) -> str:
    return record.history_user.display_name if record.history_user else "Growth Matrix"


def _assessment_entries(
    records, include_supervisor: bool, include_coaching_notes: bool
) -> list[AssessmentHistoryEntry]:
    entries, previous = [], None
    for record in records:
        who, when = _who(record), record.history_date
        if previous is None:
            entries.append(
                AssessmentHistoryEntry(when, who, f"created the assessment for {record.cycle}")
            )
        else:
            if record.state != previous.state:
                if record.state == Assessment.State.RETURNED:
                    text = f"returned the assessment for changes: “{record.return_note}”"
                elif record.state == Assessment.State.DRAFT:
                    text = "recalled the submission (back to draft)"
                else:
                    text = STATE_WORDS[record.state]
                entries.append(AssessmentHistoryEntry(when, who, text))
            if record.review_started_at and not previous.review_started_at:
                if record.state == previous.state:
                    entries.append(AssessmentHistoryEntry(when, who, "started the review"))
            for name, words, shown in (
                ("coaching_notes", "coaching notes", include_coaching_notes),
                ("next_steps", "next steps", include_supervisor),
            ):
                if shown and getattr(record, name) != getattr(previous, name):
                    entries.append(AssessmentHistoryEntry(when, who, f"updated the {words}"))
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


def _rating_entries(
    records, indicators, level_names, include_supervisor
) -> list[AssessmentHistoryEntry]:
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
        entries.extend(AssessmentHistoryEntry(when, who, text) for text in changes if text)
        previous[record.id] = record
    return entries


def _sharing_entries(assessment: Assessment) -> list[AssessmentHistoryEntry]:
    entries = []
    records = (
        CoachingNotesShare.history.filter(assessment_id=assessment.pk)
        .select_related("history_user", "director")
        .order_by("history_date", "history_id")
    )
    for record in records:
        director = record.director.display_name if record.director else "a former director"
        if record.history_type == "+":
            text = f"shared the coaching notes with {director}"
        elif record.history_type == "-":
            text = f"stopped sharing the coaching notes with {director}"
        else:
            continue
        entries.append(AssessmentHistoryEntry(record.history_date, _who(record), text))
    return entries


def _feedback_entries(assessment: Assessment, level_names) -> list[AssessmentHistoryEntry]:
    """Principal feedback: each request sent (or sent again), opened, answered or revised,
    and revoked, in words."""
    entries, previous = [], {}
    records = (
        FeedbackRequest.history.filter(assessment_id=assessment.pk)
        .select_related("history_user", "school")
        .order_by("history_date", "history_id")
    )
    for record in records:
        before = previous.get(record.id)
        principal = f"{record.principal_name}, principal of {record.school.name}"
        if before is None or record.sent_at != before.sent_at:
            again = "" if before is None else " again, with a new link"
            text = f"asked {principal} ({record.principal_email}) for feedback{again}"
            entries.append(AssessmentHistoryEntry(record.history_date, _who(record), text))
        elif record.state == FeedbackRequest.State.REVOKED and before.state != record.state:
            entries.append(
                AssessmentHistoryEntry(
                    record.history_date, _who(record), f"revoked the link sent to {principal}"
                )
            )
        elif record.opened_at and not before.opened_at:
            entries.append(
                AssessmentHistoryEntry(record.history_date, principal, "opened the feedback link")
            )
        elif record.answered_at and record.answered_at != before.answered_at:
            verb = "revised their answer" if before.answered_at else "answered"
            level = (
                f": School site {level_names.get(record.site_level, record.site_level)}"
                if record.site_level
                else ""
            )
            entries.append(AssessmentHistoryEntry(record.history_date, principal, verb + level))
        previous[record.id] = record
    return entries


def assessment_history(
    *, assessment: Assessment, include_supervisor: bool, include_coaching_notes: bool
) -> list[AssessmentHistoryEntry]:
    """Every recorded change of the assessment and its ratings, and whom its coaching notes
    were shared with, newest first, in words ("Maria Lopez set Relationship building to
    Proficient"). Supervisor levels and notes are left out when ``include_supervisor`` is
    false (the coordinator before the review is finalized), changes of the coaching notes
    when ``include_coaching_notes`` is false (a director who inherited the coordinator).
    Six queries whatever the length of the history."""
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
    entries = (
        _assessment_entries(assessment_records, include_supervisor, include_coaching_notes)
        + _rating_entries(rating_records, indicators, level_names, include_supervisor)
        + _sharing_entries(assessment)
        + (_feedback_entries(assessment, level_names) if include_supervisor else [])
    )
    return sorted(entries, key=lambda entry: entry.when, reverse=True)


@dataclass
class LastMove:
    """Who put the assessment in its current state, and when."""

    who_id: int | None
    who: str
    when: datetime

    @property
    def when_display(self) -> str:
        return date_format(localtime(self.when), "j M Y \\a\\t H:i")


def assessment_last_move(*, assessment: Assessment) -> LastMove | None:
    """The history record that moved ``assessment`` into the state it is in now (the first of
    the latest run of records in that state), or None when it never moved."""
    records = (
        Assessment.history.filter(id=assessment.pk)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[:200]
    )
    move = None
    for record in records:
        if record.state != assessment.state:
            break
        move = record
    if move is None or move.prev_record is None:
        return None
    return LastMove(move.history_user_id, _who(move), move.history_date)
