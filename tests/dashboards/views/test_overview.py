"""The org admin's overview: distributions, flag counts that open their list, completion."""

import pytest
from django.urls import reverse

from dashboards.read_model import version_bump
from tests.dashboards.dashboard_data import (
    assess,
    build_team,
    get_counting_queries,
)
from tests.factories import ProfileFactory, SchoolFactory

pytestmark = pytest.mark.django_db
URL = reverse("dashboards:org-overview")
DASHBOARD = reverse("dashboards:team-dashboard")


@pytest.fixture
def lincoln(org):
    return SchoolFactory(organization=org, name="Lincoln Middle")


@pytest.fixture
def people(team, other_team, cycles, current, lincoln):
    strong = ProfileFactory(team=team, schools=[lincoln])
    steady = ProfileFactory(team=other_team)
    assess(strong, cycles[1], (3, 1, 2, 2))
    assess(steady, cycles[1], (2, 2, 2, 2))
    assess(strong, current, state="submitted")
    assess(steady, current, state="draft")
    return strong, steady


def test_admin_sees_distributions_flag_counts_and_completion(
    client_for, admin_user, people, team, lincoln, current
):
    response = client_for(admin_user).get(URL)
    assert response.status_code == 200
    html = response.text
    assert "2 active coordinators, as of This year" in html
    assert "Level distribution per category" in html
    assert '1 <span class="text-body-secondary small">(50%)</span>' in html
    # Each count opens the filtered list: all site gaps, site gaps of a team, of a school.
    assert f'href="{DASHBOARD}?cycle={current.pk}&amp;flag=site_gap"' in html
    assert (
        f'href="{DASHBOARD}?cycle={current.pk}&amp;team={team.pk}&amp;flag=site_gap">1</a>' in html
    )
    assert (
        f'href="{DASHBOARD}?cycle={current.pk}&amp;school={lincoln.pk}&amp;flag=site_gap">1</a>'
        in (html)
    )
    assert (
        f'href="{DASHBOARD}?cycle={current.pk}&amp;team={team.pk}&amp;status=submitted">1</a>'
        in html
    )


def test_a_flag_count_opens_exactly_the_coordinators_it_counts(
    client_for, admin_user, people, lincoln, current
):
    strong, steady = people
    client = client_for(admin_user)
    listed = client.get(DASHBOARD, {"cycle": current.pk, "school": lincoln.pk, "flag": "site_gap"})
    assert strong.user.display_name in listed.text
    assert steady.user.display_name not in listed.text


def test_choosing_an_earlier_cycle(client_for, admin_user, people, cycles):
    response = client_for(admin_user).get(URL, {"cycle": cycles[0].pk})
    assert f'<option value="{cycles[0].pk}" selected>' in response.text
    assert "as of Past 2" in response.text


def test_directors_and_coordinators_get_403(client_for, director, coordinator):
    assert client_for(director).get(URL).status_code == 403
    assert client_for(coordinator).get(URL).status_code == 403


def test_another_organization_sees_only_its_own(client_for, other_admin, people, current):
    strong, _steady = people
    response = client_for(other_admin).get(URL, {"cycle": current.pk})
    assert response.status_code == 200
    assert "No coordinators yet" in response.text
    assert current.name not in response.text


def test_empty_organization_says_what_to_do(client_for, admin_user):
    response = client_for(admin_user).get(URL)
    assert "No coordinators yet. Add people and teams" in response.text


def test_the_same_number_of_queries_for_3_and_60_coordinators(
    client_for, admin_user, team, other_team, cycles, current
):
    client = client_for(admin_user)
    build_team(team, 3, cycles, current)
    small = get_counting_queries(client, URL)[1]
    build_team(team, 30, cycles, current)
    build_team(other_team, 27, cycles, current)
    response, large = get_counting_queries(client, URL)
    assert "60 active coordinators" in response.text
    assert small == large < 20


def test_only_the_schools_with_most_flags_show_until_asked(
    client_for, admin_user, team, cycles, current, monkeypatch
):
    monkeypatch.setattr("dashboards.views.dashboard.SCHOOLS_ON_OVERVIEW", 1)
    for name in ("Alder", "Birch"):
        person = ProfileFactory(
            team=team, schools=[SchoolFactory(organization=team.organization, name=name)]
        )
        assess(person, cycles[1], (3, 1, 2, 2))
    client = client_for(admin_user)
    short = client.get(URL).text
    assert "the 1 with the most of 2" in short
    assert ">Birch</th>" not in short
    everything = client.get(URL, {"schools": "all"}).text
    assert ">Alder</th>" in everything and ">Birch</th>" in everything


def test_an_uncached_overview_reads_its_counts_in_few_queries(
    client_for, admin_user, team, other_team, cycles, current
):
    """Cycles and rubric words are read once for the counts and the trend, and a cycle's
    overview reads its kept counts, not its rows, nor thresholds, stages or agreements: eight
    queries with the session's, the user's and the roles'."""
    build_team(team, 4, cycles, current)
    build_team(other_team, 3, cycles, current)
    client = client_for(admin_user)
    client.get(URL)  # the cycle's counts are kept from the first view on
    version_bump(organization_id=team.organization_id)
    response, count = get_counting_queries(client, URL)
    assert "7 active coordinators" in response.text
    assert count <= 8


def section(html, heading_id, next_heading_id):
    """The page's HTML from one section's heading to the next one's."""
    return html[html.index(f'id="{heading_id}"') : html.index(f'id="{next_heading_id}"')]


@pytest.fixture
def three_teams(org, people, monkeypatch):
    """East and West (``people``) and a coordinator without a team, two teams to a page."""
    monkeypatch.setattr("dashboards.selectors.overview.TEAMS_PER_PAGE", 2)
    ProfileFactory(organization=org, team=None)


def test_the_second_page_of_teams_shows_the_remaining_teams_with_the_same_totals(
    client_for, admin_user, three_teams, current
):
    client = client_for(admin_user)
    first = client.get(URL).text
    assert '<th scope="row">East</th>' in first and '<th scope="row">West</th>' in first
    assert '<th scope="row">No team</th>' not in first
    assert "Teams 1–2 of 3, by name" in first
    assert '<nav aria-label="Pages of teams: cycle completion" class="no-print">' in first
    assert 'href="?page=2#completion-heading">Next</a>' in first
    assert 'href="?page=2#team-flags-heading">Next</a>' in first

    second = client.get(URL, {"page": "2"}).text
    assert '<th scope="row">East</th>' not in second and '<th scope="row">West</th>' not in second
    assert second.count('<th scope="row">No team</th>') == 2  # completion and flags tables
    assert "Teams 3–3 of 3, by name" in second
    assert 'href="?page=1#team-flags-heading">Previous</a>' in second
    assert 'aria-current="page"><span class="page-link">Page 2 of 2</span>' in second
    # The organization's totals count every team, whichever page of teams is shown.
    assert "3 active coordinators, as of This year" in second
    totals = section(first, "flags-total-heading", "trend-heading")
    assert f'href="{DASHBOARD}?cycle={current.pk}&amp;flag=site_gap">' in totals
    assert '1 <span class="text-body-secondary small">(33%)</span>' in totals
    assert section(second, "flags-total-heading", "trend-heading") == totals

    # Each page is kept in the fragment cache under its own key: the first page again is the
    # first page, not the one rendered last.
    again = client.get(URL).text
    assert section(again, "completion-heading", "school-flags-heading") == section(
        first, "completion-heading", "school-flags-heading"
    )
    assert client.get(URL, {"page": "1"}).text.count('<th scope="row">East</th>') == 2


def test_a_page_number_out_of_range_shows_the_last_page_and_a_word_the_first(
    client_for, admin_user, three_teams
):
    client = client_for(admin_user)
    assert "Teams 3–3 of 3" in client.get(URL, {"page": "99"}).text
    assert "Teams 1–2 of 3" in client.get(URL, {"page": "last"}).text


def test_one_page_of_teams_shows_no_pages(client_for, admin_user, people):
    html = client_for(admin_user).get(URL).text
    assert '<th scope="row">East</th>' in html and '<th scope="row">West</th>' in html
    assert "Pages of teams" not in html
    assert "Teams 1–" not in html


def test_every_page_of_teams_takes_the_same_queries(client_for, admin_user, three_teams, org):
    client = client_for(admin_user)
    client.get(URL)  # the cycle's counts are kept from the first view on
    counts = []
    for number in ("1", "2"):
        version_bump(organization_id=org.pk)
        counts.append(get_counting_queries(client, f"{URL}?page={number}")[1])
    assert counts[0] == counts[1] <= 8
