"""The read API: a token made by the org admin reads its organization only, page by page, and
then only what changed; revoked tokens, other organizations and bad cursors are refused."""

from datetime import datetime, timedelta

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from api.models import ApiToken
from assessments.models import Assessment, CategoryScore
from tests.factories import AssessmentFactory, CycleFactory, ProfileFactory, SchoolFactory


def create_token(client_for, admin, name="Warehouse") -> str:
    page = client_for(admin).post(reverse("api:token-list"), {"name": name}, follow=True)
    return page.context["raw_token"]


def get(client, path, token, **query):
    return client.get(path, query, HTTP_AUTHORIZATION=f"Bearer {token}")


def test_a_token_is_shown_once_and_stored_hashed(client_for, admin_user):
    token = create_token(client_for, admin_user)
    row = ApiToken.objects.get()
    assert token not in row.digest and len(row.digest) == 64
    again = client_for(admin_user).get(reverse("api:token-list"))
    assert token not in again.content.decode()
    assert "Warehouse" in again.content.decode()


def test_another_organizations_token_sees_nothing_of_mine(
    client, client_for, org, other_admin, admin_user
):
    SchoolFactory(organization=org, name="Mine Elementary")
    theirs = create_token(client_for, other_admin)
    client.logout()
    response = get(client, "/api/v1/schools/", theirs)
    assert response.status_code == 200
    assert "Mine Elementary" not in response.content.decode()
    mine = create_token(client_for, admin_user)
    client.logout()
    assert "Mine Elementary" in get(client, "/api/v1/schools/", mine).content.decode()


def test_revoked_or_missing_tokens_get_401(client, client_for, admin_user):
    token = create_token(client_for, admin_user)
    row = ApiToken.objects.get()
    client_for(admin_user).post(reverse("api:token-revoke", args=[row.pk]))
    client.logout()
    assert get(client, "/api/v1/schools/", token).status_code == 401
    assert client.get("/api/v1/schools/").status_code == 401
    assert get(client, "/api/v1/schools/", "not-a-token").status_code == 401


@pytest.mark.parametrize("cursor", ["!!!", "e30", "eyJwayI6ICJ4In0", "a" * 300])
def test_a_malformed_cursor_gets_400(client, client_for, admin_user, cursor):
    token = create_token(client_for, admin_user)
    client.logout()
    response = get(client, "/api/v1/assessments/", token, cursor=cursor)
    assert response.status_code == 400


def test_two_pages_of_assessments_then_only_what_changed(
    client, client_for, org, team, admin_user, django_assert_max_num_queries
):
    cycle = CycleFactory(organization=org)
    made = [AssessmentFactory(coordinator=ProfileFactory(team=team), cycle=cycle) for _ in range(5)]
    for assessment in made:
        CategoryScore.objects.create(assessment=assessment, category_key="site", self_level=2)
    token = create_token(client_for, admin_user)
    client.logout()

    first = get(client, "/api/v1/assessments/", token, limit=3, cycle=cycle.pk).json()
    assert len(first["results"]) == 3 and first["next_cursor"]
    assert first["results"][0]["categories"] == [
        {"key": "site", "self_level": 2, "supervisor_level": None}
    ]
    second = get(client, "/api/v1/assessments/", token, limit=3, cursor=first["next_cursor"]).json()
    assert len(second["results"]) == 2 and second["next_cursor"] is None
    seen = [a["id"] for a in first["results"] + second["results"]]
    assert sorted(seen) == sorted(a.pk for a in made)

    # One changes; the next sync from the last change sees only it.
    last_sync = max(a.updated_at for a in Assessment.objects.all())
    Assessment.objects.filter(pk=made[1].pk).update(
        updated_at=last_sync + timedelta(seconds=5), state="submitted"
    )
    since = (last_sync + timedelta(seconds=1)).isoformat()
    changed = get(client, "/api/v1/assessments/", token, updated_since=since).json()
    assert [a["id"] for a in changed["results"]] == [made[1].pk]
    assert changed["results"][0]["state"] == "submitted"


def test_a_page_costs_the_same_queries_at_any_size(
    client, client_for, org, team, admin_user, django_assert_max_num_queries
):
    cycle = CycleFactory(organization=org)
    for _ in range(30):
        assessment = AssessmentFactory(coordinator=ProfileFactory(team=team), cycle=cycle)
        CategoryScore.objects.create(assessment=assessment, category_key="site", self_level=1)
    token = create_token(client_for, admin_user)
    client.logout()
    with django_assert_max_num_queries(6):
        assert len(get(client, "/api/v1/assessments/", token, limit=30).json()["results"]) == 30
    with django_assert_max_num_queries(6):
        assert len(get(client, "/api/v1/people/", token, limit=30).json()["results"]) == 30


def test_an_unchanged_page_answers_304_to_its_etag(client, client_for, org, admin_user):
    SchoolFactory(organization=org)
    token = create_token(client_for, admin_user)
    client.logout()
    first = get(client, "/api/v1/schools/", token)
    etag = first["ETag"]
    again = client.get(
        "/api/v1/schools/", HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_IF_NONE_MATCH=etag
    )
    assert again.status_code == 304


def test_requests_are_limited_per_token(client, client_for, admin_user):
    token = create_token(client_for, admin_user)
    client.logout()
    with override_settings(RATE_LIMITS={"api-token": "2/m"}):
        assert get(client, "/api/v1/schools/", token).status_code == 200
        assert get(client, "/api/v1/schools/", token).status_code == 200
        refused = get(client, "/api/v1/schools/", token)
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0


def test_the_last_use_is_recorded(client, client_for, admin_user):
    token = create_token(client_for, admin_user)
    client.logout()
    get(client, "/api/v1/cycles/", token)
    used = ApiToken.objects.get().last_used_at
    assert used is not None and timezone.now() - used < timedelta(minutes=1)


def test_the_openapi_schema_lists_the_endpoints(client, client_for, admin_user):
    token = create_token(client_for, admin_user)
    client.logout()
    schema = get(client, "/api/v1/openapi.json", token)
    assert schema.status_code == 200
    assert "/api/v1/assessments/" in schema.json()["paths"]


def test_schools_teams_and_cycles_carry_their_own_fields(client, client_for, org, team, admin_user):
    school = SchoolFactory(organization=org, name="Lincoln Elementary")
    cycle = CycleFactory(organization=org, name="2026–27 Fall")
    token = create_token(client_for, admin_user)
    client.logout()

    [schools, teams, cycles] = [
        get(client, f"/api/v1/{kind}/", token).json()["results"]
        for kind in ("schools", "teams", "cycles")
    ]
    # Each row says when it last changed, so a nightly sync can ask only for what changed.
    for row in (*schools, *teams, *cycles):
        assert datetime.fromisoformat(row.pop("updated_at").replace("Z", "+00:00"))

    assert schools == [
        {
            "id": school.pk,
            "name": "Lincoln Elementary",
            "level": "elementary",
            "setting": "urban",
            "active": True,
        }
    ]
    assert teams == [{"id": team.pk, "name": team.name, "director_id": team.director_id}]
    assert cycles == [
        {
            "id": cycle.pk,
            "name": "2026–27 Fall",
            "state": "open",
            "opens_on": cycle.opens_on.isoformat(),
            "due_on": cycle.due_on.isoformat(),
            "closes_on": cycle.closes_on.isoformat(),
        }
    ]
