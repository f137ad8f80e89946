"""What the growth app announces to the apps above it, published in the transaction of each
write that changes what a dashboard shows."""

from dataclasses import dataclass

from coordinators.events import DomainEvent


@dataclass(frozen=True, slots=True, kw_only=True)
class CoordinatorGrowthChanged(DomainEvent):
    """Something of one coordinator's growth changed; subscribe to this to hear every kind."""

    coordinator_id: int


@dataclass(frozen=True, slots=True, kw_only=True)
class GoalsChanged(CoordinatorGrowthChanged):
    """A goal was made, edited, moved to another status or deleted."""


@dataclass(frozen=True, slots=True, kw_only=True)
class SupportsChanged(CoordinatorGrowthChanged):
    """A support was made, edited, attached from the catalogue or deleted."""


@dataclass(frozen=True, slots=True, kw_only=True)
class CareerPositionChanged(CoordinatorGrowthChanged):
    """A coordinator was placed at a career stage, or promoted."""


@dataclass(frozen=True, slots=True, kw_only=True)
class CareerStagesChanged(DomainEvent):
    """The organization's career stages (titles, expected years, minimums) changed."""


@dataclass(frozen=True, slots=True, kw_only=True)
class CheckInsChanged(CoordinatorGrowthChanged):
    """A check-in of this coordinator was logged, edited or deleted."""


@dataclass(frozen=True, slots=True, kw_only=True)
class MentoringChanged(CoordinatorGrowthChanged):
    """A mentoring match of this coordinator (as mentee) was made, changed or ended."""


@dataclass(frozen=True, slots=True, kw_only=True)
class CheckInCadenceChanged(DomainEvent):
    """A team's check-in cadence was set, changed or removed."""
