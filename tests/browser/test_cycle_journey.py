"""A cycle closed with work under way strands nothing, in a real browser: the org admin sees
the count in each state and what closing does to it before confirming; the director still
finalizes what was submitted before the close; the coordinator still reads their returned
work; the admin reopens the cycle (recorded in its history) and the coordinator continues."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessments.models import Assessment, AssessmentCycle, Rating
from tests.assessments.workflow_helpers import indicators_of, make_assessment
from tests.browser.checks import serious_violations, watch
from tests.factories import CycleFactory, ProfileFactory

pytestmark = pytest.mark.django_db(transaction=True)

EVIDENCE = "Ran the family night with the principal."
NOTE = "Add evidence for the site category, please."


def test_close_reopen_continue_and_finalize(
    browser, live_server, login, org, team, profile, director, admin_user
):
    cycle = CycleFactory(organization=org, name="2026–27 Fall")
    returned = make_assessment(profile, cycle=cycle, ratings=2, state="returned")
    Rating.objects.filter(assessment=returned).update(self_evidence=EVIDENCE)
    Assessment.objects.filter(pk=returned.pk).update(return_note=NOTE, returned_at=timezone.now())
    make_assessment(ProfileFactory(team=team), cycle=cycle, ratings=2)  # a draft
    submitted = make_assessment(
        ProfileFactory(team=team), cycle=cycle, ratings=2, state="submitted"
    )
    Rating.objects.filter(assessment=submitted).update(self_level=2, self_evidence="Mine.")
    Assessment.objects.filter(pk=submitted.pk).update(submitted_at=timezone.now())

    # The org admin closes the cycle: the confirmation counts each state and says what happens.
    admin_page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    complaints = watch(admin_page)
    login(admin_page, admin_user)
    admin_page.goto(f"{live_server.url}/cycles/")
    admin_page.get_by_role("link", name="Close 2026–27 Fall").click()
    expect(admin_page.get_by_role("heading", name="Close 2026–27 Fall?")).to_be_visible()
    counts = admin_page.locator("table.cycle-counts")
    expect(counts.get_by_role("row", name=re.compile(r"^Draft 1 "))).to_be_visible()
    expect(counts.get_by_role("row", name=re.compile(r"^Returned 1 "))).to_be_visible()
    expect(counts.get_by_role("row", name=re.compile(r"^Submitted 1 "))).to_be_visible()
    expect(admin_page.get_by_text("Directors can still review and finalize them")).to_be_visible()
    expect(admin_page.get_by_text(re.compile("set to close on"))).to_be_visible()
    assert serious_violations(admin_page) == []
    admin_page.get_by_role("button", name="Close 2026–27 Fall early").click()
    expect(admin_page.get_by_text(re.compile(r"2026–27 Fall is closed\."))).to_be_visible()
    history = admin_page.locator(".cycle-history")
    expect(history.get_by_text("closed the cycle")).to_be_visible()
    expect(history.get_by_text(re.compile("Recorded reason: Closed early on"))).to_be_visible()
    assert serious_violations(admin_page) == []
    assert AssessmentCycle.objects.get(pk=cycle.pk).state == "closed"

    # The coordinator still reads what they wrote and why it came back.
    coordinator_page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    watch(coordinator_page)
    login(coordinator_page, profile.user)
    coordinator_page.goto(f"{live_server.url}/assessments/{returned.pk}/")
    expect(coordinator_page.get_by_text(NOTE)).to_be_visible()
    expect(coordinator_page.get_by_text(EVIDENCE).first).to_be_visible()
    expect(coordinator_page.get_by_text(re.compile("reopen the cycle"))).to_be_visible()
    assert serious_violations(coordinator_page) == []

    # The director finalizes what was submitted before the close.
    director_page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    watch(director_page)
    login(director_page, director)
    director_page.goto(f"{live_server.url}/assessments/{submitted.pk}/review/")
    expect(
        director_page.get_by_text(re.compile("is closed, but this self-assessment"))
    ).to_be_visible()
    assert serious_violations(director_page) == []
    for indicator in indicators_of(submitted):
        director_page.locator(f"label[for='id_supervisor_level_{indicator.pk}_3']").click()
    director_page.get_by_role("button", name="Finalize review").click()
    expect(director_page.get_by_text(re.compile(r"^Finalized\. "))).to_be_visible()
    assert Assessment.objects.get(pk=submitted.pk).state == Assessment.State.FINALIZED

    # The admin reopens the cycle with a new closing date and a reason.
    admin_page.get_by_role("link", name="Reopen 2026–27 Fall").click()
    expect(admin_page.get_by_role("heading", name="Reopen 2026–27 Fall")).to_be_visible()
    assert serious_violations(admin_page) == []
    today = timezone.localdate()
    admin_page.get_by_label("Self-assessments due on").fill((today + timedelta(days=7)).isoformat())
    admin_page.get_by_label("Closes on").fill((today + timedelta(days=14)).isoformat())
    admin_page.get_by_label("Why (kept in the cycle's history)").fill("Returned work to finish")
    admin_page.get_by_role("button", name="Reopen 2026–27 Fall").click()
    expect(admin_page.get_by_text(re.compile("is open again until"))).to_be_visible()
    expect(history.get_by_text("reopened the cycle")).to_be_visible()
    expect(history.get_by_text("Recorded reason: Returned work to finish")).to_be_visible()
    assert serious_violations(admin_page) == []

    # The coordinator continues where they left off, and submits.
    coordinator_page.reload()
    first = indicators_of(returned)[0]
    evidence = coordinator_page.get_by_label(f"Evidence for {first.name}: what shows this?")
    expect(evidence).to_have_value(EVIDENCE)
    evidence.fill("Added the site evidence.")
    coordinator_page.get_by_role("button", name="Submit for review").click()
    expect(coordinator_page.get_by_text(re.compile(r"^Submitted\. "))).to_be_visible()
    assert Assessment.objects.get(pk=returned.pk).state == Assessment.State.SUBMITTED
    assert complaints == []
