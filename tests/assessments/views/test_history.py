"""The history page of an assessment: every change in plain words, who and when."""

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from assessments import services
from assessments.services import RatingInput
from tests.assessments.workflow_helpers import all_levels, indicators_of, make_assessment

pytestmark = pytest.mark.django_db


def history_url(assessment):
    return reverse("assessments:assessment-history", args=[assessment.pk])


@pytest.fixture
def reviewed(profile, coordinator, director):
    """Self levels saved, submitted, then reviewed (not finalized) by the director."""
    assessment = make_assessment(profile)
    first = indicators_of(assessment)[0]
    ratings = all_levels(assessment, level=1)
    ratings[first.pk] = RatingInput(2, "Monthly check-ins")
    saved = services.assessment_save_self(
        assessment=assessment, actor=coordinator, expected_version=1, ratings=ratings
    )
    saved = services.assessment_submit(
        assessment=saved, actor=coordinator, expected_version=saved.version
    )
    return services.assessment_save_review(
        assessment=saved,
        actor=director,
        expected_version=saved.version,
        ratings={first.pk: RatingInput(3, "Strong")},
        coaching_notes="Talked",
        next_steps="",
    )


def test_history_in_plain_words(client_for, coordinator, reviewed):
    first = indicators_of(reviewed)[0]
    html = client_for(coordinator).get(history_url(reviewed)).content.decode()
    now = date_format(timezone.localtime())
    assert f"{coordinator.display_name}</span> set {first.name} to Proficient — <time" in html
    assert f"added evidence for {first.name}" in html
    assert "submitted the self-assessment" in html
    assert now in html


def test_supervisor_changes_wait_for_the_finalized_review(
    client_for, coordinator, director, reviewed
):
    first = indicators_of(reviewed)[0]
    words = f"set the supervisor level of {first.name} to Expert"
    assert words not in client_for(coordinator).get(history_url(reviewed)).content.decode()
    assert words in client_for(director).get(history_url(reviewed)).content.decode()
    assert "started the review" in client_for(director).get(history_url(reviewed)).content.decode()

    services.assessment_save_review(
        assessment=reviewed,
        actor=director,
        expected_version=reviewed.version,
        ratings=all_levels(reviewed, level=3),
        coaching_notes="Talked",
        next_steps="",
    )
    final = services.assessment_finalize(
        assessment=reviewed, actor=director, expected_version=reviewed.version + 1
    )
    html = client_for(coordinator).get(history_url(final)).content.decode()
    assert words in html and "finalized the review" in html


def test_history_access(client_for, reviewed, teammate, other_director, other_admin, admin_user):
    assert client_for(admin_user).get(history_url(reviewed)).status_code == 200
    assert client_for(teammate.user).get(history_url(reviewed)).status_code == 404
    assert client_for(other_director).get(history_url(reviewed)).status_code == 404
    assert client_for(other_admin).get(history_url(reviewed)).status_code == 404
    assert client_for(admin_user).post(history_url(reviewed)).status_code == 405


def test_history_queries_do_not_grow_with_its_length(
    client_for, profile, coordinator, django_assert_max_num_queries
):
    assessment = make_assessment(profile)
    for level in (1, 2, 3, 1, 2, 3):
        assessment = services.assessment_save_self(
            assessment=assessment,
            actor=coordinator,
            expected_version=assessment.version,
            ratings=all_levels(assessment, level=level, text=f"Evidence {level}"),
        )
    client = client_for(coordinator)
    with django_assert_max_num_queries(11):  # and the evidence added and removed
        response = client.get(history_url(assessment))
    assert response.content.decode().count("</li>") >= 6 * len(indicators_of(assessment))
