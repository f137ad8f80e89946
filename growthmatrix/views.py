import logging

from allauth.account.utils import perform_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from coordinators.access import user_roles
from coordinators.models import Role
from coordinators.ratelimits import RateLimited, client_address, rate_check, too_many
from coordinators.redirects import next_path
from growthmatrix.forms import PasswordResetForm

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


@login_not_required
@require_GET
def favicon(request):
    """The icon's hashed static address, resolved per request (after collectstatic)."""
    return redirect(static("img/favicon.svg"))


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


RESETS_TOO_MANY = (
    "Too many password-reset emails were asked for this address or from this network "
    "recently. Check your inbox (and spam folder) for the last one, or try again later."
)


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset form, limited per address and per client so nobody can flood an inbox
    or probe many addresses; the answer never says whether an account exists."""

    form_class = PasswordResetForm

    def post(self, request, *args, **kwargs):
        address = request.POST.get("email", "").strip().lower()[:254]
        try:
            rate_check(
                request, limit="password-reset-client", key=client_address, message=RESETS_TOO_MANY
            )
            if address:
                rate_check(
                    request, limit="password-reset-address", key=address, message=RESETS_TOO_MANY
                )
        except RateLimited as refusal:
            return too_many(request, refusal)
        return super().post(request, *args, **kwargs)


class LocalNextMixin:
    """Django's account views follow any ``next`` their host check allows, a bare word
    included (a relative URL); these follow only a path of this site."""

    def get_redirect_url(self):
        return next_path(self.request)


class LoginView(LocalNextMixin, auth_views.LoginView):
    """Django's login form (throttled by django-axes); a valid login goes on through allauth's
    login steps, so a person with two-factor set up is asked for their code before being
    signed in."""

    def form_valid(self, form):
        return perform_login(self.request, form.get_user(), redirect_url=self.get_success_url())


class LogoutView(LocalNextMixin, auth_views.LogoutView):
    pass
