from django.apps import AppConfig


class GrowthMatrixConfig(AppConfig):
    name = "growthmatrix"
    verbose_name = "Growth Matrix"

    def ready(self):
        from growthmatrix import checks  # noqa: F401
