"""Domain events: how a write in a lower app causes work in a higher one without importing it.

A service publishes a typed event inside its transaction; an app higher up subscribes its
handlers in ``AppConfig.ready``. Handlers run at once, in the publisher's transaction, so what
they write commits or rolls back with the write that caused it. An exception in a handler
propagates to the publisher: a read model that cannot follow the write stops the write.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

E = TypeVar("E", bound="DomainEvent")
Handler = Callable[[E], None]


@dataclass(frozen=True, slots=True, kw_only=True)
class DomainEvent:
    """Something that happened, named in the past tense, carrying ids and plain values only."""

    organization_id: int


_handlers: dict[type[DomainEvent], list[Handler]] = defaultdict(list)
_batch_forms: dict[Handler, Callable[[list[DomainEvent]], None]] = {}


def subscribe(
    event_type: type[E],
    handler: Handler,
    *,
    batch: Callable[[list[E]], None] | None = None,
) -> None:
    """Call ``handler`` with every published ``event_type`` (and its subclasses). Subscribing
    the same handler twice keeps one subscription. ``batch``, when given, is called instead
    with every such event of one :func:`publish_many` at once (work done once per batch
    rather than once per event)."""
    if not (isinstance(event_type, type) and issubclass(event_type, DomainEvent)):
        raise TypeError(f"{event_type!r} is not a DomainEvent class")
    if handler not in _handlers[event_type]:
        _handlers[event_type].append(handler)
    if batch is not None:
        _batch_forms[handler] = batch


def unsubscribe(event_type: type[E], handler: Handler) -> None:
    if handler in _handlers.get(event_type, []):
        _handlers[event_type].remove(handler)


def handlers_for(event_type: type[DomainEvent]) -> list[Handler]:
    """The handlers an event of this type reaches, most specific subscription first."""
    found: list[Handler] = []
    for klass in event_type.__mro__:
        for handler in _handlers.get(klass, []):
            if handler not in found:
                found.append(handler)
    return found


def publish(event: DomainEvent) -> None:
    """Deliver ``event`` to every subscribed handler, now and in the caller's transaction."""
    if not isinstance(event, DomainEvent):
        raise TypeError(f"{event!r} is not a DomainEvent")
    for handler in handlers_for(type(event)):
        handler(event)


def publish_many(events: list[DomainEvent]) -> None:
    """Deliver many events of one write (a bulk path), now and in the caller's transaction:
    each handler gets its events in order, or all at once through its batch form."""
    delivered: dict[Handler, list[DomainEvent]] = {}
    for event in events:
        if not isinstance(event, DomainEvent):
            raise TypeError(f"{event!r} is not a DomainEvent")
        for handler in handlers_for(type(event)):
            delivered.setdefault(handler, []).append(event)
    for handler, received in delivered.items():
        batch = _batch_forms.get(handler)
        if batch is not None:
            batch(received)
        else:
            for event in received:
                handler(event)


# The events of this app's own writes ------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class CoordinatorProfileChanged(DomainEvent):
    """A coordinator's profile was made or changed: name, team, school sites, start in role,
    active or not."""

    coordinator_id: int


@dataclass(frozen=True, slots=True, kw_only=True)
class OrganizationStructureChanged(DomainEvent):
    """A school site or team was made, renamed, given a director, or (de)activated."""


@dataclass(frozen=True, slots=True, kw_only=True)
class SchoolYearStartChanged(DomainEvent):
    """The organization moved the day its school year starts."""
