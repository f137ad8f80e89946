from django.urls import path

from dashboards.views import dashboard, thresholds

app_name = "dashboards"

# Dashboards, the coordinator's page over time, and exports (dashboards/views/dashboard.py).
urlpatterns = [
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

# The org admin's flag thresholds (dashboards/views/thresholds.py).
urlpatterns += [
    path("settings/flags/", thresholds.FlagThresholdsUpdateView.as_view(), name="flag-thresholds"),
    path("settings/flags/reset/", thresholds.flag_thresholds_reset, name="flag-thresholds-reset"),
]
