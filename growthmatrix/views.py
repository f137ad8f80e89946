import logging

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from coordinators.access import user_roles
from coordinators.models import Role

logger = logging.getLogger(__name__)

LANDING_BY_ROLE = [
    (Role.ADMIN, "pages:organization"),
    (Role.DIRECTOR, "pages:my-team"),
    (Role.COORDINATOR, "pages:my-growth"),
]


def home(request):
    """Send each person to where their work is."""
    held = user_roles(request.user)
    for role, url_name in LANDING_BY_ROLE:
        if role in held:
            return redirect(url_name)
    if request.user.is_superuser:
        return redirect("admin:index")
    return redirect("pages:no-role")


@login_not_required
@never_cache
@require_GET
def healthz(request):
    """For load balancers: is the database reachable? Says nothing else."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        logger.exception("Health check could not reach the database")
        return JsonResponse({"status": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


CSRF_REFUSAL = (
    "Not saved: this page's security token no longer matches your sign-in (you signed in "
    "again, perhaps in another tab, or the page was open for a very long time). Your text is "
    "still on this page: copy anything long you typed, reload the page, and save again."
)


@login_not_required
def csrf_failure(request, reason=""):
    """A refused form in the product's own layout, saying what happened and how to keep what
    was typed; the matrix's background save gets the same words as JSON and keeps the page."""
    logger.warning("CSRF refusal on %s: %s", request.path, reason)
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse({"saved": False, "message": CSRF_REFUSAL}, status=403)
    return render(request, "403_csrf.html", status=403)
