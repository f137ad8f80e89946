from django.apps import AppConfig


class RubricsConfig(AppConfig):
    name = "rubrics"
    verbose_name = "Rubrics"

    def ready(self):
        from rubrics import signals  # noqa: F401
