from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = "Rubrics and assessments"

    def ready(self):
        from assessments import signals  # noqa: F401
