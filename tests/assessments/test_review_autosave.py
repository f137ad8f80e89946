"""The director's review saves in the background as the coordinator's matrix does: a version
counter, a conflict (409) for a stale page or an assessment that moved on, the rate limit, and
the access rules. "Agree with the coordinator's levels" copies their levels as the director's
own choice, per category or for the whole matrix."""

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import Assessment, Rating
from assessments.services import assessment_finalize, assessment_save_review, assessment_submit
from tests.assessments.workflow_helpers import (
    all_levels,
    indicators_of,
    make_assessment,
    review_post,
)

pytestmark = pytest.mark.django_db


def url(name, assessment):
    return reverse(f"assessments:{name}", args=[assessment.pk])


@pytest.fixture
def submitted(profile):
    assessment = make_assessment(profile, ratings=3)
    return assessment_submit(
        assessment=assessment, actor=profile.user, expected_version=assessment.version
    )


def autosave(client, assessment, **kwargs):
    return client.post(
        url("assessment-review-autosave", assessment),
        review_post(assessment, **kwargs),
        HTTP_ACCEPT="application/json",
    )


def test_a_background_save_writes_the_review_and_answers_the_next_version(
    client_for, director, submitted
):
    answer = autosave(
        client_for(director), submitted, level=2, note="Seen at the site", coaching_notes="Talked"
    )
    assert answer.status_code == 200
    assert answer.json()["saved"] is True
    saved = Assessment.objects.get(pk=submitted.pk)
    assert answer.json()["version"] == saved.version == submitted.version + 1
    assert saved.coaching_notes == "Talked"
    assert saved.review_started_at is not None
    rating = Rating.objects.get(assessment=submitted, indicator=indicators_of(submitted)[0])
    assert (rating.supervisor_level, rating.supervisor_note) == (2, "Seen at the site")
    assert rating.history.latest().history_user == director


def test_a_background_save_reads_no_category_levels_it_would_not_show(
    client_for, director, submitted
):
    """A background save answers JSON: it reads the ratings it changes, never the category
    levels a page would show."""
    client = client_for(director)
    data = review_post(submitted, level=2, note="Seen")
    with CaptureQueriesContext(connection) as queries:
        answer = client.post(url("assessment-review-autosave", submitted), data)
    assert answer.status_code == 200
    # On PostgreSQL a prepared read runs as EXECUTE, its SQL beside it in the log.
    reads = [q["sql"] for q in queries if q["sql"].startswith(("SELECT", "EXECUTE"))]
    assert not any('FROM "assessments_categoryscore"' in sql for sql in reads)
    assert any('FROM "assessments_rating"' in sql for sql in reads)


def test_a_stale_background_save_is_a_conflict_and_writes_nothing(client_for, director, submitted):
    client = client_for(director)
    assert autosave(client, submitted, level=2).status_code == 200
    refused = autosave(client, submitted, level=1, note="From an older tab")  # old version
    assert refused.status_code == 409
    assert refused.json()["conflict"] is True
    assert "Save review" in refused.json()["message"]
    assert not Rating.objects.filter(assessment=submitted, supervisor_level=1).exists()


def test_a_background_save_after_finalizing_elsewhere_says_who_and_keeps_nothing_silent(
    client_for, director, submitted
):
    reviewed = assessment_save_review(
        assessment=submitted,
        actor=director,
        expected_version=submitted.version,
        ratings=all_levels(submitted, level=3),
        coaching_notes="",
    )
    assessment_finalize(assessment=reviewed, actor=director, expected_version=reviewed.version)
    refused = autosave(client_for(director), reviewed, level=1, note="Typed in the other tab")
    assert refused.status_code == 409
    message = refused.json()["message"]
    assert refused.json()["conflict"] is True
    assert "this assessment was finalized on" in message and "by you" in message
    assert "copy it" in message
    assert not Rating.objects.filter(assessment=submitted, supervisor_level=1).exists()


def test_the_review_autosave_is_for_the_director_and_admin_only(
    client_for, submitted, coordinator, other_director, admin_user
):
    assert autosave(client_for(coordinator), submitted).status_code == 403
    assert autosave(client_for(other_director), submitted).status_code == 404
    assert autosave(client_for(admin_user), submitted).status_code == 200
    assert client_for(admin_user).get(url("assessment-review-autosave", submitted)).status_code == (
        405
    )


def test_review_background_saves_share_the_rate_limit(client_for, director, submitted):
    client = client_for(director)
    with override_settings(RATE_LIMITS={"assessment-save": "2/m"}):
        for _ in range(2):
            submitted.refresh_from_db()
            assert autosave(client, submitted, note="Again").status_code == 200
        submitted.refresh_from_db()
        refused = autosave(client, submitted, note="One too many")
    assert refused.status_code == 429
    assert "too many saves" in refused.json()["message"]


def test_the_review_page_saves_in_the_background(client_for, director, submitted):
    html = client_for(director).get(url("assessment-review", submitted)).content.decode()
    assert f'data-autosave-url="{url("assessment-review-autosave", submitted)}"' in html
    assert "Last saved at" in html
    assert "js/review.js" in html


# Agreeing with the coordinator's levels ---------------------------------------------------


def test_agreeing_in_one_category_copies_the_coordinators_levels_there_only(
    client_for, director, submitted
):
    indicators = indicators_of(submitted)
    first_key = indicators[0].category.key
    Rating.objects.filter(assessment=submitted, indicator=indicators[0]).update(self_level=1)
    body = review_post(submitted, level=None, note="Kept as typed") | {"agree": first_key}
    response = client_for(director).post(url("assessment-review", submitted), body, follow=True)
    assert response.status_code == 200
    assert "now match" in response.content.decode()
    for rating in Rating.objects.filter(assessment=submitted).select_related("indicator__category"):
        in_category = rating.indicator.category.key == first_key
        assert rating.supervisor_level == (rating.self_level if in_category else None)
        assert rating.supervisor_note == "Kept as typed"
        if in_category:
            assert rating.history.latest().history_user == director  # the director's choice


def test_agreeing_with_the_whole_matrix_keeps_no_level_where_the_coordinator_gave_none(
    client_for, director, submitted
):
    indicators = indicators_of(submitted)
    Rating.objects.filter(assessment=submitted, indicator=indicators[-1]).update(self_level=None)
    body = review_post(submitted, level=None) | {"agree": "all"}
    assert client_for(director).post(url("assessment-review", submitted), body).status_code == 302
    levels = dict(
        Rating.objects.filter(assessment=submitted).values_list("indicator_id", "supervisor_level")
    )
    assert levels[indicators[-1].pk] is None
    assert all(levels[i.pk] == 3 for i in indicators[:-1])


def test_an_unknown_agree_value_only_saves(client_for, director, submitted):
    body = review_post(submitted, level=2) | {"agree": "<script>"}
    response = client_for(director).post(url("assessment-review", submitted), body, follow=True)
    assert "Review saved at" in response.content.decode()
    assert set(
        Rating.objects.filter(assessment=submitted).values_list("supervisor_level", flat=True)
    ) == {2}


def test_the_review_page_offers_to_agree_per_category_and_for_all(client_for, director, submitted):
    html = client_for(director).get(url("assessment-review", submitted)).content.decode()
    assert 'name="agree" value="all"' in html
    for key in {i.category.key for i in indicators_of(submitted)}:
        assert f'name="agree" value="{key}"' in html
    assert 'data-self-level="3"' in html


def test_finalize_and_return_ask_only_when_they_can_succeed(client_for, director, submitted):
    html = client_for(director).get(url("assessment-review", submitted)).content.decode()
    assert "data-confirm-needs-levels" in html  # finalize: every level chosen first
    assert 'data-confirm-needs-text="id_return_note"' in html  # return: a note first
