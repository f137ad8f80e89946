"""Agreed next steps are a list of items (what, optionally who and by when), saved with the
review, shown to the coordinator once it is finalized, each of which can open the growth goal
form filled in. The earlier free text became one item per line and stays readable."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from assessments.forms import NextStepForm
from assessments.models import Assessment, NextStepItem, ReviewNextStep
from assessments.services import (
    NextStepInput,
    assessment_finalize,
    assessment_save_review,
    assessment_submit,
)
from tests.assessments.url_cases import next_steps_post
from tests.assessments.workflow_helpers import all_levels, make_assessment, review_post

pytestmark = pytest.mark.django_db

DUE = datetime.date(2031, 3, 1)


@pytest.fixture
def submitted(profile):
    assessment = make_assessment(profile, ratings=2)
    return assessment_submit(
        assessment=assessment, actor=profile.user, expected_version=assessment.version
    )


def review(assessment, director, next_steps):
    return assessment_save_review(
        assessment=assessment,
        actor=director,
        expected_version=assessment.version,
        ratings=all_levels(assessment, level=2),
        coaching_notes="",
        next_steps=next_steps,
    )


def steps_of(assessment):
    return [
        (s.text, s.owner, s.due_on)
        for s in ReviewNextStep.objects.filter(assessment=assessment).order_by("order")
    ]


def test_the_review_model_shares_one_abstract_base():
    assert NextStepItem._meta.abstract
    assert issubclass(ReviewNextStep, NextStepItem)


def test_steps_are_saved_in_order_without_blank_ones(submitted, director):
    saved = review(
        submitted,
        director,
        [
            NextStepInput(" Visit two sites ", "Lisa", DUE),
            NextStepInput("  "),
            NextStepInput("Read"),
        ],
    )
    assert steps_of(submitted) == [("Visit two sites", "Lisa", DUE), ("Read", "", None)]
    assert saved.next_steps == "Visit two sites (Lisa, by 1 Mar 2031)\nRead"  # for the history


def test_steps_left_out_stay_and_new_ones_replace(submitted, director):
    first = review(submitted, director, [NextStepInput("Visit two sites")])
    second = review(first, director, None)
    assert steps_of(submitted) == [("Visit two sites", "", None)]
    review(second, director, [NextStepInput("Something else")])
    assert steps_of(submitted) == [("Something else", "", None)]


def test_a_step_needs_words_when_it_has_an_owner_or_date():
    form = NextStepForm({"text": "", "owner": "Lisa", "due_on": ""})
    assert not form.is_valid()
    assert "Say what the step is" in str(form.errors["text"])


def test_the_review_page_posts_steps_with_owner_and_date(client_for, director, submitted):
    body = review_post(submitted) | next_steps_post(["Join the network", "Shadow a principal"])
    body |= {"step-0-owner": "Lisa", "step-0-due_on": DUE.isoformat()}
    response = client_for(director).post(
        reverse("assessments:assessment-review", args=[submitted.pk]), body
    )
    assert response.status_code == 302
    assert steps_of(submitted) == [
        ("Join the network", "Lisa", DUE),
        ("Shadow a principal", "", None),
    ]
    page = client_for(director).get(response["Location"]).content.decode()
    assert 'value="Join the network"' in page and 'name="step-4-text"' in page  # 2 + 3 blank
    goal_url = reverse("growth:goal-create", args=[submitted.coordinator_id])
    assert f"{goal_url}?notes=Join+the+network&amp;target_date=2031-03-01" in page


def test_an_owner_without_a_step_is_refused_and_the_typing_kept(client_for, director, submitted):
    body = review_post(submitted, coaching_notes="Kept") | next_steps_post([])
    body |= {"step-0-owner": "Nobody said what"}
    response = client_for(director).post(
        reverse("assessments:assessment-review", args=[submitted.pk]), body
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Say what the step is" in html and 'value="Nobody said what"' in html
    assert Assessment.objects.get(pk=submitted.pk).coaching_notes == ""


def test_the_coordinator_sees_the_steps_once_finalized_and_can_make_each_a_goal(
    client_for, director, coordinator, submitted
):
    reviewed = review(submitted, director, [NextStepInput("Visit two sites", "", DUE)])
    assessment_finalize(assessment=reviewed, actor=director, expected_version=reviewed.version)
    html = (
        client_for(coordinator)
        .get(reverse("assessments:assessment-detail", args=[submitted.pk]))
        .content.decode()
    )
    assert "Visit two sites" in html and "by 1 Mar 2031" in html
    assert "Make this a goal" in html
    assert "notes=Visit+two+sites&amp;target_date=2031-03-01" in html


def test_the_goal_form_opens_filled_in_from_a_step(client_for, director, profile):
    goal_url = reverse("growth:goal-create", args=[profile.pk])
    response = client_for(director).get(
        goal_url, {"notes": "Visit two sites", "target_date": "2031-03-01"}
    )
    form = response.context["form"]
    assert form.initial["notes"] == "Visit two sites"
    assert form.initial["target_date"] == DUE
    assert "Visit two sites" in response.content.decode()
    bad = client_for(director).get(goal_url, {"target_date": "2031-13-40"})
    assert bad.status_code == 200 and "target_date" not in bad.context["form"].initial


def test_the_earlier_free_text_becomes_one_item_per_line_and_stays(profile):
    assessment = make_assessment(profile)
    text = "Visit two sites\n\n  Read the network guide  \n- call Ms Diaz"
    Assessment.objects.filter(pk=assessment.pk).update(next_steps=text)
    empty = make_assessment(profile, cycle=None)
    migration = importlib.import_module("assessments.migrations.0009_next_steps_text_into_items")
    migration.next_steps_into_items(apps, None)
    assert steps_of(assessment) == [
        ("Visit two sites", "", None),
        ("Read the network guide", "", None),
        ("- call Ms Diaz", "", None),
    ]
    assert steps_of(empty) == []
    assert Assessment.objects.get(pk=assessment.pk).next_steps == text
    migration.items_removed(apps, None)
    assert not ReviewNextStep.objects.exists()


def test_the_earlier_text_shows_where_it_says_more_than_the_steps(
    client_for, director, coordinator, submitted
):
    reviewed = review(submitted, director, [])
    assessment_finalize(assessment=reviewed, actor=director, expected_version=reviewed.version)
    Assessment.objects.filter(pk=submitted.pk).update(next_steps="* Visit\n\n* Read")
    ReviewNextStep.objects.create(assessment=submitted, text="* Visit", order=0)
    ReviewNextStep.objects.create(assessment=submitted, text="* Read", order=1)
    html = (
        client_for(coordinator)
        .get(reverse("assessments:assessment-detail", args=[submitted.pk]))
        .content.decode()
    )
    assert "The next steps as first written" in html
