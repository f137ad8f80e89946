from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "Read API for the data warehouse"

    def ready(self):
        from api import signals

        signals.connect()
