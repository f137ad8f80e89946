"""Domain events reach their subscribers in the publisher's transaction, and the workflow
announces each move of an assessment."""

from dataclasses import dataclass

import pytest
from django.db import transaction

from assessments import events as assessment_events
from assessments.models import Assessment
from assessments.services import (
    RatingInput,
    assessment_finalize,
    assessment_save_review,
    assessment_save_self,
    assessment_submit,
)
from coordinators import events
from coordinators.models import Organization
from tests.assessments.workflow_helpers import all_levels, indicators_of, make_assessment


@dataclass(frozen=True, slots=True, kw_only=True)
class Happened(events.DomainEvent):
    what: str


@dataclass(frozen=True, slots=True, kw_only=True)
class HappenedAgain(Happened):
    pass


@pytest.fixture
def subscribed():
    """Subscribe handlers for one test only."""
    added = []

    def add(event_type, handler):
        events.subscribe(event_type, handler)
        added.append((event_type, handler))

    yield add
    for event_type, handler in added:
        events.unsubscribe(event_type, handler)


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


def test_a_failing_handler_stops_the_write(subscribed, profile, coordinator):
    def handler(event):
        raise RuntimeError("the read model cannot follow")

    subscribed(assessment_events.AssessmentSubmitted, handler)
    assessment = make_assessment(profile, ratings=2)
    with pytest.raises(RuntimeError):
        assessment_submit(
            assessment=assessment, actor=coordinator, expected_version=assessment.version
        )
    assert Assessment.objects.get(pk=assessment.pk).state == Assessment.State.DRAFT


def test_each_move_of_an_assessment_is_announced(subscribed, profile, coordinator, director):
    heard = []
    subscribed(assessment_events.AssessmentChanged, heard.append)
    assessment = make_assessment(profile)

    saved = assessment_save_self(
        assessment=assessment,
        actor=coordinator,
        expected_version=assessment.version,
        ratings=all_levels(assessment),
    )
    sent = assessment_submit(assessment=saved, actor=coordinator, expected_version=saved.version)
    reviewed = assessment_save_review(
        assessment=sent,
        actor=director,
        expected_version=sent.version,
        ratings={i.pk: RatingInput(3, "") for i in indicators_of(sent)},
        coaching_notes="",
        next_steps="",
    )
    assessment_finalize(assessment=reviewed, actor=director, expected_version=reviewed.version)

    assert [type(event).__name__ for event in heard] == [
        "AssessmentRatingsSaved",
        "AssessmentSubmitted",
        "AssessmentRatingsSaved",
        "AssessmentFinalized",
    ]
    assert [event.by_reviewer for event in heard[0::2]] == [False, True]
    assert {event.assessment_id for event in heard} == {assessment.pk}
    assert {event.organization_id for event in heard} == {profile.organization_id}


def test_a_save_that_changes_nothing_announces_nothing(subscribed, profile, coordinator):
    heard = []
    subscribed(assessment_events.AssessmentChanged, heard.append)
    assessment = make_assessment(profile, ratings=2)
    assessment_save_self(
        assessment=assessment,
        actor=coordinator,
        expected_version=assessment.version,
        ratings=all_levels(assessment, level=2),
    )
    assert heard == []
