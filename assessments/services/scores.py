"""The stored category levels of an assessment, kept in step with its ratings."""

from collections import defaultdict

from assessments.models import Assessment, CategoryScore
from assessments.scoring import category_level
from rubrics.models import CategoryKey


def category_scores_refresh(*, assessment: Assessment) -> list[CategoryScore]:
    """Recompute and store the four category levels (self and supervisor) of an assessment.

    Call inside the transaction that changed the ratings.
    """
    self_levels: dict[str, list] = defaultdict(list)
    supervisor_levels: dict[str, list] = defaultdict(list)
    for key, self_level, supervisor_level in assessment.ratings.values_list(
        "indicator__category__key", "self_level", "supervisor_level"
    ):
        self_levels[key].append(self_level)
        supervisor_levels[key].append(supervisor_level)
    scores = [
        CategoryScore(
            assessment=assessment,
            category_key=key,
            self_level=category_level(self_levels[key]),
            supervisor_level=category_level(supervisor_levels[key]),
        )
        for key in CategoryKey.values
    ]
    return CategoryScore.objects.bulk_create(
        scores,
        update_conflicts=True,
        unique_fields=["assessment", "category_key"],
        update_fields=["self_level", "supervisor_level"],
    )
