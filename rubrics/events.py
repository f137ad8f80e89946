"""What the rubrics app announces to the apps above it."""

from dataclasses import dataclass

from coordinators.events import DomainEvent


@dataclass(frozen=True, slots=True, kw_only=True)
class RubricPublished(DomainEvent):
    """A draft became a rubric's published version (its level and category names are the
    ones the dashboards show from now on)."""

    version_id: int
