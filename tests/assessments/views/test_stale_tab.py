"""A page opened before the assessment moved on (submitted, finalized, returned, recalled in
another tab or by someone else) never throws away what was typed in it: its save is refused as
a conflict (409), saying who moved it and when, what to do, and listing the typed text to copy.
The background save of both pages says the same."""

import pytest
from django.urls import reverse

from assessments.models import Assessment, Rating
from assessments.services import (
    assessment_finalize,
    assessment_recall,
    assessment_save_review,
    assessment_submit,
)
from tests.assessments.workflow_helpers import (
    all_levels,
    make_assessment,
    review_post,
    self_post,
)

pytestmark = pytest.mark.django_db

TYPED = "Typed in the second tab after the first one submitted"


def url(name, assessment):
    return reverse(f"assessments:{name}", args=[assessment.pk])


def submit(assessment, user):
    return assessment_submit(assessment=assessment, actor=user, expected_version=assessment.version)


@pytest.fixture
def opened(profile):
    """A complete draft, as both tabs read it."""
    return make_assessment(profile, ratings=2)


def test_save_draft_in_a_tab_opened_before_the_submit_keeps_the_text(client_for, profile, opened):
    submit(opened, profile.user)  # tab A
    tab_b = self_post(opened, level=2, evidence=TYPED)  # read before the submit
    refused = client_for(profile.user).post(url("assessment-detail", opened), tab_b)
    assert refused.status_code == 409
    html = refused.content.decode()
    assert "Your changes were not saved" in html
    assert "this assessment was submitted on" in html and "by you" in html
    assert TYPED in html  # shown back, to copy
    assert "recall the submission" in html  # what to do: it can still be recalled
    assert "Recall submission" in html
    assert not Rating.objects.filter(assessment=opened, self_evidence=TYPED).exists()


def test_submit_in_a_stale_tab_says_the_same(client_for, profile, opened):
    submit(opened, profile.user)
    tab_b = self_post(opened, level=2, evidence=TYPED)
    refused = client_for(profile.user).post(url("assessment-submit", opened), tab_b)
    assert refused.status_code == 409
    assert TYPED in refused.content.decode()


def test_once_the_review_started_the_coordinator_is_told_to_ask_their_director(
    client_for, profile, director, opened
):
    current = submit(opened, profile.user)
    assessment_save_review(
        assessment=current,
        actor=director,
        expected_version=current.version,
        ratings=all_levels(current, level=2),
        coaching_notes="",
    )
    refused = client_for(profile.user).post(
        url("assessment-detail", opened), self_post(opened, evidence=TYPED)
    )
    assert refused.status_code == 409
    html = refused.content.decode()
    assert "ask your director to return the assessment" in html
    assert TYPED in html


def test_the_background_save_of_a_stale_tab_is_a_conflict_that_explains(
    client_for, profile, opened
):
    submit(opened, profile.user)
    refused = client_for(profile.user).post(
        url("assessment-autosave", opened),
        self_post(opened, evidence=TYPED),
        HTTP_ACCEPT="application/json",
    )
    assert refused.status_code == 409
    body = refused.json()
    assert body["conflict"] is True
    assert "this assessment was submitted on" in body["message"]
    assert "Save draft" in body["message"] and "copy it" in body["message"]


def test_a_review_finalized_in_another_tab_lists_the_directors_typing(
    client_for, profile, director, opened
):
    current = submit(opened, profile.user)
    stale_page = review_post(
        current, level=1, note="A note typed late", coaching_notes="Late coaching notes"
    ) | {"step-0-text": "A late next step"}
    reviewed = assessment_save_review(
        assessment=current,
        actor=director,
        expected_version=current.version,
        ratings=all_levels(current, level=3),
        coaching_notes="",
    )
    assessment_finalize(assessment=reviewed, actor=director, expected_version=reviewed.version)
    refused = client_for(director).post(url("assessment-review", opened), stale_page)
    assert refused.status_code == 409
    html = refused.content.decode()
    assert "this assessment was finalized on" in html
    for typed in ("A note typed late", "Late coaching notes", "A late next step"):
        assert typed in html
    assert Assessment.objects.get(pk=opened.pk).coaching_notes == ""


def test_a_review_recalled_meanwhile_is_refused_with_the_typing(
    client_for, profile, director, opened
):
    current = submit(opened, profile.user)
    assessment_recall(assessment=current, actor=profile.user, expected_version=current.version)
    refused = client_for(director).post(
        url("assessment-finalize", opened), review_post(current, level=2, note="Too late")
    )
    assert refused.status_code == 409
    html = refused.content.decode()
    assert "taken back to draft" in html and "Too late" in html
