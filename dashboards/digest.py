"""The director's weekly digest of coordinators past their team's check-in cadence.

``check_in_digests_enqueue`` (the ``send_check_in_digest`` command, for cron) finds each
director with someone flagged "no check-in" today and, once per week (a CheckInDigestLog row
per director and Monday), queues the email; the task writes and sends it through the task
queue, as the other emails are sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from coordinators.models import CoordinatorProfile, User
from dashboards import flags as flag_rules
from dashboards.models import CheckInDigestLog
from growth.selectors import check_in_clocks


def week_of(day: date) -> date:
    """The Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class DigestLine:
    name: str
    explanation: str
    url: str


def digest_lines(*, director_id: int, today: date) -> list[DigestLine]:
    """The active coordinators of the director's teams flagged "no check-in" on ``today``,
    by name (two queries)."""
    profiles = (
        CoordinatorProfile.objects.filter(team__director_id=director_id, active=True)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "pk")
    )
    clocks = check_in_clocks(profiles.values("pk"))
    lines = []
    for profile in profiles.filter(pk__in=list(clocks)):
        flag = flag_rules.no_check_in(clocks[profile.pk], today)
        if flag is not None:
            lines.append(
                DigestLine(
                    profile.user.display_name,
                    flag.explanation,
                    settings.SITE_URL + reverse("growth:check-in-list", args=[profile.pk]),
                )
            )
    return lines


def _directors_with_someone_late(today: date) -> list[int]:
    """Directors with at least one coordinator past the cadence on ``today``."""
    profiles = CoordinatorProfile.objects.filter(
        active=True, team__director__isnull=False, team__director__is_active=True
    )
    clocks = check_in_clocks(profiles.values("pk"))
    late = [pk for pk, clock in clocks.items() if flag_rules.no_check_in(clock, today)]
    return sorted(
        set(
            CoordinatorProfile.objects.filter(pk__in=late).values_list(
                "team__director_id", flat=True
            )
        )
    )


def check_in_digests_enqueue(*, today: date | None = None) -> int:
    """Queue this week's digest for every director who has someone late and has not had
    this week's digest yet; returns how many were queued."""
    today = today or timezone.localdate()
    monday = week_of(today)
    queued = 0
    for director_id in _directors_with_someone_late(today):
        try:
            with transaction.atomic():
                CheckInDigestLog.objects.create(director_id=director_id, week_of=monday)
                transaction.on_commit(
                    partial(
                        check_in_digest_send.enqueue,
                        director_id=director_id,
                        today=today.isoformat(),
                    )
                )
        except IntegrityError:
            continue  # this week's digest was already queued
        queued += 1
    return queued


@task()
def check_in_digest_send(*, director_id: int, today: str) -> int:
    director = User.objects.filter(pk=director_id, is_active=True).first()
    if director is None:
        return 0
    day = date.fromisoformat(today)
    lines = digest_lines(director_id=director_id, today=day)
    CheckInDigestLog.objects.filter(director_id=director_id, week_of=week_of(day)).update(
        coordinators=len(lines)
    )
    if not lines:
        return 0
    body = render_to_string(
        "emails/check_in_digest.txt",
        {
            "recipient": director,
            "lines": lines,
            "dashboard_url": settings.SITE_URL + reverse("dashboards:team-dashboard"),
        },
    )
    count = len(lines)
    subject = f"{count} coordinator{'s' if count != 1 else ''} without a recent check-in"
    with get_connection() as connection:
        return (
            connection.send_messages(
                [EmailMessage(subject=subject, body=body, to=[director.email])]
            )
            or 0
        )
