"""What the school-site app announces to the apps above it, published in the transaction of
each write that changes what a dashboard shows."""

from dataclasses import dataclass

from coordinators.events import DomainEvent


@dataclass(frozen=True, slots=True, kw_only=True)
class AgreementChanged(DomainEvent):
    """A school's partnership agreement for one school year was made, edited, shared, signed
    or reviewed."""

    school_id: int
    school_year: int
