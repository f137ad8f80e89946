"""Builders for the workflow tests: an assessment in any state, and the POST a page sends."""

from assessments.models import Assessment
from assessments.services import RatingInput
from rubrics.models import Indicator
from tests.assessments.url_cases import next_steps_post
from tests.factories import AssessmentFactory, CycleFactory


def indicators_of(assessment: Assessment) -> list[Indicator]:
    return list(
        Indicator.objects.filter(category__version=assessment.rubric_version).order_by(
            "category__order", "order", "pk"
        )
    )


def make_assessment(profile, *, ratings=None, cycle=None, **fields) -> Assessment:
    """An assessment of ``profile`` in an open cycle of its organization."""
    cycle = cycle or CycleFactory(organization=profile.organization)
    return AssessmentFactory(coordinator=profile, cycle=cycle, ratings=ratings, **fields)


def all_levels(assessment: Assessment, level=2, text="") -> dict[int, RatingInput]:
    return {i.pk: RatingInput(level=level, text=text) for i in indicators_of(assessment)}


def self_post(assessment: Assessment, *, level=2, evidence="", version=None, **extra) -> dict:
    """What the coordinator's matrix page posts: a level (None: unchosen) and evidence for
    every indicator, and the version the page was read at."""
    data = {"version": assessment.version if version is None else version}
    for indicator in indicators_of(assessment):
        if level is not None:
            data[f"level_{indicator.pk}"] = level
        data[f"evidence_{indicator.pk}"] = evidence
    data.update(extra)
    return data


def review_post(assessment: Assessment, *, level=2, note="", version=None, **extra) -> dict:
    """What the director's review page posts."""
    data = {
        "version": assessment.version if version is None else version,
        "coaching_notes": "",
        "return_note": "",
        **next_steps_post(extra.pop("next_steps", "").splitlines()),
    }
    for indicator in indicators_of(assessment):
        if level is not None:
            data[f"supervisor_level_{indicator.pk}"] = level
        data[f"note_{indicator.pk}"] = note
    data.update(extra)
    return data
