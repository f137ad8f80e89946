"""The principal signs through the emailed link, without an account: the same page for a
wrong, expired, revoked or used link, no referrer, nothing cached, a rate per address."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from schoolsites.models import AgreementSignature, SignatureLink
from schoolsites.services import GoalInput, agreement_create, agreement_share


@pytest.fixture
def agreement(profile, director, org):
    return agreement_create(
        school=profile.schools.get(),
        school_year=org.school_year_of(timezone.localdate()).start_year,
        actor=director,
        fields={"principal_name": "Dana Okafor", "principal_email": "dana@school.example.org"},
        goals=[GoalInput("Attendance up", "Chronic absence", "from 18% to 14%")],
    )


@pytest.fixture
def link_url(agreement, director, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        agreement_share(agreement=agreement, actor=director)
    body = mail.outbox[-1].body
    return body[body.index("http://testserver") + len("http://testserver") :].split()[0]


def not_working(response):
    return response.status_code == 404 and "This link does not work" in response.content.decode()


def test_the_link_opens_the_agreement_and_the_principal_signs(link_url, agreement):
    client = Client()
    page = client.get(link_url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Attendance up" in html and "from 18% to 14%" in html
    assert page["Referrer-Policy"] == "no-referrer"
    assert "no-store" in page["Cache-Control"]
    assert "Content-Security-Policy" in page
    assert "Log out" not in html  # nothing of the product around it
    signed = client.post(link_url, {"name": "Dana  Okafor", "agree": "on"})
    assert signed.status_code == 200 and "the agreement is signed" in signed.content.decode()
    signature = AgreementSignature.objects.get(agreement=agreement, role="principal")
    assert signature.name == "Dana Okafor" and signature.user is None
    assert "Attendance up" in signature.text_signed
    # Used: the same link no longer opens anything.
    assert not_working(client.get(link_url))


def test_signing_needs_the_box_ticked_and_a_name(link_url):
    response = Client().post(link_url, {"name": " ", "agree": ""})
    assert response.status_code == 200
    assert not AgreementSignature.objects.exists()


@pytest.mark.parametrize(
    "spoil",
    ["wrong", "expired", "revoked", "edited back to draft", "junk"],
)
def test_every_link_that_does_not_work_gets_the_same_page(link_url, agreement, director, spoil):
    url = link_url
    link = SignatureLink.objects.get(agreement=agreement)
    if spoil == "wrong":
        url = reverse("schoolsites:agreement-sign-link", args=["A" * 43])
    elif spoil == "expired":
        link.expires_at = timezone.now() - timedelta(seconds=1)
        link.save(update_fields=["expires_at"])
    elif spoil == "revoked":
        agreement_share(agreement=agreement, actor=director)  # a new link replaces it
    elif spoil == "edited back to draft":
        from schoolsites.services import agreement_update

        agreement.refresh_from_db()
        agreement_update(
            agreement=agreement,
            expected_version=agreement.version,
            fields={"role_covers": "Something new"},
            goals=[GoalInput("Attendance up")],
        )
    elif spoil == "junk":
        url = reverse("schoolsites:agreement-sign-link", args=["%00<script>"])
    for response in (Client().get(url), Client().post(url, {"name": "X", "agree": "on"})):
        assert not_working(response), spoil
        assert response["Referrer-Policy"] == "no-referrer"
        assert "no-store" in response["Cache-Control"]
    assert not AgreementSignature.objects.exists()


def test_a_person_of_another_organization_sees_only_the_form(link_url, other_admin):
    client = Client()
    client.force_login(other_admin)
    response = client.get(link_url)
    assert response.status_code == 200
    assert "Attendance up" in response.content.decode()


@override_settings(RATE_LIMITS={"public-token": "3/m"})
def test_tries_are_limited_per_address(link_url):
    client = Client()
    wrong = reverse("schoolsites:agreement-sign-link", args=["B" * 43])
    answers = [client.get(wrong).status_code for _ in range(4)]
    assert answers == [404, 404, 404, 429]
    limited = client.get(link_url)
    assert limited.status_code == 429 and limited["Referrer-Policy"] == "no-referrer"
