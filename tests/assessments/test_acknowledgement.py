"""The coordinator acknowledges a finalized review, with a response the director reads; the
levels never change; an organization may turn it off; My team lists the late ones."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment, Rating, ReviewSettings
from assessments.services import (
    WorkflowError,
    assessment_acknowledge,
    assessment_finalize,
    assessment_save_review,
    assessment_submit,
)
from tests.assessments.workflow_helpers import all_levels, make_assessment

pytestmark = pytest.mark.django_db

RESPONSE = "I see it differently on site support; the principal changed in March."


@pytest.fixture
def finalized(profile, director):
    assessment = make_assessment(profile, ratings=2)
    assessment = assessment_submit(
        assessment=assessment, actor=profile.user, expected_version=assessment.version
    )
    assessment = assessment_save_review(
        assessment=assessment,
        actor=director,
        expected_version=assessment.version,
        ratings=all_levels(assessment, 1, "Early days."),
        coaching_notes="A hard year.",
    )
    return assessment_finalize(
        assessment=assessment, actor=director, expected_version=assessment.version
    )


def detail(assessment):
    return reverse("assessments:assessment-detail", args=[assessment.pk])


def acknowledge(client, assessment, response=RESPONSE, version=None):
    return client.post(
        reverse("assessments:assessment-acknowledge", args=[assessment.pk]),
        {"version": version or assessment.version, "response": response},
    )


def test_the_coordinator_is_asked_then_acknowledges_with_a_response(
    client_for, coordinator, director, finalized
):
    client = client_for(coordinator)
    assert "I have read this review" in client.get(detail(finalized)).content.decode()
    levels = list(Rating.objects.filter(assessment=finalized).values_list("supervisor_level"))
    response = acknowledge(client, finalized)
    assert response.status_code == 302
    saved = Assessment.objects.get(pk=finalized.pk)
    assert saved.acknowledged_at is not None
    assert saved.acknowledgement_response == RESPONSE
    assert saved.state == Assessment.State.FINALIZED
    assert (
        list(Rating.objects.filter(assessment=finalized).values_list("supervisor_level")) == levels
    )
    page = client.get(detail(finalized)).content.decode()
    assert "I have read this review" not in page and RESPONSE in page
    review = client_for(director).get(reverse("assessments:assessment-review", args=[finalized.pk]))
    assert RESPONSE in review.content.decode()


def test_only_once_only_the_coordinator_and_only_finalized(
    client_for, coordinator, director, finalized, profile
):
    assert acknowledge(client_for(director), finalized).status_code == 403
    assessment_acknowledge(
        assessment=finalized, actor=coordinator, expected_version=finalized.version
    )
    finalized.refresh_from_db()
    with pytest.raises(WorkflowError, match="already"):
        assessment_acknowledge(
            assessment=finalized, actor=coordinator, expected_version=finalized.version
        )
    draft = make_assessment(profile, ratings=2, cycle=None)
    with pytest.raises(WorkflowError, match="draft"):
        assessment_acknowledge(assessment=draft, actor=coordinator, expected_version=draft.version)


def test_a_response_too_long_is_refused_and_shown_back_whole(client_for, coordinator, finalized):
    text = "long " * 1000
    response = acknowledge(client_for(coordinator), finalized, response=text)
    assert response.status_code == 400
    assert text.strip() in response.content.decode()
    assert Assessment.objects.get(pk=finalized.pk).acknowledged_at is None


def test_an_organization_may_turn_acknowledgement_off(client_for, coordinator, finalized, org):
    ReviewSettings.objects.create(organization=org, acknowledgement_on=False)
    assert (
        "I have read this review"
        not in client_for(coordinator).get(detail(finalized)).content.decode()
    )
    with pytest.raises(WorkflowError, match="does not ask"):
        assessment_acknowledge(
            assessment=finalized, actor=coordinator, expected_version=finalized.version
        )


def test_my_team_lists_reviews_not_acknowledged_after_the_organizations_days(
    client_for, coordinator, director, finalized, org, profile
):
    ReviewSettings.objects.create(organization=org, acknowledgement_overdue_days=5)
    page = reverse("pages:my-team")
    assert "not acknowledged" not in client_for(director).get(page).content.decode()
    Assessment.objects.filter(pk=finalized.pk).update(
        finalized_at=timezone.now() - timedelta(days=6)
    )
    html = client_for(director).get(page).content.decode()
    assert "Reviews not acknowledged after 5 days" in html
    assert profile.user.display_name in html
    finalized.refresh_from_db()
    assessment_acknowledge(
        assessment=finalized, actor=coordinator, expected_version=finalized.version
    )
    assert "not acknowledged" not in client_for(director).get(page).content.decode()


def test_the_history_export_carries_the_acknowledgement(
    client_for, coordinator, director, finalized, profile
):
    assessment_acknowledge(
        assessment=finalized, actor=coordinator, expected_version=finalized.version,
        response=RESPONSE,
    )  # fmt: skip
    export = client_for(director).get(
        reverse("dashboards:coordinator-history-export", args=[profile.pk])
    )
    content = b"".join(export.streaming_content) if export.streaming else export.content
    text = content.decode()
    assert "Acknowledged on" in text and RESPONSE in text
    page = client_for(director).get(reverse("dashboards:coordinator-detail", args=[profile.pk]))
    assert "Acknowledged" in page.content.decode()


def test_the_finalized_email_asks_for_the_acknowledgement_only_where_it_is_on(
    profile, director, org, mailoutbox, django_capture_on_commit_callbacks
):
    def finalize_one():
        assessment = make_assessment(profile, ratings=2, cycle=None)
        assessment = assessment_submit(
            assessment=assessment, actor=profile.user, expected_version=assessment.version
        )
        assessment = assessment_save_review(
            assessment=assessment,
            actor=director,
            expected_version=assessment.version,
            ratings=all_levels(assessment, 2),
            coaching_notes="",
        )
        mailoutbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            assessment_finalize(
                assessment=assessment, actor=director, expected_version=assessment.version
            )
        return mailoutbox[-1].body

    assert "I have read this review" in finalize_one()
    ReviewSettings.objects.create(organization=org, acknowledgement_on=False)
    assert "I have read this review" not in finalize_one()
