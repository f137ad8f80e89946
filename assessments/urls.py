from django.urls import path

from assessments.views import cycles, dashboard, rubrics, thresholds, workflow

app_name = "assessments"
urlpatterns = []

# The org admin's rubric editor (assessments/views/rubrics.py).
urlpatterns += [
    path("rubrics/", rubrics.role_family_list, name="role-family-list"),
    path(
        "rubrics/families/new/", rubrics.RoleFamilyCreateView.as_view(), name="role-family-create"
    ),
    path(
        "rubrics/families/<int:pk>/rename/",
        rubrics.RoleFamilyUpdateView.as_view(),
        name="role-family-update",
    ),
    path("rubrics/people/", rubrics.role_family_people, name="role-family-people"),
    path("rubrics/people/move/", rubrics.role_family_assign_view, name="role-family-assign"),
    path("rubrics/families/<int:pk>/", rubrics.rubric_detail, name="rubric-detail"),
    path(
        "rubrics/families/<int:pk>/draft/", rubrics.rubric_draft_create, name="rubric-draft-create"
    ),
    path("rubrics/versions/<int:pk>/", rubrics.rubric_version_detail, name="rubric-version-detail"),
    path("rubrics/versions/<int:pk>/edit/", rubrics.rubric_draft, name="rubric-draft"),
    path(
        "rubrics/versions/<int:pk>/edit/<str:key>/",
        rubrics.rubric_category_edit,
        name="rubric-category-edit",
    ),
    path("rubrics/versions/<int:pk>/compare/", rubrics.rubric_compare, name="rubric-compare"),
    path("rubrics/versions/<int:pk>/publish/", rubrics.rubric_publish, name="rubric-publish"),
    path("rubrics/versions/<int:pk>/discard/", rubrics.rubric_discard, name="rubric-discard"),
    path("rubrics/versions/<int:pk>/history/", rubrics.rubric_history, name="rubric-history"),
]

# Dashboards, the coordinator's page over time, and exports (assessments/views/dashboard.py).
urlpatterns += [
    path("dashboard/", dashboard.team_dashboard, name="team-dashboard"),
    path(
        "dashboard/export.csv",
        dashboard.team_dashboard_export,
        {"fmt": "csv"},
        name="team-dashboard-csv",
    ),
    path(
        "dashboard/export.xlsx",
        dashboard.team_dashboard_export,
        {"fmt": "xlsx"},
        name="team-dashboard-xlsx",
    ),
    path("overview/", dashboard.org_overview, name="org-overview"),
    path("people/<int:pk>/", dashboard.coordinator_detail, name="coordinator-detail"),
    path(
        "people/<int:pk>/history.csv",
        dashboard.coordinator_history_export,
        name="coordinator-history-export",
    ),
]

# Cycles (org admin) and the assessment workflow: the coordinator's matrix, the director's
# review, history (assessments/views/cycles.py, assessments/views/workflow.py).
urlpatterns += [
    path("cycles/", cycles.CycleListView.as_view(), name="cycle-list"),
    path("cycles/new/", cycles.CycleCreateView.as_view(), name="cycle-create"),
    path("cycles/<int:pk>/edit/", cycles.CycleUpdateView.as_view(), name="cycle-update"),
    path("cycles/<int:pk>/open/", cycles.cycle_open, name="cycle-open"),
    path("cycles/<int:pk>/close/", cycles.cycle_close, name="cycle-close"),
    path("cycles/<int:cycle_pk>/start/", workflow.assessment_start, name="assessment-start"),
    path("assessments/<int:pk>/", workflow.assessment_detail, name="assessment-detail"),
    path(
        "assessments/<int:pk>/autosave/", workflow.assessment_autosave, name="assessment-autosave"
    ),
    path("assessments/<int:pk>/submit/", workflow.assessment_submit, name="assessment-submit"),
    path("assessments/<int:pk>/recall/", workflow.assessment_recall, name="assessment-recall"),
    path("assessments/<int:pk>/review/", workflow.assessment_review, name="assessment-review"),
    path(
        "assessments/<int:pk>/finalize/", workflow.assessment_finalize, name="assessment-finalize"
    ),
    path("assessments/<int:pk>/return/", workflow.assessment_return, name="assessment-return"),
    path(
        "assessments/<int:pk>/history/",
        workflow.assessment_history_view,
        name="assessment-history",
    ),
]

# The org admin's flag thresholds (assessments/views/thresholds.py).
urlpatterns += [
    path("settings/flags/", thresholds.flag_thresholds, name="flag-thresholds"),
    path("settings/flags/reset/", thresholds.flag_thresholds_reset, name="flag-thresholds-reset"),
]
