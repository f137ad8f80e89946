"""The growth path in a real browser: a director sets a goal and attaches a suggested support in
one click; the coordinator sees their career stage and what the next one asks for; the mentor
finds the mentee; the org admin's stage, catalogue and threshold pages. No WCAG A/AA issue,
no CSP violation."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessments.models import Rating
from assessments.services import category_scores_refresh
from dashboards.models import FlagThresholds
from growth.models import CareerStage, Goal, MentoringMatch
from growth.services import career_position_set
from tests.browser.checks import serious_violations, watch
from tests.factories import AssessmentFactory, CycleFactory, ProfileFactory, mentoring_match

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def strong_at_a_weak_site(org, profile):
    """Coordinator II, four years in, last review: Coordinator Expert, School site Novice."""
    stages = list(CareerStage.objects.filter(organization=org).order_by("order"))
    since = timezone.localdate() - timedelta(days=500)
    career_position_set(profile=profile, stage=stages[1], since=since, actor=None)
    profile.role_start_date = timezone.localdate() - timedelta(days=365 * 4 + 30)
    profile.user.first_name, profile.user.last_name = "Maria", "Alvarez"
    profile.user.save()
    profile.save()
    cycle = CycleFactory(
        organization=org,
        name="Last fall",
        opens_on=timezone.localdate() - timedelta(days=300),
        state="closed",
    )
    assessment = AssessmentFactory(coordinator=profile, cycle=cycle, state="finalized")
    levels = {"coordinator": 3, "site": 1, "organization": 2, "development": 2}
    for rating in Rating.objects.filter(assessment=assessment).select_related(
        "indicator__category"
    ):
        rating.self_level = rating.supervisor_level = levels[rating.indicator.category.key]
        rating.save(update_fields=["self_level", "supervisor_level"])
    category_scores_refresh(assessment=assessment)
    return profile


def test_director_sets_a_goal_with_a_suggested_support(
    browser, live_server, login, director, strong_at_a_weak_site
):
    profile = strong_at_a_weak_site
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    csp = watch(page)
    login(page, director)
    page.goto(f"{live_server.url}/growth/people/{profile.pk}/")
    expect(page.get_by_text("School site: needs Proficient, now Novice — not met")).to_be_visible()
    assert serious_violations(page) == []

    page.get_by_role("link", name="Add a goal").click()
    page.get_by_label("Category").select_option(label="School site")
    page.get_by_label("Indicator (optional)").select_option(label="Principal support")
    page.get_by_label("Target level").select_option("2")
    target = timezone.localdate() + timedelta(days=20)
    page.get_by_label("Target date").fill(target.isoformat())
    page.get_by_label("Notes").fill("Meet the principal every month.")
    assert serious_violations(page) == []
    page.get_by_role("button", name="Save goal").click()
    expect(page.get_by_text("Goal added.")).to_be_visible()
    expect(page.get_by_text("Due soon", exact=True)).to_be_visible()

    suggestion = page.locator(".suggestion-row", has_text="Working with your principal")
    expect(suggestion).to_contain_text("Goal: School site to Proficient")
    suggestion.get_by_role("button", name=re.compile("^Attach")).click()
    expect(page.get_by_text("“Working with your principal” added")).to_be_visible()
    goal = Goal.objects.get(coordinator=profile)
    assert [s.title for s in goal.supports.all()] == ["Working with your principal"]
    expect(page.locator(".goal-row")).to_contain_text("Supports: Working with your principal")
    assert csp == []


def test_coordinator_sees_their_stage_and_the_next_one(
    browser, live_server, login, coordinator, strong_at_a_weak_site
):
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    csp = watch(page)
    login(page, coordinator)
    expect(page.get_by_role("heading", name="Career stage")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Coordinator II since .* in this stage"))).to_be_visible()
    expect(page.get_by_text("What Senior Coordinator asks for")).to_be_visible()
    expect(page.get_by_text("Coordinator: needs Expert, now Expert — met")).to_be_visible()
    expect(page.get_by_text("Years in role: needs 4 years, now 4 years — met")).to_be_visible()
    # The coordinator adds a support themself but cannot attach in one click.
    expect(page.get_by_role("button", name=re.compile("^Attach"))).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert serious_violations(page) == []
    assert csp == []


def test_mentor_finds_the_mentee(browser, live_server, login, director, profile, other_team):
    mentor = ProfileFactory(team=other_team).user
    mentoring_match(mentee=profile, mentor=mentor)
    page = browser.new_context().new_page()
    login(page, mentor)
    page.get_by_role("link", name="My mentees").click()
    expect(page.get_by_role("link", name=profile.user.display_name, exact=True)).to_be_visible()
    assert serious_violations(page) == []
    assert MentoringMatch.objects.filter(mentor=mentor).count() == 1


def test_admin_pages_for_stages_catalogue_and_thresholds(
    browser, live_server, login, admin_user, org
):
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    csp = watch(page)
    login(page, admin_user)
    page.get_by_role("link", name="Admin tools").click()
    page.get_by_role("link", name="Career stages").click()
    expect(page.get_by_role("cell", name="Senior Coordinator")).to_be_visible()
    assert serious_violations(page) == []
    page.get_by_role("link", name="Edit Senior Coordinator").click()
    page.get_by_label("Minimum level in School site").select_option("3")
    assert serious_violations(page) == []
    page.get_by_role("button", name="Save stage").click()
    expect(page.get_by_text("Career stage “Senior Coordinator” saved.")).to_be_visible()
    assert CareerStage.objects.get(organization=org, title="Senior Coordinator").min_site == 3

    page.goto(f"{live_server.url}/growth/catalogue/")
    expect(page.get_by_role("heading", name="School site")).to_be_visible()
    assert serious_violations(page) == []

    page.goto(f"{live_server.url}/settings/flags/")
    page.get_by_label(re.compile("^Site gap")).fill("2")
    page.get_by_role("button", name="Save thresholds").click()
    expect(page.get_by_text("Changed")).to_be_visible()
    assert serious_violations(page) == []
    page.get_by_role("button", name="Reset all to defaults").click()
    expect(page.get_by_text("Every flag threshold is back to its default.")).to_be_visible()
    assert FlagThresholds.objects.get(organization=org).site_gap_levels == 1
    assert csp == []
