"""Goals, supports, catalogue attachment and promotions."""

from datetime import timedelta

import pytest

from coordinators.versioning import StaleEdit
from growth.models import CareerStage, Goal, Promotion, Support, SupportCatalogEntry
from growth.services import (
    GrowthError,
    career_position_set,
    career_stage_delete,
    goal_create,
    goal_status_set,
    goal_update,
    promotion_record,
    support_attach_from_catalogue,
    support_create,
    support_update,
)


def test_new_organizations_get_the_default_catalogue(org):
    entries = SupportCatalogEntry.objects.filter(organization=org)
    assert entries.count() >= 12
    assert set(entries.values_list("category_key", flat=True)) == {
        "coordinator",
        "site",
        "organization",
        "development",
    }


def test_goal_with_supports_of_the_same_coordinator_only(profile, teammate, director, today):
    own = support_create(profile=profile, actor=director, kind="pd", title="Course", hours=6)
    theirs = support_create(profile=teammate, actor=director, kind="pd", title="Other", hours=2)
    goal = goal_create(
        profile=profile,
        actor=director,
        category_key="site",
        target_level=2,
        target_date=today + timedelta(days=90),
        supports=[own, theirs],
    )
    assert list(goal.supports.all()) == [own]
    goal_update(goal=goal, expected_version=goal.version, target_level=3, supports=[])
    goal.refresh_from_db()
    assert goal.target_level == 3 and not goal.supports.exists()
    assert goal.history.count() == 2


def test_goal_status(profile, director, today):
    goal = goal_create(
        profile=profile, actor=director, category_key="site", target_level=2, target_date=today
    )
    goal_status_set(goal=goal, status="met")
    assert Goal.objects.get(pk=goal.pk).status == "met"
    with pytest.raises(GrowthError):
        goal_status_set(goal=goal, status="won")


def _goal(today, profile, director, **fields):
    return goal_create(
        profile=profile,
        actor=director,
        category_key="site",
        target_level=2,
        target_date=today + timedelta(days=30),
        **fields,
    )


def test_a_goal_saved_from_a_stale_form_is_refused_and_nothing_written(profile, director, today):
    goal = _goal(today, profile, director, notes="Meet monthly.")
    goal_update(goal=goal, expected_version=1, notes="Meet monthly, with an agenda.")
    stale = Goal.objects.get(pk=goal.pk)
    with pytest.raises(StaleEdit) as refused:
        goal_update(goal=stale, expected_version=1, target_date=today, notes="Meet monthly.")
    assert refused.value.current.notes == "Meet monthly, with an agenda."
    saved = Goal.objects.get(pk=goal.pk)
    assert (saved.notes, saved.target_date, saved.version) == (
        "Meet monthly, with an agenda.",
        today + timedelta(days=30),
        2,
    )
    assert saved.history.count() == 2


def test_marking_a_goal_says_what_it_found_and_makes_older_forms_stale(profile, director, today):
    goal = _goal(today, profile, director)
    assert goal_status_set(goal=goal, status="met") is True
    assert goal_status_set(goal=goal, status="met") is False
    saved = Goal.objects.get(pk=goal.pk)
    assert (saved.status, saved.version, saved.history.latest().version) == ("met", 2, 2)
    with pytest.raises(StaleEdit):
        goal_update(goal=saved, expected_version=1, status="open")
    assert Goal.objects.get(pk=goal.pk).status == "met"


def test_linking_from_one_side_makes_the_other_sides_forms_stale(profile, director, today):
    """A goal's form lists its supports and a support's form its goals: a link made from
    either side must not be undone by the other side's form opened before."""
    support = support_create(profile=profile, actor=director, kind="pd", title="Course")
    goal = _goal(today, profile, director)
    goal_update(goal=goal, expected_version=goal.version, supports=[support])
    assert Support.objects.get(pk=support.pk).version == 2
    support_update(support=Support.objects.get(pk=support.pk), expected_version=2, goals=[])
    assert Goal.objects.get(pk=goal.pk).version == 3
    with pytest.raises(StaleEdit):
        goal_update(goal=goal, expected_version=2, supports=[support])
    assert not Goal.objects.get(pk=goal.pk).supports.exists()


def test_mentoring_is_no_longer_a_support(profile, director):
    with pytest.raises(GrowthError, match="mentoring match"):
        support_create(
            profile=profile, actor=director, kind="mentoring", title="M", mentor=director
        )


def test_network_needs_its_scope_and_kind_change_clears_the_rest(profile, director):
    with pytest.raises(GrowthError, match="local, regional"):
        support_create(profile=profile, actor=director, kind="network", title="Net")
    support = support_create(profile=profile, actor=director, kind="pd", title="M", hours=3)
    support_update(
        support=support,
        expected_version=support.version,
        kind="network",
        network_scope="regional",
    )
    support.refresh_from_db()
    assert (support.kind, support.mentor, support.network_scope) == ("network", None, "regional")


def test_attach_from_catalogue_once(org, profile, director, today):
    entry = SupportCatalogEntry.objects.filter(organization=org, kind="pd").first()
    goal = goal_create(
        profile=profile,
        actor=director,
        category_key=entry.category_key,
        target_level=2,
        target_date=today + timedelta(days=30),
    )
    support, created = support_attach_from_catalogue(
        profile=profile, entry=entry, actor=director, goal=goal
    )
    assert created and support.title == entry.title and support.catalog_entry == entry
    assert support.hours == entry.hours
    assert list(goal.supports.all()) == [support]
    again, created = support_attach_from_catalogue(profile=profile, entry=entry, actor=director)
    assert (again, created) == (support, False)
    assert Support.objects.filter(coordinator=profile).count() == 1


def test_attach_refuses_mentoring_and_other_organizations(org, other_org, profile, director):
    mentoring = SupportCatalogEntry.objects.filter(organization=org, kind="mentoring").first()
    with pytest.raises(GrowthError, match="mentor"):
        support_attach_from_catalogue(profile=profile, entry=mentoring, actor=director)
    foreign = SupportCatalogEntry.objects.filter(organization=other_org).first()
    with pytest.raises(GrowthError, match="another organization"):
        support_attach_from_catalogue(profile=profile, entry=foreign, actor=director)


def test_promotion_moves_the_stage_and_keeps_history(org, profile, director, today):
    first, second = CareerStage.objects.filter(organization=org).order_by("order")[:2]
    career_position_set(profile=profile, stage=first, since=None, actor=director)
    promotion = promotion_record(
        profile=profile, to_stage=second, effective_on=today, note="Ready.", actor=director
    )
    profile.refresh_from_db()
    position = profile.career_position
    assert (position.stage, position.since) == (second, today)
    assert (promotion.from_stage, promotion.to_stage, promotion.recorded_by) == (
        first,
        second,
        director,
    )
    latest = position.history.first()
    assert (latest.stage_id, latest.history_user) == (second.pk, director)
    assert [h.stage_id for h in position.history.all()] == [second.pk, first.pk]
    with pytest.raises(GrowthError, match="already"):
        promotion_record(profile=profile, to_stage=second, effective_on=today, actor=director)


def test_promotion_to_another_organizations_stage_is_refused(other_org, profile, director, today):
    foreign = CareerStage.objects.filter(organization=other_org).first()
    with pytest.raises(GrowthError):
        promotion_record(profile=profile, to_stage=foreign, effective_on=today, actor=director)


def test_a_stage_in_use_is_not_deleted(org, profile, director, today):
    first, second, third = CareerStage.objects.filter(organization=org).order_by("order")[:3]
    career_position_set(profile=profile, stage=first, since=None, actor=director)
    with pytest.raises(GrowthError, match="people are at"):
        career_stage_delete(stage=first)
    promotion_record(profile=profile, to_stage=second, effective_on=today, actor=director)
    with pytest.raises(GrowthError, match="promotions"):
        career_stage_delete(stage=first)
    career_stage_delete(stage=third)
    assert not CareerStage.objects.filter(pk=third.pk).exists()
    assert Promotion.objects.count() == 1
