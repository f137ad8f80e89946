from django.utils import timezone

from api.models import ApiToken
from coordinators import public_tokens


def api_token_create(*, organization, actor, name: str) -> tuple[ApiToken, str]:
    """A new token; the text is returned once and never stored."""
    raw, digest = public_tokens.mint()
    token = ApiToken.objects.create(
        organization=organization, name=name, digest=digest, created_by=actor
    )
    return token, raw


def api_token_revoke(*, token: ApiToken) -> bool:
    """Revoke the token; False if it already was."""
    return bool(
        ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
    )
