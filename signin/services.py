"""Writes of the sign-in settings and of second factors."""

import secrets as token_secrets

from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.db import transaction
from django.utils.text import slugify

from coordinators.models import Organization, User
from signin.models import IdentityProvider, TwoFactorReset
from signin.secrets import secret_encrypt


def provider_slug(*, organization: Organization, kind: str) -> str:
    """The provider's id in its URLs: the organization and the kind, and a few random
    characters so that it says nothing guessable about the next organization's."""
    return f"{slugify(organization.slug)[:40]}-{kind}-{token_secrets.token_hex(3)}"


def provider_secret_set(*, provider: IdentityProvider, secret: str) -> None:
    """Keep a newly typed client secret, encrypted; an empty one keeps the stored secret."""
    if secret:
        provider.client_secret_encrypted = secret_encrypt(secret)


@transaction.atomic
def two_factor_reset(*, member: User, actor: User) -> TwoFactorReset:
    """Remove the member's authenticator app and recovery codes, record who did it and email
    the member; they set a new factor up at their next sign-in if one is required."""
    Authenticator.objects.filter(user=member).delete()
    reset = TwoFactorReset.objects.create(
        organization_id=member.organization_id, member=member, reset_by=actor
    )
    from signin.emails import send_two_factor_reset

    transaction.on_commit(lambda: send_two_factor_reset.enqueue(reset.pk))
    return reset


@transaction.atomic
def provider_delete(*, provider: IdentityProvider) -> int:
    """Delete the provider's configuration and the accounts linked through it (they sign in
    nowhere else); returns how many people had one linked."""
    linked = SocialAccount.objects.filter(provider=provider.slug)
    people = linked.count()  # one account per person and provider
    linked.delete()
    provider.delete()
    return people


def sign_in_link_remove(*, user: User, provider: IdentityProvider) -> bool:
    """Unlink the person's account of this provider; False when none was linked."""
    linked = SocialAccount.objects.filter(user=user, provider=provider.slug)
    found = linked.exists()
    linked.delete()
    return found
