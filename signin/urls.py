from django.urls import path

from signin import views

app_name = "signin"

urlpatterns = [
    path("organization/sign-in/", views.SignInSettingsView.as_view(), name="settings"),
    path(
        "organization/sign-in/providers/add/<slug:kind>/",
        views.ProviderCreateView.as_view(),
        name="provider-create",
    ),
    path(
        "organization/sign-in/providers/<int:pk>/",
        views.ProviderUpdateView.as_view(),
        name="provider-update",
    ),
    path(
        "organization/sign-in/providers/<int:pk>/delete/",
        views.provider_delete,
        name="provider-delete",
    ),
    path("accounts/linked/", views.linked_accounts, name="linked-accounts"),
    path("accounts/linked/<int:pk>/unlink/", views.sign_in_unlink, name="unlink"),
    path(
        "organization/sign-in/two-factor/<int:pk>/reset/",
        views.two_factor_reset,
        name="two-factor-reset",
    ),
    path("accounts/sign-in-with/", views.SignInLookupView.as_view(), name="lookup"),
]
