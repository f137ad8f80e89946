"""The director's review page: save, finalize, return; and the coordinator seeing the result."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import Assessment, Rating
from assessments.services import assessment_submit
from rubrics.models import Descriptor, Indicator
from tests.assessments.workflow_helpers import indicators_of, make_assessment, review_post
from tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db


def url(name, assessment):
    return reverse(f"assessments:{name}", args=[assessment.pk])


@pytest.fixture
def submitted(profile):
    assessment = make_assessment(profile, ratings=3)
    Rating.objects.filter(assessment=assessment).update(self_evidence="Family nights doubled")
    return assessment_submit(
        assessment=assessment, actor=profile.user, expected_version=assessment.version
    )


def state_of(assessment):
    return Assessment.objects.get(pk=assessment.pk).state


def test_review_shows_self_beside_the_directors_form(client_for, director, submitted):
    response = client_for(director).get(url("assessment-review", submitted))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Family nights doubled" in html
    for indicator in indicators_of(submitted):
        assert f'name="supervisor_level_{indicator.pk}"' in html
        assert f'name="note_{indicator.pk}"' in html
    assert "Coordinator's choice" in html  # the card the coordinator picked is marked
    assert 'name="coaching_notes"' in html and 'name="step-0-text"' in html
    assert html.count("data-confirm=") >= 2  # finalize and return ask first


def test_an_org_admin_may_review(client_for, admin_user, submitted):
    assert client_for(admin_user).get(url("assessment-review", submitted)).status_code == 200


def test_review_is_out_of_reach_for_another_team_or_organization(
    client_for, submitted, other_director, other_admin
):
    assert client_for(other_director).get(url("assessment-review", submitted)).status_code == 404
    assert client_for(other_admin).get(url("assessment-review", submitted)).status_code == 404


def test_review_refuses_the_wrong_role(client_for, submitted, coordinator, teammate):
    assert client_for(coordinator).get(url("assessment-review", submitted)).status_code == 403
    assert client_for(teammate.user).get(url("assessment-review", submitted)).status_code == 403


def test_a_director_cannot_review_their_own_assessment(client_for, team, director):
    from coordinators.models import Membership

    Membership.objects.create(user=director, role="coordinator")
    own = make_assessment(ProfileFactory(team=team, user=director), ratings=2)
    own = assessment_submit(assessment=own, actor=director, expected_version=own.version)
    assert client_for(director).get(url("assessment-review", own)).status_code == 403


def test_saving_the_review_marks_rows_that_differ_in_words(client_for, director, submitted):
    client = client_for(director)
    first, *rest = indicators_of(submitted)
    data = review_post(submitted, level=3, note="Agreed", coaching_notes="Talked")
    data[f"supervisor_level_{first.pk}"] = 2
    response = client.post(url("assessment-review", submitted), data)
    assert response.status_code == 302
    html = client.get(url("assessment-review", submitted)).content.decode()
    assert html.count("Differs: self Expert, supervisor Proficient") == 1
    assert Assessment.objects.get(pk=submitted.pk).review_started_at is not None


def test_finalize_needs_every_supervisor_level(client_for, director, submitted):
    indicators = indicators_of(submitted)
    data = review_post(submitted, level=None, note="kept")
    data[f"supervisor_level_{indicators[0].pk}"] = 3
    response = client_for(director).post(url("assessment-finalize", submitted), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Not finalized yet (your review is saved)" in html
    for indicator in indicators[1:]:
        assert f'<a href="#indicator-{indicator.pk}">' in html
    assert state_of(submitted) == Assessment.State.SUBMITTED
    assert Rating.objects.filter(assessment=submitted, supervisor_level=3).count() == 1


def test_finalize_and_the_coordinator_sees_the_result(
    client_for, director, coordinator, submitted, django_capture_on_commit_callbacks
):
    data = review_post(
        submitted, level=2, note="Good start", coaching_notes="Talked", next_steps="Meet monthly"
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(director).post(url("assessment-finalize", submitted), data)
    assert response.status_code == 302
    assert state_of(submitted) == Assessment.State.FINALIZED
    assert [m.to for m in mail.outbox] == [[coordinator.email]]

    html = client_for(coordinator).get(url("assessment-detail", submitted)).content.decode()
    assert "Good start" in html and "Meet monthly" in html
    assert "Differs: self Expert, supervisor Proficient" in html

    again = client_for(director).post(url("assessment-finalize", submitted), data, follow=True)
    assert "finalized" in again.content.decode()


def test_return_needs_a_note_and_saves_nothing_without_one(client_for, director, submitted):
    data = review_post(submitted, level=1)
    response = client_for(director).post(url("assessment-return", submitted), data)
    assert response.status_code == 400
    assert "Write a note" in response.content.decode()
    assert state_of(submitted) == Assessment.State.SUBMITTED
    assert not Rating.objects.filter(assessment=submitted, supervisor_level=1).exists()


def test_return_with_a_note(
    client_for, director, coordinator, submitted, django_capture_on_commit_callbacks
):
    data = review_post(submitted, level=None, return_note="Please add site evidence.")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(director).post(url("assessment-return", submitted), data)
    assert response.status_code == 302
    assert state_of(submitted) == Assessment.State.RETURNED
    assert mail.outbox[0].to == [coordinator.email]
    page = client_for(coordinator).get(url("assessment-detail", submitted)).content.decode()
    assert "Please add site evidence." in page
    assert 'type="radio"' in page  # editable again


def test_the_later_of_two_reviewers_is_refused_and_keeps_their_text(
    client_for, director, admin_user, submitted
):
    first = review_post(submitted, level=3, note="Noted by the admin")
    second = review_post(submitted, level=1, note="Noted by the director")
    assert (
        client_for(admin_user).post(url("assessment-review", submitted), first).status_code == 302
    )
    response = client_for(director).post(url("assessment-review", submitted), second)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Noted by the director" in html and "Noted by the admin" in html
    assert not Rating.objects.filter(assessment=submitted, supervisor_level=1).exists()


@pytest.mark.parametrize("name", ["assessment-finalize", "assessment-return"])
def test_actions_refuse_get_and_the_wrong_people(
    client_for, name, submitted, coordinator, other_director, other_admin
):
    target = url(name, submitted)
    data = review_post(submitted, return_note="x")
    assert client_for(submitted.team.director).get(target).status_code == 405
    assert client_for(coordinator).post(target, data).status_code == 403
    assert client_for(other_director).post(target, data).status_code == 404
    assert client_for(other_admin).post(target, data).status_code == 404
    assert state_of(submitted) == Assessment.State.SUBMITTED


def test_posting_a_review_of_a_draft_is_a_message(client_for, director, profile):
    draft = make_assessment(profile, ratings=2)
    response = client_for(director).post(url("assessment-review", draft), review_post(draft))
    assert response.status_code == 409
    assert "has not been submitted yet" in response.content.decode()
    page = client_for(director).get(url("assessment-review", draft)).content.decode()
    assert "has not submitted this self-assessment yet" in page
    assert 'type="radio"' not in page


def test_malformed_review_is_a_form_error(client_for, director, submitted):
    data = review_post(submitted)
    data[f"supervisor_level_{indicators_of(submitted)[0].pk}"] = 9
    data["coaching_notes"] = "x" * 20_000
    response = client_for(director).post(url("assessment-finalize", submitted), data)
    assert response.status_code == 400
    assert state_of(submitted) == Assessment.State.SUBMITTED
    assert not Rating.objects.filter(assessment=submitted, supervisor_level__isnull=False).exists()


def test_the_review_page_issues_the_same_queries_whatever_the_rubric_size(
    client_for, director, submitted
):
    client = client_for(director)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url("assessment-review", submitted)).status_code == 200
        return len(queries)

    before = count()
    category = submitted.rubric_version.categories.last()
    levels = list(submitted.rubric_version.levels.all())
    for n in range(15):
        indicator = Indicator.objects.create(category=category, name=f"Extra {n}", order=100 + n)
        Descriptor.objects.bulk_create(
            Descriptor(indicator=indicator, level=level, text=f"{level.name} {n}")
            for level in levels
        )
        Rating.objects.create(
            assessment=submitted, indicator=indicator, self_level=1, supervisor_level=3
        )
    assert count() == before
    assert before <= 16
