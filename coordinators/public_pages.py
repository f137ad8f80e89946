"""The one way a page opened with a token answers (coordinators/public_tokens.py): no login
asked, a rate per client address, and on every answer, whatever it is, no referrer and
nothing cached.

Such a page keeps Django's CSRF check, token and all, with one difference: under
``Referrer-Policy: no-referrer`` browsers send ``Origin: null`` with the page's own form, which
the site-wide check refuses; here that origin is accepted (the form's CSRF token is still
required).

A view decorated with :func:`public_token_page` receives the raw token and looks it up
itself; for a wrong, expired, revoked or used one it returns :func:`link_not_working`, the
same page whichever it was."""

from __future__ import annotations

import functools

from django.contrib.auth.decorators import login_not_required
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import render
from django.utils.decorators import decorator_from_middleware
from django.views.decorators.csrf import csrf_exempt

from coordinators import public_tokens
from coordinators.ratelimits import RateLimited, client_address, rate_check, too_many

NOT_WORKING_TEMPLATE = "components/public_link_not_working.html"


class NoReferrerCsrf(CsrfViewMiddleware):
    """Django's CSRF check, except that ``Origin: null`` (a form posted from a page served
    with ``Referrer-Policy: no-referrer``) is accepted."""

    def _origin_verified(self, request):
        return request.META.get("HTTP_ORIGIN") == "null" or super()._origin_verified(request)


csrf_without_referrer = decorator_from_middleware(NoReferrerCsrf)


def public_token_page(view):
    """Decorate a view taking ``token`` from its URL."""

    @login_not_required
    @csrf_exempt  # from the site-wide check: csrf_without_referrer makes it here
    @csrf_without_referrer
    @functools.wraps(view)
    def wrapped(request, token: str, *args, **kwargs):
        try:
            rate_check(
                request,
                limit="public-token",
                key=client_address,
                message="Too many attempts from this address. Please try again later.",
            )
        except RateLimited as refusal:
            return public_tokens.no_trace(too_many(request, refusal))
        return public_tokens.no_trace(view(request, token, *args, **kwargs))

    wrapped.opened_with_a_token = True
    return wrapped


def link_not_working(request):
    """One answer for every link that does not open anything (404, the same words)."""
    return render(request, NOT_WORKING_TEMPLATE, status=404)
