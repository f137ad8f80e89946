from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from growth.models import (
    CareerPosition,
    CareerStage,
    CheckIn,
    Goal,
    MentoringMatch,
    Promotion,
    Support,
    SupportCatalogEntry,
)


@admin.register(SupportCatalogEntry)
class SupportCatalogEntryAdmin(admin.ModelAdmin):
    list_display = ["title", "organization", "category_key", "level", "kind"]
    list_filter = ["organization", "category_key", "level", "kind"]
    search_fields = ["title", "description"]


@admin.register(Support)
class SupportAdmin(SimpleHistoryAdmin):
    list_display = ["title", "coordinator", "kind", "mentor", "starts_on"]
    list_filter = ["kind", "network_scope"]
    search_fields = ["title", "coordinator__user__email", "mentor__email"]
    raw_id_fields = ["coordinator", "mentor", "catalog_entry"]


@admin.register(Goal)
class GoalAdmin(SimpleHistoryAdmin):
    list_display = ["coordinator", "category_key", "target_level", "target_date", "status"]
    list_filter = ["status", "category_key"]
    search_fields = ["coordinator__user__email", "notes"]
    raw_id_fields = ["coordinator", "indicator"]
    filter_horizontal = ["supports"]


@admin.register(CareerStage)
class CareerStageAdmin(SimpleHistoryAdmin):
    list_display = ["title", "organization", "order", "expected_years_from", "expected_years_to"]
    list_filter = ["organization"]
    search_fields = ["title"]


@admin.register(CareerPosition)
class CareerPositionAdmin(SimpleHistoryAdmin):
    list_display = ["profile", "stage", "since"]
    list_filter = ["stage"]
    list_select_related = ["profile__user", "stage"]
    search_fields = ["profile__user__email"]
    raw_id_fields = ["profile"]


@admin.register(Promotion)
class PromotionAdmin(admin.ModelAdmin):
    list_display = ["profile", "from_stage", "to_stage", "effective_on", "recorded_by"]
    list_filter = ["to_stage"]
    search_fields = ["profile__user__email"]


@admin.register(CheckIn)
class CheckInAdmin(SimpleHistoryAdmin):
    list_display = ["coordinator", "held_on", "author", "notes_private"]
    search_fields = ["coordinator__user__email", "author__email"]
    raw_id_fields = ["coordinator", "author"]


@admin.register(MentoringMatch)
class MentoringMatchAdmin(SimpleHistoryAdmin):
    list_display = ["mentee", "mentor", "starts_on", "ends_on"]
    search_fields = ["mentee__user__email", "mentor__email"]
    raw_id_fields = ["mentee", "mentor", "confirmed_by"]
    filter_horizontal = ["goals"]
