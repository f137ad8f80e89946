"""The three reports as their readers use them: what they show, who may see them and the
people behind a number, their exports, and a fixed number of queries."""

import csv
import io

import pytest
from django.urls import reverse

from tests.dashboards.dashboard_data import get_counting_queries
from tests.dashboards.report_data import report_world
from tests.factories import ProfileFactory, TeamFactory

REPORTS = ("impact", "retention", "calibration")


def url(slug, suffix="", **query):
    from urllib.parse import urlencode

    name = f"dashboards:report-{slug}{'-' + suffix if suffix else ''}"
    return reverse(name) + (f"?{urlencode(query)}" if query else "")


def csv_rows(response) -> list[list[str]]:
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


@pytest.fixture
def world(org, team):
    return report_world(org, team, 12)


@pytest.mark.parametrize("slug", REPORTS)
def test_an_org_admin_opens_each_report(client_for, admin_user, world, slug):
    response = client_for(admin_user).get(url(slug))
    assert response.status_code == 200
    assert b"fewer than 5" in response.content


def test_the_impact_report_shows_the_mentored_rising_beside_the_others(
    client_for, admin_user, world
):
    response = client_for(admin_user).get(url("impact"))
    assert "Association, not proof of cause." in response.content.decode()
    page = response.context["page"]
    assert "Association, not proof of cause." in page.headline_note
    mentoring = next(t for t in page.tables if t.title == "Mentoring")
    development = next(
        row for row in mentoring.rows if row[0].value == "Development" and row[1].value == "Novice"
    )
    values = [cell.value for cell in development]
    # With: 6 people, 6 rose; without: the 6 others at Novice in the same cycle, who stayed.
    assert values[2:7] == [6, 6, 0, 0, "100%"]
    assert values[7:12] == [6, 0, 6, 0, "0%"]


def test_a_number_links_to_the_people_behind_it(client_for, admin_user, world):
    _cycles, _profiles, mentored = world
    client = client_for(admin_user)
    page = client.get(url("impact")).context["page"]
    mentoring = next(t for t in page.tables if t.title == "Mentoring")
    row = next(r for r in mentoring.rows if r[0].value == "Development" and r[1].value == "Novice")
    response = client.get(url("impact", "people", cell=row[3].people))
    assert response.status_code == 200
    assert {p.pk for p in response.context["people"]} == {p.pk for p in mentored}
    for profile in mentored:
        assert profile.user.display_name in response.content.decode()


def test_a_hidden_number_has_no_people(client_for, admin_user, org, team):
    report_world(org, team, 4)
    client = client_for(admin_user)
    page = client.get(url("impact")).context["page"]
    mentoring = next(t for t in page.tables if t.title == "Mentoring")
    cells = [cell for row in mentoring.rows for cell in row]
    assert all(not cell.people for cell in cells)
    assert "fewer than 5" in [cell.value for cell in cells]
    key = f"kind:mentoring|development|1|with|{'rose'}"
    assert client.get(url("impact", "people", cell=key)).status_code == 404


@pytest.mark.parametrize("slug", REPORTS)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_export_holds_what_the_page_shows(client_for, admin_user, world, slug, fmt):
    client = client_for(admin_user)
    page = client.get(url(slug)).context["page"]
    response = client.get(url(slug, fmt))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    if fmt == "csv":
        rows = csv_rows(response)
        assert rows[0] == [page.title]
        if slug == "impact":
            assert rows[1][0].startswith("Association, not proof of cause.")
        for table in page.tables:
            assert [table.title] in rows
            for line in table.rows:
                assert ["" if c.value is None else str(c.value) for c in line] in rows


def test_retention_counts_who_stayed(client_for, admin_user, world):
    page = client_for(admin_user).get(url("retention", split="")).context["page"]
    table = page.tables[0]
    # Everyone started four years ago; three left 300 days ago.
    two_years_ago = [row for row in table.rows if row[2].value == 12]
    assert two_years_ago
    assert two_years_ago[-1][3].value in (9, 12)


def test_retention_split_by_mentoring(client_for, admin_user, world):
    page = client_for(admin_user).get(url("retention", split="mentored")).context["page"]
    splits = {row[1].value for row in page.tables[0].rows}
    assert "Mentored" in splits and "Not mentored" in splits


def test_calibration_for_a_director_names_only_themself(client_for, org, team, director, world):
    other = TeamFactory(organization=org)
    _cycles, profiles, _mentored = world
    for profile in profiles[:6]:
        profile.assessments.update(team=other)
    response = client_for(director).get(url("calibration"))
    assert response.status_code == 200
    summary = response.context["page"].tables[0]
    names = [row[0].value for row in summary.rows]
    assert director.display_name in names
    assert other.director.display_name not in names
    assert "Director A" in names
    links = {row[0].value: row[1].people for row in summary.rows}
    assert links["Director A"] == ""
    assert links[director.display_name]


def test_a_director_may_not_open_impact_or_retention(client_for, director, world):
    client = client_for(director)
    assert client.get(url("impact")).status_code == 403
    assert client.get(url("retention")).status_code == 403


def test_a_coordinator_may_open_no_report(client_for, coordinator):
    client = client_for(coordinator)
    for slug in REPORTS:
        assert client.get(url(slug)).status_code == 403


def test_another_organizations_cycle_is_ignored_and_said(
    client_for, admin_user, other_admin, world
):
    foreign = past_cycle_of(other_admin.organization)
    response = client_for(admin_user).get(url("impact", cycle_from=foreign.pk))
    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()


def past_cycle_of(organization):
    from tests.dashboards.dashboard_data import past_cycles

    return past_cycles(organization, 1, prefix="Theirs")[0]


@pytest.mark.parametrize("slug", REPORTS)
def test_each_report_takes_a_fixed_number_of_queries(client_for, admin_user, org, team, slug):
    client = client_for(admin_user)
    cycles, _profiles, _m = report_world(org, team, 5)
    _r, small = get_counting_queries(client, url(slug))
    more = TeamFactory(organization=org)
    report_world(org, more, 15, cycles=cycles)
    ProfileFactory(team=more)
    response, large = get_counting_queries(client, url(slug))
    assert response.status_code == 200
    assert large == small
    assert large <= 20


def test_before_and_after_a_chosen_support(client_for, admin_user, world):
    _cycles, _profiles, mentored = world
    client = client_for(admin_user)
    page = client.get(url("impact", pre_post="kind:mentoring")).context["page"]
    table = page.tables[0]
    assert table.title == "Before and after: Mentoring"
    lines = {row[0].value: [cell.value for cell in row[1:]] for row in table.rows}
    # Mentored just after the first cycle opened: Novice in Development then, Proficient after.
    assert lines["Development, before"] == [6, 6, 0, 0]
    assert lines["Development, after"] == [6, 0, 6, 0]
    response = client.get(
        url("impact", "people", pre_post="kind:mentoring", cell="pre_post|people")
    )
    assert {p.pk for p in response.context["people"]} == {p.pk for p in mentored}


def test_an_unknown_support_for_before_and_after_is_ignored_and_said(client_for, admin_user, world):
    response = client_for(admin_user).get(url("impact", pre_post="entry:999999"))
    assert response.status_code == 200
    page = response.context["page"]
    assert "pre_post" in page.form.errors
    assert not page.tables[0].title.startswith("Before and after")


@pytest.mark.parametrize("slug", REPORTS)
def test_the_people_behind_a_number_take_a_fixed_number_of_queries(
    client_for, admin_user, org, team, slug
):
    client = client_for(admin_user)
    cycles, _profiles, _m = report_world(org, team, 10)
    page = client.get(url(slug)).context["page"]
    cell = next(c.people for t in page.tables for row in t.rows for c in row if c.people)
    response, small = get_counting_queries(client, url(slug, "people", cell=cell))
    assert response.status_code == 200 and response.context["people"]
    more = TeamFactory(organization=org, director=team.director)
    report_world(org, more, 15, cycles=cycles)
    response, large = get_counting_queries(client, url(slug, "people", cell=cell))
    assert response.status_code == 200
    assert len(response.context["people"]) > len(_profiles) // 2
    assert large == small
    assert large <= 20


def test_calibration_shows_its_directors_a_page_at_a_time_and_exports_them_all(
    client_for, admin_user, org, monkeypatch
):
    from dashboards.selectors import calibration

    monkeypatch.setattr(calibration, "RATERS_SHOWN", 2)
    cycles = None
    for _ in range(3):
        cycles, _profiles, _m = report_world(org, TeamFactory(organization=org), 5, cycles=cycles)
    client = client_for(admin_user)
    rows = csv_rows(client.get(url("calibration", "csv", page=2)))
    start = rows.index(["Per director"]) + 2
    exported = [row[0] for row in rows[start : rows.index([], start)]]
    assert exported[0] == "Organization" and len(exported) == 4
    shown = []
    for number, size in ((1, 2), (2, 1)):
        response = client.get(url("calibration", page=number))
        assert f"Page {number} of 2" in response.content.decode()
        summary, *by_category = response.context["page"].tables
        names = [row[0].value for row in summary.rows]
        assert names[0] == "Organization" and len(names) == 1 + size
        assert all([row[0].value for row in table.rows] == names for table in by_category)
        shown += names[1:]
    assert shown == exported[1:]


def test_a_director_sees_the_others_lettered_alike_on_every_page_and_in_the_export(
    client_for, org, team, director, monkeypatch
):
    from dashboards.selectors import calibration

    monkeypatch.setattr(calibration, "RATERS_SHOWN", 1)
    cycles, _profiles, _m = report_world(org, team, 5)
    for _ in range(2):
        report_world(org, TeamFactory(organization=org), 5, cycles=cycles)
    client = client_for(director)
    rows = csv_rows(client.get(url("calibration", "csv")))
    start = rows.index(["Per director"]) + 2
    exported = [row[0] for row in rows[start : rows.index([], start)]][1:]
    assert sorted(exported) == sorted([director.display_name, "Director A", "Director B"])
    shown = []
    for number in (1, 2, 3):
        summary = client.get(url("calibration", page=number)).context["page"].tables[0]
        shown += [row[0].value for row in summary.rows[1:]]
    assert shown == exported
