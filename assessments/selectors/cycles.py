"""Reads of the cycle pages: where a cycle's assessments stand, what closing it does to each,
and its history in plain words."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count
from django.utils.formats import date_format
from django.utils.timezone import localtime

from assessments.models import Assessment, AssessmentCycle


@dataclass(frozen=True)
class CycleStateCount:
    """How many assessments of a cycle are in one state, and what a close means for them."""

    state: str
    label: str
    count: int
    on_close: str


# What closing the cycle does to the assessments in each state (the services keep to it).
ON_CLOSE = {
    Assessment.State.DRAFT: "Not submitted. Each draft is kept exactly as it is and stays "
    "readable by its coordinator, but can no longer be changed or submitted unless you reopen "
    "the cycle. Each coordinator is emailed.",
    Assessment.State.RETURNED: "Returned for changes and not submitted again. Each is kept with "
    "the director's note and stays readable, but can no longer be changed or submitted unless "
    "you reopen the cycle. Each coordinator is emailed.",
    Assessment.State.SUBMITTED: "Waiting for review. Directors can still review and finalize "
    "them after the close; each director is emailed a list of theirs.",
    Assessment.State.FINALIZED: "Finalized. Nothing changes for them.",
}


def cycle_state_counts(cycle: AssessmentCycle) -> list[CycleStateCount]:
    """Every assessment state, in workflow order, with the cycle's count (zeros included)."""
    counts = dict(
        Assessment.objects.filter(cycle=cycle)
        .order_by()
        .values_list("state")
        .annotate(n=Count("pk"))
        .values_list("state", "n")
    )
    order = [
        Assessment.State.DRAFT,
        Assessment.State.RETURNED,
        Assessment.State.SUBMITTED,
        Assessment.State.FINALIZED,
    ]
    return [
        CycleStateCount(state.value, state.label, counts.get(state.value, 0), ON_CLOSE[state])
        for state in order
    ]


@dataclass(frozen=True)
class CycleHistoryEntry:
    when: datetime
    who: str
    text: str
    reason: str

    @property
    def when_display(self) -> str:
        return date_format(localtime(self.when), "j M Y H:i")


DATE_FIELDS = (("opens_on", "opening"), ("due_on", "due"), ("closes_on", "closing"))
STATE_WORDS = {
    ("planned", "open"): "opened the cycle",
    ("open", "closed"): "closed the cycle",
    ("closed", "open"): "reopened the cycle",
}


def _day(value) -> str:
    return date_format(value, "j M Y")


def _changes(record, previous) -> list[str]:
    if previous is None:
        return ["created the cycle"]
    texts = []
    if record.state != previous.state:
        texts.append(
            STATE_WORDS.get(
                (previous.state, record.state), f"set the state to {record.get_state_display()}"
            )
        )
    if record.name != previous.name:
        texts.append(f"renamed it from “{previous.name}” to “{record.name}”")
    for field, words in DATE_FIELDS:
        before, after = getattr(previous, field), getattr(record, field)
        if before != after:
            texts.append(f"moved the {words} date from {_day(before)} to {_day(after)}")
    if record.review_window_days != previous.review_window_days:
        texts.append(
            f"changed the review window from {previous.review_window_days} to "
            f"{record.review_window_days} days"
        )
    return texts


def cycle_history(cycle: AssessmentCycle) -> list[CycleHistoryEntry]:
    """Who changed what in the cycle and when, with the reason recorded, newest first."""
    records = list(
        AssessmentCycle.history.filter(id=cycle.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    entries, previous = [], None
    for record in records:
        texts = _changes(record, previous)
        if texts:
            who = record.history_user.display_name if record.history_user else "Growth Matrix"
            entries.append(
                CycleHistoryEntry(
                    when=record.history_date,
                    who=who,
                    text="; ".join(texts),
                    reason=record.history_change_reason or "",
                )
            )
        previous = record
    return entries[::-1]
