"""The directors' weekly digest of coordinators without a check-in within their team's
cadence, safe to run from cron as often as you like (daily is plenty): each director gets at
most one digest a week (Monday to Sunday).

    python manage.py send_check_in_digest
"""

from django.core.management.base import BaseCommand

from dashboards.digest import check_in_digests_enqueue


class Command(BaseCommand):
    help = (
        "Queue the weekly digest of coordinators past their team's check-in cadence for each "
        "director; at most one a week per director (safe to run daily or hourly)."
    )

    def handle(self, *args, **options):
        queued = check_in_digests_enqueue()
        self.stdout.write(f"Queued {queued} check-in digest{'s' if queued != 1 else ''}.")
