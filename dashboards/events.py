"""What the dashboards announce of their own writes, through the same mechanism as the
lower apps, so one set of handlers keeps the read model and the cache version."""

from dataclasses import dataclass

from coordinators.events import DomainEvent


@dataclass(frozen=True, slots=True, kw_only=True)
class FlagThresholdsChanged(DomainEvent):
    """The organization's flag thresholds were saved or reset."""
