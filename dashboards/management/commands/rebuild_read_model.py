"""Compute the dashboards' read model again from the stored assessments, profiles, stages and
thresholds: after bulk writes that publish no events, or to recover from a fault."""

import time

from django.core.management.base import BaseCommand

from dashboards import read_model


class Command(BaseCommand):
    help = "Rebuild the dashboards' read model (every organization, or one by --organization)."

    def add_arguments(self, parser):
        parser.add_argument("--organization", type=int, help="Only this organization's id.")

    def handle(self, *args, organization=None, **options):
        started = time.perf_counter()
        written = read_model.rebuild(organization_id=organization)
        self.stdout.write(
            f"Read model rebuilt in {time.perf_counter() - started:.1f} s: {written} rows "
            "written, every other row was already current."
        )
