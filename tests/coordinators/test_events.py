"""Domain events reach their subscribers in the publisher's transaction."""

from dataclasses import dataclass

import pytest
from django.db import transaction

from coordinators import events
from coordinators.models import Organization


@dataclass(frozen=True, slots=True, kw_only=True)
class Happened(events.DomainEvent):
    what: str


@dataclass(frozen=True, slots=True, kw_only=True)
class HappenedAgain(Happened):
    pass


def test_a_subscriber_hears_its_event_and_every_subclass_once(subscribed):
    heard = []
    subscribed(Happened, heard.append)
    subscribed(Happened, heard.append)  # twice is still one subscription

    events.publish(Happened(organization_id=1, what="first"))
    events.publish(HappenedAgain(organization_id=1, what="second"))

    assert [event.what for event in heard] == ["first", "second"]


def test_a_subscriber_of_a_subclass_does_not_hear_the_parent(subscribed):
    heard = []
    subscribed(HappenedAgain, heard.append)
    events.publish(Happened(organization_id=1, what="parent"))
    assert heard == []


def test_only_domain_events_are_published_and_subscribed():
    with pytest.raises(TypeError):
        events.publish({"what": "a dict"})
    with pytest.raises(TypeError):
        events.subscribe(dict, print)


@pytest.mark.django_db(transaction=True)
def test_a_handler_writes_in_the_publishers_transaction(subscribed):
    def handler(event):
        Organization.objects.create(name=f"Made by {event.what}", slug=event.what)

    subscribed(Happened, handler)
    with pytest.raises(RuntimeError), transaction.atomic():
        events.publish(Happened(organization_id=1, what="rolled-back"))
        raise RuntimeError("the write that published fails after all")
    assert not Organization.objects.filter(slug="rolled-back").exists()

    with transaction.atomic():
        events.publish(Happened(organization_id=1, what="kept"))
    assert Organization.objects.filter(slug="kept").exists()
