"""What the database itself refuses in the growth tables."""

from growth.models import CareerStage
from tests.constraints import refused


def test_career_stage_levels_and_years_are_checked(org):
    refused(lambda: CareerStage.objects.create(organization=org, title="X", order=9, min_site=4))
    refused(
        lambda: CareerStage.objects.create(
            organization=org, title="Y", order=10, expected_years_from=5, expected_years_to=3
        )
    )
    refused(lambda: CareerStage.objects.create(organization=org, title="Coordinator I", order=11))
