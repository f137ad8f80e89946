"""Email reminders, safe to run from cron every hour.

Coordinators whose self-assessment in an open cycle is not submitted and is due within
``--days`` days hear about it once a day; directors hear once a day about submissions that
have waited longer than their cycle's review window; a principal who has not answered a
feedback request ``--principal-days`` days after it was sent hears once, never again. A
ReminderLog row per assessment, person, kind and day makes a second run on the same day send
nothing (and a principal's request remembers its one reminder).

    python manage.py send_reminders --days 3
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from assessments.emails import (
    principal_reminders_send,
    review_reminders_send,
    submit_reminders_send,
)


class Command(BaseCommand):
    help = (
        "Remind coordinators of self-assessments due within --days days and directors of "
        "reviews past their window; each person at most once a day (safe to run hourly)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=3,
            help="Remind coordinators from this many days before the due date (default 3).",
        )

        parser.add_argument(
            "--principal-days",
            type=int,
            default=7,
            help="Remind principals once, this many days after their request (default 7).",
        )

    def handle(self, *args, days, principal_days, **options):
        if not 0 <= days <= 60:
            raise CommandError("--days must be between 0 and 60.")
        if not 1 <= principal_days <= 29:
            raise CommandError("--principal-days must be between 1 and 29.")
        today = timezone.localdate()
        coordinators = submit_reminders_send(today=today, days_before=days)
        directors = review_reminders_send(today=today)
        principals = principal_reminders_send(after_days=principal_days)
        self.stdout.write(
            f"Sent {coordinators} self-assessment reminder{'s' if coordinators != 1 else ''}, "
            f"{directors} review reminder{'s' if directors != 1 else ''} "
            f"and {principals} principal reminder{'s' if principals != 1 else ''}."
        )
