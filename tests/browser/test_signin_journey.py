"""Sign-in with the organization's account, in a real browser: the org admin adds Google
sign-in and requires two-factor for directors; a director then finds the Google button by
typing their email, signs in through a provider served by the test (the Google preset
pointed at it), is sent to set up an authenticator app, scans nothing but types the key's
code, and keeps their recovery codes."""

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.socialaccount.models import SocialAccount
from playwright.sync_api import expect

from signin.models import IdentityProvider, SignInPolicy
from tests.browser.checks import serious_violations, watch
from tests.signin.fake_issuer import CLIENT_ID, CLIENT_SECRET, FakeIssuer

pytestmark = pytest.mark.django_db(transaction=True)


def test_admin_adds_google_then_a_director_signs_in_with_it_and_enrols_totp(
    browser, live_server, login, org, admin_user, director
):
    # The org admin adds Google sign-in and requires two-factor for admins and directors.
    admin_page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    complaints = watch(admin_page)
    login(admin_page, admin_user)
    admin_page.get_by_role("link", name="Sign-in and two-factor").click()
    expect(admin_page.get_by_role("heading", name="Sign-in and two-factor")).to_be_visible()
    assert serious_violations(admin_page) == []
    admin_page.get_by_role("link", name="Add Google Workspace").click()
    admin_page.get_by_label("Client ID").fill(CLIENT_ID)
    admin_page.get_by_label("Client secret").fill(CLIENT_SECRET)
    admin_page.get_by_label("Allowed email domains").fill("example.org")
    assert serious_violations(admin_page) == []
    admin_page.get_by_role("button", name="Save Google Workspace sign-in").click()
    expect(admin_page.get_by_text("Google sign-in saved")).to_be_visible()
    google = IdentityProvider.objects.get(organization=org)
    expect(admin_page.get_by_text(f"/accounts/oidc/{google.slug}/login/callback/")).to_be_visible()
    # The secret is never shown back.
    assert CLIENT_SECRET not in admin_page.content()
    assert admin_page.get_by_label("Client secret").input_value() == ""

    admin_page.get_by_role("link", name="Sign-in and two-factor").click()
    admin_page.get_by_label("Require two-factor sign-in for org admins and directors").check()
    admin_page.get_by_role("button", name="Save sign-in settings").click()
    expect(admin_page.get_by_text("Sign-in settings saved.")).to_be_visible()
    assert SignInPolicy.objects.get(organization=org).two_factor_required_for_staff

    with FakeIssuer() as issuer:
        # Google's preset, pointed at the provider served by this test.
        IdentityProvider.objects.filter(pk=google.pk).update(issuer=issuer.url)
        issuer.person = {
            "sub": "google-director",
            "email": director.email,
            "email_verified": True,
            "name": director.get_full_name(),
        }
        page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
        complaints += watch(page)
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_role("link", name="Sign in with your organization's account").click()
        page.get_by_label("Work email address").fill(director.email)
        page.get_by_role("button", name="Continue").click()
        assert serious_violations(page) == []
        page.get_by_role("button", name="Continue with Google").click()

        # Signed in, and sent to set up the authenticator app first.
        expect(page.get_by_role("heading", name="Set up an authenticator app")).to_be_visible()
        expect(page.get_by_text("Your organization asks for two-factor sign-in")).to_be_visible()
        assert serious_violations(page) == []
        secret = page.locator("#totp-secret").inner_text().strip()
        code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
        page.get_by_label("Authenticator code").fill(code)
        page.get_by_role("button", name="Turn on two-factor sign-in").click()

        expect(page.get_by_role("heading", name="Recovery codes")).to_be_visible()
        codes = page.get_by_role("list", name="Unused recovery codes").get_by_role("listitem")
        expect(codes.first).to_be_visible()
        assert serious_violations(page) == []
        page.get_by_role("link", name="Done").click()
        expect(page.get_by_role("heading", name="Set up an authenticator app")).to_have_count(0)
        assert page.url.startswith(f"{live_server.url}/team/")

    assert SocialAccount.objects.get(user=director).uid == "google-director"
    assert Authenticator.objects.filter(user=director, type="totp").exists()
    assert complaints == []
