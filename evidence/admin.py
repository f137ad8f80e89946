from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from evidence.models import Attachment


@admin.register(Attachment)
class AttachmentAdmin(SimpleHistoryAdmin):
    list_display = ["title", "organization", "added_by", "added_at", "content_type", "size"]
    list_filter = ["organization"]
    search_fields = ["title", "download_name", "url"]
    readonly_fields = ["file_name", "content_type", "size", "added_at"]
