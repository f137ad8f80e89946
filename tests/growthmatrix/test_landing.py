import pytest
from django.urls import reverse
from django.utils.html import escape

from tests.factories import UserFactory


def test_anonymous_visitors_are_sent_to_login(client):
    response = client.get(reverse("pages:my-growth"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    ("roles", "landing"),
    [
        (["coordinator"], "pages:my-growth"),
        (["director"], "pages:my-team"),
        (["admin"], "pages:organization"),
        (["coordinator", "director"], "pages:my-team"),
    ],
)
def test_each_person_lands_where_their_work_is(client, org, roles, landing):
    user = UserFactory(organization=org, roles=roles, email="person@example.org")
    response = client.post(
        reverse("login"),
        {"username": "person@example.org", "password": "correct horse battery staple"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse(landing)
    assert response.status_code == 200
    assert response.context["user"] == user


def test_person_with_several_roles_can_switch_from_the_navigation(client_for, org):
    user = UserFactory(organization=org, roles=["coordinator", "director"])
    response = client_for(user).get(reverse("pages:my-team"))
    assert reverse("pages:my-growth") in response.content.decode()


def test_person_without_a_role_is_told_what_to_do(client_for, org):
    response = client_for(UserFactory(organization=org)).get("/", follow=True)
    assert response.status_code == 403
    assert "no role" in response.content.decode()


@pytest.mark.parametrize(
    ("url_name", "allowed", "refused"),
    [
        ("pages:my-growth", "coordinator", "admin_user"),
        ("pages:my-team", "director", "coordinator"),
        ("pages:organization", "admin_user", "director"),
    ],
)
def test_role_pages_work_for_their_role_and_refuse_others(
    request, client_for, url_name, allowed, refused
):
    url = reverse(url_name)
    assert client_for(request.getfixturevalue(allowed)).get(url).status_code == 200
    assert client_for(request.getfixturevalue(refused)).get(url).status_code == 403


def test_coordinator_sees_own_profile_and_empty_state(client_for, coordinator, profile):
    page = client_for(coordinator).get(reverse("pages:my-growth")).content.decode()
    assert profile.team.name in page
    assert "No assessment cycle is open" in page


def test_director_sees_only_own_team(client_for, director, profile, other_team):
    from tests.factories import ProfileFactory

    stranger = ProfileFactory(team=other_team, user__first_name="Zebulon")
    page = client_for(director).get(reverse("pages:my-team")).content.decode()
    assert profile.user.display_name in page
    assert stranger.user.display_name not in page


def test_organization_page_counts_only_own_organization(client_for, admin_user, profile, other_org):
    from tests.factories import ProfileFactory

    ProfileFactory(team__organization=other_org)
    response = client_for(admin_user).get(reverse("pages:organization"))
    assert response.context["counts"]["coordinators"] == 1


def test_my_growth_links_to_my_matrix_over_time(client_for, coordinator, profile):
    client = client_for(coordinator)
    page = client.get(reverse("pages:my-growth")).content.decode()
    own_page = reverse("dashboards:coordinator-detail", args=[profile.pk])
    assert f'<a href="{own_page}">My matrix over time</a>' in page
    assert client.get(own_page).status_code == 200


def test_my_team_names_link_to_each_coordinators_page(client_for, director, profile, teammate):
    client = client_for(director)
    page = client.get(reverse("pages:my-team")).content.decode()
    for person in (profile, teammate):
        link = reverse("dashboards:coordinator-detail", args=[person.pk])
        assert f'<a href="{link}">{escape(person.user.display_name)}</a>' in page
        assert client.get(link).status_code == 200
