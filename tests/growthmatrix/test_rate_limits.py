"""Saves and password-reset emails are limited per person, address and client, with a clear
message and a Retry-After; nothing is written past the limit."""

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from assessments.models import Rating
from tests.assessments.workflow_helpers import indicators_of, make_assessment, self_post
from tests.factories import UserFactory

LIMITS = {
    "assessment-save": "3/m",
    "password-reset-address": "2/h",
    "password-reset-client": "4/h",
    "address-refusals": "2/h",
}


@pytest.fixture(autouse=True)
def tight_limits():
    with override_settings(RATE_LIMITS=LIMITS):
        yield


def autosave(client, assessment, evidence):
    return client.post(
        reverse("assessments:assessment-autosave", args=[assessment.pk]),
        self_post(assessment, evidence=evidence),
        HTTP_ACCEPT="application/json",
    )


def test_background_saves_past_the_rate_wait_and_write_nothing(client_for, profile):
    assessment = make_assessment(profile)
    client = client_for(profile.user)
    for n in range(3):
        assessment.refresh_from_db()
        assert autosave(client, assessment, f"Save {n}").status_code == 200
    assessment.refresh_from_db()
    refused = autosave(client, assessment, "One save too many")

    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    assert refused.json()["saved"] is False
    assert "too many saves" in refused.json()["message"]
    first = indicators_of(assessment)[0]
    assert Rating.objects.get(assessment=assessment, indicator=first).self_evidence == "Save 2"


def test_the_limit_is_per_person(client_for, profile, teammate):
    mine, theirs = make_assessment(profile), make_assessment(teammate)
    for _ in range(4):
        mine.refresh_from_db()
        autosave(client_for(profile.user), mine, "Mine")
    assert autosave(client_for(teammate.user), theirs, "Theirs").status_code == 200


def test_the_save_draft_button_counts_too_and_gets_a_page(client_for, profile):
    assessment = make_assessment(profile)
    client = client_for(profile.user)
    url = reverse("assessments:assessment-detail", args=[assessment.pk])
    for _ in range(3):
        assessment.refresh_from_db()
        client.post(url, self_post(assessment, evidence="Typed"))
    assessment.refresh_from_db()
    refused = client.post(url, self_post(assessment, evidence="Typed"))
    assert refused.status_code == 429
    assert "Please wait a moment" in refused.content.decode()
    assert client.get(url).status_code == 200  # reading is never limited


def reset(client, email, address="10.0.0.1"):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=address)


def test_password_reset_emails_per_address_are_limited(client, db):
    UserFactory(email="someone@example.org")
    assert reset(client, "someone@example.org").status_code == 302
    assert reset(client, " SOMEONE@example.org ").status_code == 302
    refused = reset(client, "someone@example.org", address="10.0.0.2")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert len(mail.outbox) == 2


def test_password_reset_requests_per_client_are_limited(client, db):
    for n in range(4):
        assert reset(client, f"nobody{n}@example.org").status_code == 302
    assert reset(client, "nobody-else@example.org").status_code == 429
    assert reset(client, "nobody-else@example.org", address="10.0.0.9").status_code == 302
