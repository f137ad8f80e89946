"""Pickers: the endpoint pages and searches only what the person may choose, and the forms
that use them render the same whatever the size of the organization, check every choice on
the server and, without JavaScript, take a name typed in full."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coordinators.models import Membership, Role, School, User
from coordinators.pickers import PAGE_SIZE
from tests.factories import ProfileFactory, SchoolFactory, TeamFactory, UserFactory


def options(client, source, **query):
    response = client.get(reverse("coordinators:picker-options", args=[source]), query)
    assert response.status_code == 200, response.content
    return response.json()


def labels(data) -> list[str]:
    return [row["label"] for row in data["results"]]


# The endpoint -------------------------------------------------------------------------------


def test_schools_are_paged_and_counted(client_for, admin_user, org):
    for n in range(PAGE_SIZE + 5):
        SchoolFactory(organization=org, name=f"Harbor {n:02d}")
    client = client_for(admin_user)
    first = options(client, "schools", q="harbor")
    assert (first["count"], first["page"], first["has_next"]) == (PAGE_SIZE + 5, 1, True)
    assert labels(first)[:2] == ["Harbor 00", "Harbor 01"]
    second = options(client, "schools", q="harbor", page="2")
    assert (labels(second), second["has_next"]) == ([f"Harbor {n}" for n in range(20, 25)], False)
    # A page past the end shows the last one, never an error.
    assert options(client, "schools", q="harbor", page="99")["page"] == 2


def test_search_needs_every_word_and_ignores_case(client_for, admin_user, org):
    SchoolFactory(organization=org, name="Lincoln Elementary")
    SchoolFactory(organization=org, name="Lincoln High")
    SchoolFactory(organization=org, name="Harbor Elementary")
    data = options(client_for(admin_user), "schools", q="  ELEMENTARY   lincoln ")
    assert labels(data) == ["Lincoln Elementary"]
    assert data["results"][0]["detail"] == "Elementary"


def test_deactivated_schools_are_not_offered(client_for, admin_user, org):
    SchoolFactory(organization=org, name="Open Harbor")
    SchoolFactory(organization=org, name="Closed Harbor", active=False)
    assert labels(options(client_for(admin_user), "schools", q="harbor")) == ["Open Harbor"]


def test_another_organizations_rows_never_appear(client_for, admin_user, org, other_org):
    TeamFactory(organization=org, name="North Shore")
    TeamFactory(organization=other_org, name="North Hills")
    SchoolFactory(organization=other_org, name="North School")
    ProfileFactory(
        team__organization=other_org, user__first_name="Northa", user__email="far@example.org"
    )
    client = client_for(admin_user)
    assert labels(options(client, "teams", q="north")) == ["North Shore"]
    assert options(client, "schools", q="north")["count"] == 0
    people = options(client, "people", q="")
    assert "far@example.org" not in str(people)
    assert options(client, "directors", q="")["count"] == User.objects.filter(
        organization=org, memberships__role=Role.DIRECTOR
    ).count()


def test_a_director_searches_only_the_teams_they_direct(client_for, org, team, other_team):
    data = options(client_for(team.director), "teams", q="")
    assert labels(data) == [team.name]
    assert other_team.name not in str(data)


def test_a_coordinator_may_search_people_of_their_organization_only(
    client_for, profile, other_org
):
    far = UserFactory(organization=other_org, roles=["coordinator"], first_name="Zed")
    gone = UserFactory(organization=profile.organization, first_name="Zed", is_active=False)
    near = UserFactory(organization=profile.organization, first_name="Zed", roles=["director"])
    client = client_for(profile.user)
    data = options(client, "people", q="zed")
    ids = [row["id"] for row in data["results"]]
    assert near.pk in ids and far.pk not in ids and gone.pk not in ids
    # Leaving out the coordinator themself (as their own mentor).
    me = options(client, "people", q=profile.user.email, exclude=str(profile.user.pk))
    assert me["count"] == 0


@pytest.mark.parametrize("source", ["schools", "teams", "directors"])
def test_a_coordinator_may_not_search_what_only_admins_choose(client_for, coordinator, source):
    response = client_for(coordinator).get(reverse("coordinators:picker-options", args=[source]))
    assert response.status_code == 403


def test_an_unknown_picker_is_not_found(client_for, admin_user):
    url = reverse("coordinators:picker-options", args=["passwords"])
    assert client_for(admin_user).get(url).status_code == 404


@pytest.mark.parametrize(
    "query", [{"q": "\x00<script>"}, {"page": "²"}, {"page": "-3"}, {"q": "x" * 5000}]
)
def test_hostile_queries_answer_an_empty_or_first_page(client_for, admin_user, org, query):
    SchoolFactory(organization=org, name="Harbor")
    data = options(client_for(admin_user), "schools", **query)
    assert data["page"] == 1


def test_the_endpoint_reads_a_fixed_number_of_queries(client_for, admin_user, org):
    client = client_for(admin_user)
    url = reverse("coordinators:picker-options", args=["people"])
    client.get(url)  # the session and roles, read once

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, {"q": "a"}).status_code == 200
        return len(queries)

    small = count()
    for _ in range(60):
        UserFactory(organization=org, first_name="Anna", roles=["coordinator"])
    assert count() == small


# The forms render only what is chosen -------------------------------------------------------


def _grow(org, schools: int):
    """An organization with ``schools`` schools, a team per ten and a director each."""
    have = School.objects.filter(organization=org).count()
    School.objects.bulk_create(
        School(organization=org, name=f"Grown {n}", level="middle", setting="rural")
        for n in range(have, schools)
    )
    for _ in range(schools // 10):
        TeamFactory(organization=org)


def _render(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(response.content), len(queries)


@pytest.mark.parametrize(
    "url_of",
    [
        lambda profile: reverse("coordinators:person-update", args=[profile.user.pk]),
        lambda profile: reverse("coordinators:person-create"),
        lambda profile: reverse("coordinators:team-update", args=[profile.team.pk]),
        lambda profile: reverse("coordinators:team-create"),
    ],
    ids=["person-edit", "person-new", "team-edit", "team-new"],
)
def test_forms_render_the_same_at_10_and_at_500_schools(
    client_for, admin_user, org, profile, url_of
):
    client = client_for(admin_user)
    url = url_of(profile)
    _grow(org, 10)
    client.get(url)
    small_size, small_queries = _render(client, url)
    _grow(org, 500)
    big_size, big_queries = _render(client, url)
    assert big_queries == small_queries
    # Only the length of numbers (ids, the version) may differ.
    assert abs(big_size - small_size) < 40


def test_the_person_form_shows_the_chosen_rows_only(client_for, admin_user, org, profile):
    SchoolFactory(organization=org, name="Never Chosen Academy")
    html = client_for(admin_user).get(
        reverse("coordinators:person-update", args=[profile.user.pk])
    ).content.decode()
    assert "Never Chosen Academy" not in html
    school = profile.schools.get()
    assert f'name="schools" value="{school.pk}"' in html and school.name in html
    assert f'name="team" value="{profile.team.name}"' in html
    assert 'data-picker-url="/pickers/schools/"' in html


# Typing a name without JavaScript ------------------------------------------------------------


def _edit(client, profile, **changes):
    from tests.coordinators.views.test_manage_people import post_of

    return client.post(
        reverse("coordinators:person-update", args=[profile.user.pk]), post_of(profile, **changes)
    )


def test_a_name_typed_in_full_is_chosen(client_for, admin_user, org, profile, other_team):
    school = SchoolFactory(organization=org, name="Harbor Middle")
    response = _edit(
        client_for(admin_user),
        profile,
        team="  west ",
        schools=[str(s.pk) for s in profile.schools.all()] + ["harbor middle", ""],
    )
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.team == other_team
    assert school in profile.schools.all() and profile.schools.count() == 2


def test_a_name_that_is_not_there_says_what_comes_close_and_keeps_the_typing(
    client_for, admin_user, org, profile
):
    SchoolFactory(organization=org, name="Harbor Middle")
    SchoolFactory(organization=org, name="Harbor High")
    response = _edit(
        client_for(admin_user), profile, schools=["Harbor Midle"], first_name="Typed Again"
    )
    assert response.status_code == 200
    (error,) = response.context["form"].errors["schools"]
    assert "No school is called “Harbor Midle”" in error
    assert "“Harbor High” or “Harbor Middle”" in error
    html = response.content.decode()
    assert 'value="Harbor Midle"' in html and 'value="Typed Again"' in html


def test_a_team_of_another_organization_typed_by_name_is_refused(
    client_for, admin_user, org, profile, other_org
):
    far = TeamFactory(organization=other_org, name="Far Away")
    client = client_for(admin_user)
    for value in ("Far Away", str(far.pk)):
        response = _edit(client, profile, team=value)
        assert response.status_code == 200
        assert "team" in response.context["form"].errors
    profile.refresh_from_db()
    assert profile.team.organization == org


def test_a_director_is_typed_by_email_or_label(client_for, admin_user, org, team):
    newcomer = UserFactory(
        organization=org, first_name="Rosa", last_name="Park", email="rosa@example.org"
    )
    Membership.objects.create(user=newcomer, role=Role.DIRECTOR)
    client = client_for(admin_user)
    url = reverse("coordinators:team-update", args=[team.pk])
    for typed in ("ROSA@example.org", "Rosa Park (rosa@example.org)", "rosa park"):
        team.refresh_from_db()
        response = client.post(
            url, {"version": str(team.version), "name": team.name, "director": typed}
        )
        assert response.status_code == 302, typed
        team.refresh_from_db()
        assert team.director == newcomer
        team.director = None
        team.save()


def test_someone_without_the_director_role_is_not_a_director(client_for, admin_user, org, team):
    plain = UserFactory(organization=org, email="plain@example.org", roles=["coordinator"])
    response = client_for(admin_user).post(
        reverse("coordinators:team-update", args=[team.pk]),
        {"version": str(team.version), "name": team.name, "director": str(plain.pk)},
    )
    assert response.status_code == 200
    (error,) = response.context["form"].errors["director"]
    assert "not one you can choose" in error


def test_two_people_of_the_same_name_ask_for_the_email(client_for, admin_user, org, team):
    for email in ("sam.one@example.org", "sam.two@example.org"):
        Membership.objects.create(
            user=UserFactory(organization=org, first_name="Sam", last_name="Lee", email=email),
            role=Role.DIRECTOR,
        )
    response = client_for(admin_user).post(
        reverse("coordinators:team-update", args=[team.pk]),
        {"version": str(team.version), "name": team.name, "director": "Sam Lee"},
    )
    (error,) = response.context["form"].errors["director"]
    assert "More than one person is called “Sam Lee”" in error
    assert "sam.one@example.org" in error and "sam.two@example.org" in error
    assert re.search(r'name="director" value="Sam Lee"', response.content.decode())


def test_a_stale_save_typed_without_javascript_takes_the_other_persons_director(
    client_for, admin_user, org, team
):
    """A director left as it was, shown by name, counts as untouched: the one saved meanwhile
    takes its place, as it would with the combobox's id."""
    old = team.director
    client = client_for(admin_user)
    url = reverse("coordinators:team-update", args=[team.pk])
    html = client.get(url).content.decode()
    read_values = re.search(r'name="read_values" value="([^"]+)"', html).group(1)
    opened = {"version": str(team.version), "read_values": read_values, "name": team.name}
    rosa = UserFactory(organization=org, first_name="Rosa", last_name="Park", roles=["director"])
    assert client.post(url, opened | {"director": str(rosa.pk)}).status_code == 302
    stale = client.post(
        url, opened | {"name": "East Bay", "director": f"{old.display_name} ({old.email})"}
    )
    assert stale.status_code == 409
    html = stale.content.decode()
    assert f'name="director" value="Rosa Park ({rosa.email})"' in html
    assert 'value="East Bay"' in html


def test_a_flood_of_typed_names_is_refused_in_a_few_queries(client_for, admin_user, org, profile):
    client = client_for(admin_user)
    client.get(reverse("coordinators:person-update", args=[profile.user.pk]))
    names = [f"Nowhere {n}" for n in range(50)]
    with CaptureQueriesContext(connection) as queries:
        response = _edit(client, profile, schools=names)
    assert response.status_code == 200
    assert "Type at most 5 names at a time" in str(response.context["form"].errors["schools"])
    assert len(queries) < 60
