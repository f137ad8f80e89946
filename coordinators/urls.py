from django.urls import path

from coordinators import views

app_name = "coordinators"

# The org admin's schools, teams and people, one at a time (coordinators/views.py).
urlpatterns = [
    path("organization/schools/", views.SchoolListView.as_view(), name="school-list"),
    path("organization/schools/new/", views.SchoolCreateView.as_view(), name="school-create"),
    path(
        "organization/schools/<int:pk>/edit/",
        views.SchoolUpdateView.as_view(),
        name="school-update",
    ),
    path(
        "organization/schools/<int:pk>/deactivate/",
        views.school_deactivate,
        name="school-deactivate",
    ),
    path(
        "organization/schools/<int:pk>/reactivate/",
        views.school_reactivate,
        name="school-reactivate",
    ),
    path("organization/teams/", views.TeamListView.as_view(), name="team-list"),
    path("organization/teams/new/", views.TeamCreateView.as_view(), name="team-create"),
    path(
        "organization/teams/<int:pk>/edit/",
        views.TeamUpdateView.as_view(),
        name="team-update",
    ),
    path("organization/people/", views.PersonListView.as_view(), name="person-list"),
    path("organization/people/new/", views.PersonCreateView.as_view(), name="person-create"),
    path(
        "organization/people/<int:pk>/edit/",
        views.PersonUpdateView.as_view(),
        name="person-update",
    ),
    path(
        "organization/people/<int:pk>/roles/add/",
        views.person_role_add,
        name="person-role-add",
    ),
    path(
        "organization/people/<int:pk>/roles/remove/",
        views.person_role_remove,
        name="person-role-remove",
    ),
    path(
        "organization/people/<int:pk>/deactivate/",
        views.person_deactivate,
        name="person-deactivate",
    ),
    path(
        "organization/people/<int:pk>/reactivate/",
        views.person_reactivate,
        name="person-reactivate",
    ),
]
