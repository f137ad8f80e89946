from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "dashboards"
    verbose_name = "Dashboards and flags"

    def ready(self):
        from django.db.models.signals import post_migrate

        from dashboards import overview_counts, read_model

        read_model.subscribe()
        overview_counts.subscribe()
        post_migrate.connect(read_model.rebuild_missing, sender=self)
