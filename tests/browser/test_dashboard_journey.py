"""What a director comes for, in a real browser: the team heatmap shows a strong coordinator
at a weak site with the flag explained on keyboard focus, a filter narrows it and stays in the
URL, the row opens the coordinator's history chart, and the page prints on one sheet. The org
admin's overview count opens the same list. No WCAG A/AA issue, no CSP violation."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessments.models import AssessmentCycle
from growth.models import Goal
from growth.services import goal_create
from tests.browser.checks import serious_violations, watch_csp
from tests.dashboards.dashboard_data import assess, open_cycle, past_cycles
from tests.factories import ProfileFactory, SchoolFactory

pytestmark = pytest.mark.django_db(transaction=True)

EXPLANATION = "School site: Novice (the director's view), Coordinator: Expert — two levels apart"


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
    # The flags' tips are set up when the page has loaded; a person reaches them after that.
    page.wait_for_load_state()
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
    expect(page.get_by_text(f"{EXPLANATION}.", exact=True).first).to_be_visible()
    # The chart library is a deferred script: under load the table can show before it ran.
    page.wait_for_function(
        "() => window.Chart && [...document.querySelectorAll('#coordinator-charts canvas')]"
        ".every(c => window.Chart.getChart(c))"
    )
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


def overflow(page):
    """How far the page, and any table box, is wider than what is on screen (0: nothing to
    scroll sideways)."""
    return page.evaluate(
        """() => Math.max(
            document.documentElement.scrollWidth - window.innerWidth,
            ...[...document.querySelectorAll('.table-responsive, table')].map(
                box => box.scrollWidth - box.clientWidth))"""
    )


def on_screen(page, locator):
    """The element is inside the viewport's width, so it is seen without scrolling sideways."""
    box = locator.bounding_box()
    return (
        box is not None and box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"]
    )


@pytest.fixture
def two_teams(org, other_team, team_with_history, director):
    """The org admin's dashboard has a Team column; a long flag and goals due fill the last
    columns, as in a real organization."""
    gap, _steady = team_with_history
    goal_create(
        profile=gap,
        actor=director,
        category_key="site",
        target_level=2,
        target_date=timezone.localdate() + timedelta(days=10),
    )
    Goal.objects.create(
        coordinator=gap,
        category_key="development",
        target_level=3,
        target_date=timezone.localdate() - timedelta(days=5),
    )
    west = ProfileFactory(
        team=other_team, user__first_name="Lena", user__last_name="Okafor-Whitfield"
    )
    past = AssessmentCycle.objects.filter(organization=org, state="closed").order_by("opens_on")
    assess(west, past[0], (3, 1, 1, 1), self_levels=(1, 3, 3, 3))
    assess(west, past[1], (2, 1, 1, 1), self_levels=(1, 3, 3, 3))
    return gap, west


def test_the_dashboard_fits_a_1280_px_screen(browser, live_server, login, admin_user, two_teams):
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    login(page, admin_user)
    page.goto(f"{live_server.url}/dashboard/")
    expect(page.get_by_role("columnheader", name="Goals due")).to_be_visible()
    assert overflow(page) <= 0
    assert on_screen(page, page.get_by_role("columnheader", name="Goals due"))
    assert on_screen(page, page.get_by_text("1 goal overdue"))
    assert on_screen(page, page.get_by_role("button", name="Perception gap"))
    assert serious_violations(page) == []


def test_the_dashboard_is_a_card_per_person_on_a_phone(
    browser, live_server, login, admin_user, two_teams
):
    gap, west = two_teams
    page = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True).new_page()
    csp = watch_csp(page)
    login(page, admin_user)
    page.goto(f"{live_server.url}/dashboard/")
    assert overflow(page) <= 0

    # Each person is a card: the four levels in words, each under its category, and the flags.
    card = page.get_by_role("row").filter(has=page.get_by_role("link", name="Maria Alvarez"))
    for words in ("Coordinator", "School site", "Organizational supports", "Development"):
        expect(card.get_by_text(words, exact=True)).to_be_visible()
    # A long category name wraps inside its half of the card, never into its neighbour's.
    spill = page.evaluate(
        "() => Math.max(...[...document.querySelectorAll('.heatmap-label')]"
        ".map(label => label.scrollWidth - label.clientWidth))"
    )
    assert spill <= 0
    for level in (card.get_by_text("Expert", exact=True), card.get_by_text("Novice").first):
        expect(level).to_be_visible()
        assert on_screen(page, level)
    flag = card.get_by_role("button", name="Site gap")
    expect(flag).to_be_visible()
    assert on_screen(page, flag)
    expect(card.get_by_text("1 goal overdue")).to_be_visible()
    flag.tap()
    expect(tooltip_shown(page)).to_have_text(EXPLANATION)
    page.keyboard.press("Escape")

    # The filters are folded behind a button, and open by themselves while one is applied.
    filters = page.get_by_role("button", name="Filters")
    expect(page.get_by_label("Flag")).to_be_hidden()
    expect(filters).to_have_attribute("aria-expanded", "false")
    assert serious_violations(page) == []
    filters.click()
    # Bootstrap's fold opens with a transition; a person waits for it to finish before choosing.
    expect(page.locator("#dashboard-filters")).to_have_class(re.compile(r"(^|\s)show(\s|$)"))
    expect(page.get_by_label("Flag")).to_be_visible()
    page.get_by_label("Flag").select_option(label="Site gap")
    expect(page.get_by_label("Flag")).to_have_value("site_gap")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"flag=site_gap"))
    expect(page.get_by_label("Flag")).to_be_visible()
    expect(page.get_by_role("button", name="Filters (applied)")).to_have_attribute(
        "aria-expanded", "true"
    )
    expect(page.get_by_role("link", name="Tomás Young")).to_have_count(0)
    assert overflow(page) <= 0
    assert serious_violations(page) == []
    assert csp == []


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


def test_admin_pages_the_overview_team_tables_by_keyboard(
    browser, live_server, login, admin_user, team_with_history, other_team, monkeypatch
):
    monkeypatch.setattr("dashboards.selectors.overview.TEAMS_PER_PAGE", 1)
    ProfileFactory(team=other_team)
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    csp = watch_csp(page)
    login(page, admin_user)
    page.goto(f"{live_server.url}/overview/")
    completion = page.get_by_role("region", name="Cycle completion per team")
    expect(completion.get_by_role("rowheader", name="East")).to_be_visible()
    expect(completion.get_by_text("Teams 1–1 of 2, by name")).to_be_visible()
    pages = page.get_by_role("navigation", name="Pages of teams: cycle completion")
    pages.get_by_role("link", name="Next").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/overview/\?page=2#completion-heading$"))
    expect(completion.get_by_role("rowheader", name="West")).to_be_visible()
    expect(completion.get_by_role("rowheader", name="East")).to_have_count(0)
    flags = page.get_by_role("region", name="Flags by team")
    expect(flags.get_by_role("rowheader", name="West")).to_be_visible()
    expect(pages.locator('[aria-current="page"]')).to_have_text("Page 2 of 2")
    assert serious_violations(page) == []
    assert csp == []
