"""Workflow races on real PostgreSQL: of two simultaneous moves of one assessment exactly one
wins, the other is told, and nothing is lost or mixed."""

from assessments.models import Assessment, Rating
from assessments.services import (
    RatingInput,
    StaleAssessmentError,
    WorkflowError,
    assessment_finalize,
    assessment_recall,
    assessment_return,
    assessment_save_self,
)
from tests.factories import AssessmentFactory
from tests.races import ON_POSTGRESQL, race

pytestmark = ON_POSTGRESQL


def test_two_saves_of_the_same_assessment_one_wins_each_round(profile):
    assessment = AssessmentFactory(coordinator=profile)
    indicator_ids = list(assessment.ratings.values_list("indicator_id", flat=True))
    user = profile.user
    for round_number in range(15):
        version = Assessment.objects.get(pk=assessment.pk).version

        def save(tab, level, round_number=round_number, version=version):
            ratings = {
                i: RatingInput(level, f"round {round_number} tab {tab}") for i in indicator_ids
            }
            return lambda: assessment_save_self(
                assessment=assessment, actor=user, expected_version=version, ratings=ratings
            )

        outcomes = race(save("A", 1 + round_number % 3), save("B", 1 + (round_number + 1) % 3))
        winners = [o for o in outcomes if isinstance(o, Assessment)]
        losers = [o for o in outcomes if isinstance(o, StaleAssessmentError)]
        assert len(winners) == 1 and len(losers) == 1, outcomes
        texts = set(
            Rating.objects.filter(assessment=assessment).values_list("self_evidence", flat=True)
        )
        assert len(texts) == 1, "ratings of two saves were mixed"
        (text,) = texts
        assert text.startswith(f"round {round_number} tab ")
        assert Assessment.objects.get(pk=assessment.pk).version == version + 1


def test_recall_racing_finalize_leaves_one_valid_transition(profile, director):
    for _ in range(8):
        assessment = AssessmentFactory(
            coordinator=profile,
            ratings={"self": 2, "supervisor": 2},
            state=Assessment.State.SUBMITTED,
        )
        version = assessment.version
        outcomes = race(
            lambda a=assessment, v=version: assessment_recall(
                assessment=a, actor=profile.user, expected_version=v
            ),
            lambda a=assessment, v=version: assessment_finalize(
                assessment=a, actor=director, expected_version=v
            ),
        )
        winners = [o for o in outcomes if isinstance(o, Assessment)]
        assert len(winners) == 1, outcomes
        assert all(isinstance(o, WorkflowError) for o in outcomes if o not in winners)
        final = Assessment.objects.get(pk=assessment.pk)
        assert final.state == winners[0].state
        assert final.state in {"draft", "finalized"}
        states = [h.state for h in final.history.order_by("history_date")]
        assert states[-1] == final.state
        assert "draft" not in states[1:] or "finalized" not in states, states


def test_return_racing_finalize_only_one_happens(profile, director, admin_user):
    assessment = AssessmentFactory(
        coordinator=profile, ratings={"self": 3, "supervisor": 2}, state=Assessment.State.SUBMITTED
    )
    version = assessment.version
    outcomes = race(
        lambda: assessment_return(
            assessment=assessment, actor=director, expected_version=version, note="Add evidence."
        ),
        lambda: assessment_finalize(
            assessment=assessment, actor=admin_user, expected_version=version
        ),
    )
    assert sum(isinstance(o, Assessment) for o in outcomes) == 1, outcomes
    assert Assessment.objects.get(pk=assessment.pk).state in {"returned", "finalized"}
