from django.contrib.auth import backends


class ModelBackend(backends.ModelBackend):
    """Django's email-and-password backend; the user of each request comes with their
    organization, which every page names in its header."""

    def get_user(self, user_id):
        user_model = backends.UserModel
        try:
            user = user_model._default_manager.select_related("organization").get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
