"""The org admin's teams: list with director and member count, add, edit."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from coordinators.models import Team
from tests.factories import ProfileFactory, TeamFactory, UserFactory

LIST = reverse("coordinators:team-list")


def test_admin_sees_teams_with_director_and_active_coordinators(
    client_for, admin_user, team, profile, teammate, other_org
):
    ProfileFactory(team=team, active=False)
    TeamFactory(organization=other_org, name="Far")
    response = client_for(admin_user).get(LIST)
    assert response.status_code == 200
    [row] = response.context["teams"]
    assert (row.name, row.director, row.members) == ("East", team.director, 2)
    html = response.content.decode()
    assert escape(team.director.display_name) in html  # Faker names may hold an apostrophe
    assert "Far" not in html


@pytest.mark.parametrize("count", [3, 30])
def test_the_list_has_a_fixed_number_of_queries(
    client_for, admin_user, org, count, django_assert_num_queries
):
    for team in TeamFactory.create_batch(count, organization=org):
        ProfileFactory(team=team)
    client = client_for(admin_user)
    client.get(LIST)
    # Session, user with the organization (navigation) and roles, teams with directors and counts.
    with django_assert_num_queries(3):
        response = client.get(LIST)
    assert len(response.context["teams"]) == count


def test_no_teams_says_what_to_do(client_for, admin_user):
    html = client_for(admin_user).get(LIST).content.decode()
    assert "No teams yet" in html
    assert reverse("coordinators:team-create") in html


def test_admin_adds_a_team_with_a_director(client_for, admin_user, org):
    director = UserFactory(organization=org, roles=["director"])
    response = client_for(admin_user).post(
        reverse("coordinators:team-create"), {"name": " North  Bay ", "director": director.pk}
    )
    assert response.status_code == 302
    team = Team.objects.get(organization=org)
    assert (team.name, team.director) == ("North Bay", director)


def test_a_team_may_start_without_a_director(client_for, admin_user, org):
    response = client_for(admin_user).post(reverse("coordinators:team-create"), {"name": "North"})
    assert response.status_code == 302
    assert Team.objects.get(organization=org).director is None


def test_only_the_organizations_active_directors_are_offered(
    client_for, admin_user, org, other_org, coordinator
):
    director = UserFactory(organization=org, roles=["director"], last_name="Director")
    gone = UserFactory(organization=org, roles=["director"], is_active=False)
    elsewhere = UserFactory(organization=other_org, roles=["director"])
    client = client_for(admin_user)
    field = client.get(reverse("coordinators:team-create")).context["form"].fields["director"]
    assert set(field.queryset) == {director, coordinator.profile.team.director}
    for refused in (gone, elsewhere, coordinator):
        response = client.post(
            reverse("coordinators:team-create"), {"name": "North", "director": refused.pk}
        )
        assert response.status_code == 200
        assert "director" in response.context["form"].errors
        assert 'value="North"' in response.content.decode()
    assert not Team.objects.filter(name="North").exists()


def test_a_director_id_that_is_not_a_number_is_a_form_error(client_for, admin_user):
    response = client_for(admin_user).post(
        reverse("coordinators:team-create"), {"name": "North", "director": "9" * 30}
    )
    assert response.status_code == 200
    assert "director" in response.context["form"].errors


def test_no_director_yet_says_how_to_get_one(client_for, admin_user):
    html = client_for(admin_user).get(reverse("coordinators:team-create")).content.decode()
    assert "Nobody holds the Director role yet" in html


def test_admin_edits_a_team(client_for, admin_user, team, org):
    new_director = UserFactory(organization=org, roles=["director"])
    url = reverse("coordinators:team-update", args=[team.pk])
    client = client_for(admin_user)
    assert 'value="East"' in client.get(url).content.decode()
    response = client.post(
        url, {"name": "East Bay", "director": new_director.pk, "version": team.version}
    )
    assert response.status_code == 302
    team.refresh_from_db()
    assert (team.name, team.director) == ("East Bay", new_director)


def test_the_current_director_stays_a_choice_after_losing_the_role(client_for, admin_user, team):
    team.director.memberships.all().delete()
    response = client_for(admin_user).post(
        reverse("coordinators:team-update", args=[team.pk]),
        {"name": "East Bay", "director": team.director.pk, "version": team.version},
    )
    assert response.status_code == 302


def test_a_team_name_in_use_is_a_form_error(client_for, admin_user, team, other_team):
    response = client_for(admin_user).post(
        reverse("coordinators:team-update", args=[other_team.pk]), {"name": "east"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["name"] == [
        "Your organization already has a team by this name."
    ]


def test_another_organizations_team_is_not_found(client_for, other_admin, team):
    url = reverse("coordinators:team-update", args=[team.pk])
    client = client_for(other_admin)
    assert client.get(url).status_code == 404
    assert client.post(url, {"name": "Taken"}).status_code == 404
    team.refresh_from_db()
    assert team.name == "East"


@pytest.mark.parametrize("person", ["director", "coordinator"])
@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("team-list", "get"),
        ("team-create", "get"),
        ("team-create", "post"),
        ("team-update", "get"),
        ("team-update", "post"),
    ],
)
def test_other_roles_are_refused(request, client_for, team, person, name, method):
    args = [team.pk] if name == "team-update" else []
    client = client_for(request.getfixturevalue(person))
    response = getattr(client, method)(reverse(f"coordinators:{name}", args=args), {"name": "X"})
    assert response.status_code == 403
    assert list(Team.objects.values_list("name", flat=True)) == ["East"]


def test_a_team_form_opened_before_its_director_left_is_stale(client_for, admin_user, org, team):
    """Taking the Director role away leaves the team without one; a team form opened before
    would name them again, so it is refused."""
    director = team.director
    UserFactory(organization=org, roles=["admin"], email="second@example.org")
    director.memberships.create(role="admin")
    client = client_for(admin_user)
    url = reverse("coordinators:team-update", args=[team.pk])
    opened = client.get(url).context["form"]
    client.post(
        reverse("coordinators:person-role-remove", args=[director.pk]), {"role": "director"}
    )
    response = client.post(
        url,
        {
            "name": "East Bay",
            "director": director.pk,
            "version": opened["version"].value(),
            "read_values": opened["read_values"].value(),
        },
    )
    assert response.status_code == 409
    assert "Saved meanwhile: No director yet" in response.content.decode()
    team.refresh_from_db()
    assert (team.name, team.director) == ("East", None)
