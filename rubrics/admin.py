from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from rubrics.models import Category, Descriptor, Indicator, Level, Rubric, RubricVersion


@admin.register(Rubric)
class RubricAdmin(admin.ModelAdmin):
    list_display = ["role_family", "organization"]
    list_filter = ["organization"]
    search_fields = ["role_family__name"]


@admin.register(RubricVersion)
class RubricVersionAdmin(SimpleHistoryAdmin):
    list_display = ["rubric", "number", "state", "published_at", "published_by"]
    list_filter = ["state", "rubric__organization"]
    search_fields = ["rubric__role_family__name"]


@admin.register(Level)
class LevelAdmin(SimpleHistoryAdmin):
    list_display = ["name", "value", "version"]
    list_filter = ["version__rubric__organization"]
    search_fields = ["name"]


@admin.register(Category)
class CategoryAdmin(SimpleHistoryAdmin):
    list_display = ["name", "key", "order", "version"]
    list_filter = ["key", "version__rubric__organization"]
    search_fields = ["name"]


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = ["name", "category", "order"]
    list_filter = ["category__key", "category__version__rubric__organization"]
    search_fields = ["name"]


@admin.register(Descriptor)
class DescriptorAdmin(SimpleHistoryAdmin):
    list_display = ["indicator", "level", "text"]
    list_filter = ["level__value"]
    search_fields = ["text", "indicator__name"]
    raw_id_fields = ["indicator", "level"]
