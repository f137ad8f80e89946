"""Team and organization matrices as CSV and XLSX: the same rows, filters and flags as the
screen, scoped like the page, and safe to open in a spreadsheet program."""

import csv
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from assessments.services import assessment_acknowledge
from dashboards.exports import neutralise
from tests.dashboards.dashboard_data import (
    assess,
    build_team,
    get_counting_queries,
)
from tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db
CSV = reverse("dashboards:team-dashboard-csv")
XLSX = reverse("dashboards:team-dashboard-xlsx")
DASHBOARD = reverse("dashboards:team-dashboard")


@pytest.fixture
def people(team, other_team, cycles, current, profile):
    assess(profile, cycles[1], (3, 1, 2, 2))
    assess(profile, current, state="submitted")
    steady = ProfileFactory(team=team, user__last_name="Zuniga")
    assess(steady, cycles[1], (2, 2, 2, 2))
    outsider = ProfileFactory(team=other_team)
    assess(outsider, cycles[1], (1, 1, 1, 1))
    return profile, steady, outsider


def csv_rows(response):
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def xlsx_rows(response):
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    header, *lines = list(sheet.iter_rows(values_only=True))
    return [dict(zip(header, line, strict=True)) for line in lines]


def screen_names(response):
    return re.findall(r'class="heatmap-name"><a href="[^"]+">([^<]+)</a>', response.text)


def test_the_director_exports_their_team_as_on_the_screen(client_for, director, people):
    gap, steady, outsider = people
    client = client_for(director)
    rows = csv_rows(client.get(CSV))
    assert [row["Name"] for row in rows] == screen_names(client.get(DASHBOARD))
    assert {row["Email"] for row in rows} == {gap.user.email, steady.user.email}
    first = next(row for row in rows if row["Email"] == gap.user.email)
    assert first["Name"] == gap.user.display_name
    assert first["School site"] == "Novice"
    assert first["School site (1-3)"] == "1"
    assert first["Coordinator"] == "Expert"
    assert first["Levels from"] == "finalized in Past 1"
    assert first["This cycle"] == "Submitted"
    assert "Site gap" in first["Flags"]
    assert (
        "School site: Novice (the director's view), Coordinator: Expert — two levels apart"
        in (first["Flag explanations"])
    )
    response = client.get(CSV)
    assert response["Content-Disposition"].startswith('attachment; filename="growth-matrix-')


def test_the_export_says_when_each_coordinator_acknowledged_the_cycles_review_and_what_they_said(
    client_for, director, team, current
):
    answered = ProfileFactory(team=team, user__last_name="Acosta")
    silent = ProfileFactory(team=team, user__last_name="Baker")
    review = assess(answered, current)
    assess(silent, current)
    assessment_acknowledge(
        assessment=review,
        actor=answered.user,
        expected_version=review.version,
        response="=Thanks; I will plan the family night with the principal.",
    )
    client = client_for(director)
    for rows in (csv_rows(client.get(CSV)), xlsx_rows(client.get(XLSX))):
        by_email = {row["Email"]: row for row in rows}
        said = by_email[answered.user.email]
        assert said["Acknowledged on"] == timezone.localdate().isoformat()
        assert said["Coordinator's response"] == (
            "'=Thanks; I will plan the family night with the principal."
        )
        assert not by_email[silent.user.email]["Acknowledged on"]
        assert not by_email[silent.user.email]["Coordinator's response"]


def test_the_export_carries_the_screens_filters_and_order(client_for, director, people):
    gap, steady, _outsider = people
    client = client_for(director)
    assert [r["Email"] for r in csv_rows(client.get(CSV, {"flag": "site_gap"}))] == [gap.user.email]
    ordered = csv_rows(client.get(CSV, {"sort": "-site"}))
    assert [r["Email"] for r in ordered] == [steady.user.email, gap.user.email]


def test_xlsx_has_the_same_rows_as_csv(client_for, director, people):
    client = client_for(director)
    from_csv = csv_rows(client.get(CSV))
    from_xlsx = xlsx_rows(client.get(XLSX))
    assert [r["Email"] for r in from_xlsx] == [r["Email"] for r in from_csv]
    assert from_xlsx[0]["Flags"] == from_csv[0]["Flags"]
    assert from_xlsx[0]["School site (1-3)"] == 1  # a number the spreadsheet can sum


def test_the_admin_exports_the_whole_organization_or_one_team(
    client_for, admin_user, people, other_team
):
    client = client_for(admin_user)
    assert len(xlsx_rows(client.get(XLSX))) == 3
    one_team = csv_rows(client.get(CSV, {"team": other_team.pk}))
    assert [r["Email"] for r in one_team] == [people[2].user.email]


def test_exports_are_scoped_like_the_page(
    client_for, coordinator, director, other_team, other_admin, people
):
    assert client_for(coordinator).get(CSV).status_code == 403
    assert client_for(coordinator).get(XLSX).status_code == 403
    assert client_for(director).get(CSV, {"team": other_team.pk}).status_code == 404
    assert csv_rows(client_for(other_admin).get(CSV)) == []


def test_cells_that_look_like_formulas_are_neutralised(client_for, director, team, cycles):
    evil = ProfileFactory(
        team=team, user__first_name='=HYPERLINK("http://x")', user__last_name="@SUM(A1)"
    )
    assess(evil, cycles[1], (2, 2, 2, 2))
    client = client_for(director)
    (row,) = csv_rows(client.get(CSV))
    assert row["Name"].startswith("'=HYPERLINK")
    (cell,) = xlsx_rows(client.get(XLSX))
    assert cell["Name"].startswith("'=HYPERLINK")
    sheet = load_workbook(io.BytesIO(client.get(XLSX).content)).active
    assert sheet["A2"].data_type == "s"  # text, not a formula


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-2", "'-2"),
        ("@cmd", "'@cmd"),
        ("\t=1", "'\t=1"),
        ("Maria", "Maria"),
        ("a=b", "a=b"),
        (3, 3),
        (None, None),
    ],
)
def test_neutralise(value, safe):
    assert neutralise(value) == safe


@pytest.mark.parametrize("url", [CSV, XLSX])
def test_the_same_number_of_queries_for_3_and_60_coordinators(
    client_for, director, team, cycles, current, url
):
    client = client_for(director)
    build_team(team, 3, cycles, current)
    small = get_counting_queries(client, url)[1]
    build_team(team, 57, cycles, current)
    response, large = get_counting_queries(client, url)
    rows = csv_rows(response) if url == CSV else xlsx_rows(response)
    assert len(rows) == 60
    assert small == large < 20


def test_any_cycle_name_makes_a_valid_sheet_and_file_name(client_for, director, people, current):
    current.name = "Fall 2026/27: [pilot] *new?*"
    current.save()
    response = client_for(director).get(XLSX)
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    assert workbook.sheetnames == ["Fall 2026 27   pilot   new"]
    assert response["Content-Disposition"] == (
        'attachment; filename="growth-matrix-east-fall-202627-pilot-new.xlsx"'
    )


def test_the_sheet_opens_ready_to_read(client_for, director, people):
    """A bold header that stays in view while scrolling and the flag explanations wrapped in
    a wide column."""
    workbook = load_workbook(io.BytesIO(client_for(director).get(XLSX).content))
    sheet = workbook.active
    assert sheet.freeze_panes == "A2"
    header = [cell.value for cell in sheet[1]]
    assert all(cell.font.bold for cell in sheet[1])
    explanations = header.index("Flag explanations") + 1
    column = sheet.cell(row=1, column=explanations).column_letter
    assert sheet.column_dimensions[column].width >= 60
    wrapped = [
        row[explanations - 1]
        for row in sheet.iter_rows(min_row=2)
        if row[explanations - 1].value and "\n" in row[explanations - 1].value
    ]
    assert wrapped and all(cell.alignment.wrap_text for cell in wrapped)
