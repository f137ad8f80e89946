from django.urls import path

from rubrics import views

app_name = "rubrics"

# The org admin's rubric editor (rubrics/views.py).
urlpatterns = [
    path("rubrics/", views.role_family_list, name="role-family-list"),
    path(
        "rubrics/families/new/", views.RoleFamilyCreateView.as_view(), name="role-family-create"
    ),
    path(
        "rubrics/families/<int:pk>/rename/",
        views.RoleFamilyUpdateView.as_view(),
        name="role-family-update",
    ),
    path("rubrics/people/", views.role_family_people, name="role-family-people"),
    path("rubrics/people/move/", views.role_family_assign_view, name="role-family-assign"),
    path("rubrics/families/<int:pk>/", views.rubric_detail, name="rubric-detail"),
    path(
        "rubrics/families/<int:pk>/draft/", views.rubric_draft_create, name="rubric-draft-create"
    ),
    path("rubrics/versions/<int:pk>/", views.rubric_version_detail, name="rubric-version-detail"),
    path("rubrics/versions/<int:pk>/edit/", views.rubric_draft, name="rubric-draft"),
    path(
        "rubrics/versions/<int:pk>/edit/<str:key>/",
        views.rubric_category_edit,
        name="rubric-category-edit",
    ),
    path(
        "rubrics/versions/<int:pk>/edit/<str:key>/carry/",
        views.rubric_category_carry,
        name="rubric-category-carry",
    ),
    path("rubrics/versions/<int:pk>/compare/", views.rubric_compare, name="rubric-compare"),
    path("rubrics/versions/<int:pk>/publish/", views.rubric_publish, name="rubric-publish"),
    path("rubrics/versions/<int:pk>/discard/", views.rubric_discard, name="rubric-discard"),
    path("rubrics/versions/<int:pk>/history/", views.rubric_history, name="rubric-history"),
]
