"""Last cycle's agreed levels beside the coordinator's matrix: shown where the indicator is
the same one (its key carried over by the rubric copy), never preselected, read in a fixed
number of queries; and the matrix's progress counts."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Rating
from assessments.selectors import previous_agreed_levels
from rubrics.models import Indicator, Level
from rubrics.selectors import rubric_version_matrix
from rubrics.services import (
    IndicatorInput,
    rubric_category_save,
    rubric_version_new_draft,
    rubric_version_publish,
)
from tests.assessments.workflow_helpers import indicators_of, make_assessment
from tests.factories import CycleFactory

pytestmark = pytest.mark.django_db


def past_cycle(profile, name="Last spring", days=200):
    return CycleFactory(
        organization=profile.organization,
        name=name,
        opens_on=timezone.localdate() - timedelta(days=days),
        state="closed",
    )


def finalized(profile, *, cycle, supervisor=3, self_level=1):
    return make_assessment(
        profile,
        cycle=cycle,
        state="finalized",
        ratings={"self": self_level, "supervisor": supervisor},
    )


def add_indicator(version, actor, key="site", name="Family leadership"):
    """A new indicator at the end of a category of draft ``version`` (a key of its own)."""
    category = rubric_version_matrix(version=version).category(key)
    rows = [
        IndicatorInput(
            pk=row.indicator.pk,
            name=row.name,
            descriptors={cell.level.value: cell.text for cell in row.cells},
        )
        for row in category.indicators
    ]
    rows.append(IndicatorInput(pk=None, name=name, descriptors={1: "a", 2: "b", 3: "c"}))
    version.refresh_from_db()
    rubric_category_save(
        version=version,
        category_key=key,
        lock_version=version.lock_version,
        name=category.name,
        description=category.category.description,
        indicators=rows,
        actor=actor,
    )
    return Indicator.objects.get(category__version=version, name=name)


def test_the_agreed_level_of_the_same_indicator_in_a_newer_version_is_the_reference(
    profile, admin_user, django_assert_num_queries
):
    old = finalized(profile, cycle=past_cycle(profile), supervisor=3, self_level=1)
    draft, _created = rubric_version_new_draft(
        rubric=profile.role_family.rubric, actor=admin_user
    )
    added = add_indicator(draft, admin_user)
    rubric_version_publish(version=draft, actor=admin_user)
    current = make_assessment(profile)
    assert current.rubric_version_id == draft.pk
    # Warm the cached words of both versions: what is measured is this read's own queries.
    previous_agreed_levels(assessment=current)

    with django_assert_num_queries(1):
        references = previous_agreed_levels(assessment=current)

    carried = [i for i in indicators_of(current) if i.pk != added.pk]
    assert set(references) == {i.pk for i in carried}
    expert = Level.objects.get(version=old.rubric_version, value=3).name
    assert {(r.level, r.level_name, r.cycle_name) for r in references.values()} == {
        (3, expert, "Last spring")
    }


def test_the_reference_read_does_not_grow_with_the_rubric_or_history(
    profile, django_assert_num_queries
):
    for n in range(4):
        finalized(profile, cycle=past_cycle(profile, name=f"Cycle {n}", days=100 + 50 * n))
    current = make_assessment(profile)
    previous_agreed_levels(assessment=current)
    with django_assert_num_queries(1):
        references = previous_agreed_levels(assessment=current)
    # The latest earlier cycle is the reference, not an older one.
    assert {r.cycle_name for r in references.values()} == {"Cycle 0"}


def test_no_reference_without_a_finalized_earlier_assessment(profile):
    make_assessment(profile, cycle=past_cycle(profile), state="submitted", ratings=2)
    assert previous_agreed_levels(assessment=make_assessment(profile)) == {}


def test_the_matrix_shows_the_reference_without_choosing_it(client_for, coordinator, profile):
    finalized(profile, cycle=past_cycle(profile), supervisor=3)
    current = make_assessment(profile)
    indicator = indicators_of(current)[0]

    response = client_for(coordinator).get(
        reverse("assessments:assessment-detail", args=[current.pk])
    )

    body = response.content.decode()
    expert = Level.objects.get(version=current.rubric_version, value=3).name
    assert f"in Last spring you and your director agreed on <strong>{expert}</strong>" in body
    assert body.count("Agreed last cycle</span>") == len(indicators_of(current))
    assert f'id="id_level_{indicator.pk}_3" value="3" checked' not in body
    assert " checked" not in body.split('id="matrix-form"')[1].split("matrix-actions")[0]
    assert Rating.objects.filter(assessment=current, self_level__isnull=False).count() == 0


def test_the_matrix_counts_what_is_rated_per_category_and_in_all(
    client_for, coordinator, profile
):
    current = make_assessment(profile)
    site = [i for i in indicators_of(current) if i.category.key == "site"]
    Rating.objects.filter(assessment=current, indicator__in=site).update(self_level=2)
    Rating.objects.filter(assessment=current, indicator=indicators_of(current)[0]).update(
        self_level=1
    )
    total = len(indicators_of(current))

    response = client_for(coordinator).get(
        reverse("assessments:assessment-detail", args=[current.pk])
    )

    categories = response.context["categories"]
    assert (categories.rated, categories.total) == (len(site) + 1, total)
    body = response.content.decode()
    assert f"<span data-progress-rated>{len(site) + 1}</span> of {total} rated" in body
    states = {c["category"].key: (c["rated"], c["complete"]) for c in categories}
    assert states["site"] == (len(site), True)
    assert 'data-category-state="site">complete</span>' in body
    assert 'data-category-state="organization">0 of ' in body
