from django.urls import path

from growth import check_in_views, mentoring_views, views

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
    # Check-ins between the cycles.
    path("people/<int:pk>/check-ins/", check_in_views.check_in_list, name="check-in-list"),
    path(
        "people/<int:pk>/check-ins/new/",
        check_in_views.CheckInCreateView.as_view(),
        name="check-in-create",
    ),
    path("check-ins/<int:pk>/", check_in_views.check_in_detail, name="check-in-detail"),
    path(
        "check-ins/<int:pk>/edit/",
        check_in_views.CheckInUpdateView.as_view(),
        name="check-in-update",
    ),
    path("cadences/", check_in_views.cadence_list, name="cadence-list"),
    path("cadences/<int:pk>/", check_in_views.cadence_update, name="cadence-update"),
    path("coaching-actions/", check_in_views.coaching_actions_edit, name="coaching-actions"),
    # Mentoring.
    path("mentoring/", mentoring_views.mentoring_overview, name="mentoring"),
    path(
        "mentoring/programme/",
        mentoring_views.ProgrammeUpdateView.as_view(),
        name="programme-update",
    ),
    path("mentoring/offer/", mentoring_views.mentor_offer_view, name="mentor-offer"),
    path(
        "people/<int:pk>/mentors/",
        mentoring_views.mentor_suggestions_view,
        name="mentor-suggestions",
    ),
    path("people/<int:pk>/mentors/match/", mentoring_views.match_create_view, name="match-create"),
    path("people/<int:pk>/mentors/need/", mentoring_views.mentor_need_view, name="mentor-need"),
    path("matches/<int:pk>/end/", mentoring_views.match_end_view, name="match-end"),
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
