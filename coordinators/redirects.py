"""Where a page goes back to after a save: the ``next`` a form or link carries, when it is a
path of this site, else the page's natural destination.

Only a local absolute path is followed: it starts with exactly one ``/`` and has no control
characters. A bare word such as ``oops`` would pass ``url_has_allowed_host_and_scheme`` (it
is a relative URL), and Django's ``redirect()`` would then try it as a URL pattern name and
fail after the write was saved; ``//host`` and ``/\\host`` are other sites to a browser.
"""

import unicodedata

from django.http import HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme

NEXT_FIELD = "next"


def local_path(request, value) -> str:
    """``value`` if it is a path of this site (``/…``), else ''."""
    if not isinstance(value, str) or not value.startswith("/") or value[1:2] in ("/", "\\"):
        return ""
    if any(unicodedata.category(char).startswith("C") for char in value):
        return ""
    if not url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return ""
    return value


def next_path(request) -> str:
    """The request's ``next`` (the form's first, else the query string's) if it is a path of
    this site, else ''."""
    for source in (request.POST, request.GET):
        if path := local_path(request, source.get(NEXT_FIELD, "")):
            return path
    return ""


def redirect_to_next(request, default: str) -> HttpResponseRedirect:
    """Back to the request's ``next`` when it is a path of this site, else to ``default``
    (a URL, already reversed)."""
    return HttpResponseRedirect(next_path(request) or default)
