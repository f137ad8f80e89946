"""Coaching notes after a coordinator changes director: the rule, sharing them with the new
director and stopping it, the pages and the email. The access table
(tests/test_access_table.py, the inherited-notes rows) walks every page for every person."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from assessments import services
from assessments.access import can_read_coaching_notes
from assessments.models import Assessment, CoachingNotesShare
from assessments.services import WorkflowError
from tests.assessments.workflow_helpers import all_levels, make_assessment
from tests.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

NOTES = "Talked about the move to the middle school; kept between us."


def _review(assessment, *, reviewer, finalizer=None) -> Assessment:
    """``reviewer`` writes the coaching notes; ``finalizer`` (the reviewer by default)
    finalizes."""
    reviewed = services.assessment_save_review(
        assessment=assessment,
        actor=reviewer,
        expected_version=assessment.version,
        ratings=all_levels(assessment, level=2, text="Agreed."),
        coaching_notes=NOTES,
        next_steps="Visit two other sites.",
    )
    return services.assessment_finalize(
        assessment=reviewed, actor=finalizer or reviewer, expected_version=reviewed.version
    )


def _move(profile, team) -> None:
    profile.team = team
    profile.save(update_fields=["team"])


@pytest.fixture
def past(profile, director):
    """A review finalized by the coordinator's director, with coaching notes."""
    return _review(make_assessment(profile, ratings=2, state="submitted"), reviewer=director)


@pytest.fixture
def moved(past, profile, other_team):
    """The coordinator then moved to ``other_team``: its director inherits them."""
    _move(profile, other_team)
    return Assessment.objects.get(pk=past.pk)


def url(name, assessment):
    return reverse(f"assessments:{name}", args=[assessment.pk])


# The rule -----------------------------------------------------------------------------------


def test_after_a_move_the_new_director_does_not_read_the_old_notes(
    moved, coordinator, director, other_director, admin_user
):
    assert can_read_coaching_notes(coordinator, moved)
    assert can_read_coaching_notes(admin_user, moved)
    assert can_read_coaching_notes(director, moved)  # wrote them
    assert not can_read_coaching_notes(other_director, moved)


def test_a_share_lets_the_new_director_read_them(moved, coordinator, other_director):
    services.coaching_notes_share(assessment=moved, actor=coordinator, director=other_director)
    assert can_read_coaching_notes(other_director, moved)
    services.coaching_notes_unshare(assessment=moved, actor=coordinator, director=other_director)
    assert not can_read_coaching_notes(other_director, moved)


def test_the_director_who_wrote_them_reads_them_when_an_admin_finalized(
    profile, director, admin_user
):
    finalized = _review(
        make_assessment(profile, ratings=2, state="submitted"),
        reviewer=director,
        finalizer=admin_user,
    )
    assert finalized.finalized_by == admin_user
    assert can_read_coaching_notes(director, finalized)


def test_a_director_of_both_teams_keeps_their_notes_across_a_move(org, profile, past, director):
    _move(profile, TeamFactory(organization=org, name="North", director=director))
    assert can_read_coaching_notes(director, Assessment.objects.get(pk=past.pk))


def test_a_new_director_of_the_same_team_does_not_read_them(past, team, director, org):
    successor = UserFactory(organization=org, roles=["director"])
    team.director = successor
    team.save(update_fields=["director"])
    assert not can_read_coaching_notes(successor, Assessment.objects.get(pk=past.pk))


def test_while_the_review_is_open_its_reviewer_writes_them(profile, coordinator, director):
    submitted = make_assessment(profile, ratings=2, state="submitted", coaching_notes=NOTES)
    assert can_read_coaching_notes(director, submitted)
    assert not can_read_coaching_notes(coordinator, submitted)


def test_nobody_outside_the_organization_reads_them(moved, other_admin):
    assert not can_read_coaching_notes(other_admin, moved)


# Sharing ------------------------------------------------------------------------------------


def test_the_coordinator_shares_with_their_director_now_and_the_director_is_told(
    moved, coordinator, other_director, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        share = services.coaching_notes_share(
            assessment=moved, actor=coordinator, director=other_director
        )
    assert (share.director, share.shared_by) == (other_director, coordinator)
    [message] = mail.outbox
    assert message.to == [other_director.email]
    assert coordinator.display_name in message.body
    assert "http://testserver" + url("assessment-review", moved) in message.body
    assert NOTES not in message.body  # the notes stay on the page


def test_no_email_when_the_share_was_stopped_before_it_went_out(
    moved, coordinator, other_director, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.coaching_notes_share(assessment=moved, actor=coordinator, director=other_director)
    services.coaching_notes_unshare(assessment=moved, actor=coordinator, director=other_director)
    for callback in callbacks:
        callback()
    assert mail.outbox == []


def test_sharing_twice_changes_nothing(moved, coordinator, admin_user, other_director):
    services.coaching_notes_share(assessment=moved, actor=coordinator, director=other_director)
    again = services.coaching_notes_share(
        assessment=moved, actor=admin_user, director=other_director
    )
    assert again is None
    assert CoachingNotesShare.objects.get().shared_by == coordinator


def test_sharing_only_with_the_coordinators_director_now(moved, coordinator, director, org):
    stranger = UserFactory(organization=org, roles=["director"])
    with pytest.raises(WorkflowError, match="not .*'s director now"):
        services.coaching_notes_share(assessment=moved, actor=coordinator, director=stranger)
    assert not CoachingNotesShare.objects.exists()


def test_no_share_with_the_director_who_wrote_them(past, coordinator, director):
    with pytest.raises(WorkflowError, match="wrote these coaching notes"):
        services.coaching_notes_share(assessment=past, actor=coordinator, director=director)


def test_only_a_finalized_review_is_shared(profile, coordinator, director, other_team):
    submitted = make_assessment(profile, ratings=2, state="submitted", coaching_notes=NOTES)
    _move(profile, other_team)
    with pytest.raises(WorkflowError, match="not finalized"):
        services.coaching_notes_share(
            assessment=Assessment.objects.get(pk=submitted.pk),
            actor=coordinator,
            director=other_team.director,
        )


def test_the_new_director_cannot_share_with_themself(moved, other_director):
    with pytest.raises(PermissionDenied):
        services.coaching_notes_share(
            assessment=moved, actor=other_director, director=other_director
        )


def test_stopping_a_share_that_is_not_there_says_so(moved, admin_user, other_director):
    assert not services.coaching_notes_unshare(
        assessment=moved, actor=admin_user, director=other_director
    )


# The pages ----------------------------------------------------------------------------------


def test_the_new_director_sees_levels_and_next_steps_but_not_the_notes(
    client_for, moved, other_director
):
    html = client_for(other_director).get(url("assessment-review", moved)).content.decode()
    assert "Visit two other sites." in html
    assert "Agreed." in html  # the notes on each indicator
    assert NOTES not in html
    assert "can share them with you" in html
    assert "Share with" not in html  # the sharing box is not theirs


def test_the_coordinator_shares_from_their_own_page(client_for, moved, coordinator, other_director):
    client = client_for(coordinator)
    page = client.get(url("assessment-detail", moved)).content.decode()
    assert NOTES in page
    assert f"Share with {other_director.display_name}, your director now" in page

    response = client.post(url("coaching-notes-share", moved), {"director": other_director.pk})
    assert response["Location"] == url("assessment-detail", moved)
    page = client.get(response["Location"]).content.decode()
    assert f"Stop sharing with {other_director.display_name}" in page
    assert "Share with" not in page

    html = client_for(other_director).get(url("assessment-review", moved)).content.decode()
    assert NOTES in html


def test_an_admin_stops_a_share_from_the_review(
    client_for, moved, coordinator, admin_user, other_director
):
    services.coaching_notes_share(assessment=moved, actor=coordinator, director=other_director)
    client = client_for(admin_user)
    page = client.get(url("assessment-review", moved)).content.decode()
    assert f"Shared with {other_director.display_name} by {coordinator.display_name}" in page

    response = client.post(url("coaching-notes-unshare", moved), {"director": other_director.pk})
    assert response["Location"] == url("assessment-review", moved)
    assert not CoachingNotesShare.objects.exists()
    html = client_for(other_director).get(url("assessment-review", moved)).content.decode()
    assert NOTES not in html


def test_a_stale_share_button_names_the_director_who_left(
    client_for, org, moved, profile, coordinator, other_director
):
    _move(profile, TeamFactory(organization=org, name="South"))
    response = client_for(coordinator).post(
        url("coaching-notes-share", moved), {"director": other_director.pk}, follow=True
    )
    assert "is not" in response.content.decode() and "director now" in response.content.decode()
    assert not CoachingNotesShare.objects.exists()


def test_the_history_keeps_who_shared_and_stopped_and_hides_the_notes_from_others(
    client_for, moved, coordinator, admin_user, director, other_director
):
    services.coaching_notes_share(assessment=moved, actor=coordinator, director=other_director)
    services.coaching_notes_unshare(assessment=moved, actor=admin_user, director=other_director)
    html = client_for(admin_user).get(url("assessment-history", moved)).content.decode()
    assert (
        f"{coordinator.display_name}</span> shared the coaching notes with "
        f"{other_director.display_name}"
    ) in html
    assert (
        f"{admin_user.display_name}</span> stopped sharing the coaching notes with "
        f"{other_director.display_name}"
    ) in html
    assert f"{director.display_name}</span> updated the coaching notes" in html
    inherited = client_for(other_director).get(url("assessment-history", moved)).content.decode()
    assert "updated the coaching notes" not in inherited
    assert "updated the next steps" in inherited


def test_the_review_of_a_new_director_stays_within_its_queries(
    client_for, moved, other_director, django_assert_max_num_queries
):
    """The session and user, roles, the assessment, its ratings and levels, the share and the
    history that decide the notes, the finalizer named in their place, the next steps, the
    principals' answers, the organization's review settings, the evidence and who added it."""
    client = client_for(other_director)
    client.get(url("assessment-review", moved))
    with django_assert_max_num_queries(15):
        assert client.get(url("assessment-review", moved)).status_code == 200


def test_a_teammate_never_reaches_the_sharing_actions(client_for, moved, teammate):
    for name in ("coaching-notes-share", "coaching-notes-unshare"):
        response = client_for(teammate.user).post(url(name, moved), {"director": 1})
        assert response.status_code == 404
