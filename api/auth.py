"""Bearer tokens of the read API: one organization's, read-only, revocable, and limited in how
often they may ask."""

from datetime import timedelta

from django.utils import timezone
from ninja.security import HttpBearer

from api.models import ApiToken
from coordinators import public_tokens
from coordinators.ratelimits import RateLimited, rate_check

TOO_MANY = "Too many requests with this token; wait for Retry-After seconds."
# The last-used date is kept to the minute: one write a minute per token, not one a request.
LAST_USED_STEP = timedelta(minutes=1)


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        if not public_tokens.plausible(token):
            return None
        row = (
            ApiToken.objects.select_related("organization")
            .filter(digest=public_tokens.digest(token), revoked_at__isnull=True)
            .first()
        )
        if row is None:
            return None
        rate_check(request, limit="api-token", key=f"api-token-{row.pk}", message=TOO_MANY)
        now = timezone.now()
        if row.last_used_at is None or now - row.last_used_at >= LAST_USED_STEP:
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        request.api_token = row
        return row


__all__ = ["TokenAuth", "RateLimited"]
