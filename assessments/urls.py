from django.urls import path

from assessments.views import cycles, feedback_settings, principal, review, sharing, workflow

app_name = "assessments"

# Cycles (org admin) and the assessment workflow: the coordinator's matrix, the director's
# review, history (assessments/views/cycles.py, workflow.py, review.py); sharing a
# finalized review's coaching notes with a new director (assessments/views/sharing.py).
urlpatterns = [
    # The principal's page, opened by an emailed link without an account
    # (assessments/views/principal.py), and the org admin's choices about it.
    path("principal/<str:token>/", principal.principal_feedback, name="principal-feedback"),
    path(
        "principal-feedback/settings/",
        feedback_settings.PrincipalFeedbackSettingsView.as_view(),
        name="principal-feedback-settings",
    ),
    path("cycles/", cycles.CycleListView.as_view(), name="cycle-list"),
    path("cycles/new/", cycles.CycleCreateView.as_view(), name="cycle-create"),
    path("cycles/<int:pk>/", cycles.CycleDetailView.as_view(), name="cycle-detail"),
    path("cycles/<int:pk>/edit/", cycles.CycleUpdateView.as_view(), name="cycle-update"),
    path("cycles/<int:pk>/open/", cycles.cycle_open, name="cycle-open"),
    path("cycles/<int:pk>/close/", cycles.cycle_close, name="cycle-close"),
    path("cycles/<int:pk>/dates/", cycles.CycleDatesView.as_view(), name="cycle-dates"),
    path("cycles/<int:cycle_pk>/start/", workflow.assessment_start, name="assessment-start"),
    path("assessments/<int:pk>/", workflow.assessment_detail, name="assessment-detail"),
    path(
        "assessments/<int:pk>/autosave/", workflow.assessment_autosave, name="assessment-autosave"
    ),
    path("assessments/<int:pk>/submit/", workflow.assessment_submit, name="assessment-submit"),
    path("assessments/<int:pk>/recall/", workflow.assessment_recall, name="assessment-recall"),
    path(
        "assessments/<int:pk>/acknowledge/",
        workflow.assessment_acknowledge,
        name="assessment-acknowledge",
    ),
    path("assessments/<int:pk>/review/", review.assessment_review, name="assessment-review"),
    path(
        "assessments/<int:pk>/review/autosave/",
        review.assessment_review_autosave,
        name="assessment-review-autosave",
    ),
    path("assessments/<int:pk>/finalize/", review.assessment_finalize, name="assessment-finalize"),
    path("assessments/<int:pk>/return/", review.assessment_return, name="assessment-return"),
    path(
        "assessments/<int:pk>/history/",
        workflow.assessment_history_view,
        name="assessment-history",
    ),
    path(
        "assessments/<int:pk>/coaching-notes/share/",
        sharing.coaching_notes_share,
        name="coaching-notes-share",
    ),
    path(
        "assessments/<int:pk>/coaching-notes/unshare/",
        sharing.coaching_notes_unshare,
        name="coaching-notes-unshare",
    ),
]
