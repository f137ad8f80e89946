"""The school's own voice in a real browser: the director asks the principal, the principal
opens the emailed link in a fresh browser with no session (and no JavaScript) and answers; the
review shows the three views of School site, and the dashboard's site gap says it rests on
the principal's view."""

import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from assessments.models import Assessment, FeedbackRequest
from assessments.services import category_scores_refresh, site_indicator_ids
from schoolsites.models import PrincipalContact
from tests.assessments.workflow_helpers import indicators_of, make_assessment
from tests.browser.checks import serious_violations, watch

pytestmark = pytest.mark.django_db(transaction=True)

PRINCIPAL = "Dr. Renee Whitfield"


def test_the_principal_answers_without_an_account(browser, live_server, login, profile, director):
    assessment = make_assessment(
        profile, ratings=3, state=Assessment.State.SUBMITTED, submitted_at=timezone.now()
    )
    category_scores_refresh(assessment=assessment)
    school = assessment.schools.get()
    PrincipalContact.objects.create(
        school=school,
        school_year=school.organization.school_year_of(timezone.localdate()).start_year,
        name=PRINCIPAL,
        email="rw@school.example.org",
    )

    # The director asks the principal of the coordinator's school from the review.
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    csp = watch(page)
    login(page, director)
    page.goto(f"{live_server.url}/assessments/{assessment.pk}/review/")
    page.get_by_role("link", name=re.compile("^Principal feedback")).click()
    expect(page.get_by_role("heading", name="Principal feedback")).to_be_visible()
    expect(page.get_by_label("Principal's name")).to_have_value(PRINCIPAL)
    assert serious_violations(page) == []
    page.get_by_role("button", name="Send request").click()
    expect(page.get_by_text(re.compile(f"^Sent to {PRINCIPAL}"))).to_be_visible()
    expect(page.locator(".gm-badge.state-sent")).to_have_text("Sent")
    (message,) = mail.outbox
    link = re.search(r"http://\S+/principal/[\w-]+/", message.body).group(0)
    link = re.sub(r"^http://[^/]+", live_server.url, link)

    # A fresh browser, no session: the page works, says who and where, and passes axe.
    fresh = browser.new_context(viewport={"width": 390, "height": 844})
    principal_page = fresh.new_page()
    response = principal_page.goto(link)
    assert response.status == 200
    assert response.headers["referrer-policy"] == "no-referrer"
    assert "no-store" in response.headers["cache-control"]
    expect(
        principal_page.get_by_role("heading", name=f"Your view of {school.name}")
    ).to_be_visible()
    expect(principal_page.get_by_text(profile.user.display_name).first).to_be_visible()
    assert serious_violations(principal_page) == []
    fresh.close()

    # Without JavaScript the principal picks a level per indicator, comments and saves.
    no_script = browser.new_context(
        java_script_enabled=False, viewport={"width": 390, "height": 844}
    )
    principal_page = no_script.new_page()
    principal_page.goto(link)
    site = site_indicator_ids(assessment)
    for pk in site:
        principal_page.locator(f"label[for='id_level_{pk}_1']").click()
    principal_page.locator(f"#id_comment_{site[0]}").fill("Families rarely hear from the team.")
    principal_page.get_by_role("button", name="Save my answers").click()
    expect(
        principal_page.get_by_text(re.compile("^Thank you: your answers are saved"))
    ).to_be_visible()
    expect(principal_page.locator(f"#id_level_{site[0]}_1")).to_be_checked()
    assert FeedbackRequest.objects.get().site_level == 1
    no_script.close()

    # The review shows School site three ways: self, supervisor and the principal.
    page.goto(f"{live_server.url}/assessments/{assessment.pk}/review/")
    table = page.locator("table.site-views")
    expect(table.get_by_role("columnheader")).to_have_count(4)
    expect(table.get_by_role("columnheader", name="Self")).to_be_visible()
    expect(table.get_by_role("columnheader", name="Supervisor")).to_be_visible()
    expect(
        table.get_by_role("columnheader", name=re.compile(f"^Principal, {school.name}"))
    ).to_be_visible()
    expect(table.get_by_text("Families rarely hear from the team.")).to_be_visible()
    assert serious_violations(page) == []

    # The director agrees Expert everywhere and finalizes; the principal's view decides the
    # School site level of the site gap, and the dashboard says so.
    for indicator in indicators_of(assessment):
        page.locator(f"label[for='id_supervisor_level_{indicator.pk}_3']").click()
    page.get_by_role("button", name="Finalize review").click()
    expect(page.get_by_text(re.compile(r"^Finalized\. "))).to_be_visible()
    page.get_by_role("link", name="Team dashboard", exact=True).click()
    page.wait_for_load_state()  # the flags' tips are set up once the page has loaded
    badge = page.get_by_role("button", name="Site gap")
    badge.focus()
    expect(page.get_by_role("tooltip")).to_have_text(
        "School site: Novice (the principal's view), Coordinator: Expert — two levels apart"
    )
    expect(
        page.get_by_role("button", name="School and coordinator see the site differently")
    ).to_be_visible()
    assert csp == []
