"""The fragment cache of the team dashboard and the overview: a repeated view is served from
the cache, every kind of write that changes a visible cell shows at once, and nobody is ever
served another person's entry."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.services import (
    RatingInput,
    assessment_finalize,
    assessment_save_review,
    assessment_save_self,
    assessment_start,
)
from coordinators.services import person_update, school_active_set
from dashboards import read_model
from dashboards.models import FlagThresholds
from growth.models import CareerStage
from growth.services import career_position_set, goal_create
from tests.assessments.workflow_helpers import indicators_of
from tests.dashboards.dashboard_data import assess, get_counting_queries
from tests.factories import ProfileFactory, SchoolFactory, TeamFactory, details_of

pytestmark = [pytest.mark.django_db, pytest.mark.no_read_model_rebuild]
TEAM = reverse("dashboards:team-dashboard")
OVERVIEW = reverse("dashboards:org-overview")


@pytest.fixture
def world(org, team, profile, cycles, current):
    """The fixture coordinator with two finalized cycles and a submitted one, built by
    factories and then given its read model, as after the demo seed."""
    assess(profile, cycles[0], (2, 1, 2, 2))
    assess(profile, cycles[1], (3, 1, 2, 2))
    submitted = assess(profile, current, (3, 1, 2, 2), state="submitted")
    read_model.rebuild(organization_id=org.pk)
    return submitted


def test_a_second_view_is_served_from_the_cache(client_for, director, admin_user, world):
    for user, url in [(director, TEAM), (admin_user, OVERVIEW)]:
        client = client_for(user)
        first, uncached = get_counting_queries(client, url)
        second, cached = get_counting_queries(client, url)
        assert second.status_code == 200
        assert without_tokens(first.text) == without_tokens(second.text)
        assert cached < uncached
        assert cached <= 8


def test_a_cache_hit_reads_the_cycles_and_the_version_in_one_query(
    client_for, director, admin_user, world
):
    """Every request of these pages reads the organization's cycles (to name the cycle) and
    its dashboard version (the key), cache hits included: one round trip for both."""
    for user, url in [(director, TEAM), (admin_user, OVERVIEW)]:
        client = client_for(user)
        client.get(url)
        with CaptureQueriesContext(connection) as hit:
            assert client.get(url).status_code == 200
        reads = [q["sql"] for q in hit if "dashboards_dashboardversion" in q["sql"]]
        assert len(reads) == 1
        assert "assessments_assessmentcycle" in reads[0]


def test_a_cache_hit_builds_no_query_through_the_orm(
    client_for, director, admin_user, world, monkeypatch
):
    """A hit is read as often as the pages are drawn: the person's session, their user, the
    cycles with the version and a director's teams (the entry's scope) are read with SQL
    written once, and no queryset is built for the rows or the filters it does not draw."""
    from django.db.models.sql.compiler import SQLCompiler

    from coordinators.prepared import compile_every

    compile_every()
    for user, url in [(director, TEAM), (admin_user, TEAM), (admin_user, OVERVIEW)]:
        client = client_for(user)
        first = client.get(url)
        with monkeypatch.context() as built:

            def build(*_args, **_kwargs):
                raise AssertionError("a cache hit built a query through the ORM")

            built.setattr(SQLCompiler, "as_sql", build)
            second = client.get(url)
        assert second.status_code == 200
        assert without_tokens(second.text) == without_tokens(first.text)


def without_tokens(html: str) -> str:
    """The page without its per-request CSRF tokens (the logout form, outside the fragment)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def visible(client, url):
    return client.get(url).text


def test_finalizing_shows_the_supervisor_levels_at_once(client_for, director, world):
    client = client_for(director)
    assert "* submitted, not yet reviewed" not in visible(client, TEAM)  # finalized earlier
    ratings = {i.pk: RatingInput(1, "") for i in indicators_of(world)}
    reviewed = assessment_save_review(
        assessment=world,
        actor=director,
        expected_version=world.version,
        ratings=ratings,
        coaching_notes="",
        next_steps="",
    )
    assessment_finalize(assessment=reviewed, actor=director, expected_version=reviewed.version)
    html = visible(client, TEAM)
    assert "Finalized" in html
    assert "heatmap-cell cell-level-3" not in html  # every category now Novice
    assert "heatmap-cell cell-level-1" in html


def test_a_renamed_coordinator_shows_at_once(client_for, director, admin_user, profile, world):
    client = client_for(director)
    assert profile.user.display_name in visible(client, TEAM)
    user = profile.user
    person_update(
        person=user,
        actor=admin_user,
        details=details_of(profile, first_name="Renamed", last_name="Person"),
        expected_version=user.version,
    )
    assert "Renamed Person" in visible(client, TEAM)


def test_a_new_goal_shows_in_goals_due_at_once(client_for, director, admin_user, profile, world):
    client = client_for(director)
    before = visible(client, TEAM)
    goal_create(
        profile=profile,
        actor=admin_user,
        category_key="site",
        target_level=2,
        target_date=timezone.localdate() - timedelta(days=3),
    )
    assert visible(client, TEAM) != before


def test_thresholds_change_the_flags_shown_at_once(client_for, admin_user, org, world):
    client = client_for(admin_user)
    assert "Site gap" in visible(client, TEAM)
    thresholds, _ = FlagThresholds.objects.get_or_create(organization=org)
    fields = ["site_gap_levels", "support_gap_levels", "development_grace_years"]
    data = {name: getattr(thresholds, name) for name in fields} | {
        "perception_gap_levels": thresholds.perception_gap_levels,
        "stalled_cycles": thresholds.stalled_cycles,
        "long_tenure_extra_years": thresholds.long_tenure_extra_years,
        "site_score_rule": thresholds.site_score_rule,
        "agreement_grace_days": thresholds.agreement_grace_days,
        "site_gap_levels": 2,
        "version": thresholds.version,
    }
    assert client.post(reverse("dashboards:flag-thresholds"), data).status_code == 302
    overview = visible(client, OVERVIEW)
    html = visible(client, TEAM)
    assert (
        'title="School site: Novice (the director&#x27;s view), Coordinator: Expert — two '
        'levels apart">Site gap' in html
    )
    assert overview  # the overview is rendered again too (its version moved on)


def test_a_career_stage_change_shows_at_once(client_for, director, profile, world):
    client = client_for(director)
    before = visible(client, TEAM)
    stage = CareerStage.objects.filter(organization=profile.organization).order_by("order")[0]
    career_position_set(
        profile=profile,
        stage=stage,
        since=timezone.localdate() - timedelta(days=365 * 20),
        actor=director,
    )
    assert visible(client, TEAM) != before  # long tenure in the first stage now


def test_a_school_deactivated_moves_the_version(org, world):
    school = SchoolFactory(organization=org)
    before = read_model.version_of(org.pk)
    school_active_set(school=school, active=False)
    assert read_model.version_of(org.pk) > before


def test_nobody_is_served_another_persons_entry(client_for, org, director, admin_user, world):
    other_team = TeamFactory(organization=org, name="West")
    outsider = ProfileFactory(team=other_team, user__first_name="Outside", user__last_name="Er")
    read_model.rebuild(organization_id=org.pk)
    admin_html = visible(client_for(admin_user), TEAM)
    assert "Outside Er" in admin_html
    # The director asks for the very same page after the admin: their own entry, their team.
    director_html = visible(client_for(director), TEAM)
    assert "Outside Er" not in director_html
    west = visible(client_for(other_team.director), TEAM)
    assert "Outside Er" in west
    assert world.coordinator.user.display_name not in west
    # A director who takes over the other team sees both, not an entry of before.
    other_team.director = director
    other_team.save()
    both = visible(client_for(director), TEAM)
    assert "Outside Er" in both and world.coordinator.user.display_name in both
    assert outsider.pk


def test_a_drafts_background_save_keeps_the_cached_pages(client_for, org, teammate, world):
    """A draft's levels show nowhere on these pages, so its saves leave the version alone."""
    draft = assessment_start(cycle=world.cycle, profile=teammate, actor=teammate.user)
    before = read_model.version_of(org.pk)
    assessment_save_self(
        assessment=draft,
        actor=teammate.user,
        expected_version=draft.version,
        ratings={i.pk: RatingInput(3, "Evidence") for i in indicators_of(draft)},
    )
    assert read_model.version_of(org.pk) == before
