import logging

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import redirect
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
