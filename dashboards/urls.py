from django.urls import path

from dashboards.views import dashboard, exports, reports, schools, thresholds, timeline

app_name = "dashboards"

# Dashboards, the coordinator's page over time and its export (dashboards/views/dashboard.py);
# the dashboard's exports (dashboards/views/exports.py).
urlpatterns = [
    path("dashboard/", dashboard.team_dashboard, name="team-dashboard"),
    path(
        "dashboard/export.csv",
        exports.team_dashboard_export,
        {"fmt": "csv"},
        name="team-dashboard-csv",
    ),
    path(
        "dashboard/export.xlsx",
        exports.team_dashboard_export,
        {"fmt": "xlsx"},
        name="team-dashboard-xlsx",
    ),
    path("overview/", dashboard.org_overview, name="org-overview"),
    path("people/<int:pk>/", dashboard.coordinator_detail, name="coordinator-detail"),
    path(
        "people/<int:pk>/timeline/",
        timeline.coordinator_timeline_view,
        name="coordinator-timeline",
    ),
    path(
        "people/<int:pk>/history.csv",
        dashboard.coordinator_history_export,
        name="coordinator-history-export",
    ),
]

# Exports built in the background: their progress and their file (dashboards/views/exports.py).
urlpatterns += [
    path("exports/<int:pk>/", exports.export_job, name="export-job"),
    path("exports/<int:pk>/status/", exports.export_job_status, name="export-job-status"),
    path("exports/<int:pk>/download/", exports.export_job_download, name="export-job-download"),
]

# The org admin's flag thresholds (dashboards/views/thresholds.py).
urlpatterns += [
    path("settings/flags/", thresholds.FlagThresholdsUpdateView.as_view(), name="flag-thresholds"),
    path("settings/flags/reset/", thresholds.flag_thresholds_reset, name="flag-thresholds-reset"),
]

# The organization's reports (dashboards/views/reports.py): each page, its exports, and the
# people behind one of its numbers.
for _slug in reports.TITLES:
    urlpatterns += [
        path(f"reports/{_slug}/", reports.report, {"slug": _slug}, name=f"report-{_slug}"),
        path(
            f"reports/{_slug}/export.csv",
            reports.report_export,
            {"slug": _slug, "fmt": "csv"},
            name=f"report-{_slug}-csv",
        ),
        path(
            f"reports/{_slug}/export.xlsx",
            reports.report_export,
            {"slug": _slug, "fmt": "xlsx"},
            name=f"report-{_slug}-xlsx",
        ),
        path(
            f"reports/{_slug}/people/",
            reports.report_people,
            {"slug": _slug},
            name=f"report-{_slug}-people",
        ),
    ]
# A school's page and the organization's schools view (dashboards/views/schools.py).
urlpatterns += [
    path("sites/<int:pk>/", schools.school_detail, name="school-detail"),
    path("overview/schools/", schools.org_schools, name="org-schools"),
]
