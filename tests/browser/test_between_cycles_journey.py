"""Between the cycles in a real browser: a director logs a check-in that moves a goal, attaches
a link to it and opens it, and turns a next step into a goal; an org admin matches a mentor
from the suggestions and the mentor logs a check-in; the coordinator reads their timeline (on a
phone too). No WCAG A/AA issue, no CSP violation."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from evidence.models import Attachment
from growth.check_in_services import check_in_create
from growth.mentoring_services import programme_of
from growth.models import CareerPosition, CareerStage, CheckIn, Goal, MentoringMatch
from growth.services import goal_create
from tests.browser.checks import serious_violations, watch
from tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def goal(profile, director, today):
    return goal_create(
        profile=profile,
        actor=director,
        category_key="site",
        target_level=2,
        target_date=today + timedelta(days=60),
    )


def test_director_logs_a_check_in_that_meets_a_goal_and_makes_a_step_a_goal(
    browser, live_server, login, director, profile, goal, today
):
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    csp = watch(page)
    login(page, director)
    page.goto(f"{live_server.url}/growth/people/{profile.pk}/")
    page.get_by_role("link", name="Check-ins").click()
    expect(page.get_by_text("No check-ins yet.")).to_be_visible()
    assert serious_violations(page) == []
    page.get_by_role("link", name="Log a check-in").first.click()
    page.get_by_label("Progress on School site").fill("Met the principal twice.")
    page.get_by_label("Status of School site").select_option("met")
    page.get_by_label("What you discussed").fill("The family night went well.")
    page.get_by_label("Co-planned").check()
    page.get_by_label("Next step 1").fill("Invite the PTA chair")
    page.get_by_label("By when is step 1 due").fill((today + timedelta(days=21)).isoformat())
    assert serious_violations(page) == []
    page.get_by_role("button", name="Save check-in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Check-in with")
    expect(page.get_by_text("Check-in logged.")).to_be_visible()
    assert Goal.objects.get(pk=goal.pk).status == "met"
    assert serious_violations(page) == []

    # A link to where the family night's photos are kept, attached without leaving the page
    # and opened from it.
    photos = f"{live_server.url}/growth/people/{profile.pk}/"
    page.get_by_text("Attach a file or a link").click()
    page.get_by_label("or a link").fill(photos)
    page.get_by_label("Title (optional)").fill("Family night photos")
    page.get_by_role("button", name="Attach to this check-in").click()
    expect(page.locator("#evidence-status-check-in")).to_have_text(
        "Attached “Family night photos”."
    )
    expect(page.get_by_role("button", name="Attach to this check-in")).to_be_enabled()
    assert serious_violations(page) == []
    with page.expect_popup() as opened:
        page.get_by_role("link", name="Family night photos").click()
    expect(opened.value.get_by_role("heading", level=1)).to_contain_text(profile.user.display_name)
    opened.value.close()
    assert Attachment.objects.get(check_in__coordinator=profile).url == photos

    page.get_by_role("link", name="Make this a goal").click()
    expect(page.get_by_label("Notes")).to_have_value("Invite the PTA chair")
    expect(page.get_by_label("Target date")).to_have_value((today + timedelta(days=21)).isoformat())
    page.get_by_label("Category").select_option("development")
    page.get_by_role("button", name="Save goal").click()
    expect(page.get_by_text("Goal added.")).to_be_visible()
    assert Goal.objects.filter(coordinator=profile, notes="Invite the PTA chair").exists()
    assert CheckIn.objects.filter(coordinator=profile).count() == 1
    assert csp == []


def test_admin_matches_a_mentor_from_the_suggestions_and_the_mentor_logs_a_check_in(
    browser, live_server, login, org, admin_user, profile, other_team, today
):
    mentor = ProfileFactory(team=other_team, user__first_name="Mina", user__last_name="Ortiz")
    stages = list(CareerStage.objects.filter(organization=org).order_by("order"))
    CareerPosition.objects.create(profile=mentor, stage=stages[-1], since=today)
    programme_of(org).mentor_stages.set(stages[2:])
    profile.role_start_date = today - timedelta(days=40)  # new in role: needs a mentor
    profile.save(update_fields=["role_start_date"])

    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    csp = watch(page)
    login(page, admin_user)
    page.goto(f"{live_server.url}/growth/mentoring/")
    expect(page.get_by_role("cell", name="New in role")).to_be_visible()
    assert serious_violations(page) == []
    page.get_by_role("link", name=f"Suggested mentors for {profile.user.display_name}").click()
    expect(page.get_by_role("heading", name=re.compile(r"^Mina Ortiz score \d+$"))).to_be_visible()
    expect(page.get_by_text("Same role family", exact=True)).to_be_visible()
    assert serious_violations(page) == []
    page.get_by_text("Confirm Mina Ortiz as mentor").click()
    page.get_by_role("button", name="Confirm the match").first.click()
    expect(page.get_by_text("Mina Ortiz now mentors")).to_be_visible()
    assert MentoringMatch.objects.get(mentee=profile).mentor == mentor.user

    page.get_by_role("button", name="Log out").click()
    login(page, mentor.user)
    page.goto(f"{live_server.url}/growth/mentees/")
    expect(page.get_by_text("Last check-in: none yet")).to_be_visible()
    assert serious_violations(page) == []
    page.get_by_role("link", name=f"Log a check-in with {profile.user.display_name}").click()
    page.get_by_label("What you discussed").fill("First mentoring call.")
    page.get_by_role("button", name="Save check-in").click()
    page.wait_for_url("**/growth/mentees/")
    expect(page.get_by_text(f"Last check-in: {today.day}")).to_be_visible()
    assert CheckIn.objects.get(coordinator=profile).author == mentor.user
    assert csp == []


@pytest.mark.parametrize("width", [1280, 390])
def test_the_coordinator_reads_their_timeline(
    browser, live_server, login, director, profile, goal, width, today
):
    check_in_create(
        profile=profile, actor=director, held_on=today - timedelta(days=3), notes="Hello"
    )
    page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
    csp = watch(page)
    login(page, profile.user)
    page.goto(f"{live_server.url}/growth/people/{profile.pk}/")
    page.get_by_role("link", name="Timeline").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Timeline of {profile.user.display_name}"
    )
    expect(page.get_by_text(f"Check-in with {director.display_name}")).to_be_visible()
    expect(page.get_by_text("Goal set")).to_be_visible()
    assert serious_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.get_by_label("Show").select_option("check_in")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_text("Goal set")).to_have_count(0)
    page.get_by_role("link", name="Printable version").click()
    expect(page.get_by_role("button", name="Print")).to_be_visible()
    assert csp == []
