"""Rubric editing races on real PostgreSQL: two admins saving the same draft or making a new
draft at the same instant; one wins, the other is told, nothing is mixed."""

import pytest
from django.db import connection

from rubrics.models import Descriptor, RubricVersion
from rubrics.selectors import rubric_version_matrix
from rubrics.services import (
    IndicatorInput,
    RubricEditConflict,
    rubric_category_save,
    rubric_version_new_draft,
)
from tests.test_races import race

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks and concurrent transactions need PostgreSQL (.ci/run's second pass)",
    ),
    pytest.mark.django_db(transaction=True),
]


def test_two_saves_of_one_category_at_the_same_lock(org, admin_user):
    rubric = org.role_families.get().rubric
    draft, _ = rubric_version_new_draft(rubric=rubric, actor=admin_user)
    category = rubric_version_matrix(version=draft).category("site")
    for round_number in range(6):
        lock = RubricVersion.objects.get(pk=draft.pk).lock_version

        def save(who, lock=lock, round_number=round_number):
            items = [
                IndicatorInput(
                    pk=row.indicator.pk,
                    name=row.name,
                    descriptors={c.level.value: f"{who} {round_number}" for c in row.cells},
                )
                for row in category.indicators
            ]
            return lambda: rubric_category_save(
                version=RubricVersion.objects.get(pk=draft.pk),
                category_key="site",
                lock_version=lock,
                name=category.name,
                description="",
                indicators=items,
            )

        outcomes = race(save("A"), save("B"))
        assert sum(isinstance(o, RubricEditConflict) for o in outcomes) == 1, outcomes
        texts = set(
            Descriptor.objects.filter(
                indicator__category__version=draft, indicator__category__key="site"
            ).values_list("text", flat=True)
        )
        assert len(texts) == 1, "two saves were mixed"
        assert RubricVersion.objects.get(pk=draft.pk).lock_version == lock + 1


def test_two_new_drafts_at_once_make_one(org):
    from tests.factories import UserFactory

    rubric = org.role_families.get().rubric
    admins = [UserFactory(organization=org, roles=["admin"]) for _ in range(2)]
    outcomes = race(*[lambda a=a: rubric_version_new_draft(rubric=rubric, actor=a) for a in admins])
    assert sorted(created for _version, created in outcomes) == [False, True], outcomes
    assert rubric.versions.filter(state="draft").count() == 1
