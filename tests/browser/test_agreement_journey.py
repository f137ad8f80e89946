"""The partnership agreement in a real browser: the director drafts it with the coordinator
(chosen among the school's two), shares it, both sign in the product, and the principal opens
the emailed link in a fresh browser with no session and JavaScript off, and signs; then
answers the director's feedback request the same way; the director's review shows School site
three ways, and the dashboard's site gap says it rests on the principal's view; the school's
page shows the School site over the years and the signed agreement. No WCAG A/AA issue, no
CSP violation."""

import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from assessments.models import Assessment
from assessments.services import category_scores_refresh, site_indicator_ids
from schoolsites.models import AgreementSignature, PartnershipAgreement
from tests.assessments.workflow_helpers import indicators_of, make_assessment
from tests.browser.checks import serious_violations, watch
from tests.dashboards.dashboard_data import assess, past_cycles

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def school_with_history(org, profile):
    """Two finalized years at the coordinator's school: School site Novice, then Proficient."""
    profile.user.first_name, profile.user.last_name = "Maria", "Alvarez"
    profile.user.save()
    school = profile.schools.get()
    school.name = "Lincoln Elementary"
    school.save()
    for cycle, site in zip(past_cycles(org, 2), (1, 2), strict=True):
        assess(profile, cycle, (3, site, 2, 2))
    return school


def test_director_and_coordinator_agree_and_the_principal_signs_and_answers_without_an_account(
    browser, live_server, login, director, profile, teammate, school_with_history
):
    school = school_with_history
    teammate.schools.add(school)  # two coordinators at the school: the director chooses
    year = profile.organization.school_year_of(timezone.localdate())
    desk = browser.new_context(viewport={"width": 1280, "height": 900})
    page = desk.new_page()
    csp = watch(page)
    login(page, director)

    # The school's page: the levels over the years, and no agreement yet.
    page.goto(f"{live_server.url}/sites/{school.pk}/")
    expect(page.get_by_role("heading", name="Lincoln Elementary")).to_be_visible()
    expect(page.get_by_text("No agreement for this school year yet.")).to_be_visible()
    assert serious_violations(page) == []

    # The principal for this school year, then the draft.
    page.get_by_role("link", name="Add the principal").click()
    page.get_by_label("Principal's name").fill("Dana Okafor")
    page.get_by_label("Principal's email").fill("dana.okafor@lincoln.example.org")
    assert serious_violations(page) == []
    page.get_by_role("button", name="Save principal").click()
    expect(page.get_by_text(f"Principal for {year.label} saved.")).to_be_visible()
    page.get_by_role("link", name="Draft the agreement").click()
    expect(page.get_by_label("Principal's name")).to_have_value("Dana Okafor")
    chosen = page.get_by_role("combobox", name=re.compile("^The coordinator"))
    chosen.select_option(label="Maria Alvarez (East)")
    page.get_by_label("Goal 1", exact=True).fill("Fewer students chronically absent")
    page.get_by_label("Measure of goal 1 (optional)").fill("Chronic absence rate")
    page.get_by_label("Target of goal 1 (optional)").fill("from 18% to 14%")
    page.get_by_label("The coordinator's role covers").fill("Family nights\nPartner coordination")
    page.get_by_label("The coordinator's role does not cover").fill("Lunch duty")
    page.get_by_label("Meetings with the principal").fill("Every other Tuesday")
    page.get_by_label("A seat on the school's leadership team").check()
    assert serious_violations(page) == []
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Draft agreement saved.")).to_be_visible()
    assert PartnershipAgreement.objects.get().coordinator == profile
    agreement_url = page.url

    # The coordinator adds a goal of their own to the draft.
    coordinator_page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    watch(coordinator_page)
    login(coordinator_page, profile.user)
    coordinator_page.goto(agreement_url)
    coordinator_page.get_by_role("link", name="Edit the terms").click()
    coordinator_page.get_by_label("Goal 2", exact=True).fill("Families at conferences")
    coordinator_page.get_by_role("button", name="Save agreement").click()
    expect(coordinator_page.get_by_text("Agreement saved.")).to_be_visible()
    assert serious_violations(coordinator_page) == []

    # The director shares it: the principal is emailed a link. Both sign in the product.
    page.goto(agreement_url)
    page.get_by_role("button", name="Share for signature").click()
    expect(page.get_by_text("Shared for signature: a link went to")).to_be_visible()
    page.get_by_role("button", name="Sign as director").click()
    expect(page.get_by_text("Signed.", exact=True)).to_be_visible()
    coordinator_page.goto(agreement_url)
    coordinator_page.get_by_role("button", name="Sign as coordinator").click()
    expect(coordinator_page.get_by_text("Signed.", exact=True)).to_be_visible()

    (message,) = [m for m in mail.outbox if "dana.okafor@lincoln.example.org" in m.to]
    link = re.search(r"http://\S+/agreements/sign/\S+/", message.body).group(0)
    link = live_server.url + link[link.index("/agreements/") :]

    # The principal: a fresh browser, no session, no JavaScript.
    principal = browser.new_context(java_script_enabled=False).new_page()
    response = principal.goto(link)
    assert response.status == 200
    assert response.headers["referrer-policy"] == "no-referrer"
    assert "no-store" in response.headers["cache-control"]
    assert "content-security-policy" in response.headers
    expect(principal.get_by_text("Fewer students chronically absent")).to_be_visible()
    expect(principal.get_by_text("Families at conferences")).to_be_visible()
    expect(principal.get_by_role("button", name="Log out")).to_have_count(0)
    principal.get_by_label("Your full name").fill("Dana Okafor")
    principal.get_by_label("I have read this agreement").check()
    principal.get_by_role("button", name="Sign the agreement").click()
    expect(principal.get_by_text("Thank you: the agreement is signed")).to_be_visible()
    again = principal.goto(link)
    assert again.status == 404  # used: the same page as any link that does not work

    agreement = PartnershipAgreement.objects.get(school=school, school_year=year.start_year)
    assert agreement.state == "signed"
    signed = AgreementSignature.objects.get(agreement=agreement, role="principal")
    assert "Families at conferences" in signed.text_signed

    # The principal then answers a feedback request on this year's assessment, again in a
    # fresh browser without a session.
    assessment = make_assessment(
        profile, ratings=3, state=Assessment.State.SUBMITTED, submitted_at=timezone.now()
    )
    category_scores_refresh(assessment=assessment)
    page.goto(f"{live_server.url}/assessments/{assessment.pk}/review/")
    page.get_by_role("link", name=re.compile("^Principal feedback")).click()
    expect(page.get_by_label("Principal's name")).to_have_value("Dana Okafor")
    page.get_by_role("button", name="Send request").click()
    expect(page.get_by_text(re.compile("^Sent to Dana Okafor"))).to_be_visible()
    bodies = [m.body for m in mail.outbox if "dana.okafor@lincoln.example.org" in m.to]
    (feedback_link,) = [
        match.group(0)
        for body in bodies
        if (match := re.search(r"http://\S+/principal/[\w-]+/", body))
    ]
    feedback_link = re.sub(r"^http://[^/]+", live_server.url, feedback_link)
    principal = browser.new_context(java_script_enabled=False).new_page()
    principal.goto(feedback_link)
    site = site_indicator_ids(assessment)
    for pk in site:
        principal.locator(f"label[for='id_level_{pk}_1']").click()
    principal.get_by_role("button", name="Save my answers").click()
    expect(principal.get_by_text(re.compile("^Thank you: your answers are saved"))).to_be_visible()

    # The review: School site three ways. The director agrees Expert everywhere and
    # finalizes; the dashboard's site gap rests on the principal's view.
    page.goto(f"{live_server.url}/assessments/{assessment.pk}/review/")
    views = page.locator("table.site-views")
    expect(views.get_by_role("columnheader", name="Self")).to_be_visible()
    expect(views.get_by_role("columnheader", name="Supervisor")).to_be_visible()
    expect(
        views.get_by_role("columnheader", name=re.compile("^Principal, Lincoln"))
    ).to_be_visible()
    for indicator in indicators_of(assessment):
        page.locator(f"label[for='id_supervisor_level_{indicator.pk}_3']").click()
    page.get_by_role("button", name="Finalize review").click()
    expect(page.get_by_text(re.compile(r"^Finalized\. "))).to_be_visible()
    page.get_by_role("link", name="Team dashboard", exact=True).click()
    page.wait_for_load_state()  # the flags' tips are set up once the page has loaded
    page.get_by_role("button", name="Site gap").focus()
    expect(page.get_by_role("tooltip")).to_have_text(
        "School site: Novice (the principal's view), Coordinator: Expert — two levels apart"
    )

    # The school's page: the levels over the years beside their table, and the agreement.
    page.goto(f"{live_server.url}/sites/{school.pk}/")
    expect(page.locator(".trend-svg")).to_be_visible()
    levels = page.get_by_role("table").filter(has_text="Supervisor")
    # Self and supervisor the first year, and this year the principal's view.
    expect(levels.get_by_text("Novice")).to_have_count(3)
    expect(levels.get_by_text("Proficient").first).to_be_visible()
    expect(page.get_by_role("link", name=f"Open the agreement for {year.label}")).to_be_visible()
    expect(page.locator("#agreement-heading ~ p .gm-badge")).to_have_text("Signed")
    assert serious_violations(page) == []
    page.goto(agreement_url)
    assert serious_violations(page) == []
    assert csp == []
