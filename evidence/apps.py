from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    """Files and links people attach as evidence, to a coordinator's rating of one indicator
    or a director's review (and to whatever else grows an owner kind here), kept in the
    private storage and downloaded only through a view that checks access. Above ``growth``
    (whose check-ins may own attachments), below the school sites and the dashboards."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "evidence"
    verbose_name = "Evidence"
