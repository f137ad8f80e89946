"""The mentoring match's mentor is a picker: the suggestions page renders the same at any size
of the organization, and a mentor is taken by id or typed in full, never outside the
organization and never the coordinator themself."""

from django.contrib.auth.hashers import make_password
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coordinators.models import User
from growth.models import MentoringMatch
from tests.factories import UserFactory


def _grow(org, people: int):
    have = User.objects.filter(organization=org).count()
    password = make_password(None)
    User.objects.bulk_create(
        User(
            organization=org,
            email=f"grown{n}@example.org",
            first_name="Grown",
            last_name=f"Person {n}",
            password=password,
        )
        for n in range(have, people)
    )


def _render(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(response.content), len(queries)


def _confirm(client, profile, mentor) -> object:
    return client.post(
        reverse("growth:match-create", args=[profile.pk]),
        {"mentor": mentor, "starts_on": "2030-01-01", "ends_on": "", "notes": ""},
    )


def test_the_suggestions_page_renders_the_same_at_10_and_at_500_people(
    client_for, director, profile, org
):
    client = client_for(director)
    url = reverse("growth:mentor-suggestions", args=[profile.pk])
    _grow(org, 10)
    client.get(url)
    small = _render(client, url)
    _grow(org, 500)
    assert _render(client, url) == small


def test_the_match_form_offers_the_people_picker_without_the_coordinator(
    client_for, director, profile, org
):
    bystander = UserFactory(organization=org, first_name="Never", last_name="Listed")
    html = (
        client_for(director)
        .get(reverse("growth:mentor-suggestions", args=[profile.pk]))
        .content.decode()
    )
    assert bystander.email not in html
    assert f"/pickers/people/?exclude={profile.user_id}" in html


def test_a_mentor_typed_by_email_is_chosen(client_for, director, profile, org):
    mentor = UserFactory(organization=org, email="mina@example.org")
    response = _confirm(client_for(director), profile, "Mina@Example.org ")
    assert response.status_code == 302
    assert MentoringMatch.objects.get(mentee=profile).mentor == mentor


def test_the_coordinator_is_not_their_own_mentor_nor_is_someone_elsewhere(
    client_for, director, profile, other_admin
):
    client = client_for(director)
    for value in (profile.user.email, str(profile.user_id), other_admin.email):
        response = _confirm(client, profile, value)
        assert response.status_code == 302, value
    assert not MentoringMatch.objects.exists()
