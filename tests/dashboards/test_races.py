"""The read model's kept counts under simultaneous writes on real PostgreSQL: two coordinators
of one cycle submitting at the same instant, or a recount during a submit, all count in the
cycle's trend."""

import threading
import time

from django.db import transaction
from django.utils import timezone

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


def test_a_bulk_write_during_a_submit_in_its_cycle_leaves_both_in_its_trend(org, team):
    """A write that recounts the cycle (a bulk write refreshing every coordinator) starts while
    a coordinator's submit is still open: it waits for the submit's lock on the kept counts
    and counts after it, instead of writing what it counted before over the submit's
    adjustment."""
    cycle = CycleFactory(organization=org)
    draft, other = (
        AssessmentFactory(coordinator=ProfileFactory(team=team), cycle=cycle, ratings=2)
        for _ in range(2)
    )
    read_model.rebuild(organization_id=org.pk)
    submitted = threading.Event()

    def submit():
        with transaction.atomic():
            moved = assessment_submit(
                assessment=draft, actor=draft.coordinator.user, expected_version=draft.version
            )
            submitted.set()
            time.sleep(1)  # the bulk write runs while this transaction is still open
        return moved

    def bulk_write():
        assert submitted.wait(30)
        with transaction.atomic():
            Assessment.objects.filter(pk=other.pk).update(
                state=Assessment.State.SUBMITTED, submitted_at=timezone.now()
            )
            read_model.coordinators_refresh(organization_id=org.pk)

    outcomes = race(bulk_write, submit)
    assert not any(isinstance(outcome, Exception) for outcome in outcomes), outcomes
    assert trend_counts_kept(org) == trend_counts_of_assessments(org)
