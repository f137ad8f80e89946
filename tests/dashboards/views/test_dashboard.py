"""The director's team dashboard: the heatmap, its filters, flags and empty states."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from coordinators.models import Team
from dashboards import flags
from growth.models import Goal
from growth.services import goal_create
from tests.dashboards.dashboard_data import (
    assess,
    build_team,
    get_counting_queries,
    open_cycle,
)
from tests.factories import ProfileFactory, SchoolFactory, UserFactory

pytestmark = pytest.mark.django_db
URL = reverse("dashboards:team-dashboard")


@pytest.fixture
def gap(profile, cycles, current):
    """The fixture coordinator: a strong coordinator at a weak site, submitted this cycle."""
    assess(profile, cycles[0], (2, 1, 2, 2))
    assess(profile, cycles[1], (3, 1, 2, 2))
    assess(profile, current, (3, 1, 2, 2), state="submitted")
    return profile


def names_in(response):
    return re.findall(r'class="heatmap-name"><a href="[^"]+">([^<]+)</a>', response.text)


def test_director_sees_their_team_with_levels_in_words_and_flags(client_for, director, gap):
    response = client_for(director).get(URL)
    assert response.status_code == 200
    assert names_in(response) == [gap.user.display_name]
    html = response.text
    assert 'class="gm-badge level level-3">Expert' in html
    assert 'class="gm-badge level level-1">Novice' in html
    # The flag badge: its explanation on hover/focus (title -> tooltip) and for screen readers.
    explanation = (
        "School site: Novice (the director&#x27;s view), Coordinator: Expert — two levels apart"
    )
    assert f'data-bs-toggle="tooltip" title="{explanation}">Site gap</button>' in html
    assert f'<span class="visually-hidden">: {explanation}.</span>' in html
    assert reverse("dashboards:coordinator-detail", args=[gap.pk]) in html
    assert "Levels from Past 1" in html  # the finalized level comes from the last cycle


def test_other_teams_and_organizations_stay_out(
    client_for, director, gap, other_team, cycles, other_admin
):
    outsider = ProfileFactory(team=other_team)
    assess(outsider, cycles[1], (1, 1, 1, 1))
    assert outsider.user.display_name not in client_for(director).get(URL).text
    response = client_for(other_admin).get(URL)
    assert response.status_code == 200
    assert gap.user.display_name not in response.text
    assert outsider.user.display_name not in response.text


def test_a_team_outside_reach_is_404(client_for, director, other_team, admin_user, other_admin):
    assert client_for(director).get(URL, {"team": other_team.pk}).status_code == 404
    assert client_for(other_admin).get(URL, {"team": other_team.pk}).status_code == 404
    assert client_for(admin_user).get(URL, {"team": other_team.pk}).status_code == 200


def test_a_team_name_typed_in_the_picker_chooses_only_a_team_in_reach(
    client_for, admin_user, director, gap, other_team, cycles
):
    """The team filter is a picker: without JavaScript a team's name typed in full chooses it,
    and a name that names no team in reach is reported beside the field, never a 404 that
    would tell whether another's team exists."""
    outsider = ProfileFactory(team=other_team)
    assess(outsider, cycles[1], (1, 1, 1, 1))
    typed = client_for(admin_user).get(URL, {"team": "west"})
    assert names_in(typed) == [outsider.user.display_name]
    assert "Team dashboard: West" in typed.text
    teams_url = reverse("coordinators:picker-options", kwargs={"source": "teams"})
    assert f'data-picker-url="{teams_url}"' in typed.text
    assert '<select name="team"' not in typed.text
    unknown = client_for(admin_user).get(URL, {"team": "Nowhere"})
    assert unknown.status_code == 200
    assert "No team is called “Nowhere”" in unknown.text or "No team you can choose" in (
        unknown.text
    )
    assert set(names_in(unknown)) == {gap.user.display_name, outsider.user.display_name}
    theirs = client_for(director).get(URL, {"team": "West"})
    assert theirs.status_code == 200
    assert outsider.user.display_name not in names_in(theirs)


def test_coordinators_may_not_see_the_dashboard(client_for, coordinator):
    assert client_for(coordinator).get(URL).status_code == 403


def test_a_user_without_a_role_gets_403(client_for, org):
    assert client_for(UserFactory(organization=org)).get(URL).status_code == 403


def test_admin_sees_every_team_and_can_pick_one(client_for, admin_user, gap, other_team, cycles):
    outsider = ProfileFactory(team=other_team)
    assess(outsider, cycles[1], (1, 1, 1, 1))
    everyone = client_for(admin_user).get(URL)
    assert set(names_in(everyone)) == {gap.user.display_name, outsider.user.display_name}
    one = client_for(admin_user).get(URL, {"team": other_team.pk})
    assert names_in(one) == [outsider.user.display_name]
    assert "Team dashboard: West" in one.text


def test_filters_narrow_the_rows_and_stay_in_the_url(client_for, director, team, gap, cycles):
    rural = SchoolFactory(organization=team.organization, level="high", setting="rural")
    steady = ProfileFactory(team=team, schools=[rural], user__first_name="Zed")
    assess(steady, cycles[0], (2, 2, 2, 2))
    assess(steady, cycles[1], (2, 2, 3, 2))
    client = client_for(director)
    everyone = {gap.user.display_name, steady.user.display_name}
    assert set(names_in(client.get(URL))) == everyone
    assert names_in(client.get(URL, {"flag": flags.SITE_GAP})) == [gap.user.display_name]
    assert names_in(client.get(URL, {"setting": "rural"})) == [steady.user.display_name]
    assert names_in(client.get(URL, {"school_level": "high"})) == [steady.user.display_name]
    assert names_in(client.get(URL, {"school_level": "middle"})) == []
    assert names_in(client.get(URL, {"q": "zed"})) == [steady.user.display_name]
    assert names_in(client.get(URL, {"status": "submitted"})) == [gap.user.display_name]
    assert names_in(client.get(URL, {"school": rural.pk})) == [steady.user.display_name]
    # The filter form keeps what was chosen, so the URL can be bookmarked and shared.
    response = client.get(URL, {"flag": flags.SITE_GAP, "setting": "urban"})
    assert '<option value="site_gap" selected>' in response.text
    assert '<option value="urban" selected>' in response.text
    # The export links carry the same filters.
    assert "export.csv?flag=site_gap&amp;setting=urban" in response.text


def test_the_cycle_filter_shows_an_earlier_cycle(client_for, director, gap, cycles):
    response = client_for(director).get(URL, {"cycle": cycles[0].pk})
    assert f'<option value="{cycles[0].pk}" selected>' in response.text
    # the coordinator was Proficient in that cycle
    assert 'class="gm-badge level level-2">Proficient' in response.text
    assert ">Stalled</button>" not in response.text


def test_sorting_by_a_category(client_for, director, team, cycles):
    low = ProfileFactory(team=team, user__last_name="Aaronson")
    high = ProfileFactory(team=team, user__last_name="Zimmer")
    assess(low, cycles[1], (1, 1, 1, 1))
    assess(high, cycles[1], (3, 1, 1, 1))
    client = client_for(director)
    by_name = names_in(client.get(URL))
    assert by_name == [low.user.display_name, high.user.display_name]
    response = client.get(URL, {"sort": "-coordinator"})
    assert names_in(response) == [high.user.display_name, low.user.display_name]
    assert (
        '<th scope="col" aria-sort="descending"><a class="sort-link" href="?sort=coordinator"'
        in (response.text)
    )


def test_malformed_filters_are_ignored_not_a_server_error(client_for, director, gap):
    response = client_for(director).get(
        URL,
        {"cycle": "x", "flag": "bogus", "sort": "drop table", "school": "-3", "page": "zz"},
    )
    assert response.status_code == 200
    assert names_in(response) == [gap.user.display_name]


def test_a_school_id_no_row_can_have_is_left_out_and_said(client_for, director, gap):
    """A school link from the overview, edited or mangled: every school is shown, and the page
    says the link was not valid rather than claiming to show one school."""
    for value in ("99999999999999999999", "-3", "abc"):
        response = client_for(director).get(URL, {"school": value})
        assert response.status_code == 200, value
        assert names_in(response) == [gap.user.display_name]
        assert "The school in this link is not valid" in response.text
        assert "one school site only" not in response.text


def test_empty_states_say_what_to_do(client_for, org, director, profile):
    assert "There is no assessment cycle yet" in client_for(director).get(URL).text
    current = open_cycle(org)
    assess(profile, current, state="draft")
    response = client_for(director).get(URL)
    assert f"No finalized assessments yet in {current.name}" in response.text
    response = client_for(director).get(URL, {"flag": flags.SITE_GAP})
    assert "No coordinator has this flag" in response.text
    lonely = UserFactory(organization=org, roles=["director"])
    assert "You do not direct a team yet" in client_for(lonely).get(URL).text
    Team.objects.create(organization=org, name="Empty", director=lonely)
    assert "Your team has no coordinators yet" in client_for(lonely).get(URL).text


def test_many_rows_are_paginated(client_for, director, team, cycles, current, monkeypatch):
    monkeypatch.setattr("dashboards.views.dashboard.ROWS_PER_PAGE", 2)
    for _ in range(3):
        ProfileFactory(team=team)
    client = client_for(director)
    assert len(names_in(client.get(URL))) == 2
    last = client.get(URL, {"page": 2})
    assert len(names_in(last)) == 1
    assert "Page 2 of 2" in last.text


def test_no_inline_script_or_style(client_for, director, gap):
    html = client_for(director).get(URL).text
    assert "style=" not in html
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []


def test_a_director_sees_a_coordinators_goals_overdue_and_due_soon(
    client_for, director, gap, teammate
):
    today = timezone.localdate()
    for days in (-5, -40, 10):
        goal_create(
            profile=gap,
            actor=director,
            category_key="site",
            target_level=2,
            target_date=today + timedelta(days=days),
        )
    # Met, or far off: neither is due.
    met = goal_create(
        profile=teammate,
        actor=director,
        category_key="site",
        target_level=2,
        target_date=today - timedelta(days=5),
    )
    Goal.objects.filter(pk=met.pk).update(status=Goal.Status.MET)
    goal_create(
        profile=teammate,
        actor=director,
        category_key="site",
        target_level=2,
        target_date=today + timedelta(days=90),
    )
    html = client_for(director).get(URL).text
    assert '<th scope="col">Goals due</th>' in html
    goals_cell = dict(
        re.findall(
            r'class="heatmap-name"><a href="[^"]+">([^<]+)</a>'
            r'.*?<td class="heatmap-goals">(.*?)</td>',
            html,
            re.S,
        )
    )
    label = '<span class="heatmap-label">Goals due</span>'  # shown on a phone's card only
    assert goals_cell[escape(gap.user.display_name)].startswith(label)
    overdue, due_soon = goals_cell[escape(gap.user.display_name)].split("</span>")[1:3]
    assert overdue.endswith(">2 goals overdue")
    assert due_soon.endswith(">1 due soon")
    assert goals_cell[escape(teammate.user.display_name)] == (
        f'{label}<span class="text-body-secondary">None</span>'
    )


def test_the_same_number_of_queries_for_3_and_60_coordinators(
    client_for, director, team, cycles, current
):
    client = client_for(director)

    def with_goals_due(profiles):
        for days in (-3, 12):
            for person in profiles:
                goal_create(
                    profile=person,
                    actor=director,
                    category_key="site",
                    target_level=2,
                    target_date=timezone.localdate() + timedelta(days=days),
                )

    with_goals_due(build_team(team, 3, cycles, current))
    small, small_count = get_counting_queries(client, URL)
    with_goals_due(build_team(team, 57, cycles, current))
    large, large_count = get_counting_queries(client, URL)
    assert large.text.count("1 goal overdue</span>") == 60
    assert len(names_in(small)) == 3
    assert len(names_in(large)) == 60
    assert small_count == large_count < 20
    filtered = f"{URL}?flag=site_gap&setting=urban&q=a&sort=-flags"
    assert get_counting_queries(client, filtered)[1] == large_count


def test_a_filter_value_that_does_not_fit_is_reported_beside_its_field(client_for, director, gap):
    html = client_for(director).get(URL, {"flag": "bogus"}).text
    assert 'aria-describedby="id_flag-error"' in html
    assert 'aria-invalid="true"' in html
    assert '<div class="invalid-feedback d-block" id="id_flag-error">' in html
    assert "This filter was left out." in html


def test_every_flag_sentence_ends_with_one_full_stop(
    client_for, director, profile, cycles, current
):
    """Perception gap and stalled build their explanation from several clauses; the pages end
    the sentence, so it never reads "..", on the dashboard or the coordinator's page."""
    assess(profile, cycles[0], (2, 2, 2, 2))
    assess(profile, cycles[1], (2, 2, 2, 1), self_levels=(3, 2, 2, 1))  # fell, and a gap
    html = client_for(director).get(URL).text
    assert "Perception gap</button>" in html and "Stalled</button>" in html
    assert ".." not in html
    page = client_for(director).get(reverse("dashboards:coordinator-detail", args=[profile.pk]))
    assert "Development fell from Proficient to Novice" in page.text
    assert ".." not in page.text


def test_the_admin_s_whole_organization_page_reads_no_flag_rules_inputs(
    client_for, admin_user, team, other_team, cycles, current
):
    """The rows come from the read model with their flags: the page reads the names and the
    career stages, not the thresholds, agreements or acknowledgement settings (two queries
    fewer than the rules would need); with no filter on the people, its counts are one query
    and its page's rows another, and its teams are counted, not read."""
    build_team(team, 4, cycles, current)
    build_team(other_team, 3, cycles, current)
    client = client_for(admin_user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL)
    assert response.status_code == 200
    tables = " ".join(query["sql"] for query in queries.captured_queries)
    assert "flagthresholds" not in tables
    assert "partnershipagreement" not in tables
    assert '"coordinators_team"."id"' not in tables  # counted with the rows, not read
    assert len(queries) <= 12
