from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from dashboards.models import FlagThresholds


@admin.register(FlagThresholds)
class FlagThresholdsAdmin(SimpleHistoryAdmin):
    list_display = ["organization", "site_gap_levels", "perception_gap_levels", "stalled_cycles"]
    search_fields = ["organization__name"]
