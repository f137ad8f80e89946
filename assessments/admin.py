from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from assessments.models import (
    Assessment,
    AssessmentCycle,
    CategoryScore,
    CoachingNotesShare,
    Rating,
    ReminderLog,
    ReviewSettings,
)


@admin.register(AssessmentCycle)
class AssessmentCycleAdmin(SimpleHistoryAdmin):
    list_display = ["name", "organization", "opens_on", "due_on", "closes_on", "state"]
    list_filter = ["organization", "state"]
    search_fields = ["name"]


class RatingInline(admin.TabularInline):
    model = Rating
    extra = 0
    raw_id_fields = ["indicator"]


@admin.register(Assessment)
class AssessmentAdmin(SimpleHistoryAdmin):
    list_display = [
        "coordinator",
        "cycle",
        "state",
        "rubric_version",
        "submitted_at",
        "finalized_at",
    ]
    list_filter = ["state", "cycle__organization", "cycle"]
    search_fields = ["coordinator__user__email", "coordinator__user__last_name"]
    raw_id_fields = ["coordinator", "rubric_version", "finalized_by"]
    inlines = [RatingInline]


@admin.register(CoachingNotesShare)
class CoachingNotesShareAdmin(SimpleHistoryAdmin):
    list_display = ["assessment", "director", "shared_by", "shared_at"]
    search_fields = ["assessment__coordinator__user__email", "director__email"]
    raw_id_fields = ["assessment", "director", "shared_by"]


@admin.register(Rating)
class RatingAdmin(SimpleHistoryAdmin):
    list_display = ["assessment", "indicator", "self_level", "supervisor_level"]
    list_filter = ["self_level", "supervisor_level"]
    search_fields = ["assessment__coordinator__user__email", "indicator__name"]
    raw_id_fields = ["assessment", "indicator"]


@admin.register(CategoryScore)
class CategoryScoreAdmin(admin.ModelAdmin):
    list_display = ["assessment", "category_key", "self_level", "supervisor_level"]
    list_filter = ["category_key"]
    search_fields = ["assessment__coordinator__user__email"]
    raw_id_fields = ["assessment"]


@admin.register(ReminderLog)
class ReminderLogAdmin(admin.ModelAdmin):
    list_display = ["assessment", "recipient", "kind", "sent_on"]
    list_filter = ["kind", "sent_on"]
    search_fields = ["recipient__email"]


@admin.register(ReviewSettings)
class ReviewSettingsAdmin(admin.ModelAdmin):
    """The only place an organization's evidence quota is changed."""

    list_display = ["organization", "acknowledgement_on", "evidence_quota_mb"]
