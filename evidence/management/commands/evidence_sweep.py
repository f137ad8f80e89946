from django.core.management.base import BaseCommand

from evidence.services import evidence_files_sweep


class Command(BaseCommand):
    help = (
        "Delete stored evidence files that no attachment records (a deleted organization's, or "
        "one left by an upload that never finished). Safe to run daily from cron."
    )

    def handle(self, *args, **options):
        deleted = evidence_files_sweep()
        self.stdout.write(f"Deleted {deleted} evidence file{'s' if deleted != 1 else ''}.")
