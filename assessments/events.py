"""What the assessment workflow announces to the apps above it (dashboards, and later a read
model and cache versions), published in the transaction of each move."""

from dataclasses import dataclass
from datetime import date

from coordinators.events import DomainEvent


@dataclass(frozen=True, slots=True, kw_only=True)
class AssessmentChanged(DomainEvent):
    """Anything an assessment shows changed; subscribe to this to hear every move below."""

    assessment_id: int
    coordinator_id: int
    cycle_id: int


@dataclass(frozen=True, slots=True, kw_only=True)
class AssessmentRatingsSaved(AssessmentChanged):
    """Self or supervisor levels, evidence, notes or the coaching conversation were saved."""

    by_reviewer: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class AssessmentSubmitted(AssessmentChanged):
    pass


@dataclass(frozen=True, slots=True, kw_only=True)
class AssessmentRecalled(AssessmentChanged):
    pass


@dataclass(frozen=True, slots=True, kw_only=True)
class AssessmentReturned(AssessmentChanged):
    pass


@dataclass(frozen=True, slots=True, kw_only=True)
class AssessmentFinalized(AssessmentChanged):
    pass


@dataclass(frozen=True, slots=True, kw_only=True)
class PrincipalFeedbackChanged(AssessmentChanged):
    """A principal feedback request of the assessment was sent, revoked or answered."""

    feedback_request_id: int


@dataclass(frozen=True, slots=True, kw_only=True)
class PrincipalFeedbackRequested(PrincipalFeedbackChanged):
    """A request went out (or out again, with a new link)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class PrincipalFeedbackRevoked(PrincipalFeedbackChanged):
    """A request's link stopped working before its time."""


@dataclass(frozen=True, slots=True, kw_only=True)
class PrincipalFeedbackAnswered(PrincipalFeedbackChanged):
    """The principal saved their levels and comments (the first time or a revision)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class AssessmentAcknowledged(AssessmentChanged):
    """The coordinator acknowledged the finalized review (with or without a response)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ReviewSettingsChanged(DomainEvent):
    """The org admin turned acknowledgement on or off, or changed its days (or the kinds of
    evidence accepted)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class AssessmentsCreated(DomainEvent):
    """Draft assessments were made: for everyone when a cycle opened, or for one latecomer."""

    cycle_id: int
    assessment_ids: tuple[int, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class CycleChanged(DomainEvent):
    """A cycle was made, edited, opened or closed; subscribe to this to hear every one."""

    cycle_id: int


@dataclass(frozen=True, slots=True, kw_only=True)
class CycleSaved(CycleChanged):
    """The admin's cycle form made or edited a cycle (its name, dates or review window)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class CycleOpened(CycleChanged):
    pass


@dataclass(frozen=True, slots=True, kw_only=True)
class CycleClosed(CycleChanged):
    pass


@dataclass(frozen=True, slots=True, kw_only=True)
class CycleReopened(CycleChanged):
    """A closed cycle is open again until ``closes_on``: its drafts and returned assessments
    can change and be submitted again."""

    closes_on: date


@dataclass(frozen=True, slots=True, kw_only=True)
class CycleExtended(CycleChanged):
    """An open cycle's due or close date moved later."""

    due_on: date
    closes_on: date
