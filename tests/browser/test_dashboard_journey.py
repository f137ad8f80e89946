"""What a director comes for, in a real browser: the team heatmap shows a strong coordinator
at a weak site with the flag explained on keyboard focus, a filter narrows it and stays in the
URL, the row opens the coordinator's history chart, and the page prints on one sheet. The org
admin's overview count opens the same list. No WCAG A/AA issue, no CSP violation."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.checks import serious_violations, watch_csp
from tests.dashboards.dashboard_data import assess, open_cycle, past_cycles
from tests.factories import ProfileFactory, SchoolFactory

pytestmark = pytest.mark.django_db(transaction=True)

EXPLANATION = "School site: Novice, Coordinator: Expert — two levels apart"


def tooltip_shown(page):
    """Wait until the tooltip has finished fading in: halfway through, its text is faint, and
    that is not what a reader sees once it has appeared."""
    tooltip = page.get_by_role("tooltip")
    expect(tooltip).to_have_class(re.compile(r"\bshow\b"))
    page.wait_for_function(
        "() => document.getAnimations().every(animation => animation.playState === 'finished')"
    )
    return tooltip


@pytest.fixture
def team_with_history(org, team, profile):
    rural = SchoolFactory(organization=org, name="Pine Valley", setting="rural")
    cycles = past_cycles(org, 2)
    current = open_cycle(org)
    profile.user.first_name, profile.user.last_name = "Maria", "Alvarez"
    profile.user.save()
    assess(profile, cycles[0], (2, 1, 2, 2), self_levels=(3, 1, 2, 2))
    assess(profile, cycles[1], (3, 1, 2, 2))
    assess(profile, current, state="submitted")
    steady = ProfileFactory(
        team=team, schools=[rural], user__first_name="Tomás", user__last_name="Young"
    )
    assess(steady, cycles[0], (2, 2, 2, 2))
    assess(steady, cycles[1], (2, 3, 2, 2))
    return profile, steady


def test_director_finds_the_gap_and_opens_the_history(
    browser, live_server, login, director, team_with_history
):
    gap, steady = team_with_history
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    csp = watch_csp(page)
    login(page, director)
    page.get_by_role("link", name="Team dashboard", exact=True).click()
    expect(page.get_by_role("heading", name="Team dashboard")).to_be_visible()
    table = page.get_by_role("table")
    expect(table.get_by_role("link", name="Maria Alvarez")).to_be_visible()
    expect(table.get_by_role("link", name="Tomás Young")).to_be_visible()

    # The flag explains itself when reached by keyboard, and Escape hides it.
    badge = page.get_by_role("button", name="Site gap")
    badge.focus()
    tooltip = page.get_by_role("tooltip")
    expect(tooltip).to_have_text(EXPLANATION)
    page.keyboard.press("Escape")
    expect(tooltip).to_have_count(0)
    badge.hover()
    expect(tooltip_shown(page)).to_have_text(EXPLANATION)
    assert serious_violations(page) == []

    # A filter narrows the table and lives in the URL, so the view can be shared.
    page.get_by_label("Flag").select_option(label="Site gap")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"flag=site_gap"))
    expect(table.get_by_role("link", name="Tomás Young")).to_have_count(0)
    page.reload()
    expect(page.get_by_role("table").get_by_role("link", name="Maria Alvarez")).to_be_visible()

    # The row opens the coordinator's page: charts drawn, the same numbers in a table.
    page.get_by_role("table").get_by_role("link", name="Maria Alvarez").click()
    expect(page.get_by_role("heading", name="Maria Alvarez", level=1)).to_be_visible()
    expect(page.get_by_text(EXPLANATION, exact=True)).to_be_visible()
    drawn = page.locator("#coordinator-charts canvas").evaluate_all(
        "canvases => canvases.map(c => Boolean(window.Chart.getChart(c)) && c.width > 0)"
    )
    assert drawn == [True, True, True, True]
    expect(page.get_by_role("table", name=re.compile("Levels by cycle"))).to_be_visible()
    assert serious_violations(page) == []

    # Printed for the coaching conversation: the latest matrix with descriptors on one sheet.
    pdf = page.pdf(prefer_css_page_size=True)
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1
    assert csp == []


def test_the_dashboard_works_on_a_phone(browser, live_server, login, director, team_with_history):
    page = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True).new_page()
    login(page, director)
    page.goto(f"{live_server.url}/dashboard/")
    # The table scrolls inside its box; the page itself never scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("button", name="Site gap").tap()
    expect(tooltip_shown(page)).to_have_text(EXPLANATION)
    assert serious_violations(page) == []


def test_admin_overview_count_opens_the_list(
    browser, live_server, login, admin_user, team_with_history
):
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    csp = watch_csp(page)
    login(page, admin_user)
    page.get_by_role("link", name="Overview", exact=True).click()
    expect(page.get_by_role("heading", name="Level distribution per category")).to_be_visible()
    assert serious_violations(page) == []
    page.get_by_role("link", name=re.compile(r"^Site gap 1")).click()
    expect(page).to_have_url(re.compile(r"/dashboard/\?cycle=\d+&flag=site_gap"))
    table = page.get_by_role("table")
    expect(table.get_by_role("link", name="Maria Alvarez")).to_be_visible()
    expect(table.get_by_role("link", name="Tomás Young")).to_have_count(0)
    assert csp == []
