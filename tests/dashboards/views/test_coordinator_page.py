"""A coordinator's page: the matrix over time, current flags, the printable latest matrix."""

import json
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.models import CategoryScore
from coordinators.access import user_roles
from coordinators.models import CoordinatorProfile
from dashboards.selectors.common import organization_cycles, page_facts
from dashboards.selectors.coordinator import coordinator_history
from dashboards.selectors.growth_panel import growth_panel
from growth.models import CareerStage
from growth.services import career_position_set, goal_create
from tests.dashboards.dashboard_data import (
    assess,
    build_team,
    get_counting_queries,
    past_cycles,
)
from tests.factories import ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db


def url(profile):
    return reverse("dashboards:coordinator-detail", args=[profile.pk])


@pytest.fixture
def history(profile, cycles, current):
    assess(profile, cycles[0], (2, 1, 2, 2), self_levels=(3, 1, 2, 2))
    assess(profile, cycles[1], (3, 1, 2, 2))
    in_review = assess(profile, current, (3, 2, 2, 2), state="submitted")
    # A review in progress: its supervisor levels must not show anywhere yet.
    CategoryScore.objects.filter(assessment=in_review).update(supervisor_level=1)
    return profile


def chart_data(response):
    match = re.search(
        r'<script id="coordinator-chart-data" type="application/json">(.*?)</script>',
        response.text,
        re.S,
    )
    return json.loads(match.group(1))


@pytest.mark.parametrize("who", ["coordinator", "director", "admin_user"])
def test_the_coordinator_their_director_and_the_admin_see_it(client_for, history, who, request):
    response = client_for(request.getfixturevalue(who)).get(url(history))
    assert response.status_code == 200
    assert history.user.display_name in response.text


def test_chart_and_table_show_self_against_supervisor_in_every_cycle(
    client_for, coordinator, history, cycles, current
):
    response = client_for(coordinator).get(url(history))
    data = chart_data(response)
    assert data["labels"] == [cycles[0].name, cycles[1].name, current.name]
    coordinator_series = data["categories"][0]
    assert coordinator_series["name"] == "Coordinator"
    assert coordinator_series["self"] == [3, 3, 3]
    assert coordinator_series["supervisor"] == [2, 3, None]
    html = response.text
    assert "Levels by cycle: self / supervisor" in html
    assert "submitted, not yet reviewed" in html
    assert 'vendor/chartjs/chart.umd.js"></script>' in html
    assert 'js/coordinator_chart.js"></script>' in html


def test_current_flags_are_explained_in_words(client_for, director, history, current):
    html = client_for(director).get(url(history)).text
    assert f"as of {current.name}" in html
    assert (
        "School site: Novice (the director&#x27;s view), Coordinator: Expert — two levels apart"
        in html
    )


def test_the_latest_finalized_matrix_prints_with_its_descriptors(client_for, director, history):
    html = client_for(director).get(url(history)).text
    assert "Latest matrix: Past 1" in html
    assert 'class="table table-sm print-matrix' in html
    assert "Relationship building and trust" in html
    # Expert descriptor of the first indicator of the default rubric.
    assert "Is a trusted broker across the school and community" in html
    assert "Print for the coaching conversation" in html


def test_growth_panel_is_included(client_for, director, history, monkeypatch):
    response = client_for(director).get(url(history))
    assert "dashboards/includes/growth_panel.html" in [t.name for t in response.templates]


def test_a_coordinator_without_history_sees_what_comes_next(client_for, coordinator, profile):
    html = client_for(coordinator).get(url(profile)).text
    assert "Once you submit your self-assessment" in html
    assert "No history yet" in html
    assert "No flags" in html


def test_others_get_404(client_for, history, teammate, other_director, other_admin):
    assert client_for(teammate.user).get(url(history)).status_code == 404
    assert client_for(other_director).get(url(history)).status_code == 404
    assert client_for(other_admin).get(url(history)).status_code == 404
    assert client_for(other_admin).get("/people/999999/").status_code == 404


def test_a_user_without_a_role_gets_403(client_for, org, history):
    assert client_for(UserFactory(organization=org)).get(url(history)).status_code == 403


def test_no_inline_script_or_style(client_for, director, history):
    html = client_for(director).get(url(history)).text
    assert "style=" not in html
    inline = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert inline == ['<script id="coordinator-chart-data" type="application/json">']


# Session, user with their organization (navigation) and roles, profile, cycles, thresholds,
# stages, category and level names, the history with its scores, its rubric versions' numbers,
# schools, the latest matrix's lines, and the growth panel's own goals with their supports,
# supports and catalogue suggestions; the acknowledgements of the reviews; the agreement of
# each school site.
PAGE_QUERIES = 17
# On its own (My growth) the panel also reads stages, thresholds, finalized assessments and
# their scores, and takes the level and category names from the cached rubric text: on the
# coordinator page it takes all of them from the page.
PANEL_QUERIES_ALONE = 8


def test_the_same_number_of_queries_for_3_and_60_coordinators_and_more_cycles(
    client_for, org, director, team, cycles, current
):
    (person,) = build_team(team, 1, cycles, current)
    goal_create(
        profile=person,
        actor=director,
        category_key="site",
        target_level=2,
        target_date=timezone.localdate() + timedelta(days=10),
    )
    client = client_for(director)
    export = reverse("dashboards:coordinator-history-export", args=[person.pk])
    build_team(team, 2, cycles, current)
    assert get_counting_queries(client, url(person))[1] == PAGE_QUERIES < 20
    small_export = get_counting_queries(client, export)[1]
    build_team(team, 57, cycles, current)
    assert get_counting_queries(client, url(person))[1] == PAGE_QUERIES
    assert get_counting_queries(client, export)[1] == small_export < 20
    for cycle in past_cycles(org, 6, prefix="Older")[:4]:
        assess(person, cycle, (1, 1, 1, 1))
    response, more_cycles = get_counting_queries(client, url(person))
    assert len(chart_data(response)["labels"]) == 7
    assert more_cycles == PAGE_QUERIES
    assert growth_panel_queries(person, director) == PANEL_QUERIES_ALONE


def test_the_growth_panel_shows_the_same_with_the_pages_data_as_on_its_own(
    director, history, stages_and_goal
):
    profile = CoordinatorProfile.objects.select_related(
        "user", "team", "career_position__stage"
    ).get(pk=history.pk)
    context = page_facts(org_id := profile.organization_id, organization_cycles(org_id)[0])
    page = coordinator_history(profile=profile, context=context)
    alone = growth_panel(profile=profile, viewer=director, flags=page.row.flags)
    with CaptureQueriesContext(connection) as queries:
        given = growth_panel(
            profile=profile,
            viewer=director,
            flags=page.row.flags,
            stages=context.stages,
            thresholds=context.thresholds,
            finalized=page.finalized,
            names_by_version=context.names_by_version,
        )
    assert given == alone
    assert given.readiness is not None and given.open_goals and given.suggestions
    assert len(queries) == 4  # goals with their supports, supports, catalogue


@pytest.fixture
def stages_and_goal(org, history, director):
    career_position_set(
        profile=history,
        stage=CareerStage.objects.filter(organization=org).order_by("order").first(),
        since=timezone.localdate() - timedelta(days=400),
        actor=director,
    )
    goal_create(
        profile=history,
        actor=director,
        category_key="site",
        target_level=2,
        target_date=timezone.localdate() - timedelta(days=3),
    )


def growth_panel_queries(profile, viewer):
    request = RequestFactory().get("/")
    request.user = viewer
    template = Template("{% load growth_tags %}{% growth_panel profile %}")
    user_roles(viewer)  # read once per request, as on a page
    template.render(Context({"request": request, "profile": profile}))  # the words, cached
    with CaptureQueriesContext(connection) as queries:
        template.render(Context({"request": request, "profile": profile}))
    return len(queries)


def test_history_csv_is_scoped_like_the_page(client_for, coordinator, history, other_director):
    export = reverse("dashboards:coordinator-history-export", args=[history.pk])
    response = client_for(coordinator).get(export)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == (
        "Cycle,State,Category,Self level,Self (1-3),Supervisor level,Supervisor (1-3),"
        "Acknowledged on,Coordinator's response"
    )
    assert len(lines) == 1 + 3 * 4
    assert "Past 2,finalized,Coordinator,Expert,3,Proficient,2,," in lines  # not acknowledged
    assert "This year,submitted,Coordinator,Expert,3,,,," in lines  # no supervisor level yet
    assert client_for(other_director).get(export).status_code == 404


def test_a_teammate_profile_is_not_reachable_by_guessing(client_for, coordinator, team):
    stranger = ProfileFactory(team=team)
    assert client_for(coordinator).get(url(stranger)).status_code == 404
