"""Evidence and acknowledgement in a real browser: the coordinator attaches a PDF and a link
to their matrix without losing what they typed (a refused file says why and changes nothing),
and submits; the director opens both from the review and finalizes; the coordinator
acknowledges the review with a response, which the director reads."""

import re

import pytest
from playwright.sync_api import expect

from assessments.models import Assessment
from evidence.models import Attachment
from tests.assessments.workflow_helpers import indicators_of, make_assessment
from tests.browser.checks import serious_violations
from tests.evidence.samples import PDF, SVG

pytestmark = pytest.mark.django_db(transaction=True)

RESPONSE = "Thank you. I will bring the sign-in sheets to our next check-in."


def test_evidence_from_the_matrix_to_the_review_and_the_acknowledgement(
    browser, live_server, login, profile, director
):
    assessment = make_assessment(profile, ratings=2)
    first = indicators_of(assessment)[0]

    coordinator = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    coordinator.on("dialog", lambda dialog: dialog.accept())
    login(coordinator, profile.user)
    coordinator.goto(f"{live_server.url}/assessments/{assessment.pk}/")
    block = coordinator.locator(f".evidence-block[data-evidence-owner='{first.pk}']")
    expect(block.get_by_text("No files or links yet.")).to_be_visible()

    # Typed evidence waiting for its background save stays where it is through every upload.
    evidence_box = coordinator.get_by_label(f"Evidence for {first.name}: what shows this?")
    evidence_box.fill("Ran the family night with the principal")
    block.get_by_text("Attach a file or a link").click()
    block.get_by_label("File").set_input_files(
        {"name": "agenda.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    block.get_by_label("Title (optional)").fill("Family night agenda")
    block.get_by_role("button", name=re.compile("^Attach")).click()
    expect(block.locator(".evidence-status")).to_have_text("Attached “Family night agenda”.")
    expect(block.get_by_role("link", name="Family night agenda")).to_be_visible()

    block.get_by_label("or a link").fill("https://drive.example.org/sign-in-sheets")
    block.get_by_role("button", name=re.compile("^Attach")).click()
    expect(block.get_by_role("link", name="drive.example.org")).to_be_visible()

    # An SVG with a script is refused beside the evidence; nothing else moves.
    block.get_by_label("File").set_input_files(
        {"name": "logo.png", "mimeType": "image/png", "buffer": SVG}
    )
    block.get_by_role("button", name=re.compile("^Attach")).click()
    expect(block.locator(".evidence-status")).to_have_text(re.compile("markup"))
    expect(evidence_box).to_have_value("Ran the family night with the principal")
    assert Attachment.objects.count() == 2
    assert serious_violations(coordinator) == []

    # The page's own saves take the version the evidence claimed: submitting is not stale.
    expect(coordinator.locator("#save-status")).to_have_text(re.compile(r"^Saved at"))
    coordinator.get_by_role("button", name="Submit for review").click()
    expect(coordinator.get_by_text(re.compile(r"^Submitted\. "))).to_be_visible()
    assessment.refresh_from_db()
    assert assessment.state == Assessment.State.SUBMITTED
    assert assessment.ratings.get(indicator=first).self_evidence.startswith("Ran the family")

    # The director sees both on the review, opens the PDF in the browser, and finalizes.
    reviewer = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    reviewer.on("dialog", lambda dialog: dialog.accept())
    login(reviewer, director)
    reviewer.goto(f"{live_server.url}/assessments/{assessment.pk}/review/")
    agenda = reviewer.get_by_role("link", name="Family night agenda")
    expect(agenda).to_be_visible()
    expect(reviewer.get_by_role("link", name="drive.example.org")).to_have_attribute(
        "href", "https://drive.example.org/sign-in-sheets"
    )
    download = reviewer.request.get(live_server.url + agenda.get_attribute("href"))
    assert download.status == 200
    assert download.headers["content-type"] == "application/pdf"
    assert download.headers["content-disposition"].startswith("inline")
    assert download.headers["x-content-type-options"] == "nosniff"
    assert download.body() == PDF
    assert serious_violations(reviewer) == []
    reviewer.get_by_role("button", name=re.compile("levels on every indicator")).click()
    expect(reviewer.locator("#save-status")).to_have_text(re.compile(r"^Saved at"))
    reviewer.get_by_role("button", name="Finalize review").click()
    expect(reviewer.get_by_text(re.compile(r"^Finalized\. "))).to_be_visible()
    expect(reviewer.get_by_text(re.compile("has not acknowledged this review yet"))).to_be_visible()

    # The coordinator reads it and acknowledges, with a response.
    coordinator.goto(f"{live_server.url}/assessments/{assessment.pk}/")
    expect(
        coordinator.get_by_role("heading", name="Please acknowledge this review")
    ).to_be_visible()
    expect(coordinator.get_by_role("link", name="Family night agenda")).to_be_visible()
    assert serious_violations(coordinator) == []
    coordinator.get_by_label("Your response (optional)").fill(RESPONSE)
    coordinator.get_by_role("button", name="I have read this review").click()
    expect(coordinator.get_by_role("heading", name="Acknowledged")).to_be_visible()
    expect(coordinator.get_by_text(RESPONSE)).to_be_visible()

    reviewer.reload()
    expect(reviewer.get_by_text(RESPONSE)).to_be_visible()
    assessment.refresh_from_db()
    assert assessment.acknowledged_at is not None
