"""The coordinator's matrix in a real browser, at 1280 px and at a phone's 390 px: the
progress count and the jump list follow each level chosen, a complete category folds away
and back with the keyboard, last cycle's agreed level stands beside each indicator without
being chosen, and evidence pasted past its limit is kept whole, counted and refused in
words. No WCAG A/AA issue, no CSP violation."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessments.models import Rating
from rubrics.models import Level
from tests.assessments.workflow_helpers import indicators_of, make_assessment
from tests.browser.checks import serious_violations, watch
from tests.factories import CycleFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def matrix(profile):
    """This cycle's blank draft, after last spring's finalized assessment (agreed: level 3)."""
    last_spring = CycleFactory(
        organization=profile.organization,
        name="Last spring",
        opens_on=timezone.localdate() - timedelta(days=200),
        state="closed",
    )
    make_assessment(
        profile, cycle=last_spring, state="finalized", ratings={"self": 2, "supervisor": 3}
    )
    return make_assessment(profile)


def open_matrix(browser, live_server, login, coordinator, assessment, width):
    page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
    csp = watch(page)
    login(page, coordinator)
    page.goto(f"{live_server.url}/assessments/{assessment.pk}/")
    expect(page.get_by_role("heading", name="My self-assessment", level=1)).to_be_visible()
    return page, csp


def rate_category(page, assessment, key, level=2):
    for indicator in indicators_of(assessment):
        if indicator.category.key == key:
            page.locator(f"label[for='id_level_{indicator.pk}_{level}']").click()


def test_progress_jump_list_fold_and_reference_at_desktop_width(
    browser, live_server, login, coordinator, matrix
):
    indicators = indicators_of(matrix)
    total = len(indicators)
    site = [i for i in indicators if i.category.key == "site"]
    page, csp = open_matrix(browser, live_server, login, coordinator, matrix, 1280)
    jump = page.get_by_role("navigation", name="Categories")
    site_state = page.locator("[data-category-state='site']")

    expect(jump.get_by_text(f"0 of {total} rated")).to_be_visible()
    expect(site_state).to_have_text(f"0 of {len(site)} rated")
    expert = Level.objects.get(version=matrix.rubric_version, value=3).name
    first = page.locator(f"#indicator-{indicators[0].pk}")
    expect(
        first.get_by_text(f"in Last spring you and your director agreed on {expert}")
    ).to_be_visible()
    expect(page.locator("#matrix-form input[type='radio']:checked")).to_have_count(0)
    assert serious_violations(page) == []

    rate_category(page, matrix, "site")
    expect(jump.get_by_text(f"{len(site)} of {total} rated")).to_be_visible()
    expect(site_state).to_have_text("complete")
    expect(page.locator(".matrix-actions")).to_contain_text(f"{len(site)} of {total} rated")

    # The jump list leads to the category; once complete it folds away, by keyboard.
    jump.get_by_role("link", name=site[0].category.name).click()
    expect(page).to_have_url(re.compile(r"#category-site$"))
    fold = page.get_by_role("button", name=re.compile(r"^Hide .* \(complete\)$"))
    expect(fold).to_have_count(1)
    fold.focus()
    page.keyboard.press("Enter")
    body = page.locator("#category-site-body")
    expect(body).to_be_hidden()
    show = page.get_by_role("button", name=re.compile(r"^Show .* \(complete\)$"))
    expect(show).to_have_attribute("aria-expanded", "false")
    assert serious_violations(page) == []
    page.keyboard.press("Space")
    expect(body).to_be_visible()
    expect(fold).to_have_attribute("aria-expanded", "true")

    expect(page.locator("#save-status")).to_have_text(re.compile(r"^Saved at"))
    assert Rating.objects.filter(assessment=matrix, self_level=2).count() == len(site)
    page.reload()
    expect(jump.get_by_text(f"{len(site)} of {total} rated")).to_be_visible()
    expect(site_state).to_have_text("complete")
    assert csp == []


def test_pasted_evidence_past_the_limit_is_kept_counted_and_refused(
    browser, live_server, login, coordinator, matrix
):
    indicator = indicators_of(matrix)[0]
    page, csp = open_matrix(browser, live_server, login, coordinator, matrix, 1280)
    evidence = page.locator(f"#id_evidence_{indicator.pk}")
    counter = page.locator(f"#id_evidence_{indicator.pk}-count")
    expect(counter).to_have_text("0 of 5,000 characters")

    pasted = "Ran the family nights. " + "z" * 5077  # 5,100 characters
    evidence.focus()
    page.keyboard.insert_text(pasted)  # as a paste delivers it: one insertion

    expect(evidence).to_have_value(pasted)  # nothing cut
    expect(counter).to_have_text(
        "5,100 of 5,000 characters — 100 over the limit. Shorten it to save; nothing is cut."
    )
    expect(evidence).to_have_attribute("aria-invalid", "true")
    described = evidence.get_attribute("aria-describedby")
    assert f"id_evidence_{indicator.pk}-count" in described.split()
    # Screen readers hear that it is over once, not every keystroke.
    expect(page.locator("#char-count-announcer")).to_have_text(re.compile(r"^Over the limit"))
    assert page.locator("#char-count-announcer").get_attribute("aria-live") == "polite"
    assert serious_violations(page) == []

    page.get_by_role("button", name="Save draft").click()
    expect(
        page.get_by_text(re.compile(r"has 5100 characters and at most 5000 fit"))
    ).to_be_visible()
    expect(page.locator(f"#id_evidence_{indicator.pk}")).to_have_value(pasted)
    assert Rating.objects.get(assessment=matrix, indicator=indicator).self_evidence == ""

    page.locator(f"#id_evidence_{indicator.pk}").fill("Ran the family nights.")
    expect(page.locator(f"#id_evidence_{indicator.pk}-count")).to_have_text(
        "22 of 5,000 characters"
    )
    assert csp == []


def test_the_matrix_fits_a_phone(browser, live_server, login, coordinator, matrix):
    total = len(indicators_of(matrix))
    page, csp = open_matrix(browser, live_server, login, coordinator, matrix, 390)

    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    jump = page.get_by_role("navigation", name="Categories")
    expect(jump).to_be_visible()
    expect(jump.get_by_role("link")).to_have_count(4)
    rate_category(page, matrix, "coordinator")
    # The sticky bar keeps the count in view however far down the phone has scrolled.
    bar = page.locator(".matrix-actions")
    expect(bar).to_be_in_viewport()
    coordinator_size = sum(1 for i in indicators_of(matrix) if i.category.key == "coordinator")
    expect(bar).to_contain_text(f"{coordinator_size} of {total} rated")
    page.get_by_role("button", name=re.compile(r"^Hide .* \(complete\)$")).click()
    expect(page.locator("#category-coordinator-body")).to_be_hidden()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert serious_violations(page) == []
    assert csp == []
