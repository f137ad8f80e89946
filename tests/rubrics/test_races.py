"""Rubric editing races on real PostgreSQL: two admins saving the same draft, making a new
draft or publishing at the same instant; one wins, the other is told, nothing is mixed."""

from rubrics.models import Descriptor, Rubric, RubricVersion
from rubrics.selectors import rubric_version_matrix
from rubrics.services import (
    IndicatorInput,
    RubricEditConflict,
    RubricNotEditable,
    rubric_category_save,
    rubric_version_copy,
    rubric_version_new_draft,
    rubric_version_publish,
)
from tests.factories import UserFactory
from tests.races import ON_POSTGRESQL, race

pytestmark = ON_POSTGRESQL


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


def test_two_admins_publishing_at_once_leave_one_current_version(org):
    admins = [UserFactory(organization=org, roles=["admin"]) for _ in range(2)]
    rubric = Rubric.objects.get(organization=org)
    current = rubric.versions.get(state="published")
    for attempt in range(4):
        drafts = [
            rubric_version_copy(source=current, rubric=rubric, number=10 + attempt * 2 + i)
            for i in range(2)
        ]
        outcomes = race(
            *[
                lambda d=d, a=a: rubric_version_publish(version=d, actor=a)
                for d, a in zip(drafts, admins, strict=True)
            ]
        )
        assert all(isinstance(o, RubricVersion) for o in outcomes), outcomes
        published = list(rubric.versions.filter(state="published"))
        assert len(published) == 1
        current = published[0]
        assert current.pk in {d.pk for d in drafts}


def test_the_same_draft_published_twice_at_once_publishes_once(org):
    admins = [UserFactory(organization=org, roles=["admin"]) for _ in range(2)]
    rubric = Rubric.objects.get(organization=org)
    draft = rubric_version_copy(
        source=rubric.versions.get(state="published"), rubric=rubric, number=2
    )
    outcomes = race(*[lambda a=a: rubric_version_publish(version=draft, actor=a) for a in admins])
    assert sum(isinstance(o, RubricVersion) for o in outcomes) == 1, outcomes
    assert sum(isinstance(o, RubricNotEditable) for o in outcomes) == 1, outcomes
    assert list(rubric.versions.values_list("number", "state").order_by("number")) == [
        (1, "retired"),
        (2, "published"),
    ]
