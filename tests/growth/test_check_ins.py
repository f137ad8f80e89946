"""Check-ins between the cycles: who logs, reads and edits them, private notes, goals moved,
next steps that become goals, the history of edits, cadences and coaching actions."""

from datetime import timedelta

import pytest
from django.urls import reverse

from assessments.services import NextStepInput
from coordinators.versioning import StaleEdit
from growth.check_in_services import (
    GoalTouched,
    cadence_set,
    check_in_create,
    check_in_update,
    coaching_actions_set,
)
from growth.models import CheckIn, CheckInCadence, CoachingAction, Goal
from growth.services import GrowthError, goal_create
from tests.assessments.url_cases import next_steps_post
from tests.factories import ProfileFactory, UserFactory, mentoring_match


@pytest.fixture
def goal(profile, director, today):
    return goal_create(
        profile=profile,
        actor=director,
        category_key="site",
        target_level=2,
        target_date=today + timedelta(days=60),
    )


def _post(today, goal, **changes):
    action = CoachingAction.objects.filter(organization_id=goal.coordinator.organization_id)
    data = {
        "held_on": today.isoformat(),
        "participants": "",
        "notes": "We planned the family night.",
        "coaching_actions": [str(action.order_by("order").first().pk)],
        f"goal_{goal.pk}_progress": "Two meetings with the principal.",
        f"goal_{goal.pk}_status": "met",
        **next_steps_post(["Ask the PTA chair to co-host"]),
    }
    data["step-0-due_on"] = (today + timedelta(days=14)).isoformat()
    return data | changes


def test_a_director_logs_a_check_in_that_moves_a_goal_and_offers_its_steps_as_goals(
    client_for, director, profile, goal, today
):
    client = client_for(director)
    response = client.post(reverse("growth:check-in-create", args=[profile.pk]), _post(today, goal))
    assert response.status_code == 302
    check_in = CheckIn.objects.get(coordinator=profile)
    assert response.url == reverse("growth:check-in-detail", args=[check_in.pk])
    assert Goal.objects.get(pk=goal.pk).status == "met"
    assert [a.name for a in check_in.coaching_actions.all()] == ["Observed at the site"]
    page = client.get(response.url).content.decode()
    assert "Two meetings with the principal." in page
    assert "marked <strong>met</strong>" in page
    due = (today + timedelta(days=14)).isoformat()
    assert f"notes=Ask+the+PTA+chair+to+co-host&amp;target_date={due}" in page
    assert "Make this a goal" in page


def test_a_check_in_in_the_future_is_refused_with_the_typing_kept(
    client_for, director, profile, goal, today
):
    body = _post(today, goal, held_on=(today + timedelta(days=2)).isoformat(), notes="Keep me")
    response = client_for(director).post(reverse("growth:check-in-create", args=[profile.pk]), body)
    assert response.status_code == 200
    assert "a day up to today" in response.content.decode()
    assert "Keep me" in response.content.decode()
    assert not CheckIn.objects.exists()


def test_a_private_note_is_for_its_author_and_the_coordinator_only(
    client_for, director, profile, admin_user, other_team, today
):
    mentor = ProfileFactory(team=other_team).user
    mentoring_match(mentee=profile, mentor=mentor)
    check_in = check_in_create(
        profile=profile, actor=director, held_on=today, notes="Between us.", notes_private=True
    )
    check_in_update(
        check_in=check_in,
        actor=director,
        expected_version=check_in.version,
        notes="Between us, really.",
    )
    for reader, sees in (
        (director, True),
        (profile.user, True),
        (admin_user, False),
        (mentor, False),
    ):
        client = client_for(reader)
        detail = client.get(reverse("growth:check-in-detail", args=[check_in.pk])).content
        listed = client.get(reverse("growth:check-in-list", args=[profile.pk])).content
        for page in (detail.decode(), listed.decode()):
            assert ("Between us, really." in page) is sees, reader
            if not sees:
                assert "A private note exists" in page
        # The history of the edit says the words before only to those who may read them.
        assert ("Between us." in detail.decode()) is sees, reader


def test_only_the_author_edits_and_the_history_keeps_each_change(
    client_for, director, profile, goal, today
):
    check_in = check_in_create(profile=profile, actor=director, held_on=today, notes="First")
    with pytest.raises(GrowthError):
        check_in_update(
            check_in=check_in, actor=profile.user, expected_version=check_in.version, notes="x"
        )
    url = reverse("growth:check-in-update", args=[check_in.pk])
    assert client_for(profile.user).get(url).status_code == 403
    client = client_for(director)
    response = client.post(url, _post(today, goal, notes="Second", version=str(check_in.version)))
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "History of this check-in" in page
    assert "First" in page and "Second" in page
    with pytest.raises(StaleEdit):
        check_in_update(check_in=check_in, actor=director, expected_version=1, notes="Late")


def test_the_coordinator_and_an_active_mentor_log_check_ins_an_ended_one_does_not(
    client_for, profile, other_team, today
):
    mentor = ProfileFactory(team=other_team).user
    url = reverse("growth:check-in-create", args=[profile.pk])
    assert client_for(profile.user).get(url).status_code == 200
    match = mentoring_match(mentee=profile, mentor=mentor, starts_on=today - timedelta(days=90))
    assert client_for(mentor).get(url).status_code == 200
    match.ends_on = today - timedelta(days=1)
    match.save(update_fields=["ends_on"])
    assert client_for(mentor).get(url).status_code == 403


def test_a_goal_of_someone_else_cannot_be_touched(director, profile, teammate, today):
    other = goal_create(
        profile=teammate,
        actor=director,
        category_key="site",
        target_level=2,
        target_date=today + timedelta(days=9),
    )
    with pytest.raises(GrowthError):
        check_in_create(
            profile=profile,
            actor=director,
            held_on=today,
            goals=[GoalTouched(other, "progress", "met")],
        )
    assert Goal.objects.get(pk=other.pk).status == "open"


def test_next_steps_are_kept_in_order_and_replaced_on_edit(director, profile, today):
    check_in = check_in_create(
        profile=profile,
        actor=director,
        held_on=today,
        next_steps=[NextStepInput("One"), NextStepInput("Two", "Ana")],
    )
    assert [s.as_line for s in check_in.next_step_items.all()] == ["One", "Two (Ana)"]
    check_in_update(
        check_in=check_in,
        actor=director,
        expected_version=check_in.version,
        next_steps=[NextStepInput("Three")],
    )
    assert [s.text for s in check_in.next_step_items.all()] == ["Three"]


def test_the_list_of_check_ins_is_a_fixed_number_of_queries(
    django_assert_max_num_queries, client_for, director, profile, goal, today
):
    client = client_for(director)
    url = reverse("growth:check-in-list", args=[profile.pk])

    def log(n):
        for day in range(n):
            check_in_create(
                profile=profile,
                actor=director,
                held_on=today - timedelta(days=day),
                goals=[GoalTouched(goal, "ok")],
                next_steps=[NextStepInput("step")],
            )

    log(2)
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    log(15)
    with django_assert_max_num_queries(len(few)):
        assert client.get(url).status_code == 200


def test_cadences_are_between_a_week_and_a_year_and_can_be_removed(team, today):
    with pytest.raises(GrowthError):
        cadence_set(team=team, every_days=3)
    cadence = cadence_set(team=team, every_days=30)
    assert (cadence.every_days, cadence.since) == (30, today)
    assert cadence_set(team=team, every_days=45).every_days == 45
    assert CheckInCadence.objects.get(team=team).since == today
    assert cadence_set(team=team, every_days=None) is None
    assert not CheckInCadence.objects.exists()


def test_the_cadence_page_sets_a_team_cadence(client_for, admin_user, team):
    client = client_for(admin_user)
    assert team.name in client.get(reverse("growth:cadence-list")).content.decode()
    client.post(reverse("growth:cadence-update", args=[team.pk]), {"every_days": "21"})
    assert CheckInCadence.objects.get(team=team).every_days == 21
    response = client.post(reverse("growth:cadence-update", args=[team.pk]), {"every_days": "2"})
    assert response.status_code == 302
    assert CheckInCadence.objects.get(team=team).every_days == 21


def test_coaching_actions_taken_off_the_list_stay_on_old_check_ins(org, director, profile, today):
    observed = CoachingAction.objects.get(organization=org, name="Observed at the site")
    check_in = check_in_create(
        profile=profile, actor=director, held_on=today, coaching_actions=[observed]
    )
    coaching_actions_set(
        organization=org, names=["Co-planned", "  Walked   the site ", "co-PLANNED"]
    )
    active = list(
        CoachingAction.objects.filter(organization=org, active=True).values_list("name", flat=True)
    )
    assert active == ["Co-planned", "Walked the site"]
    assert list(check_in.coaching_actions.all()) == [observed]
    coaching_actions_set(organization=org, names=["observed at the site"])
    observed.refresh_from_db()
    assert observed.active and observed.name == "observed at the site"


def test_the_coaching_actions_page(client_for, admin_user, org):
    client = client_for(admin_user)
    page = client.get(reverse("growth:coaching-actions")).content.decode()
    assert "Reflected on data" in page
    response = client.post(reverse("growth:coaching-actions"), {"actions": "  \n  "})
    assert "Keep at least one coaching action." in response.content.decode()
    client.post(reverse("growth:coaching-actions"), {"actions": "Modelled\nCo-taught"})
    assert list(
        CoachingAction.objects.filter(organization=org, active=True).values_list("name", flat=True)
    ) == ["Modelled", "Co-taught"]


def test_a_new_organization_starts_with_the_default_coaching_actions(org):
    assert CoachingAction.objects.filter(organization=org).count() == 5


def test_a_coordinator_of_another_organization_never_sees_a_check_in(
    client_for, director, profile, other_org, today
):
    check_in = check_in_create(profile=profile, actor=director, held_on=today)
    stranger = UserFactory(organization=other_org, roles=["admin"])
    url = reverse("growth:check-in-detail", args=[check_in.pk])
    assert client_for(stranger).get(url).status_code == 404
