from django.contrib import admin
from django.contrib.auth.views import LoginView
from django.urls import include, path

from growthmatrix import views
from growthmatrix.forms import LoginForm

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    # Django's login view with a form that checks the email's length (growthmatrix/forms.py).
    path("accounts/login/", LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("", include("coordinators.urls")),
    path("", include("assessments.urls")),
    path("growth/", include("growth.urls")),
]
