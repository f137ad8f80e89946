"""The stored category levels of an assessment, kept in step with its ratings."""

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping

from assessments.models import Assessment, CategoryScore, Rating
from assessments.scoring import category_level
from rubrics.models import CategoryKey


def category_scores_refresh(
    *,
    assessment: Assessment,
    ratings: Iterable[Rating] | None = None,
    category_of: Mapping[int, str] | None = None,
) -> list[CategoryScore]:
    """Recompute and store the four category levels (self and supervisor) of an assessment:
    from ``ratings`` when the caller holds every rating of it as written, with each
    indicator's category key (``category_of``), else from the ratings read again.

    Call inside the transaction that changed the ratings.
    """
    self_levels: dict[str, list] = defaultdict(list)
    supervisor_levels: dict[str, list] = defaultdict(list)
    if ratings is not None and category_of is not None:
        levels = (
            (category_of[rating.indicator_id], rating.self_level, rating.supervisor_level)
            for rating in ratings
        )
    else:
        levels = assessment.ratings.values_list(
            "indicator__category__key", "self_level", "supervisor_level"
        )
    for key, self_level, supervisor_level in levels:
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


def category_scores_refresh_many(*, assessment_ids: Collection[int]) -> list[CategoryScore]:
    """``category_scores_refresh`` for many assessments, in two queries."""
    levels: dict[tuple[int, str], tuple[list, list]] = defaultdict(lambda: ([], []))
    for assessment_id, key, self_level, supervisor_level in Rating.objects.filter(
        assessment_id__in=assessment_ids
    ).values_list("assessment_id", "indicator__category__key", "self_level", "supervisor_level"):
        levels[assessment_id, key][0].append(self_level)
        levels[assessment_id, key][1].append(supervisor_level)
    return CategoryScore.objects.bulk_create(
        [
            CategoryScore(
                assessment_id=assessment_id,
                category_key=key,
                self_level=category_level(levels[assessment_id, key][0]),
                supervisor_level=category_level(levels[assessment_id, key][1]),
            )
            for assessment_id in assessment_ids
            for key in CategoryKey.values
        ],
        update_conflicts=True,
        unique_fields=["assessment", "category_key"],
        update_fields=["self_level", "supervisor_level"],
        batch_size=2000,
    )
