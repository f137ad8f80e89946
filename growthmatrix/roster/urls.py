from django.urls import path

from growthmatrix.roster import views

app_name = "roster"

# The org admin's roster import (growthmatrix/roster/views.py).
urlpatterns = [
    path("organization/import/", views.roster_import, name="roster-import"),
    path(
        "organization/import/confirm/",
        views.roster_import_confirm,
        name="roster-import-confirm",
    ),
    path(
        "organization/import/status/<str:result_id>/",
        views.roster_import_status,
        name="roster-import-status",
    ),
    path(
        "organization/import/template/<slug:kind>/",
        views.roster_template,
        name="roster-template",
    ),
]
