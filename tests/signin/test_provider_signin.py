"""Signing in with an organization's OpenID Connect provider, against a provider served by the
test: only into an account the roster has, first by a verified email, then by the provider's
stable subject; every spoiled answer refused with words, and no account ever created."""

from urllib.parse import urlparse

import pytest
import requests
from allauth.socialaccount.models import SocialAccount
from django.urls import reverse

from coordinators.models import User
from signin.models import IdentityProvider, ProviderKind
from signin.secrets import secret_encrypt
from tests.factories import UserFactory
from tests.signin.fake_issuer import CLIENT_ID, CLIENT_SECRET, FakeIssuer

TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"


@pytest.fixture
def issuer():
    with FakeIssuer() as running:
        yield running


def make_provider(org, issuer, kind=ProviderKind.GOOGLE, **extra):
    return IdentityProvider.objects.create(
        organization=org,
        kind=kind,
        slug=f"{org.slug}-{kind}",
        issuer=issuer.url,
        client_id=CLIENT_ID,
        client_secret_encrypted=secret_encrypt(CLIENT_SECRET),
        allowed_domains="example.org",
        **extra,
    )


@pytest.fixture
def google(org, issuer):
    return make_provider(org, issuer)


def sign_in(client, provider, *, replay=False):
    """The browser's round trip: our login URL, the provider's authorize page, our callback."""
    start = client.post(reverse("openid_connect_login", args=[provider.slug]))
    assert start.status_code == 302, start.content
    at_provider = requests.get(start["Location"], allow_redirects=False, timeout=5)
    back = urlparse(at_provider.headers["Location"])
    response = client.get(f"{back.path}?{back.query}")
    if replay:
        return response, client.get(f"{back.path}?{back.query}")
    return response


def signed_in_as(client):
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def person(email, sub="google-sub-1", verified=True, **claims):
    return {"sub": sub, "email": email, "email_verified": verified, "name": "Maria", **claims}


def test_first_sign_in_by_verified_email_then_by_subject(client, org, google, issuer):
    maria = UserFactory(organization=org, email="maria@example.org")
    issuer.person = person("maria@example.org")
    response = sign_in(client, google)
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert signed_in_as(client) == maria
    assert SocialAccount.objects.get(user=maria).uid == "google-sub-1"

    # Later the provider says another address: the subject still names Maria.
    client.logout()
    issuer.person = person("maria.new@example.org")
    sign_in(client, google)
    assert signed_in_as(client) == maria


def test_another_subject_with_a_linked_address_is_refused(client, org, google, issuer):
    maria = UserFactory(organization=org, email="maria@example.org")
    SocialAccount.objects.create(user=maria, provider=google.slug, uid="google-sub-1")
    issuer.person = person("maria@example.org", sub="someone-else")
    response = sign_in(client, google)
    assert response.status_code == 403
    assert "already linked to another Google account" in response.content.decode()
    assert signed_in_as(client) is None


def test_an_unknown_person_is_refused_and_no_account_is_made(client, org, google, issuer):
    issuer.person = person("stranger@example.org")
    users = User.objects.count()
    response = sign_in(client, google)
    assert response.status_code == 403
    assert "There is no Growth Matrix account for stranger@example.org" in (
        response.content.decode()
    )
    assert User.objects.count() == users
    assert signed_in_as(client) is None


def test_an_unverified_email_is_not_matched(client, org, google, issuer):
    UserFactory(organization=org, email="maria@example.org")
    issuer.person = person("maria@example.org", verified=False)
    response = sign_in(client, google)
    assert response.status_code == 403
    assert "did not confirm your email address" in response.content.decode()
    assert signed_in_as(client) is None


def test_an_address_of_another_organization_is_refused(client, org, other_org, google, issuer):
    UserFactory(organization=other_org, email="olga@example.org")
    issuer.person = person("olga@example.org")
    response = sign_in(client, google)
    assert response.status_code == 403
    assert signed_in_as(client) is None


def test_an_address_outside_the_allowed_domains_is_refused(client, org, google, issuer):
    UserFactory(organization=org, email="maria@gmail.com")
    issuer.person = person("maria@gmail.com")
    response = sign_in(client, google)
    assert response.status_code == 403
    assert "not an address" in response.content.decode()
    assert signed_in_as(client) is None


@pytest.mark.parametrize(
    "spoil",
    [
        pytest.param({"audience": "another-client"}, id="wrong audience"),
        pytest.param({"lifetime": -300}, id="expired token"),
    ],
)
def test_a_spoiled_id_token_is_refused(client, org, google, issuer, spoil):
    UserFactory(organization=org, email="maria@example.org")
    issuer.person = person("maria@example.org")
    for name, value in spoil.items():
        setattr(issuer, name, value)
    response = sign_in(client, google)
    assert response.status_code == 401
    assert "did not complete" in response.content.decode()
    assert signed_in_as(client) is None


def test_a_replayed_state_is_refused(client, org, google, issuer):
    maria = UserFactory(organization=org, email="maria@example.org")
    issuer.person = person("maria@example.org")
    first, again = sign_in(client, google, replay=True)
    assert signed_in_as(client) == maria
    client.logout()
    assert again.status_code == 401


def test_a_disabled_provider_is_not_offered(client, org, google, issuer):
    google.enabled = False
    google.save()
    response = client.post(reverse("openid_connect_login", args=[google.slug]))
    assert response.status_code == 404


def test_entra_matches_its_own_tenant_by_object_id(client, org, issuer):
    entra = make_provider(org, issuer, kind=ProviderKind.ENTRA, tenant_id=TENANT)
    maria = UserFactory(organization=org, email="maria@example.org")
    # Entra never marks its email claim verified: the tenant vouches for it.
    issuer.person = {
        "sub": "pairwise",
        "oid": "object-1",
        "tid": TENANT,
        "email": "maria@example.org",
    }
    sign_in(client, entra)
    assert signed_in_as(client) == maria
    assert SocialAccount.objects.get(user=maria).uid == f"{TENANT}:object-1"


def test_entra_of_another_tenant_is_refused(client, org, issuer):
    entra = make_provider(org, issuer, kind=ProviderKind.ENTRA, tenant_id=TENANT)
    UserFactory(organization=org, email="maria@example.org")
    issuer.person = {
        "sub": "x",
        "oid": "object-1",
        "tid": "another-tenant",
        "email": "maria@example.org",
    }
    response = sign_in(client, entra)
    assert response.status_code == 403
    assert "belongs to another organization" in response.content.decode()
    assert signed_in_as(client) is None


def test_a_deactivated_person_is_refused(client, org, google, issuer):
    maria = UserFactory(organization=org, email="maria@example.org", is_active=False)
    SocialAccount.objects.create(user=maria, provider=google.slug, uid="google-sub-1")
    issuer.person = person("maria@example.org")
    response = sign_in(client, google)
    assert response.status_code == 403
    assert signed_in_as(client) is None


def test_the_login_page_finds_the_organizations_sign_in_by_email(client, org, google):
    response = client.post(reverse("signin:lookup"), {"email": "maria@example.org"})
    page = response.content.decode()
    assert "Continue with Google" in page
    assert reverse("openid_connect_login", args=[google.slug]) in page

    elsewhere = client.post(reverse("signin:lookup"), {"email": "maria@elsewhere.net"})
    assert "Continue with" not in elsewhere.content.decode()
    assert "No organization signs in here" in elsewhere.content.decode()


def test_the_looked_up_page_lets_its_forms_go_to_the_provider_only(client, org, google, issuer):
    response = client.post(reverse("signin:lookup"), {"email": "maria@example.org"})
    policy = response["Content-Security-Policy"]
    form_action = next(d for d in policy.split(";") if d.strip().startswith("form-action"))
    assert form_action.split()[1:] == ["'self'", issuer.url]
