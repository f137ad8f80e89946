"""Category scores stored from the ratings, for both the self and the supervisor levels."""

from assessments.models import CategoryScore
from assessments.services import category_scores_refresh
from tests.factories import AssessmentFactory


def test_scores_are_stored_for_all_four_categories(profile):
    assessment = AssessmentFactory(coordinator=profile, ratings={"self": 3, "supervisor": 1})
    category_scores_refresh(assessment=assessment)
    assessment.ratings.filter(indicator__category__key="site").update(self_level=1)
    category_scores_refresh(assessment=assessment)
    scores = {
        s.category_key: (s.self_level, s.supervisor_level)
        for s in CategoryScore.objects.filter(assessment=assessment)
    }
    assert scores == {
        "coordinator": (3, 1),
        "site": (1, 1),
        "organization": (3, 1),
        "development": (3, 1),
    }
