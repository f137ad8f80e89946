"""The workflow announces each move of an assessment, in the transaction of the move."""

import pytest

from assessments import events as assessment_events
from assessments.models import Assessment
from assessments.services import (
    RatingInput,
    assessment_finalize,
    assessment_save_review,
    assessment_save_self,
    assessment_submit,
)
from tests.assessments.workflow_helpers import all_levels, indicators_of, make_assessment


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
