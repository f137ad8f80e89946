from django.contrib.auth import backends

from coordinators.access import users_with_roles


class ModelBackend(backends.ModelBackend):
    """Django's email-and-password backend; the user of each request comes with their
    organization, which every page names in its header, and their roles, which every page
    checks, in one query."""

    def get_user(self, user_id):
        user_model = backends.UserModel
        try:
            user = users_with_roles(user_model._default_manager.select_related("organization")).get(
                pk=user_id
            )
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
