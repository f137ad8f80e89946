"""The person page shows who changed the person (login, name, roles) and their coordinator
profile, and what, in words; a login or a password leaves no record."""

from datetime import date

from django.test import Client
from django.urls import reverse

from coordinators.change_history import person_changes, profile_changes
from coordinators.models import User
from tests.coordinators.views.test_manage_people import post_of, role_url
from tests.factories import ProfileFactory, TeamFactory


def test_the_person_page_names_who_moved_a_coordinator_to_another_team(
    client_for, admin_user, org, team, other_admin
):
    profile = ProfileFactory(team=team, role_start_date=date(2024, 8, 15))
    other = TeamFactory(organization=org, name="Valley")
    profile.team, profile.job_title = other, "Senior Coordinator"
    profile._history_user = admin_user
    profile.save(update_fields=["team", "job_title"])
    profile.active = False
    profile.save(update_fields=["active"])

    url = reverse("coordinators:person-update", args=[profile.user_id])
    page = client_for(admin_user).get(url)
    [deactivated, moved, *earlier] = page.context["history"].entries
    assert {(entry.action, entry.noun) for entry in earlier if entry.action == "created"} == {
        ("created", "profile"),
        ("created", "person"),
    }
    assert (moved.who, {(c.label, c.before, c.after) for c in moved.changes}) == (
        admin_user.display_name,
        {
            ("Team", team.name, "Valley"),
            ("Job title", "Community School Coordinator", "Senior Coordinator"),
        },
    )
    assert [(c.label, c.before, c.after) for c in deactivated.changes] == [("Active", "yes", "no")]
    body = page.content.decode()
    assert "History of the person and their coordinator profile" in body
    assert f"Team: {team.name} → Valley" in body
    assert client_for(other_admin).get(url).status_code == 404


def test_a_person_without_a_profile_has_no_profile_history(client_for, admin_user, director):
    page = client_for(admin_user).get(reverse("coordinators:person-update", args=[director.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "History of the person" in body
    assert "coordinator profile</h2>" not in body
    assert profile_changes(person=director, latest=None).total == 0
    entries = person_changes(person=director, latest=None).entries
    assert [entry.noun for entry in entries if entry.action == "created"] == ["person"]


def test_the_person_page_says_who_renamed_a_person_and_changed_their_roles(
    client_for, admin_user, profile
):
    person = profile.user
    client = client_for(admin_user)
    assert (
        client.post(
            reverse("coordinators:person-update", args=[person.pk]),
            post_of(profile, first_name="Daniela", email="daniela@example.org"),
        ).status_code
        == 302
    )
    client.post(role_url("add", person), {"role": "director"})
    client.post(role_url("remove", person), {"role": "coordinator"})

    page = client.get(reverse("coordinators:person-update", args=[person.pk]))
    entries = page.context["history"].entries
    said = [(entry.who, [(c.label, c.before, c.after) for c in entry.changes]) for entry in entries]
    who = admin_user.display_name
    assert said[:4] == [
        # Taking the Coordinator role away also takes the profile off the dashboards.
        (who, [("Active", "yes", "no")]),
        (who, [("Roles", "Coordinator, Director", "Director")]),
        (who, [("Roles", "Coordinator", "Coordinator, Director")]),
        (
            who,
            [
                ("First name", person.first_name, "Daniela"),
                ("Email address", person.email, "daniela@example.org"),
            ],
        ),
    ]
    body = page.content.decode()
    assert f"First name: {person.first_name} → Daniela" in body
    assert "Roles: Coordinator → Coordinator, Director" in body
    assert "Roles: Coordinator, Director → Director" in body
    assert f'<span class="history-who">{who}</span>' in body


def test_logging_in_and_choosing_a_password_add_no_history(coordinator):
    before = User.history.filter(id=coordinator.pk).count()
    shown = person_changes(person=coordinator, latest=None).total
    client = Client()
    assert (
        client.post(
            reverse("login"),
            {"username": coordinator.email, "password": "correct horse battery staple"},
        ).status_code
        == 302
    )
    coordinator.refresh_from_db()
    assert coordinator.last_login is not None
    coordinator.set_password("another long passphrase")
    coordinator.save(update_fields=["password"])
    assert User.history.filter(id=coordinator.pk).count() == before
    assert person_changes(person=coordinator, latest=None).total == shown


def test_a_director_may_not_open_a_persons_history(client_for, director, coordinator, admin_user):
    coordinator.first_name = "Renamed"
    coordinator._history_user = admin_user
    coordinator.save(update_fields=["first_name"])
    url = reverse("coordinators:person-update", args=[coordinator.pk])
    response = client_for(director).get(url)
    assert response.status_code in (403, 404)
    assert "Renamed" not in response.content.decode()
