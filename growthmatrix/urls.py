from django.contrib import admin
from django.urls import include, path

from growthmatrix import pages, views
from growthmatrix.forms import LoginForm

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
    path("admin/", admin.site.urls),
    path("", include((landing_patterns, "pages"))),
    path("", include("growthmatrix.roster.urls")),
    path("", include("coordinators.urls")),
    path("", include("rubrics.urls")),
    path("", include("assessments.urls")),
    path("", include("dashboards.urls")),
    path("growth/", include("growth.urls")),
]
