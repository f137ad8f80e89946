"""Creating an organization: the one write that seeds every app's data at once (the default
rubric, flag thresholds, career stages and the catalogue of recommended supports)."""

from django.db import transaction

from coordinators.models import Organization
from dashboards.models import FlagThresholds
from growth.check_in_services import coaching_actions_seed
from growth.models import CareerStage
from growth.services import support_catalogue_seed
from rubrics.defaults import COMMUNITY_SCHOOL_COORDINATOR
from rubrics.services import role_family_create_with_rubric

# The trajectory every organization starts with; the org admin edits it.
DEFAULT_CAREER_STAGES = [
    # title, expected years from, to, minimum levels (coordinator, site, organization, development)
    ("Coordinator I", 0, 2, (1, 1, 1, 1)),
    ("Coordinator II", 2, 4, (2, 1, 1, 2)),
    ("Senior Coordinator", 4, 7, (3, 2, 2, 2)),
    ("Lead Coordinator / Mentor", 7, None, (3, 2, 2, 3)),
]


@transaction.atomic
def organization_create(*, name: str, slug: str, actor=None) -> Organization:
    """A new organization with the default rubric published, default flag thresholds, the
    default career stages, the default catalogue of recommended supports and the default list
    of coaching actions."""
    organization = Organization.objects.create(name=name, slug=slug)
    role_family_create_with_rubric(
        organization=organization,
        name=COMMUNITY_SCHOOL_COORDINATOR["family"],
        data=COMMUNITY_SCHOOL_COORDINATOR,
        actor=actor,
    )
    FlagThresholds.objects.create(organization=organization)
    support_catalogue_seed(organization=organization)
    coaching_actions_seed(organization=organization)
    CareerStage.objects.bulk_create(
        CareerStage(
            organization=organization,
            title=title,
            order=order,
            expected_years_from=years_from,
            expected_years_to=years_to,
            min_coordinator=levels[0],
            min_site=levels[1],
            min_organization=levels[2],
            min_development=levels[3],
        )
        for order, (title, years_from, years_to, levels) in enumerate(DEFAULT_CAREER_STAGES, 1)
    )
    return organization
