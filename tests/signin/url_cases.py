"""How the access table and the hostile-input tests reach the sign-in URLs: the org admin's
settings and provider forms, the reset of a lost second factor, the login page's look-up,
allauth's provider sign-in and its two-factor pages."""

from tests.access_world import UrlCase, no_fields


def _provider(world, actor, client) -> dict:
    return {
        "issuer": "https://id.example.net",
        "client_id": "a-new-client",
        "client_secret": "a-new-secret",
        "allowed_domains": f"{actor.replace('_', '-')}.example.net",
        "enabled": "on",
    }


def _provider_update(world, actor, client) -> dict:
    return {"client_id": "bay-client-2", "allowed_domains": "example.org", "enabled": "on"}


def _policy(world, actor, client) -> dict:
    return {
        "password_login_allowed": "on",
        "password_reset_allowed": "on",
        "two_factor_required_for_staff": "on",
    }


def _policy_row(world):
    from signin.models import SignInPolicy

    policy, _ = SignInPolicy.objects.get_or_create(organization=world.mine.org)
    return policy


CASES = [
    UrlCase("signin:settings", post=_policy, edits=_policy_row),
    UrlCase(
        "signin:provider-create",
        kwargs=lambda world: {"kind": "oidc"},
        post=_provider,
        texts=("client_id", "allowed_domains", "client_secret"),
    ),
    UrlCase(
        "signin:provider-update",
        kwargs=lambda world: {"pk": world.mine.identity_provider.pk},
        post=_provider_update,
        texts=("client_id",),
        edits=lambda world: world.mine.identity_provider,
    ),
    UrlCase(
        "signin:provider-delete",
        kwargs=lambda world: {"pk": world.mine.identity_provider.pk},
        post=no_fields,
    ),
    UrlCase("signin:linked-accounts"),
    UrlCase(
        "signin:unlink",
        kwargs=lambda world: {"pk": world.mine.identity_provider.pk},
        post=no_fields,
    ),
    UrlCase(
        "signin:two-factor-reset",
        kwargs=lambda world: {"pk": world.mine.teammate.user.pk},
        post=no_fields,
    ),
    UrlCase(
        "signin:lookup",
        post=lambda world, actor, client: {"email": "someone@example.org"},
        texts=("email",),
    ),
    UrlCase("account_login"),
    UrlCase(
        "openid_connect_login",
        kwargs=lambda world: {"provider_id": world.mine.identity_provider.slug},
    ),
    UrlCase(
        "openid_connect_callback",
        kwargs=lambda world: {"provider_id": world.mine.identity_provider.slug},
    ),
    UrlCase("mfa_index"),
    UrlCase("mfa_authenticate"),
    UrlCase("mfa_activate_totp"),
    UrlCase("mfa_deactivate_totp"),
    UrlCase("mfa_view_recovery_codes"),
    UrlCase("mfa_generate_recovery_codes"),
    UrlCase("mfa_download_recovery_codes"),
]
