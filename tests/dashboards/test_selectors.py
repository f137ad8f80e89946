"""Dashboard reads: which level a cell shows, flags from stored scores, fixed query counts."""

from datetime import timedelta

import pytest
from django.utils import timezone

from assessments.models import Assessment, CategoryScore
from coordinators.models import CoordinatorProfile
from dashboards import flags, read_model
from dashboards.filters import DashboardFilterSet
from dashboards.models import FlagThresholds
from dashboards.selectors.common import (
    NOT_STARTED,
    Ref,
    cycles_and_version,
    default_cycle,
    organization_cycles,
    page_facts,
    stored_rows_facts,
)
from dashboards.selectors.coordinator import coordinator_history
from dashboards.selectors.overview import organization_overview, overview_page
from dashboards.selectors.team import (
    dashboard_reach,
    dashboard_rows,
    rows_filtered_and_sorted,
    team_dashboard_for,
)
from growth.models import CareerStage
from growth.services import career_position_set
from rubrics.models import Level
from tests.dashboards.dashboard_data import assess, build_team, open_cycle, past_cycles
from tests.factories import ProfileFactory, SchoolFactory

pytestmark = pytest.mark.django_db


def rows_for(org, cycle, profiles=None):
    context = page_facts(org, cycle)
    queryset = (
        profiles if profiles is not None else CoordinatorProfile.objects.filter(organization=org)
    )
    return {row.person.pk: row for row in dashboard_rows(profiles=queryset, context=context)}


def levels(row):
    return [cell.value for cell in row.cells]


def test_a_cell_shows_the_latest_finalized_level_in_words(org, profile):
    old, recent = past_cycles(org, 2)
    assess(profile, old, (1, 1, 1, 1))
    assess(profile, recent, (3, 1, 2, 2))
    row = rows_for(org, recent)[profile.pk]
    assert levels(row) == [3, 1, 2, 2]
    assert [cell.level_name for cell in row.cells] == [
        "Expert",
        "Novice",
        "Proficient",
        "Proficient",
    ]
    assert not any(cell.submitted_only or cell.from_cycle for cell in row.cells)
    assert row.status == "finalized"


def test_finalized_from_an_earlier_cycle_beats_this_cycles_submission(org, profile):
    (recent,) = past_cycles(org, 1)
    current = open_cycle(org)
    assess(profile, recent, (2, 2, 2, 2))
    assess(profile, current, (3, 3, 3, 3), state="submitted")
    row = rows_for(org, current)[profile.pk]
    assert levels(row) == [2, 2, 2, 2]
    assert row.cells[0].from_cycle == recent.name
    assert row.status == "submitted"


def test_submitted_levels_show_marked_when_nothing_is_finalized(org, profile):
    current = open_cycle(org)
    assess(profile, current, (3, 1, 2, 2), state="submitted")
    row = rows_for(org, current)[profile.pk]
    assert levels(row) == [3, 1, 2, 2]
    assert all(cell.submitted_only for cell in row.cells)
    site_gap = next(flag for flag in row.flags if flag.code == flags.SITE_GAP)
    assert "not yet reviewed" in site_gap.explanation


def test_drafts_show_no_levels(org, profile):
    current = open_cycle(org)
    assess(profile, current, (3, 1, 2, 2), state="draft")
    row = rows_for(org, current)[profile.pk]
    assert levels(row) == [None, None, None, None]
    assert row.status == "draft"
    assert row.cells[0].level_name == "Not rated"


def test_a_later_cycle_does_not_leak_into_an_earlier_one(org, profile):
    old, recent = past_cycles(org, 2)
    assess(profile, old, (1, 1, 1, 1))
    assess(profile, recent, (3, 3, 3, 3))
    assert levels(rows_for(org, old)[profile.pk]) == [1, 1, 1, 1]


def test_level_names_are_those_of_the_assessments_rubric_version(org, profile):
    (recent,) = past_cycles(org, 1)
    assessment = assess(profile, recent, (3, 2, 2, 2))
    Level.objects.filter(version=assessment.rubric_version, value=3).update(name="Leading")
    row = rows_for(org, recent)[profile.pk]
    assert row.cells[0].level_name == "Leading"


def test_flags_come_from_the_stored_scores_and_the_organizations_thresholds(org, profile):
    old, recent = past_cycles(org, 2)
    assess(profile, old, (2, 1, 2, 2))
    assess(profile, recent, (3, 1, 2, 2), self_levels=(3, 3, 2, 2))
    codes = rows_for(org, recent)[profile.pk].flag_codes
    assert {flags.SITE_GAP, flags.SUPPORT_GAP, flags.PERCEPTION_GAP} <= codes
    assert flags.STALLED not in codes  # coordinator rose from Proficient to Expert

    FlagThresholds.objects.filter(organization=org).update(site_gap_levels=2)
    codes = rows_for(org, recent)[profile.pk].flag_codes
    assert flags.SITE_GAP in codes  # still two levels apart
    CategoryScore.objects.filter(assessment__cycle=recent, category_key="coordinator").update(
        supervisor_level=2
    )
    assert flags.SITE_GAP not in rows_for(org, recent)[profile.pk].flag_codes


def test_stalled_compares_the_last_two_finalized_cycles(org, profile):
    cycles = past_cycles(org, 3)
    assess(profile, cycles[0], (1, 1, 1, 1))
    assess(profile, cycles[1], (2, 2, 2, 2))
    assess(profile, cycles[2], (2, 2, 2, 2))
    row = rows_for(org, cycles[2])[profile.pk]
    assert flags.STALLED in row.flag_codes
    assert flags.STALLED not in rows_for(org, cycles[1])[profile.pk].flag_codes


def test_overdue_and_not_started(org, profile, teammate):
    current = open_cycle(org, due_in_days=-5)
    assess(profile, current, state="draft")
    rows = rows_for(org, current)
    assert flags.OVERDUE in rows[profile.pk].flag_codes
    assert rows[teammate.pk].status == NOT_STARTED
    assert "not started" in next(f for f in rows[teammate.pk].flags).explanation


def test_past_cycles_are_judged_as_of_their_close(org, profile):
    (old,) = past_cycles(org, 1)
    context = page_facts(org, old)
    assert context.as_of == old.closes_on
    assert page_facts(org, None).as_of == timezone.localdate()


def test_ready_for_promotion_uses_the_next_career_stage(org, profile):
    stages = list(org.career_stages.order_by("order"))
    career_position_set(profile=profile, stage=stages[0], since=None, actor=None)
    profile.role_start_date = timezone.localdate() - timedelta(days=365 * 3)
    profile.save()
    (recent,) = past_cycles(org, 1)
    assess(profile, recent, (2, 1, 1, 2))  # Coordinator II asks for (2, 1, 1, 2) from year 2
    codes = rows_for(org, recent)[profile.pk].flag_codes
    assert flags.READY_FOR_PROMOTION in codes
    assert flags.LONG_TENURE in codes  # Coordinator I spans years 0–2


def test_default_cycle_is_the_latest_that_opened(org):
    past = past_cycles(org, 2)
    current = open_cycle(org)
    current.opens_on = timezone.localdate() + timedelta(days=100)
    current.due_on = current.opens_on + timedelta(days=10)
    current.closes_on = current.opens_on + timedelta(days=20)
    current.state = "planned"
    current.save()
    assert default_cycle(organization_cycles(org)) == past[-1]
    assert default_cycle([]) is None


def test_rows_filter_by_flag_and_status_and_sort_by_level(org, team):
    (recent,) = past_cycles(org, 1)
    low, high = ProfileFactory(team=team), ProfileFactory(team=team)
    assess(low, recent, (1, 1, 1, 1))
    assess(high, recent, (3, 1, 3, 3))
    rows = list(rows_for(org, recent).values())
    assert [r.person.pk for r in rows_filtered_and_sorted(rows, flag=flags.SITE_GAP)] == [high.pk]
    assert [r.person.pk for r in rows_filtered_and_sorted(rows, sort="-coordinator")] == [
        high.pk,
        low.pk,
    ]
    assert [r.person.pk for r in rows_filtered_and_sorted(rows, sort="coordinator")] == [
        low.pk,
        high.pk,
    ]
    assert rows_filtered_and_sorted(rows, status="draft") == []


@pytest.mark.parametrize("count", [3, 60])
def test_dashboard_rows_take_a_fixed_number_of_queries(org, team, count, django_assert_num_queries):
    cycles = past_cycles(org, 2)
    current = open_cycle(org)
    build_team(team, count, cycles, current)
    context = page_facts(org, current)
    queryset = CoordinatorProfile.objects.filter(team=team)
    with django_assert_num_queries(5):  # people, schools, assessments two ways, check-ins
        rows = dashboard_rows(profiles=queryset, context=context)
    assert len(rows) == count
    assert any(row.flags for row in rows)


def test_coordinator_history_shows_supervisor_levels_only_once_finalized(org, profile):
    old, recent = past_cycles(org, 2)
    current = open_cycle(org)
    assess(profile, old, (1, 1, 1, 1), self_levels=(2, 1, 1, 1))
    assess(profile, recent, (2, 2, 2, 2))
    in_review = assess(profile, current, (3, 3, 3, 3), state="submitted")
    CategoryScore.objects.filter(assessment=in_review).update(supervisor_level=1)
    history = coordinator_history(profile=profile, context=page_facts(org, current))
    assert [info.cycle_name for info in history.cycles] == [old.name, recent.name, current.name]
    data = history.chart_data()
    coordinator = data["categories"][0]
    assert coordinator["self"] == [2, 2, 3]
    assert coordinator["supervisor"] == [1, 2, None]  # the review in progress stays hidden
    assert data["levels"] == {"1": "Novice", "2": "Proficient", "3": "Expert"}
    assert history.latest.cycle_name == recent.name  # the latest finalized
    assert len(history.latest_lines) == 19
    assert history.latest_lines[0].descriptor  # the descriptor of the level reached
    assert [len(points) for _info, points, _v, _mark, _ack in history.by_cycle()] == [4, 4, 4]


def test_coordinator_history_leaves_drafts_out(org, profile):
    current = open_cycle(org)
    assess(profile, current, state="draft")
    history = coordinator_history(profile=profile, context=page_facts(org, current))
    assert history.cycles == []
    assert history.latest is None
    assert history.row.status == Assessment.State.DRAFT


def test_overview_counts_match_the_rows(org, team, other_team):
    (recent,) = past_cycles(org, 1)
    current = open_cycle(org)
    school = SchoolFactory(organization=org, name="Lincoln")
    strong = ProfileFactory(team=team, schools=[school])
    steady = ProfileFactory(team=other_team, schools=[school])
    ProfileFactory(team=other_team)
    assess(strong, recent, (3, 1, 2, 2))
    assess(steady, recent, (2, 2, 2, 2))
    assess(strong, current, state="submitted")
    assess(steady, current, state="finalized")
    read_model.rebuild()  # the factories above write no events
    overview = organization_overview(organization=org, context=page_facts(org, current))
    assert overview.coordinators == 3
    assert overview.distribution["coordinator"][3] == 1
    assert overview.distribution["coordinator"][None] == 1
    assert overview.flag_totals[flags.SITE_GAP] == 1
    east, west, lincoln = (
        Ref(team.pk, team.name),
        Ref(other_team.pk, other_team.name),
        Ref(school.pk, school.name),
    )
    by_team = dict(overview.flags_by_team)
    assert by_team[east][flags.SITE_GAP] == 1
    assert by_team[west][flags.SITE_GAP] == 0
    assert dict(overview.flags_by_school)[lincoln][flags.SITE_GAP] == 1
    completion = dict(overview.completion_by_team)
    assert completion[east]["submitted"] == 1
    assert completion[west]["finalized"] == 1
    assert completion[west][NOT_STARTED] == 1
    distribution = dict(overview.distribution_table())
    assert distribution["Coordinator"][2] == (3, 1, 33)


@pytest.mark.parametrize("with_cycle", [True, False], ids=["kept counts", "no cycle yet"])
def test_the_overview_lists_one_page_of_teams_and_counts_them_all(
    org, team, other_team, monkeypatch, with_cycle
):
    """Teams by name, "No team" last, a page at a time; the totals count every coordinator."""
    monkeypatch.setattr("dashboards.selectors.overview.TEAMS_PER_PAGE", 2)
    current = open_cycle(org) if with_cycle else None
    for person_team in (other_team, team, None):
        person = ProfileFactory(organization=org, team=person_team)
        if current:
            assess(person, current, state="submitted")
    read_model.rebuild()  # the factories above write no events
    pages = [
        organization_overview(organization=org, context=page_facts(org, current), team_page=n)
        for n in ("1", "2")
    ]
    assert [
        [ref.name if ref else None for ref, _counts in page.completion_by_team] for page in pages
    ] == [
        ["East", "West"],
        [None],
    ]
    assert [ref.name if ref else None for ref, _counts in pages[1].flags_by_team] == [None]
    assert [page.coordinators for page in pages] == [3, 3]
    assert [sum(page.distribution["coordinator"].values()) for page in pages] == [3, 3]
    assert pages[1].team_page.paginator.count == 3


def test_a_directors_dashboard_reads_their_teams_with_the_filters_given(
    org, director, profile, teammate, other_team
):
    (recent,) = past_cycles(org, 1)
    current = open_cycle(org)
    assess(profile, current, state="submitted")
    ProfileFactory(team=other_team)  # another director's coordinator
    read_model.rebuild()  # the factories above write no events
    reach = dashboard_reach(user=director)
    assert reach.teams == [profile.team]
    assert reach.team(str(other_team.pk)) is None
    filterset = DashboardFilterSet(
        {"status": "submitted"}, queryset=reach.profiles, cycles=reach.cycles, teams=reach.teams
    )
    dashboard = team_dashboard_for(reach=reach, team=None, filterset=filterset)
    assert dashboard.cycle == current
    assert [row.person.pk for row in dashboard.rows] == [profile.pk]
    assert dashboard.total == 2
    filterset = DashboardFilterSet(
        {"cycle": str(recent.pk)}, queryset=reach.profiles, cycles=reach.cycles, teams=reach.teams
    )
    assert team_dashboard_for(reach=reach, team=None, filterset=filterset).cycle == recent


def assert_read_as_the_orm_reads(read: list, expected: list) -> None:
    assert [row.pk for row in read] == [row.pk for row in expected] != []
    for row, orm in zip(read, expected, strict=True):
        for field in type(row)._meta.concrete_fields:
            value, orm_value = getattr(row, field.attname), getattr(orm, field.attname)
            assert (value, type(value)) == (orm_value, type(orm_value)), field.name
        assert not row._state.adding and row._state.db == orm._state.db


def test_a_dashboard_reads_cycles_and_career_stages_as_the_orm_does(org, other_org, admin_user):
    """The dashboards read the organization's cycles and career stages as SQL: the same rows
    in the same order, each value what the ORM gives (dates, aware times), as saved
    instances."""
    past_cycles(org, 3)
    current = open_cycle(org)
    past_cycles(other_org, 1)
    cycles = dashboard_reach(user=admin_user).cycles
    assert_read_as_the_orm_reads(cycles, organization_cycles(org))
    assert any(cycle.updated_at.tzinfo is not None for cycle in cycles)
    stages = CareerStage.objects.filter(organization=org).order_by("order")
    assert_read_as_the_orm_reads(stored_rows_facts(org, current).stages, list(stages))


def test_the_cycles_come_with_the_dashboard_version_even_before_the_first_cycle(org, other_org):
    """The team dashboard and the overview read the cycles and the version their fragment
    cache keys on in one query: an organization without cycles still has its version, and
    each organization its own."""
    read_model.version_bump(organization_id=org.pk)
    read_model.version_bump(organization_id=org.pk)
    version = read_model.version_of(org.pk)
    assert version > 0
    assert cycles_and_version(org) == ([], version)
    past_cycles(org, 2)
    past_cycles(other_org, 1)
    cycles, same = cycles_and_version(org.pk)
    assert_read_as_the_orm_reads(cycles, organization_cycles(org))
    assert len(cycles) == 2
    assert same == version
    assert cycles_and_version(other_org)[1] == read_model.version_of(other_org.pk)


def test_the_overview_page_is_as_of_the_cycle_asked_for_else_the_latest_opened(org, profile):
    (recent,) = past_cycles(org, 1)
    current = open_cycle(org)
    assert overview_page(organization=org).cycle == current
    assert overview_page(organization=org, cycle_id=str(recent.pk)).cycle == recent
    assert overview_page(organization=org, cycle_id="nonsense").cycle == current
