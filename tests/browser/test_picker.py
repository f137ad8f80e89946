"""Pickers in a real browser: an org admin moves a coordinator to another team and school
with the keyboard alone (combobox, listbox, active option and result count as a screen reader
gets them), and again with JavaScript turned off, by typing names. No WCAG A/AA issue, no
CSP violation."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.checks import serious_violations, watch
from tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def places(org, profile, other_team):
    """Schools to choose among, beside the coordinator's own (on team East)."""
    harbor = SchoolFactory(organization=org, name="Harbor Middle")
    SchoolFactory(organization=org, name="Harbor High")
    for n in range(30):
        SchoolFactory(organization=org, name=f"Lincoln {n:02d}")
    return {"harbor": harbor, "old": profile.schools.get(), "west": other_team}


def no_js_violations(browser, live_server, page):
    """Axe on the page as drawn without JavaScript (axe itself needs JavaScript): the same
    HTML, its scripts left out, in a page of the same site."""
    html = re.sub(r"<script\b[^>]*>.*?</script>", "", page.content(), flags=re.S)
    checker = browser.new_page(java_script_enabled=True)
    checker.goto(f"{live_server.url}/healthz")
    checker.set_content(html)
    assert checker.locator("[data-picker-js]:not([hidden])").count() == 0
    return serious_violations(checker)


def edit_page(browser, live_server, login, admin_user, profile, *, javascript=True):
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, java_script_enabled=javascript
    )
    page = context.new_page()
    csp = watch(page)
    login(page, admin_user)
    page.goto(f"{live_server.url}/organization/people/{profile.user.pk}/edit/")
    return page, csp


def test_keyboard_only_choice_with_screen_reader_attributes(
    browser, live_server, login, admin_user, profile, places
):
    page, csp = edit_page(browser, live_server, login, admin_user, profile)
    team = page.get_by_role("combobox", name="Team")
    expect(team).to_have_value("East")
    expect(team).to_have_attribute("aria-expanded", "false")
    expect(team).to_have_attribute("aria-autocomplete", "list")
    listbox_id = team.get_attribute("aria-controls")
    team.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("we")
    listbox = page.locator(f"#{listbox_id}")
    expect(listbox.get_by_role("option", name="West")).to_be_visible()
    expect(team).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("status").filter(has_text="1 result")).to_have_count(1)
    page.keyboard.press("ArrowDown")
    option = listbox.get_by_role("option", name="West")
    expect(option).to_have_attribute("aria-selected", "true")
    expect(team).to_have_attribute("aria-activedescendant", option.get_attribute("id"))
    assert serious_violations(page) == []
    page.keyboard.press("Enter")  # chooses, does not send the form
    expect(team).to_have_value("West")
    expect(team).to_have_attribute("aria-expanded", "false")
    assert "/edit/" in page.url

    # Escape closes the list without choosing.
    schools = page.get_by_role("combobox", name="School sites")
    schools.focus()
    page.keyboard.type("lincoln")
    expect(page.get_by_role("status").filter(has_text="30 results")).to_have_count(1)
    expect(page.get_by_role("option", name="Show more (10 more)")).to_be_attached()
    page.keyboard.press("Escape")
    expect(schools).to_have_attribute("aria-expanded", "false")

    # A second school site as a chip; the old one removed with its button.
    page.keyboard.press("Control+A")
    page.keyboard.type("harbor mid")
    expect(page.get_by_role("option", name="Harbor Middle — Elementary")).to_be_visible()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    chips = page.get_by_role("list", name="Chosen school sites")
    expect(chips.get_by_text("Harbor Middle")).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="Harbor Middle added.")).to_have_count(1)
    remove = page.get_by_role("button", name=f"Remove {places['old'].name}")
    remove.focus()
    page.keyboard.press("Enter")
    expect(chips.get_by_text(places["old"].name)).to_have_count(0)
    expect(schools).to_be_focused()
    assert serious_violations(page) == []

    page.get_by_role("button", name="Save").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/organization/people/")
    profile.refresh_from_db()
    assert profile.team == places["west"]
    assert list(profile.schools.all()) == [places["harbor"]]
    assert csp == []


def test_without_javascript_names_are_typed_and_checked(
    browser, live_server, login, admin_user, profile, places
):
    page, csp = edit_page(browser, live_server, login, admin_user, profile, javascript=False)
    team = page.get_by_role("textbox", name="Team")
    expect(team).to_have_value("East")
    expect(page.get_by_text("Type the team’s name in full.")).to_be_visible()
    team.fill("west")
    # The school the coordinator has is a ticked box: untick it to remove it.
    page.get_by_role("checkbox", name=places["old"].name).uncheck()
    page.get_by_role("textbox", name="School sites").fill("harbor midle")
    page.get_by_label("Job title").fill("Lead coordinator")
    page.get_by_role("button", name="Save").click()

    # A name that is not there: what comes close, and everything typed kept.
    expect(page.get_by_text("No school is called “harbor midle”")).to_be_visible()
    expect(page.get_by_text("Did you mean “Harbor High” or “Harbor Middle”?")).to_be_visible()
    expect(page.get_by_role("textbox", name="School sites")).to_have_value("harbor midle")
    expect(page.get_by_role("textbox", name="Team")).to_have_value("West")
    expect(page.get_by_label("Job title")).to_have_value("Lead coordinator")
    expect(page.get_by_role("checkbox", name=places["old"].name)).to_have_count(0)
    assert no_js_violations(browser, live_server, page) == []
    page.get_by_role("textbox", name="School sites").fill("Harbor Middle")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/organization/people/")
    profile.refresh_from_db()
    assert profile.team == places["west"]
    assert list(profile.schools.all()) == [places["harbor"]]
    assert profile.job_title == "Lead coordinator"
    assert csp == []


def test_a_director_picks_a_mentor_by_keyboard(browser, live_server, login, director, profile):
    from growth.models import MentoringMatch
    from tests.factories import UserFactory

    mentor = UserFactory(organization=profile.organization, first_name="Mina", last_name="Ortiz")
    # A surname no generated person carries, so only the coordinator could match it.
    profile.user.last_name = "Quillfeather"
    profile.user.save(update_fields=["last_name"])
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    csp = watch(page)
    login(page, director)
    page.goto(f"{live_server.url}/growth/people/{profile.pk}/mentors/")
    box = page.get_by_role("combobox", name="Mentor")
    box.focus()
    page.keyboard.type(profile.user.last_name)
    # The coordinator is not offered as their own mentor.
    expect(page.get_by_role("status").filter(has_text="No person matches")).to_have_count(1)
    page.keyboard.press("Control+A")
    page.keyboard.type("mina")
    option = page.get_by_role("option", name=f"Mina Ortiz ({mentor.email})")
    expect(option).to_be_visible()
    page.keyboard.press("ArrowDown")
    expect(option).to_have_attribute("aria-selected", "true")
    page.keyboard.press("Enter")
    expect(box).to_have_value(f"Mina Ortiz ({mentor.email})")
    assert serious_violations(page) == []
    page.get_by_role("button", name="Confirm the match").last.click()
    page.wait_for_url("**/growth/mentoring/")
    assert MentoringMatch.objects.get(mentee=profile).mentor == mentor
    assert csp == []
