"""The heart of the product in a real browser: a coordinator fills the matrix with the keyboard,
saves and submits; the director reviews and finalizes; the coordinator sees the result. And
two tabs on the same matrix lose nothing; a coordinator who moved shares a past review's
coaching notes with their new director."""

import re

import pytest
from playwright.sync_api import expect

from assessments import services
from assessments.models import Assessment, Rating
from tests.assessments.workflow_helpers import all_levels, indicators_of, make_assessment
from tests.browser.checks import serious_violations

pytestmark = pytest.mark.django_db(transaction=True)


def accept_confirmations(page):
    page.on("dialog", lambda dialog: dialog.accept())


def test_self_assessment_review_and_result(browser, live_server, login, profile, director):
    assessment = make_assessment(profile)
    indicators = indicators_of(assessment)

    # The coordinator fills the matrix with the keyboard alone.
    coordinator_page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    accept_confirmations(coordinator_page)
    login(coordinator_page, profile.user)
    coordinator_page.get_by_role("link", name="Open my self-assessment").click()
    expect(coordinator_page.get_by_role("heading", name="My self-assessment")).to_be_visible()
    assert serious_violations(coordinator_page) == []

    coordinator_page.locator(f"#id_level_{indicators[0].pk}_1").focus()
    for position in range(len(indicators)):
        # In a radio group the arrow keys move the choice: Novice → Proficient.
        coordinator_page.keyboard.press("ArrowRight" if position % 2 == 0 else "Space")
        coordinator_page.keyboard.press("Tab")  # to the evidence box
        coordinator_page.keyboard.type(f"Evidence {position}")
        coordinator_page.keyboard.press("Tab")  # to "Attach a file or a link"
        coordinator_page.keyboard.press("Tab")  # to the next indicator (or Save draft)
    for position, indicator in enumerate(indicators):
        expected = 2 if position % 2 == 0 else 1
        expect(coordinator_page.locator(f"#id_level_{indicator.pk}_{expected}")).to_be_checked()

    # The background save says when it saved, without leaving the page.
    expect(coordinator_page.locator("#save-status")).to_have_text(
        re.compile(r"^Saved at \d\d:\d\d")
    )
    coordinator_page.get_by_role("button", name="Save draft").press("Enter")
    expect(coordinator_page.get_by_text(re.compile("Draft saved at"))).to_be_visible()
    assert Rating.objects.filter(assessment=assessment, self_level__isnull=False).count() == len(
        indicators
    )

    coordinator_page.get_by_role("button", name="Submit for review").press("Enter")
    expect(coordinator_page.get_by_text(re.compile(r"^Submitted\. "))).to_be_visible()
    expect(coordinator_page.get_by_role("button", name="Recall submission")).to_be_visible()

    # The director reviews beside the coordinator's levels and finalizes.
    director_page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    accept_confirmations(director_page)
    login(director_page, director)
    expect(director_page.get_by_role("heading", name="Awaiting my review: 1")).to_be_visible()
    director_page.get_by_role("link", name=f"Review {profile.user.display_name}").click()
    expect(director_page.get_by_text("Evidence 0")).to_be_visible()
    assert serious_violations(director_page) == []
    for indicator in indicators:
        director_page.locator(f"label[for='id_supervisor_level_{indicator.pk}_3']").click()
    director_page.get_by_label(f"Your note on {indicators[0].name}").fill("Strong partnerships")
    director_page.get_by_label("Coaching conversation notes").fill("Talked about the site team.")
    director_page.get_by_label("Next step 1").fill("Join the regional network.")
    director_page.get_by_role("button", name="Finalize review").click()
    expect(director_page.get_by_text(re.compile(r"^Finalized\. "))).to_be_visible()
    assert Assessment.objects.get(pk=assessment.pk).state == Assessment.State.FINALIZED

    # The coordinator sees the supervisor's levels, notes and next steps.
    coordinator_page.reload()
    expect(coordinator_page.get_by_text("Join the regional network.")).to_be_visible()
    expect(coordinator_page.get_by_text("Strong partnerships")).to_be_visible()
    expect(
        coordinator_page.get_by_text("Differs: self Proficient, supervisor Expert").first
    ).to_be_visible()
    expect(
        coordinator_page.get_by_text("Differs: self Novice, supervisor Expert").first
    ).to_be_visible()
    assert serious_violations(coordinator_page) == []


def test_two_tabs_lose_nothing(browser, live_server, login, profile):
    assessment = make_assessment(profile)
    first = indicators_of(assessment)[0]
    context = browser.new_context()
    tab_one, tab_two = context.new_page(), context.new_page()
    login(tab_one, profile.user)
    url = f"{live_server.url}/assessments/{assessment.pk}/"
    tab_one.goto(url)
    tab_two.goto(url)

    tab_one.get_by_label(f"Evidence for {first.name}: what shows this?").fill("Written in tab one")
    expect(tab_one.locator("#save-status")).to_have_text(re.compile("^Saved at"))

    tab_two.get_by_label(f"Evidence for {first.name}: what shows this?").fill("Written in tab two")
    expect(tab_two.locator("#save-status")).to_have_text(re.compile("changed in another tab"))

    tab_two.get_by_role("button", name="Save draft").click()
    expect(tab_two.get_by_text(re.compile("saved elsewhere at"))).to_be_visible()
    expect(tab_two.get_by_text("Written in tab one")).to_be_visible()  # what the other tab saved
    expect(tab_two.get_by_label(f"Evidence for {first.name}: what shows this?")).to_have_value(
        "Written in tab two"
    )

    tab_two.get_by_role("button", name="Save draft").click()  # keep tab two's text, knowingly
    expect(tab_two.get_by_text(re.compile("Draft saved at"))).to_be_visible()
    assert Rating.objects.get(assessment=assessment, indicator=first).self_evidence == (
        "Written in tab two"
    )


def test_leaving_with_unsaved_changes_asks_first(browser, live_server, login, profile):
    assessment = make_assessment(profile)
    first = indicators_of(assessment)[0]
    page = browser.new_context().new_page()
    login(page, profile.user)
    page.goto(f"{live_server.url}/assessments/{assessment.pk}/")
    asked = []

    def stay(dialog):
        asked.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", stay)
    page.get_by_label(f"Evidence for {first.name}: what shows this?").type("Not saved yet")
    page.get_by_role("link", name="My growth").first.click()  # before the background save
    expect(page.get_by_role("heading", name="My self-assessment")).to_be_visible()
    assert asked == ["beforeunload"]
    expect(page.locator("#save-status")).to_have_text(re.compile("^Saved at"))


def test_a_stale_security_token_keeps_the_text_and_asks_for_a_reload(
    browser, live_server, login, profile
):
    assessment = make_assessment(profile)
    first = indicators_of(assessment)[0]
    context = browser.new_context()
    page = context.new_page()
    login(page, profile.user)
    page.goto(f"{live_server.url}/assessments/{assessment.pk}/")
    # What signing in again in another tab does to this page's token.
    page.locator("input[name='csrfmiddlewaretoken']").first.evaluate("input => input.value = 'x'")
    context.clear_cookies(name="csrftoken")

    evidence = page.get_by_label(f"Evidence for {first.name}: what shows this?")
    evidence.fill("Typed before the token went stale")
    expect(page.locator("#save-status")).to_have_text(re.compile("security token"))
    expect(evidence).to_have_value("Typed before the token went stale")
    assert Rating.objects.get(assessment=assessment, indicator=first).self_evidence == ""


@pytest.mark.rate_windows_move
def test_too_many_saves_keep_the_text_and_save_it_after_the_wait(
    browser, live_server, login, profile, settings
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "assessment-save": "2/6s"}
    assessment = make_assessment(profile)
    first = indicators_of(assessment)[0]
    page = browser.new_context().new_page()
    login(page, profile.user)
    page.goto(f"{live_server.url}/assessments/{assessment.pk}/")
    evidence = page.get_by_label(f"Evidence for {first.name}: what shows this?")
    status = page.locator("#save-status")

    def is_autosave(response):
        return "/autosave/" in response.url

    # Edits in quick succession: at most two saves fit in any six seconds, so one of the
    # first five is refused whatever the clock.
    refused_text = None
    for n in range(5):
        with page.expect_response(is_autosave) as answer:
            evidence.fill(f"Edit {n}")
        if answer.value.status == 429:
            refused_text = f"Edit {n}"
            break
    assert refused_text is not None
    expect(status).to_have_text(re.compile("too many saves"))
    expect(evidence).to_have_value(refused_text)
    with page.expect_response(is_autosave, timeout=15000) as retried:
        pass
    assert retried.value.status == 200
    expect(status).to_have_text(re.compile("^Saved at"))
    assert Rating.objects.get(assessment=assessment, indicator=first).self_evidence == (
        refused_text
    )


def test_a_moved_coordinator_shares_past_notes_with_their_new_director(
    browser, live_server, login, profile, director, other_team
):
    submitted = make_assessment(profile, ratings=2, state=Assessment.State.SUBMITTED)
    reviewed = services.assessment_save_review(
        assessment=submitted,
        actor=director,
        expected_version=submitted.version,
        ratings=all_levels(submitted, level=2, text="Agreed."),
        coaching_notes="Talked about the hard year.",
        next_steps="Visit two other sites.",
    )
    services.assessment_finalize(
        assessment=reviewed, actor=director, expected_version=reviewed.version
    )
    profile.team = other_team
    profile.save(update_fields=["team"])
    new_director = other_team.director
    review_url = f"{live_server.url}/assessments/{submitted.pk}/review/"

    director_page = browser.new_context().new_page()
    login(director_page, new_director)
    director_page.goto(review_url)
    expect(director_page.get_by_text("Visit two other sites.")).to_be_visible()
    expect(director_page.get_by_text("can share them with you")).to_be_visible()
    expect(director_page.get_by_text("Talked about the hard year.")).to_have_count(0)

    coordinator_page = browser.new_context().new_page()
    accept_confirmations(coordinator_page)
    login(coordinator_page, profile.user)
    coordinator_page.goto(f"{live_server.url}/assessments/{submitted.pk}/")
    assert serious_violations(coordinator_page) == []
    coordinator_page.get_by_role(
        "button", name=f"Share with {new_director.display_name}, your director now"
    ).click()
    expect(coordinator_page.get_by_text(re.compile(r"^Shared: "))).to_be_visible()
    expect(
        coordinator_page.get_by_role(
            "button", name=f"Stop sharing with {new_director.display_name}"
        )
    ).to_be_visible()
    assert serious_violations(coordinator_page) == []

    director_page.reload()
    expect(director_page.get_by_text("Talked about the hard year.")).to_be_visible()


# A tab left open, the review's background save, agreeing, asking only when it can succeed ---


def submitted_for_review(profile, level=2):
    draft = make_assessment(profile, ratings=level)
    return services.assessment_submit(
        assessment=draft, actor=profile.user, expected_version=draft.version
    )


def test_a_tab_left_open_after_submitting_keeps_what_is_typed_in_it(
    browser, live_server, login, profile
):
    assessment = make_assessment(profile, ratings=2)
    first = indicators_of(assessment)[0]
    context = browser.new_context()
    tab_a, tab_b = context.new_page(), context.new_page()
    accept_confirmations(tab_a)
    login(tab_a, profile.user)
    url = f"{live_server.url}/assessments/{assessment.pk}/"
    tab_a.goto(url)
    tab_b.goto(url)

    tab_a.get_by_role("button", name="Submit for review").click()
    expect(tab_a.get_by_text(re.compile(r"^Submitted\. "))).to_be_visible()

    evidence = tab_b.get_by_label(f"Evidence for {first.name}: what shows this?")
    evidence.fill("Typed in the tab left open")
    expect(tab_b.locator("#save-status")).to_have_text(re.compile("was submitted on .* by you"))
    expect(evidence).to_have_value("Typed in the tab left open")

    tab_b.get_by_role("button", name="Save draft").click()
    expect(tab_b.get_by_role("heading", name="Your changes were not saved")).to_be_visible()
    expect(tab_b.get_by_text(re.compile("recall the submission"))).to_be_visible()
    expect(tab_b.get_by_label(re.compile(first.name))).to_have_value("Typed in the tab left open")
    assert serious_violations(tab_b) == []
    assert not Rating.objects.filter(self_evidence="Typed in the tab left open").exists()


def test_submitting_an_incomplete_matrix_says_what_is_missing_without_asking(
    browser, live_server, login, profile
):
    assessment = make_assessment(profile)
    page = browser.new_context().new_page()
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    login(page, profile.user)
    page.goto(f"{live_server.url}/assessments/{assessment.pk}/")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_text(re.compile("Not submitted yet"))).to_be_visible()
    assert asked == []


def test_the_review_saves_in_the_background_and_refuses_a_stale_tab(
    browser, live_server, login, profile, director
):
    assessment = submitted_for_review(profile)
    first, second = indicators_of(assessment)[:2]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab_one, tab_two = context.new_page(), context.new_page()
    login(tab_one, director)
    url = f"{live_server.url}/assessments/{assessment.pk}/review/"
    tab_one.goto(url)
    tab_two.goto(url)
    assert serious_violations(tab_one) == []

    tab_one.locator(f"label[for='id_supervisor_level_{first.pk}_3']").click()
    tab_one.get_by_label(f"Your note on {first.name}").fill("Saved from tab one")
    expect(tab_one.locator("#save-status")).to_have_text(re.compile(r"^Saved at \d\d:\d\d"))
    rating = Rating.objects.get(assessment=assessment, indicator=first)
    assert (rating.supervisor_level, rating.supervisor_note) == (3, "Saved from tab one")

    tab_two.get_by_label(f"Your note on {second.name}").fill("Typed in tab two")
    expect(tab_two.locator("#save-status")).to_have_text(re.compile("changed in another tab"))
    tab_two.get_by_role("button", name="Save review").click()
    expect(tab_two.get_by_text(re.compile("saved elsewhere at"))).to_be_visible()
    expect(tab_two.get_by_text("Saved from tab one")).to_be_visible()
    expect(tab_two.get_by_label(f"Your note on {second.name}")).to_have_value("Typed in tab two")
    assert serious_violations(tab_two) == []

    # Finalized in tab one, the review typed in tab two is refused with the text to copy.
    tab_one.reload()
    asked = []
    tab_one.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    tab_one.get_by_role("button", name=re.compile("levels on every indicator")).click()
    expect(tab_one.locator("#save-status")).to_have_text(re.compile(r"^Saved at"))
    assert asked == ["This changes 1 level you chose to the coordinator's. Continue?"]
    tab_one.get_by_role("button", name="Finalize review").click()
    expect(tab_one.get_by_text(re.compile(r"^Finalized\. "))).to_be_visible()
    tab_two.get_by_role("button", name="Save review").click()
    expect(tab_two.get_by_role("heading", name="Your changes were not saved")).to_be_visible()
    expect(tab_two.get_by_text(re.compile("was finalized on .* by you"))).to_be_visible()
    expect(tab_two.get_by_label(re.compile(second.name))).to_have_value("Typed in tab two")


def test_agreeing_with_the_coordinator_then_changing_one_and_a_goal_from_a_next_step(
    browser, live_server, login, profile, director
):
    assessment = submitted_for_review(profile, level=2)
    indicators = indicators_of(assessment)
    category = indicators[0].category
    in_category = [i for i in indicators if i.category_id == category.pk]
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    login(page, director)
    page.goto(f"{live_server.url}/assessments/{assessment.pk}/review/")

    # Finalizing with levels missing says what is missing, without asking first.
    page.get_by_role("button", name="Finalize review").click()
    expect(page.get_by_text(re.compile("Not finalized yet"))).to_be_visible()
    assert asked == []

    page.get_by_role("button", name=f"levels in {category.name}").click()
    for indicator in in_category:
        expect(page.locator(f"#id_supervisor_level_{indicator.pk}_2")).to_be_checked()
    expect(page.locator(f"#id_supervisor_level_{indicators[-1].pk}_2")).not_to_be_checked()
    page.locator(f"label[for='id_supervisor_level_{in_category[0].pk}_3']").click()
    page.get_by_label("Next step 1").fill("Shadow the principal")
    page.get_by_label("By when is step 1 due").fill("2031-03-01")
    expect(page.locator("#save-status")).to_have_text(re.compile(r"^Saved at"))
    assert asked == []
    levels = dict(
        Rating.objects.filter(assessment=assessment).values_list("indicator_id", "supervisor_level")
    )
    assert levels[in_category[0].pk] == 3
    assert all(levels[i.pk] == 2 for i in in_category[1:])
    agreed = Rating.objects.get(assessment=assessment, indicator=in_category[-1])
    assert agreed.history.latest().history_user == director
    assert serious_violations(page) == []

    page.reload()
    page.get_by_role("link", name=re.compile("Make this a goal")).first.click()
    expect(page.get_by_label("Notes")).to_have_value("Shadow the principal")
    expect(page.get_by_label("Target date")).to_have_value("2031-03-01")
