"""How often one person, one address or one client may repeat an action.

Counters live in the default cache, so every server shares them when that cache is Redis
(``REDIS_URL``; ``manage.py check --deploy`` warns without it); a single development server
counts in its own memory. The rates are settings (``RATE_LIMITS``), so an installation can
tune them without a code change.
"""

from __future__ import annotations

import functools
import math

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django_ratelimit.core import get_usage


class RateLimited(Exception):
    """Refused for now; ``retry_after`` says in how many seconds to try again."""

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


def client_address(group, request) -> str:
    """The client's address as the login throttling sees it (behind the same proxies)."""
    return get_client_ip_address(request) or "unknown"


def signed_in_user(group, request) -> str:
    return str(request.user.pk)


def _wait(request, *, limit: str, key, count: bool) -> int | None:
    """Seconds until ``limit`` lets ``key`` (a function of the request, or a fixed value such
    as an email address) through again, or None when it does now; ``count`` adds this
    request to the counter first."""
    usage = get_usage(
        request,
        group=limit,
        key=key if callable(key) else (lambda group, request: key),
        rate=settings.RATE_LIMITS[limit],
        increment=count,
    )
    if usage is None or not usage["should_limit"]:
        return None
    # The counting window still holds during its last whole second: one more.
    return max(1, math.ceil(usage["time_left"]) + 1)


def rate_check(request, *, limit: str, key, message: str) -> None:
    """Count one more ``limit`` action for ``key`` and raise :class:`RateLimited` past the
    rate."""
    wait = _wait(request, limit=limit, key=key, count=True)
    if wait is not None:
        raise RateLimited(message, retry_after=wait)


def rate_exceeded(request, *, limit: str, key) -> int | None:
    """Without counting: the seconds until ``limit`` lets ``key`` through again, or None when
    it does now."""
    return _wait(request, limit=limit, key=key, count=False)


def too_many(request, refusal: RateLimited):
    """429 with ``Retry-After``: JSON for the pages' background saves, else a page."""
    if "application/json" in request.headers.get("Accept", ""):
        response = JsonResponse(
            {"saved": False, "message": refusal.message, "retry_after": refusal.retry_after},
            status=429,
        )
    else:
        response = render(request, "429.html", {"message": refusal.message}, status=429)
    response["Retry-After"] = str(refusal.retry_after)
    return response


def rate_limited(limit: str, *, key=signed_in_user, message: str, methods=("POST",)):
    """Decorate a view: requests of ``methods`` count towards ``limit`` per ``key``; past
    the rate the view is not called and the person is told when to try again."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method in methods:
                try:
                    rate_check(request, limit=limit, key=key, message=message)
                except RateLimited as refusal:
                    return too_many(request, refusal)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
