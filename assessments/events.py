"""What the assessment workflow announces to the apps above it (dashboards, and later a read
model and cache versions), published in the transaction of each move."""

from dataclasses import dataclass

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
class AssessmentsCreated(DomainEvent):
    """Draft assessments were made: for everyone when a cycle opened, or for one latecomer."""

    cycle_id: int
    assessment_ids: tuple[int, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class CycleOpened(DomainEvent):
    cycle_id: int


@dataclass(frozen=True, slots=True, kw_only=True)
class CycleClosed(DomainEvent):
    cycle_id: int
