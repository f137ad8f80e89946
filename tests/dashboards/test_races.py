"""The read model's kept counts under simultaneous moves on real PostgreSQL: two coordinators
of one cycle submitting at the same instant both count in the cycle's trend."""

from assessments.models import Assessment
from assessments.services import assessment_submit
from dashboards import read_model
from tests.dashboards.test_read_model import trend_counts_kept, trend_counts_of_assessments
from tests.factories import AssessmentFactory, CycleFactory, ProfileFactory
from tests.races import ON_POSTGRESQL, race

pytestmark = ON_POSTGRESQL


def test_two_submits_in_one_cycle_both_count_in_its_trend(org, team):
    cycle = CycleFactory(organization=org)
    for _round in range(5):
        drafts = [
            AssessmentFactory(coordinator=ProfileFactory(team=team), cycle=cycle, ratings=2)
            for _ in range(2)
        ]
        read_model.rebuild(organization_id=org.pk)
        outcomes = race(
            *(
                lambda a=draft: assessment_submit(
                    assessment=a, actor=a.coordinator.user, expected_version=a.version
                )
                for draft in drafts
            )
        )
        assert all(isinstance(outcome, Assessment) for outcome in outcomes), outcomes
        assert trend_counts_kept(org) == trend_counts_of_assessments(org)
