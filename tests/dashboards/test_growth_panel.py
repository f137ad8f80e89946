"""The growth panel's data: career stage and readiness, goals due, suggestions, and a fixed
number of queries; goal deadlines for dashboards; a mentor's mentees."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.models import Assessment, Rating
from assessments.services import category_scores_refresh
from dashboards.selectors.growth_panel import growth_panel
from growth.models import CareerStage, Goal, SupportCatalogEntry
from growth.selectors import goal_deadlines, mentees_of
from growth.services import (
    career_position_set,
    goal_create,
    support_attach_from_catalogue,
    support_create,
)
from tests.factories import AssessmentFactory, CycleFactory, ProfileFactory, mentoring_match


def finalize(today, profile, levels: dict[str, int], days_ago: int):
    """A finalized assessment whose supervisor level in each category is ``levels[key]``."""
    cycle = CycleFactory(
        organization=profile.organization,
        opens_on=today - timedelta(days=days_ago),
        state="closed",
    )
    assessment = AssessmentFactory(coordinator=profile, cycle=cycle, state="finalized")
    for rating in Rating.objects.filter(assessment=assessment).select_related(
        "indicator__category"
    ):
        rating.self_level = rating.supervisor_level = levels[rating.indicator.category.key]
        rating.save(update_fields=["self_level", "supervisor_level"])
    category_scores_refresh(assessment=assessment)
    return assessment


@pytest.fixture
def stages(org):
    return list(CareerStage.objects.filter(organization=org).order_by("order"))


def test_stage_time_and_next_stage_requirements(profile, director, stages, today):
    # Coordinator II; next: Senior Coordinator (3, 2, 2, 2)
    career_position_set(
        profile=profile, stage=stages[1], since=today - timedelta(days=400), actor=director
    )
    profile.role_start_date = today - timedelta(days=365 * 5 + 5)
    profile.save()
    finalize(today, profile, {"coordinator": 3, "site": 1, "organization": 2, "development": 2}, 30)

    panel = growth_panel(profile=profile, viewer=director)

    assert panel.stage == stages[1]
    assert panel.stage_time == "1 year, 1 month"
    assert panel.next_stage == stages[2]
    sentences = [r.sentence for r in panel.readiness.requirements]
    assert "Coordinator: needs Expert, now Expert — met" in sentences
    assert "School site: needs Proficient, now Novice — not met" in sentences
    assert "Years in role: needs 4 years, now 5 years — met" in sentences
    assert panel.readiness.based_on.startswith("the Cycle")


def test_no_finalized_assessment_yet(profile, director, stages):
    panel = growth_panel(profile=profile, viewer=director)
    assert panel.readiness.based_on == "no finalized assessment yet"
    assert not panel.readiness.all_met


def test_goals_due_soon_and_overdue(profile, director, today):
    for days in (-3, 10, 200):
        goal_create(
            profile=profile,
            actor=director,
            category_key="site",
            target_level=2,
            target_date=today + timedelta(days=days),
        )
    goal_create(
        profile=profile,
        actor=director,
        category_key="site",
        target_level=2,
        target_date=today - timedelta(days=30),
        status=Goal.Status.MET,
    )
    panel = growth_panel(profile=profile, viewer=director)
    assert [row.due for row in panel.open_goals] == ["overdue", "due_soon", None]
    assert len(panel.closed_goals) == 1
    assert goal_deadlines(profile_ids=[profile.pk]) == {profile.pk: {"overdue": 1, "due_soon": 1}}


def test_suggestions_follow_goals_flags_and_current_levels(org, profile, director, today):
    # A strong coordinator at a weak site: the site gap flag asks for School site supports.
    finalize(today, profile, {"coordinator": 3, "site": 1, "organization": 3, "development": 2}, 30)
    goal = goal_create(
        profile=profile,
        actor=director,
        category_key="development",
        target_level=3,
        target_date=today + timedelta(days=60),
    )
    panel = growth_panel(profile=profile, viewer=director)
    titles = {s.entry.title: s for s in panel.suggestions}
    site_level_1 = SupportCatalogEntry.objects.filter(
        organization=org, category_key="site", level=1
    )
    dev_level_2 = SupportCatalogEntry.objects.filter(
        organization=org, category_key="development", level=2
    )
    for entry in site_level_1:
        assert any("Site gap" in r for r in titles[entry.title].reasons)
    for entry in dev_level_2:
        assert titles[entry.title].goal_id == goal.pk
    assert all(s.entry.level in (1, 2) for s in panel.suggestions)
    assert not any(s.entry.category_key == "coordinator" for s in panel.suggestions)

    attached = next(s.entry for s in panel.suggestions if s.one_click)
    support_attach_from_catalogue(profile=profile, entry=attached, actor=director)
    panel = growth_panel(profile=profile, viewer=director)
    assert attached.pk not in [s.entry.pk for s in panel.suggestions]


def test_flags_given_by_the_page_are_used(profile, director):
    from dashboards.flags import Flag

    panel = growth_panel(
        profile=profile, viewer=director, flags=[Flag("support_gap", "words", ("organization",))]
    )
    assert panel.flags[0].explanation == "words"
    assert {s.entry.category_key for s in panel.suggestions} >= {"organization"}


def test_rights_in_the_panel(profile, director, coordinator, teammate, admin_user):
    assert (growth_panel(profile=profile, viewer=director).can_direct) is True
    own = growth_panel(profile=profile, viewer=coordinator)
    assert own.can_edit and not own.can_direct
    assert not growth_panel(profile=profile, viewer=teammate.user).can_edit
    assert growth_panel(profile=profile, viewer=admin_user).can_direct


def test_panel_query_count_is_fixed(profile, director, django_assert_num_queries, today):
    finalize(
        today, profile, {"coordinator": 2, "site": 1, "organization": 2, "development": 1}, 400
    )

    def add_goal(n):
        support = support_create(
            profile=profile, actor=director, kind="pd", title=f"Course {n}", hours=3
        )
        assert goal_create(
            profile=profile,
            actor=director,
            category_key=["site", "coordinator", "development"][n % 3],
            target_level=2,
            target_date=today + timedelta(days=n * 10 - 20),
            supports=[support],
        )

    def count():
        panel_profile = type(profile).objects.get(pk=profile.pk)
        viewer = type(director).objects.get(pk=director.pk)
        with CaptureQueriesContext(connection) as ctx:
            growth_panel(profile=panel_profile, viewer=viewer)
        return len(ctx.captured_queries)

    add_goal(0)
    count()  # the first reads the rubric's words into the cache
    few = count()
    for n in range(1, 12):
        add_goal(n)
    for n in range(4):
        finalize(
            today,
            profile,
            {"coordinator": 2, "site": 1, "organization": 2, "development": 1},
            100 + n,
        )
    assert count() == few
    assert few <= 10


def test_mentees_only_of_this_mentor_and_organization(
    org, other_org, profile, teammate, director, today
):
    mentor = ProfileFactory(team=profile.team).user
    mentoring_match(mentee=profile, mentor=mentor)
    mentoring_match(mentee=teammate, mentor=director)
    goal_create(
        profile=profile, actor=director, category_key="site", target_level=2, target_date=today
    )
    mentees = mentees_of(mentor)
    assert [m.profile for m in mentees] == [profile]
    assert len(mentees[0].open_goals) == 1
    assert mentees_of(director)[0].profile == teammate
    assert mentees_of(profile.user) == []
    assert Assessment.objects.count() == 0
