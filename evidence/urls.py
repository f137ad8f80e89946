from django.urls import path

from evidence import views

app_name = "evidence"

# Evidence on an assessment or a check-in (files and links), each download behind its owner's
# access rules, and the org admin's review settings (evidence/views.py).
urlpatterns = [
    path("assessments/<int:pk>/evidence/", views.attachment_add, name="attachment-add"),
    path(
        "check-ins/<int:pk>/evidence/",
        views.check_in_attachment_add,
        name="check-in-attachment-add",
    ),
    path("evidence/<int:pk>/", views.attachment_download, name="attachment-download"),
    path("evidence/<int:pk>/remove/", views.attachment_remove, name="attachment-remove"),
    path("settings/reviews/", views.ReviewSettingsUpdateView.as_view(), name="review-settings"),
]
