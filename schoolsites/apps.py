from django.apps import AppConfig


class SchoolSitesConfig(AppConfig):
    """The school site's own app: each school's principal contact per school year and its
    partnership agreements. Above ``growth``, below ``dashboards``."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "schoolsites"
    verbose_name = "School sites"
