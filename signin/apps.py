from django.apps import AppConfig


class SigninConfig(AppConfig):
    name = "signin"
    verbose_name = "Sign-in and two-factor"

    def ready(self):
        from coordinators.change_history import person_entries_register
        from signin.history import two_factor_reset_entries

        person_entries_register(two_factor_reset_entries)
