"""The email telling a member that their second factor was reset."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django_tasks import task

from signin.models import TwoFactorReset


@task()
def send_two_factor_reset(reset_id: int) -> int:
    reset = TwoFactorReset.objects.select_related("member", "reset_by").get(pk=reset_id)
    body = render_to_string(
        "emails/two_factor_reset.txt",
        {
            "recipient": reset.member,
            "reset": reset,
            "login_url": settings.SITE_URL + reverse("login"),
        },
    )
    message = EmailMessage(
        subject="Your two-factor sign-in was reset", body=body, to=[reset.member.email]
    )
    return message.send()
