"""Delete the dashboard exports older than EXPORT_KEEP_DAYS (or --days): their files in the
private storage and their records. Meant for cron, daily; running it twice does no harm."""

from django.conf import settings
from django.core.management.base import BaseCommand

from dashboards.export_jobs import export_jobs_expire


class Command(BaseCommand):
    help = "Delete dashboard export files (and their records) older than a number of days."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=settings.EXPORT_KEEP_DAYS,
            help="Keep exports younger than this many days (default: EXPORT_KEEP_DAYS).",
        )

    def handle(self, *args, days, **options):
        if days < 0:
            self.stderr.write("--days must be 0 or more.")
            raise SystemExit(2)
        deleted = export_jobs_expire(days=days)
        self.stdout.write(f"Deleted {deleted} export{'s' if deleted != 1 else ''}.")
