from django.contrib.auth import backends

from coordinators.access import request_user


class ModelBackend(backends.ModelBackend):
    """Django's email-and-password backend; the user of each request comes with their
    organization, which every page names in its header, and their roles, which every page
    checks, in one query whose SQL is built once per connection."""

    def get_user(self, user_id):
        try:
            user = request_user.first(pk=user_id)
        except (TypeError, ValueError):
            return None
        return user if user is not None and self.user_can_authenticate(user) else None
