from django.urls import path

from growth import views

app_name = "growth"
urlpatterns = [
    # One coordinator's growth plan: goals, supports, career stage, promotions.
    path("people/<int:pk>/", views.profile_growth, name="profile-growth"),
    path("people/<int:pk>/goals/new/", views.GoalCreateView.as_view(), name="goal-create"),
    path("people/<int:pk>/supports/new/", views.SupportCreateView.as_view(), name="support-create"),
    path(
        "people/<int:pk>/supports/attach/<int:entry_pk>/",
        views.support_attach,
        name="support-attach",
    ),
    path(
        "people/<int:pk>/promotion/", views.PromotionCreateView.as_view(), name="promotion-create"
    ),
    path("goals/<int:pk>/edit/", views.GoalUpdateView.as_view(), name="goal-update"),
    path("goals/<int:pk>/status/", views.goal_status, name="goal-status"),
    path("goals/<int:pk>/delete/", views.goal_delete_view, name="goal-delete"),
    path("supports/<int:pk>/edit/", views.SupportUpdateView.as_view(), name="support-update"),
    path("supports/<int:pk>/delete/", views.support_delete_view, name="support-delete"),
    path("mentees/", views.mentee_list, name="mentee-list"),
    # The org admin's career stages and support catalogue.
    path("stages/", views.CareerStageListView.as_view(), name="stage-list"),
    path("stages/new/", views.CareerStageCreateView.as_view(), name="stage-create"),
    path("stages/<int:pk>/edit/", views.CareerStageUpdateView.as_view(), name="stage-update"),
    path("stages/<int:pk>/delete/", views.career_stage_delete_view, name="stage-delete"),
    path("catalogue/", views.CatalogueListView.as_view(), name="catalogue-list"),
    path("catalogue/new/", views.CatalogueCreateView.as_view(), name="catalogue-create"),
    path("catalogue/<int:pk>/edit/", views.CatalogueUpdateView.as_view(), name="catalogue-update"),
    path("catalogue/<int:pk>/delete/", views.catalogue_delete_view, name="catalogue-delete"),
]
