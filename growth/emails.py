"""The mentoring emails, sent through the task queue after the write commits (as the
workflow's emails are): a confirmed match tells the mentor and the mentee."""

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django_tasks import task

from growth.models import MentoringMatch


@task()
def match_confirmed_notify(*, match_id: int) -> int:
    match = (
        MentoringMatch.objects.select_related("mentor", "mentee__user", "confirmed_by")
        .filter(pk=match_id)
        .first()
    )
    if match is None:  # removed before the task ran
        return 0
    messages = []
    for recipient, template, url in (
        (match.mentor, "match_confirmed_mentor", reverse("growth:mentee-list")),
        (
            match.mentee.user,
            "match_confirmed_mentee",
            reverse("growth:profile-growth", args=[match.mentee_id]),
        ),
    ):
        if not recipient.is_active:
            continue
        body = render_to_string(
            f"emails/{template}.txt",
            {"recipient": recipient, "match": match, "url": settings.SITE_URL + url},
        )
        subject = (
            f"You are now mentoring {match.mentee.user.display_name}"
            if recipient == match.mentor
            else f"{match.mentor.display_name} is your mentor"
        )
        messages.append(EmailMessage(subject=subject, body=body, to=[recipient.email]))
    if not messages:
        return 0
    with get_connection() as connection:
        return connection.send_messages(messages) or 0
