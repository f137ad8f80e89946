"""A fresh link to the principal's feedback page of an open assessment, printed, not emailed.

Tokens are stored only as digests, so an earlier link cannot be shown again: this mints a new
one (the earlier link of that request stops working). Without a request for the school yet,
one is made for the school's principal contact of the current school year, without email.

    python manage.py principal_link 42
    python manage.py principal_link 42 --school 7
"""

from django.core.management.base import BaseCommand, CommandError

from assessments.models import Assessment
from assessments.services import WorkflowError
from schoolsites.services import demo_link_for


class Command(BaseCommand):
    help = "Print a fresh link to the principal's feedback page of an open assessment."

    def add_arguments(self, parser):
        parser.add_argument("assessment_id", type=int)
        parser.add_argument("--school", type=int, help="The school's id (default: the first).")

    def handle(self, *args, assessment_id, school, **options):
        assessment = (
            Assessment.objects.select_related("cycle__organization", "coordinator__user")
            .filter(pk=assessment_id)
            .first()
        )
        if assessment is None:
            raise CommandError(f"No assessment {assessment_id}.")
        try:
            request, url = demo_link_for(assessment=assessment, school_id=school)
        except WorkflowError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Principal's link for {request.school.name} ({request.principal_name}), "
            f"{assessment.coordinator.user.display_name}, {assessment.cycle.name}:"
        )
        self.stdout.write(f"  {url}")
