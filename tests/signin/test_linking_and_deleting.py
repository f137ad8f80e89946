"""A signed-in person links their organization's provider from their own page (where the
provider vouches for no email, as Entra), and unlinks it; an org admin deletes a provider's
configuration after a confirmation; an admin's reset of a member's second factor shows in
that person's history."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.urls import reverse

from signin.models import IdentityProvider, ProviderKind, SignInPolicy
from tests.factories import UserFactory
from tests.signin.test_provider_signin import (
    TENANT,
    issuer,  # noqa: F401 (a fixture)
    make_provider,
    person,
    signed_in_as,
)

__all__ = ["issuer"]


def link(client, provider):
    """The Link button's round trip: our login URL with process=connect, the provider, back."""
    from urllib.parse import urlparse

    import requests

    start = client.post(
        reverse("openid_connect_login", args=[provider.slug]),
        {"process": "connect", "next": reverse("signin:linked-accounts")},
    )
    assert start.status_code == 302, start.content
    at_provider = requests.get(start["Location"], allow_redirects=False, timeout=5)
    back = urlparse(at_provider.headers["Location"])
    return client.get(f"{back.path}?{back.query}")


@pytest.fixture
def entra(org, issuer):  # noqa: F811
    return make_provider(org, issuer, kind=ProviderKind.ENTRA, tenant_id=TENANT)


def test_a_signed_in_person_links_entra_whose_email_is_not_vouched_for(
    client_for,
    org,
    entra,
    issuer,  # noqa: F811
):
    maria = UserFactory(organization=org, email="maria@example.org")
    client = client_for(maria)
    page = client.get(reverse("signin:linked-accounts"))
    assert "Link your Microsoft account" in page.content.decode()
    assert issuer.url.split("/")[2] in page["Content-Security-Policy"]

    # Entra gives an address that is not Maria's (an alias of another domain): no address
    # would match her, yet linking in her own session needs none.
    issuer.person = person("m.alias@contractor.example", sub="entra-oid", tid=TENANT, oid="x")
    done = link(client, entra)
    assert done.status_code == 302 and done["Location"] == reverse("signin:linked-accounts")
    linked = SocialAccount.objects.get(provider=entra.slug)
    assert linked.user == maria and linked.uid == f"{TENANT}:x"
    assert "is linked" in client.get(done["Location"]).content.decode()

    # From then on Maria signs in with it.
    client.logout()
    from tests.signin.test_provider_signin import sign_in

    sign_in(client, entra)
    assert signed_in_as(client) == maria


def test_linking_an_account_already_someone_elses_is_refused(
    client_for,
    org,
    entra,
    issuer,  # noqa: F811
):
    maria = UserFactory(organization=org, email="maria@example.org")
    other = UserFactory(organization=org, email="other@example.org")
    issuer.person = person("other@example.org", sub="entra-oid", tid=TENANT, oid="x")
    account = SocialAccount.objects.create(user=other, provider=entra.slug, uid=f"{TENANT}:x")
    response = link(client_for(maria), entra)
    assert response.status_code == 403
    assert "already linked to another person" in response.content.decode()
    account.refresh_from_db()
    assert account.user == other


def test_another_organizations_provider_cannot_be_linked(
    client_for,
    org,
    other_org,
    issuer,  # noqa: F811
):
    theirs = make_provider(other_org, issuer)
    maria = UserFactory(organization=org, email="maria@example.org")
    issuer.person = person("maria@example.org")
    response = link(client_for(maria), theirs)
    assert response.status_code == 403
    assert not SocialAccount.objects.exists()


def test_a_personal_google_account_is_not_linked(client_for, org, issuer):  # noqa: F811
    google = make_provider(org, issuer)
    maria = UserFactory(organization=org, email="maria@example.org")
    issuer.person = person("maria.private@gmail.example", sub="private")
    response = link(client_for(maria), google)
    assert response.status_code == 403
    assert "is not of a domain it signs in with" in response.content.decode()
    assert not SocialAccount.objects.exists()


def test_a_person_unlinks_their_account(client_for, org, entra):
    maria = UserFactory(organization=org, email="maria@example.org")
    SocialAccount.objects.create(user=maria, provider=entra.slug, uid="x")
    client = client_for(maria)
    assert "Unlink Microsoft" in client.get(reverse("signin:linked-accounts")).content.decode()
    client.post(reverse("signin:unlink", args=[entra.pk]))
    assert not SocialAccount.objects.exists()


def test_no_unlinking_where_only_the_provider_signs_in(client_for, org, entra):
    SignInPolicy.objects.create(organization=org, password_login_allowed=False)
    maria = UserFactory(organization=org, email="maria@example.org")
    SocialAccount.objects.create(user=maria, provider=entra.slug, uid="x")
    client = client_for(maria)
    assert "Unlink" not in client.get(reverse("signin:linked-accounts")).content.decode()
    assert client.post(reverse("signin:unlink", args=[entra.pk])).status_code == 403
    assert SocialAccount.objects.exists()


def test_without_providers_the_page_says_how_people_sign_in(client_for, coordinator):
    page = client_for(coordinator).get(reverse("signin:linked-accounts"))
    assert "offers no Google or Microsoft sign-in" in page.content.decode()


def test_an_org_admin_deletes_a_provider_after_confirming(client_for, org, admin_user, entra):
    maria = UserFactory(organization=org, email="maria@example.org")
    SocialAccount.objects.create(user=maria, provider=entra.slug, uid="x")
    client = client_for(admin_user)
    edit = client.get(reverse("signin:provider-update", args=[entra.pk])).content.decode()
    assert reverse("signin:provider-delete", args=[entra.pk]) in edit
    confirm = client.get(reverse("signin:provider-delete", args=[entra.pk])).content.decode()
    assert "the 1 account linked through it is unlinked" in confirm
    assert IdentityProvider.objects.filter(pk=entra.pk).exists()  # not before the POST
    done = client.post(reverse("signin:provider-delete", args=[entra.pk]), follow=True)
    assert "Microsoft sign-in deleted" in done.content.decode()
    assert not IdentityProvider.objects.exists() and not SocialAccount.objects.exists()


def test_the_only_way_in_is_not_deleted(client_for, org, admin_user, entra):
    SignInPolicy.objects.create(organization=org, password_login_allowed=False)
    client = client_for(admin_user)
    refused = client.post(reverse("signin:provider-delete", args=[entra.pk]))
    assert refused.status_code == 409
    assert "Turn password login back on" in refused.content.decode()
    assert IdentityProvider.objects.filter(pk=entra.pk).exists()


def test_another_organizations_admin_cannot_delete_mine(client_for, other_admin, entra):
    assert (
        client_for(other_admin).post(reverse("signin:provider-delete", args=[entra.pk])).status_code
        == 404
    )
    assert IdentityProvider.objects.exists()


def test_a_reset_second_factor_shows_in_the_persons_history(client_for, org, admin_user):
    dina = UserFactory(organization=org, email="dina@example.org", roles=["director"])
    Authenticator.objects.create(user=dina, type="totp", data={"secret": "x"})
    client = client_for(admin_user)
    client.post(reverse("signin:two-factor-reset", args=[dina.pk]))
    page = client.get(reverse("coordinators:person-update", args=[dina.pk])).content.decode()
    assert (
        "Two-factor sign-in: set up → reset (authenticator app and recovery codes removed)" in page
    )
    assert admin_user.display_name in page.split('id="change-history"')[1]
