"""A goal edited in two tabs, in a real browser: the second save, from the tab opened before the
first one saved, is refused on the page with both values in view and the typing kept; saving
again keeps both changes. No WCAG A/AA issue, no CSP violation."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from growth.models import Goal
from growth.services import goal_create
from tests.browser.test_growth_journey import serious_violations, watch

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_stale_goal_edit_is_refused_with_both_values_and_the_typing_kept(
    browser, live_server, login, director, profile
):
    today = timezone.localdate()
    goal = goal_create(
        profile=profile,
        actor=director,
        category_key="site",
        target_level=2,
        target_date=today + timedelta(days=40),
    )
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    first = context.new_page()
    csp = watch(first)
    login(first, director)
    url = f"{live_server.url}/growth/goals/{goal.pk}/edit/"
    first.goto(url)
    second = context.new_page()
    csp_second = watch(second)
    second.goto(url)

    first.get_by_label("Notes").fill("Ask Ms Diaz about the spring plan.")
    first.get_by_role("button", name="Save goal").click()
    expect(first.get_by_text("Goal saved.")).to_be_visible()

    later = today + timedelta(days=90)
    second.get_by_label("Target date").fill(later.isoformat())
    second.get_by_role("button", name="Save goal").click()
    expect(second.get_by_text("Someone else saved this after you opened it")).to_be_visible()
    expect(second.get_by_label("Target date")).to_have_value(later.isoformat())
    expect(second.get_by_label("Notes")).to_have_value("Ask Ms Diaz about the spring plan.")
    expect(
        second.get_by_text("Saved meanwhile: Ask Ms Diaz about the spring plan.")
    ).to_be_visible()
    goal.refresh_from_db()
    assert goal.target_date == today + timedelta(days=40)
    assert serious_violations(second) == []

    second.get_by_role("button", name="Save goal").click()
    expect(second.get_by_text("Goal saved.")).to_be_visible()
    saved = Goal.objects.get(pk=goal.pk)
    assert (saved.notes, saved.target_date) == ("Ask Ms Diaz about the spring plan.", later)
    assert csp == [] and csp_second == []
