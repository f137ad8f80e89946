"""A person whose sign-in requires two-factor but who has none set up goes to the authenticator
set-up page from every page until it is done. Decided once, when they sign in through the login
page or their organization's account, and kept in the session: only such a session asks the
database, until the app is set up."""

from allauth.mfa.models import Authenticator
from django.shortcuts import redirect
from django.urls import reverse

from signin.access import two_factor_required

TWO_FACTOR_DUE = "signin_two_factor_due"


def has_authenticator_app(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def note_two_factor_due(request, user) -> None:
    if two_factor_required(user) and not has_authenticator_app(user):
        request.session[TWO_FACTOR_DUE] = True
    else:
        request.session.pop(TWO_FACTOR_DUE, None)


class TwoFactorDueMiddleware:
    # Pages that stay open meanwhile: the set-up itself, logging out, static files.
    OPEN_PREFIXES = ("/accounts/2fa/", "/accounts/logout/", "/static/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.user.is_authenticated
            and request.session.get(TWO_FACTOR_DUE)
            and not request.path.startswith(self.OPEN_PREFIXES)
        ):
            if not has_authenticator_app(request.user):
                return redirect(reverse("mfa_activate_totp"))
            del request.session[TWO_FACTOR_DUE]
        return self.get_response(request)
