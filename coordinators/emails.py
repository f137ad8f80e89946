"""The email a person added by a roster import receives: a link to set their password.

A django-tasks task taking ids, enqueued after the import commits, like the workflow's emails
(assessments/emails.py): immediate in development, db_worker in production. The link is
Django's password reset link (one use, valid PASSWORD_RESET_TIMEOUT seconds).
"""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tasks import task

from coordinators.models import User


def set_password_url(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return settings.SITE_URL + reverse("password_reset_confirm", args=[uid, token])


@task()
def roster_welcome_notify(*, user_ids: list[int], inviter_id: int | None = None) -> int:
    """Tell each new person their account exists and where to set their password."""
    inviter = User.objects.filter(pk=inviter_id).first() if inviter_id else None
    users = User.objects.filter(pk__in=user_ids, is_active=True).select_related("organization")
    days = max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)
    messages = [
        EmailMessage(
            subject="Your Growth Matrix account: set your password",
            body=render_to_string(
                "emails/roster_welcome.txt",
                {
                    "recipient": user,
                    "inviter": inviter,
                    "organization": user.organization,
                    "url": set_password_url(user),
                    "login_url": settings.SITE_URL + reverse("login"),
                    "days": days,
                },
            ),
            to=[user.email],
        )
        for user in users
    ]
    if not messages:
        return 0
    with get_connection() as connection:
        return connection.send_messages(messages) or 0
