"""Two-factor sign-in: the password alone no longer opens an account with an authenticator
app; an organization that requires it sends its admins and directors to set one up; an org
admin resets a member's lost factor (recorded, emailed). And the organization's password
settings: password login and reset can be turned off."""

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.core import mail
from django.urls import reverse

from signin.models import SignInPolicy, TwoFactorReset
from tests.factories import UserFactory

PASSWORD = "correct horse battery staple"
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def code_now(secret=SECRET) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def log_in(client, user):
    return client.post(reverse("login"), {"username": user.email, "password": PASSWORD})


@pytest.fixture
def enrolled(org):
    user = UserFactory(organization=org, email="dina@example.org", roles=["director"])
    TOTP.activate(user, SECRET)
    return user


def test_a_password_alone_does_not_sign_in_with_two_factor_on(client, enrolled):
    response = log_in(client, enrolled)
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session

    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200 and "_auth_user_id" not in client.session

    right = client.post(reverse("mfa_authenticate"), {"code": code_now()})
    assert right.status_code == 302
    assert client.session["_auth_user_id"] == str(enrolled.pk)


def test_wrong_passwords_are_still_throttled_with_two_factor_on(client, enrolled):
    for _ in range(5):
        client.post(reverse("login"), {"username": enrolled.email, "password": "wrong"})
    response = log_in(client, enrolled)
    assert "Too many failed logins" in response.content.decode()


def test_required_two_factor_sends_a_director_to_set_it_up(client, org, director):
    SignInPolicy.objects.create(organization=org, two_factor_required_for_staff=True)
    log_in(client, director)
    response = client.get(reverse("pages:my-team"))
    assert response["Location"] == reverse("mfa_activate_totp")
    page = client.get(reverse("mfa_activate_totp"))
    assert "Your organization asks for two-factor sign-in" in page.content.decode()

    secret = page.context["form"].secret
    done = client.post(reverse("mfa_activate_totp"), {"code": code_now(secret)})
    assert done.status_code == 302
    assert Authenticator.objects.filter(user=director, type="totp").exists()
    assert client.get(reverse("pages:my-team")).status_code == 200


def test_coordinators_are_not_required_to_set_it_up(client, org, coordinator):
    SignInPolicy.objects.create(organization=org, two_factor_required_for_staff=True)
    log_in(client, coordinator)
    assert client.get(reverse("pages:my-growth")).status_code == 200


def test_an_org_admin_resets_a_members_lost_factor(
    client_for, admin_user, enrolled, django_capture_on_commit_callbacks
):
    client = client_for(admin_user)
    url = reverse("signin:two-factor-reset", args=[enrolled.pk])
    assert "Reset two-factor sign-in" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    assert not Authenticator.objects.filter(user=enrolled).exists()
    reset = TwoFactorReset.objects.get(member=enrolled)
    assert reset.reset_by == admin_user
    assert mail.outbox[-1].to == [enrolled.email]
    assert "reset the two-factor sign-in" in mail.outbox[-1].body


def test_an_org_admins_factor_is_reset_only_by_a_superuser(client_for, org, admin_user):
    other_admin = UserFactory(organization=org, roles=["admin"])
    TOTP.activate(other_admin, SECRET)
    url = reverse("signin:two-factor-reset", args=[other_admin.pk])
    assert client_for(admin_user).post(url).status_code == 403
    assert Authenticator.objects.filter(user=other_admin).exists()

    root = UserFactory(organization=None, is_superuser=True, is_staff=True)
    client_for(root).post(url)
    assert not Authenticator.objects.filter(user=other_admin).exists()


def test_another_organizations_member_is_out_of_reach(client_for, other_admin, enrolled):
    url = reverse("signin:two-factor-reset", args=[enrolled.pk])
    assert client_for(other_admin).post(url).status_code == 404
    assert Authenticator.objects.filter(user=enrolled).exists()


def test_password_login_turned_off_is_refused_with_words(client, org, coordinator):
    SignInPolicy.objects.create(organization=org, password_login_allowed=False)
    response = log_in(client, coordinator)
    assert response.status_code == 200
    assert "signs in with its Google or Microsoft account" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_password_reset_turned_off_sends_nothing(client, org, coordinator):
    SignInPolicy.objects.create(organization=org, password_reset_allowed=False)
    response = client.post(reverse("password_reset"), {"email": coordinator.email})
    assert response.status_code == 302  # the same answer as for anyone
    assert mail.outbox == []


def test_passwords_cannot_be_turned_off_without_a_provider(client_for, admin_user):
    client = client_for(admin_user)
    page = client.get(reverse("signin:settings"))
    version = page.context["form"]["version"].value()
    response = client.post(
        reverse("signin:settings"),
        {
            "password_login_allowed": "",
            "password_reset_allowed": "on",
            "version": version,
            "read_values": page.context["form"]["read_values"].value(),
        },
    )
    assert "Add and turn on a Google or Microsoft sign-in first" in response.content.decode()
    assert SignInPolicy.objects.get(organization=admin_user.organization).password_login_allowed


def test_the_django_admin_signs_in_through_the_login_page(client):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_superuser_is_always_sent_to_set_up_two_factor(client, db):
    root = UserFactory(organization=None, is_superuser=True, is_staff=True)
    log_in(client, root)
    assert client.get(reverse("admin:index"))["Location"] == reverse("mfa_activate_totp")
