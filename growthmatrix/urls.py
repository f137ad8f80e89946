from allauth.account.decorators import secure_admin_login
from allauth.mfa.base import views as mfa_views
from allauth.socialaccount.providers.openid_connect import urls as oidc_urls
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from api import urls as api_urls
from growthmatrix import pages, views
from growthmatrix.forms import LoginForm

# The Django admin signs people in through the product's login page, so that a superuser's
# second factor is asked there too.
admin.site.login = secure_admin_login(admin.site.login)

# allauth's two-factor pages: the overview, the code asked at login, the authenticator app and
# the recovery codes (no re-authentication page: setting up a factor needs none here).
mfa_patterns = [
    path("", mfa_views.index, name="mfa_index"),
    path("authenticate/", mfa_views.authenticate, name="mfa_authenticate"),
    path("totp/", include("allauth.mfa.totp.urls")),
    path("recovery-codes/", include("allauth.mfa.recovery_codes.urls")),
]

# Each person's landing page: the coordinator's growth, the director's team, the org admin's
# organization (growthmatrix/pages.py).
landing_patterns = [
    path("me/", pages.my_growth, name="my-growth"),
    path("team/", pages.my_team, name="my-team"),
    path("organization/", pages.organization, name="organization"),
    path("no-role/", pages.no_role, name="no-role"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    # Browsers ask for /favicon.ico on pages that name no icon (a JSON error, a file download).
    path("favicon.ico", views.favicon, name="favicon"),
    # Django's login and logout views, following only a ``next`` of this site, with a form
    # that checks the email's length (growthmatrix/forms.py).
    path("accounts/login/", views.LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("accounts/logout/", views.LogoutView.as_view(), name="logout"),
    path("accounts/password_reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    # django-allauth, only what is used: the organizations' OpenID Connect sign-in
    # (/accounts/oidc/<provider>/login/ and its callback), two-factor (/accounts/2fa/), and
    # the name allauth sends people back to the login page by.
    path("accounts/", include(oidc_urls)),
    path("accounts/2fa/", include(mfa_patterns)),
    path(
        "accounts/login/start/",
        RedirectView.as_view(pattern_name="login", query_string=True),
        name="account_login",
    ),
    path("", include("signin.urls")),
    path("admin/", admin.site.urls),
    path("", include((landing_patterns, "pages"))),
    path("", include("growthmatrix.roster.urls")),
    path("", include("coordinators.urls")),
    path("", include("rubrics.urls")),
    path("", include("assessments.urls")),
    path("", include("evidence.urls")),
    path("", include("schoolsites.urls")),
    path("", include("dashboards.urls")),
    path("", include("api.urls")),
    path(
        "api/v1/",
        include((api_urls.v1_patterns, api_urls.v1_app_name), namespace=api_urls.v1_namespace),
    ),
    path("growth/", include("growth.urls")),
]
