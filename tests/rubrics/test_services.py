"""Rubric versions: drafts, completeness, publishing, pinning and the optimistic lock."""

import pytest

from assessments.models import Rating
from rubrics.models import Descriptor, Indicator, RubricVersion
from rubrics.selectors import rubric_version_matrix, rubric_version_problems
from rubrics.services import (
    IndicatorInput,
    RubricEditConflict,
    RubricIncomplete,
    RubricNotEditable,
    role_family_create_from,
    rubric_category_save,
    rubric_levels_rename,
    rubric_version_discard,
    rubric_version_new_draft,
    rubric_version_publish,
)
from tests.factories import AssessmentFactory, CycleFactory, published_version


def category_inputs(version, key):
    """The category as the editor would send it back unchanged."""
    matrix = rubric_version_matrix(version=version)
    category = matrix.category(key)
    return [
        IndicatorInput(
            pk=row.indicator.pk,
            name=row.name,
            descriptors={cell.level.value: cell.text for cell in row.cells},
        )
        for row in category.indicators
    ], category


def save_category(version, key, items, category, **kwargs):
    version.refresh_from_db()
    return rubric_category_save(
        version=version,
        category_key=key,
        lock_version=kwargs.pop("lock_version", version.lock_version),
        name=kwargs.pop("name", category.name),
        description=kwargs.pop("description", category.category.description),
        indicators=items,
        **kwargs,
    )


def test_new_draft_copies_the_current_version_word_for_word(family, draft):
    current = published_version(family)
    assert draft.number == current.number + 1
    assert draft.state == RubricVersion.State.DRAFT
    old, new = rubric_version_matrix(version=current), rubric_version_matrix(version=draft)
    assert [(lv.value, lv.name) for lv in old.levels] == [(lv.value, lv.name) for lv in new.levels]
    for old_cat, new_cat in zip(old.categories, new.categories, strict=True):
        assert (old_cat.key, old_cat.name) == (new_cat.key, new_cat.name)
        assert [(r.name, [c.text for c in r.cells]) for r in old_cat.indicators] == [
            (r.name, [c.text for c in r.cells]) for r in new_cat.indicators
        ]
    assert not set(
        Indicator.objects.filter(category__version=draft).values_list("pk", flat=True)
    ) & set(Indicator.objects.filter(category__version=current).values_list("pk", flat=True))


def test_a_second_new_draft_returns_the_open_one(family, draft, admin_user):
    again, created = rubric_version_new_draft(rubric=family.rubric, actor=admin_user)
    assert (again, created) == (draft, False)


def test_a_complete_draft_has_no_problems(draft):
    assert rubric_version_problems(version=draft) == []


def test_publish_reports_every_missing_piece(draft):
    items, category = category_inputs(draft, "site")
    first = items[0]
    first.name = ""
    first.descriptors[2] = ""
    second = items[1]
    second.descriptors[1] = ""
    second.descriptors[3] = ""
    save_category(draft, "site", items, category, name="")
    # Empty the development category entirely.
    dev_items, dev = category_inputs(draft, "development")
    draft.refresh_from_db()
    for item in dev_items:
        rubric_category_save(
            version=draft,
            category_key="development",
            lock_version=draft.lock_version,
            name=dev.name,
            description="",
            indicators=[],
            remove=item.pk,
        )
    draft.refresh_from_db()
    rubric_levels_rename(
        version=draft, names={1: "Novice", 2: "", 3: "Expert"}, lock_version=draft.lock_version
    )

    with pytest.raises(RubricIncomplete) as refused:
        rubric_version_publish(version=draft, actor=None)

    messages = [p.message for p in refused.value.problems]
    anchors = {p.anchor for p in refused.value.problems}
    assert "Level 2 has no name." in messages
    assert "The School site category has no name." in messages
    assert any("has no indicators" in m for m in messages)
    assert any("indicator 1 has no name" in m for m in messages)
    assert f"id_ind-{first.pk}-name" in anchors
    assert f"id_ind-{second.pk}-d1" in anchors and f"id_ind-{second.pk}-d3" in anchors
    assert "id_level_2" in anchors
    assert f"id_ind-{first.pk}-d2" in anchors
    draft.refresh_from_db()
    assert draft.state == RubricVersion.State.DRAFT


def test_publish_retires_the_previous_version_and_keeps_one_published(family, draft, admin_user):
    previous = published_version(family)
    rubric_version_publish(version=draft, actor=admin_user)
    previous.refresh_from_db()
    draft.refresh_from_db()
    assert previous.state == RubricVersion.State.RETIRED
    assert draft.state == RubricVersion.State.PUBLISHED
    assert draft.published_by == admin_user and draft.published_at is not None
    assert family.rubric.versions.filter(state="published").count() == 1
    with pytest.raises(RubricNotEditable):
        rubric_version_publish(version=draft, actor=admin_user)


def test_editing_a_new_draft_never_changes_an_old_assessment(family, draft, profile, admin_user):
    assessment = AssessmentFactory(coordinator=profile, ratings=2)
    pinned = assessment.rubric_version
    before = rubric_version_matrix(version=pinned)
    before_text = [
        (r.name, [c.text for c in r.cells]) for c in before.categories for r in c.indicators
    ]

    items, category = category_inputs(draft, "coordinator")
    items[0].name = "Trust, renamed"
    items[0].descriptors[1] = "A wholly new novice descriptor."
    save_category(draft, "coordinator", items, category, remove=items[1].pk)
    rubric_version_publish(version=draft, actor=admin_user)

    after = rubric_version_matrix(version=pinned)
    after_text = [
        (r.name, [c.text for c in r.cells]) for c in after.categories for r in c.indicators
    ]
    assert after_text == before_text
    assessment.refresh_from_db()
    assert assessment.rubric_version_id == pinned.pk
    assert Rating.objects.filter(assessment=assessment).count() == len(before_text)
    # The next assessment pins the new text.
    newer = AssessmentFactory(
        coordinator=profile, cycle=CycleFactory(organization=profile.organization)
    )
    assert newer.rubric_version == draft
    assert Indicator.objects.filter(category__version=draft, name="Trust, renamed").exists()


def test_category_save_edits_adds_moves_and_removes(draft):
    items, category = category_inputs(draft, "site")
    original = [i.pk for i in items]
    items[0].descriptors[3] = "Expert, rewritten."
    items.append(IndicatorInput(pk=None, name="Family voice", descriptors={1: "a", 2: "b", 3: "c"}))
    save_category(draft, "site", items, category, description="New words")

    rows = rubric_version_matrix(version=draft).category("site").indicators
    assert [r.name for r in rows][-1] == "Family voice"
    assert [c.text for c in rows[-1].cells] == ["a", "b", "c"]
    assert rows[0].cells[2].text == "Expert, rewritten."
    assert rows[0].indicator.category.description == "New words"

    items, category = category_inputs(draft, "site")
    save_category(draft, "site", items, category, move=(original[1], -1))
    order = [
        r.indicator.pk for r in rubric_version_matrix(version=draft).category("site").indicators
    ]
    assert order[:2] == [original[1], original[0]]

    items, category = category_inputs(draft, "site")
    save_category(draft, "site", items, category, remove=original[0])
    rows = rubric_version_matrix(version=draft).category("site").indicators
    assert original[0] not in [r.indicator.pk for r in rows]
    assert [r.indicator.order for r in rows] == list(range(1, len(rows) + 1))


def test_a_blank_descriptor_removes_the_cell(draft):
    items, category = category_inputs(draft, "site")
    items[0].descriptors[2] = "   "
    save_category(draft, "site", items, category)
    assert not Descriptor.objects.filter(indicator_id=items[0].pk, level__value=2).exists()


def test_two_admins_saving_the_same_draft_never_overwrite_each_other(draft):
    items, category = category_inputs(draft, "site")
    read_at = draft.lock_version
    items[0].descriptors[1] = "First admin's text"
    save_category(draft, "site", items, category, lock_version=read_at)

    items[0].descriptors[1] = "Second admin's text"
    with pytest.raises(RubricEditConflict):
        save_category(draft, "site", items, category, lock_version=read_at)
    assert Descriptor.objects.get(indicator_id=items[0].pk, level__value=1).text == (
        "First admin's text"
    )


def test_publish_refuses_a_draft_that_changed_since_it_was_read(draft, admin_user):
    read_at = draft.lock_version
    items, category = category_inputs(draft, "site")
    save_category(draft, "site", items, category, description="Changed meanwhile")
    with pytest.raises(RubricEditConflict):
        rubric_version_publish(version=draft, actor=admin_user, lock_version=read_at)


def test_edits_after_publishing_are_refused(draft, admin_user):
    rubric_version_publish(version=draft, actor=admin_user)
    draft.refresh_from_db()
    with pytest.raises(RubricNotEditable):
        rubric_levels_rename(version=draft, names={1: "Beginner"}, lock_version=draft.lock_version)


def test_edits_are_kept_in_history_with_who(draft, admin_user):
    items, category = category_inputs(draft, "site")
    items[0].descriptors[1] = "Edited text"
    save_category(draft, "site", items, category, actor=admin_user)
    record = Descriptor.history.filter(indicator_id=items[0].pk, level__value=1).latest(
        "history_date"
    )
    assert record.text == "Edited text"
    assert record.history_type == "~"


def test_discard_deletes_only_a_draft(family, draft, admin_user):
    rubric_version_discard(version=draft)
    assert not RubricVersion.objects.filter(pk=draft.pk).exists()
    with pytest.raises(RubricNotEditable):
        rubric_version_discard(version=published_version(family))


def test_new_family_from_an_existing_one_is_an_independent_copy(org, family, admin_user):
    source = published_version(family)
    coach = role_family_create_from(
        organization=org, name="Partnership staff", source_version=source, actor=admin_user
    )
    copy = published_version(coach)
    assert copy.number == 1
    assert (
        Indicator.objects.filter(category__version=copy).count()
        == Indicator.objects.filter(category__version=source).count()
    )
    assert not Indicator.objects.filter(
        category__version=copy, pk__in=source.categories.values("indicators")
    )


def test_new_family_from_a_default_rubric(org, admin_user):
    from rubrics.defaults import INSTRUCTIONAL_COACH

    coach = role_family_create_from(
        organization=org, name="Coaches", default_data=INSTRUCTIONAL_COACH, actor=admin_user
    )
    assert published_version(coach).categories.get(key="coordinator").name == "Coach"
