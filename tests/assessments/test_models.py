import pytest
from django.db.models import ProtectedError

from assessments.models import Assessment, AssessmentCycle, CategoryScore, Rating
from rubrics.models import Descriptor, Level, RubricVersion
from tests.constraints import refused
from tests.factories import AssessmentFactory, CycleFactory


@pytest.fixture
def assessment(profile):
    return AssessmentFactory(coordinator=profile)


def test_one_assessment_per_coordinator_and_cycle(assessment):
    refused(
        lambda: Assessment.objects.create(
            coordinator=assessment.coordinator,
            cycle=assessment.cycle,
            rubric_version=assessment.rubric_version,
        )
    )


def test_one_rating_per_assessment_and_indicator(assessment):
    rating = assessment.ratings.first()
    refused(lambda: Rating.objects.create(assessment=assessment, indicator=rating.indicator))


@pytest.mark.parametrize("field", ["self_level", "supervisor_level"])
@pytest.mark.parametrize("bad", [0, 4])
def test_rating_levels_stay_in_range(assessment, field, bad):
    rating = assessment.ratings.first()
    setattr(rating, field, bad)
    refused(lambda: rating.save(update_fields=[field]))


def test_category_score_levels_stay_in_range(assessment):
    refused(
        lambda: CategoryScore.objects.create(
            assessment=assessment, category_key="site", self_level=5
        )
    )


def test_one_descriptor_per_indicator_and_level(assessment):
    descriptor = Descriptor.objects.filter(indicator__category__version=assessment.rubric_version)[
        0
    ]
    refused(
        lambda: Descriptor.objects.create(
            indicator=descriptor.indicator, level=descriptor.level, text="Another"
        )
    )


def test_level_values_stay_in_range(assessment):
    refused(lambda: Level.objects.create(version=assessment.rubric_version, value=4, name="Guru"))


def test_cycle_dates_must_be_in_order(org):
    cycle = CycleFactory.build(organization=org)
    cycle.due_on = cycle.opens_on.replace(year=cycle.opens_on.year - 1)
    refused(cycle.save)


def test_cycle_names_unique_within_organization(org):
    CycleFactory(organization=org, name="2026–27 Fall")
    refused(lambda: CycleFactory(organization=org, name="2026–27 Fall"))


def test_only_one_published_version_per_rubric(org):
    version = RubricVersion.objects.get(rubric__organization=org, state="published")
    refused(
        lambda: RubricVersion.objects.create(rubric=version.rubric, number=2, state="published")
    )
    refused(lambda: RubricVersion.objects.create(rubric=version.rubric, number=1))


def test_a_version_that_assessments_use_cannot_be_deleted(assessment):
    with pytest.raises(ProtectedError):
        assessment.rubric_version.delete()


def test_a_cycle_with_assessments_cannot_be_deleted(assessment):
    with pytest.raises(ProtectedError):
        AssessmentCycle.objects.get(pk=assessment.cycle_id).delete()


def test_rating_changes_are_kept_in_history(assessment, coordinator):
    rating = assessment.ratings.first()
    rating.self_level = 2
    rating.save(update_fields=["self_level"])
    rating.self_level = 3
    rating.save(update_fields=["self_level"])
    assert [h.self_level for h in rating.history.all()] == [3, 2]
