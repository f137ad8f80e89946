"""django-allauth adapters: nobody signs up, an organization's account signs in only someone
its roster already has, and sign-in through the login page and through a provider end alike."""

import logging

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialAccount, SocialApp
from allauth.socialaccount.providers.base.constants import AuthProcess
from allauth.socialaccount.providers.openid_connect.provider import _pick_data
from django.contrib import messages
from django.shortcuts import render
from django.urls import reverse

from coordinators.models import User
from signin import presets
from signin.enforcement import note_two_factor_due
from signin.models import IdentityProvider

logger = logging.getLogger(__name__)

BACKEND = "growthmatrix.backends.ModelBackend"
# allauth's "signed in as" / "signed out" notes: the landing page says who is signed in.
# allauth's notes after linking an account: the linking says it in its own words instead.
QUIET_MESSAGES = {
    "account/messages/logged_in.txt",
    "account/messages/logged_out.txt",
    "socialaccount/messages/account_connected.txt",
    "socialaccount/messages/account_connected_updated.txt",
}


def refuse(request, reason: str, *, provider: IdentityProvider | None = None, status=403):
    """The sign-in stops here, on a page that says why and what to do."""
    logger.info("Sign-in refused (%s): %s", provider.slug if provider else "-", reason)
    raise ImmediateHttpResponse(
        render(
            request,
            "signin/refused.html",
            {"reason": reason, "provider": provider},
            status=status,
        )
    )


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        return False

    def is_reauthentication_required(self, *, app: str = "") -> bool:
        # Setting up or changing a second factor happens in a signed-in session, right after
        # sign-in when it is required; people signed in by their organization's account have
        # no password to confirm it with.
        return False

    def add_message(self, request, level, message_template=None, *args, **kwargs):
        if message_template in QUIET_MESSAGES:
            return
        super().add_message(request, level, message_template, *args, **kwargs)

    def login(self, request, user):
        if not hasattr(user, "backend"):
            user.backend = BACKEND
        super().login(request, user)

    def post_login(self, request, user, **kwargs):
        note_two_factor_due(request, user)
        return super().post_login(request, user, **kwargs)

    def respond_user_inactive(self, request, user):
        refuse_page = render(
            request,
            "signin/refused.html",
            {"reason": "This account is deactivated. Ask your organization's admin."},
            status=403,
        )
        return refuse_page


def provider_of(sociallogin) -> IdentityProvider | None:
    return (
        IdentityProvider.objects.select_related("organization")
        .filter(slug=sociallogin.account.provider, enabled=True)
        .first()
    )


def trusted_email(provider: IdentityProvider, claims: dict) -> str:
    """The address the provider vouches for, or empty: one it marks verified; for Entra, which
    marks none, an address of the organization's own tenant (checked before this is called)."""
    address = str(claims.get("email") or "").strip().lower()
    if provider.kind == presets.ENTRA:
        address = address or str(claims.get("preferred_username") or "").strip().lower()
        return address if "@" in address else ""
    verified = claims.get("email_verified")
    if verified is True or str(verified).lower() == "true":
        return address
    return ""


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin):
        return False

    def is_auto_signup_allowed(self, request, sociallogin):
        return False

    def list_apps(self, request, provider=None, client_id=None):
        """The organizations' providers as allauth's apps (built, never stored as such)."""
        rows = IdentityProvider.objects.filter(enabled=True)
        if provider and provider != "openid_connect":
            rows = rows.filter(slug=provider)
        if client_id:
            rows = rows.filter(client_id=client_id)
        return [social_app_of(row) for row in rows]

    def on_authentication_error(
        self, request, provider, error=None, exception=None, extra_context=None
    ):
        logger.info("Provider sign-in failed: %s %r", error, exception)
        refuse(
            request,
            f"Sign-in with {provider.name} did not complete: it was cancelled, its answer "
            "could not be checked, or this sign-in link was already used. Start again from "
            "the login page.",
            status=401,
        )

    def get_connect_redirect_url(self, request, socialaccount):
        return reverse("signin:linked-accounts")

    def pre_social_login(self, request, sociallogin):
        provider = provider_of(sociallogin)
        if provider is None:
            refuse(request, "This sign-in is no longer offered. Start again from the login page.")
        claims = _pick_data(sociallogin.account.extra_data)
        id_token = sociallogin.account.extra_data.get("id_token") or claims
        if provider.kind == presets.ENTRA and id_token.get("tid") != provider.tenant_id:
            refuse(
                request,
                f"This Microsoft account belongs to another organization's directory than "
                f"{provider.organization}'s. Sign in with your work account of "
                f"{provider.organization}.",
                provider=provider,
            )
        if sociallogin.state.get("process") == AuthProcess.CONNECT:
            self._link_to_signed_in(request, sociallogin, provider, claims)
            return
        if sociallogin.is_existing:
            user = sociallogin.user
            if user.organization_id != provider.organization_id or not user.is_active:
                refuse(
                    request,
                    f"Your account is no longer active at {provider.organization}. Ask your "
                    "organization's admin.",
                    provider=provider,
                )
            return
        self._link_by_email(request, sociallogin, provider, claims)

    def _link_to_signed_in(self, request, sociallogin, provider, claims) -> None:
        """Link the provider's account to the person signed in, from their linked accounts
        page: no email needs to match theirs (Entra vouches for none), since they proved
        both. It must still be a work account: of the organization's tenant (Entra, checked
        before) or of one of its allowed domains. From then on they sign in by the provider's
        stable id."""
        user = request.user
        if not user.is_authenticated:
            refuse(request, "Sign in first, then link your account from your account page.")
        if user.organization_id != provider.organization_id:
            refuse(
                request,
                "This sign-in belongs to another organization than yours; it cannot be "
                "linked to your account.",
                provider=provider,
            )
        if provider.kind != presets.ENTRA:
            address = str(claims.get("email") or "").strip().lower()
            if presets.email_domain(address) not in provider.domains:
                refuse(
                    request,
                    f"Link your work account of {provider.organization}: "
                    f"{address or 'this account'} is not of a domain it signs in with.",
                    provider=provider,
                )
        if sociallogin.is_existing:
            if sociallogin.user.pk != user.pk:
                refuse(
                    request,
                    f"This {provider.label} account is already linked to another person's "
                    "Growth Matrix account. Sign in with your own, or ask your organization's "
                    "admin.",
                    provider=provider,
                )
            messages.info(request, f"Your {provider.label} account was already linked.")
            return
        if SocialAccount.objects.filter(user=user, provider=provider.slug).exists():
            refuse(
                request,
                f"Your Growth Matrix account is already linked to another {provider.label} "
                "account. Unlink that one first on your linked accounts page.",
                provider=provider,
            )
        # Linked without saving the person again (allauth's connect would write a blank
        # change into their history).
        sociallogin.user = user
        sociallogin.account.user = user
        sociallogin.account.save()
        messages.success(
            request,
            f"Your {provider.label} account is linked: you can sign in with it from the login "
            "page.",
        )

    def _link_by_email(self, request, sociallogin, provider, claims) -> None:
        """The first sign-in: the roster's account with the provider's verified address, if it
        has not already been linked to another account of this provider."""
        address = trusted_email(provider, claims)
        if not address:
            refuse(
                request,
                f"{provider.label} did not confirm your email address, so it cannot be matched "
                "to an account. Sign in with your password once, or ask your organization's "
                "admin.",
                provider=provider,
            )
        if presets.email_domain(address) not in provider.domains:
            refuse(
                request,
                f"{address} is not an address {provider.organization} signs in with here. "
                "Sign in with your work account.",
                provider=provider,
            )
        user = User.objects.filter(
            email=address, organization_id=provider.organization_id, is_active=True
        ).first()
        if user is None:
            refuse(
                request,
                f"There is no Growth Matrix account for {address} at "
                f"{provider.organization}. Signing in never creates an account: ask your "
                "organization's admin to add you to the roster.",
                provider=provider,
            )
        if SocialAccount.objects.filter(user=user, provider=provider.slug).exists():
            refuse(
                request,
                f"The account for {address} is already linked to another {provider.label} "
                "account. Sign in with that one, or ask your organization's admin.",
                provider=provider,
            )
        # Linked without saving the person again (allauth's connect would write a blank
        # change into their history).
        sociallogin.user = user
        sociallogin.account.user = user
        sociallogin.account.save()


def social_app_of(row: IdentityProvider) -> SocialApp:
    preset = row.preset
    return SocialApp(
        provider="openid_connect",
        provider_id=row.slug,
        name=row.label,
        client_id=row.client_id,
        secret=row.client_secret(),
        settings={
            "server_url": row.issuer_url,
            "uid_claims": list(preset.uid_claims),
            "fetch_userinfo": preset.fetch_userinfo,
            "oauth_pkce_enabled": True,
        },
    )
