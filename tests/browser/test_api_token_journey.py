"""The warehouse's token, made in a real browser: the org admin creates it, copies it from the
page (shown once), and a plain HTTP client pulls two pages of assessments with it, then only
what changed, and what was deleted; the schema's docs page renders under the CSP; once revoked
in the browser, the token gets 401."""

from datetime import timedelta

import pytest
import requests
from playwright.sync_api import expect

from assessments.models import Assessment, CategoryScore
from tests.browser.checks import serious_violations, watch
from tests.factories import AssessmentFactory, CycleFactory, ProfileFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_admin_creates_a_token_and_a_client_syncs_with_it(
    browser, live_server, login, org, team, admin_user
):
    cycle = CycleFactory(organization=org)
    made = [AssessmentFactory(coordinator=ProfileFactory(team=team), cycle=cycle) for _ in range(3)]
    for assessment in made:
        CategoryScore.objects.create(assessment=assessment, category_key="site", self_level=3)

    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    complaints = watch(page)
    login(page, admin_user)
    page.get_by_role("link", name="API tokens").click()
    expect(page.get_by_text("No token yet")).to_be_visible()
    page.get_by_label("Token name").fill("Nightly warehouse sync")
    page.get_by_role("button", name="Create token").click()
    expect(page.get_by_text("Copy it now: it is not shown again.")).to_be_visible()
    assert serious_violations(page) == []
    token = page.locator("#new-token").inner_text().strip()

    api = f"{live_server.url}/api/v1/assessments/"
    headers = {"Authorization": f"Bearer {token}"}
    first = requests.get(api, params={"limit": 2}, headers=headers, timeout=10).json()
    second = requests.get(
        api, params={"limit": 2, "cursor": first["next_cursor"]}, headers=headers, timeout=10
    ).json()
    assert len(first["results"]) == 2 and len(second["results"]) == 1
    assert first["results"][0]["categories"][0]["self_level"] == 3

    last_sync = max(Assessment.objects.values_list("updated_at", flat=True))
    Assessment.objects.filter(pk=made[0].pk).update(updated_at=last_sync + timedelta(seconds=5))
    since = (last_sync + timedelta(seconds=1)).isoformat()
    changed = requests.get(api, params={"updated_since": since}, headers=headers, timeout=10)
    assert [row["id"] for row in changed.json()["results"]] == [made[0].pk]

    # An assessment deleted: the changes feed says so, since the last sync.
    gone = made[2].pk
    Assessment.objects.filter(pk=gone).delete()
    feed = requests.get(
        f"{live_server.url}/api/v1/changes/",
        params={"updated_since": since},
        headers=headers,
        timeout=10,
    ).json()
    assert [(row["kind"], row["id"]) for row in feed["results"]] == [("assessment", gone)]

    # The docs page, from this site's own files under its CSP.
    page.goto(f"{live_server.url}/api/v1/docs")
    expect(page.get_by_text("/api/v1/changes/").first).to_be_visible()
    page.goto(f"{live_server.url}/organization/api-tokens/")

    page.reload()
    expect(page.locator("#new-token")).to_have_count(0)  # shown once
    page.get_by_role("link", name="Revoke Nightly warehouse sync").click()
    page.get_by_role("button", name="Revoke token").click()
    expect(page.get_by_text("revoked: it no longer works")).to_be_visible()
    assert requests.get(api, headers=headers, timeout=10).status_code == 401
    assert complaints == []
