from django.urls import path

from coordinators import admin_views, import_views, views

app_name = "coordinators"
urlpatterns = [
    path("me/", views.my_growth, name="my-growth"),
    path("team/", views.my_team, name="my-team"),
    path("organization/", views.organization, name="organization"),
    path("no-role/", views.no_role, name="no-role"),
]

# The org admin's roster import (coordinators/import_views.py).
urlpatterns += [
    path("organization/import/", import_views.roster_import, name="roster-import"),
    path(
        "organization/import/confirm/",
        import_views.roster_import_confirm,
        name="roster-import-confirm",
    ),
    path(
        "organization/import/status/<str:result_id>/",
        import_views.roster_import_status,
        name="roster-import-status",
    ),
    path(
        "organization/import/template/<slug:kind>/",
        import_views.roster_template,
        name="roster-template",
    ),
]

# The org admin's schools, teams and people, one at a time (coordinators/admin_views.py).
urlpatterns += [
    path("organization/schools/", admin_views.SchoolListView.as_view(), name="school-list"),
    path("organization/schools/new/", admin_views.SchoolCreateView.as_view(), name="school-create"),
    path(
        "organization/schools/<int:pk>/edit/",
        admin_views.SchoolUpdateView.as_view(),
        name="school-update",
    ),
    path(
        "organization/schools/<int:pk>/deactivate/",
        admin_views.school_deactivate,
        name="school-deactivate",
    ),
    path(
        "organization/schools/<int:pk>/reactivate/",
        admin_views.school_reactivate,
        name="school-reactivate",
    ),
    path("organization/teams/", admin_views.TeamListView.as_view(), name="team-list"),
    path("organization/teams/new/", admin_views.TeamCreateView.as_view(), name="team-create"),
    path(
        "organization/teams/<int:pk>/edit/",
        admin_views.TeamUpdateView.as_view(),
        name="team-update",
    ),
    path("organization/people/", admin_views.PersonListView.as_view(), name="person-list"),
    path("organization/people/new/", admin_views.PersonCreateView.as_view(), name="person-create"),
    path(
        "organization/people/<int:pk>/edit/",
        admin_views.PersonUpdateView.as_view(),
        name="person-update",
    ),
    path(
        "organization/people/<int:pk>/deactivate/",
        admin_views.person_deactivate,
        name="person-deactivate",
    ),
    path(
        "organization/people/<int:pk>/reactivate/",
        admin_views.person_reactivate,
        name="person-reactivate",
    ),
]
