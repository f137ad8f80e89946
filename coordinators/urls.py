from django.urls import path

from coordinators import views

app_name = "coordinators"


def _admin_pages(
    kind: str, folder: str, *, listing, create, update, deactivate=None, reactivate=None
):
    """One kind of thing the org admin keeps: its list, new and edit pages at
    ``organization/<folder>/``, named ``<kind>-list``, ``-create``, ``-update``, and, for what is
    deactivated rather than deleted, its deactivate and reactivate actions."""
    prefix = f"organization/{folder}/"
    pages = [
        path(prefix, listing, name=f"{kind}-list"),
        path(f"{prefix}new/", create, name=f"{kind}-create"),
        path(f"{prefix}<int:pk>/edit/", update, name=f"{kind}-update"),
    ]
    if deactivate is not None:
        pages += [
            path(f"{prefix}<int:pk>/deactivate/", deactivate, name=f"{kind}-deactivate"),
            path(f"{prefix}<int:pk>/reactivate/", reactivate, name=f"{kind}-reactivate"),
        ]
    return pages


# The org admin's schools, teams and people, one at a time (coordinators/views.py).
urlpatterns = [
    *_admin_pages(
        "school",
        "schools",
        listing=views.SchoolListView.as_view(),
        create=views.SchoolCreateView.as_view(),
        update=views.SchoolUpdateView.as_view(),
        deactivate=views.school_deactivate,
        reactivate=views.school_reactivate,
    ),
    *_admin_pages(
        "team",
        "teams",
        listing=views.TeamListView.as_view(),
        create=views.TeamCreateView.as_view(),
        update=views.TeamUpdateView.as_view(),
    ),
    *_admin_pages(
        "person",
        "people",
        listing=views.PersonListView.as_view(),
        create=views.PersonCreateView.as_view(),
        update=views.PersonUpdateView.as_view(),
        deactivate=views.person_deactivate,
        reactivate=views.person_reactivate,
    ),
    path(
        "organization/settings/",
        views.OrganizationSettingsView.as_view(),
        name="organization-settings",
    ),
    # A person's roles change one at a time, never by re-posting the whole set.
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
]

# One page of what a person may choose in a picker (people, schools, teams), as JSON.
urlpatterns.append(
    path("pickers/<slug:source>/", views.picker_options, name="picker-options"),
)
