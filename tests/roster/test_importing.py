"""Roster import: reading, every bad-row kind, all or nothing, idempotence, welcome emails."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coordinators.models import CoordinatorProfile, Membership, School, Team, User
from growth.models import CareerPosition
from growthmatrix.roster.applying import RosterInvalid, roster_import_apply
from growthmatrix.roster.planning import roster_check
from growthmatrix.roster.reading import MAX_BYTES, ImportFileError, roster_read
from tests.factories import UserFactory
from tests.roster.import_files import PEOPLE_HEADER, csv_file, xlsx_file


def check(org, upload):
    return roster_check(organization=org, tables=roster_read(upload))


def good_people(team):
    return [
        [
            "ana@example.org",
            "Ana",
            "Diaz",
            "coordinator",
            team.name,
            "Lincoln Elementary",
            "2024-08-15",
        ],
        ["ben@example.org", "Ben", "Okafor", "coordinator; director", "", "", "2021-01-04"],
        ["cy@example.org", "Cy", "Young", "admin", "", "", ""],
    ]


def workbook():
    return xlsx_file(
        {
            "Schools": [
                ["name", "level", "setting"],
                ["Harbor High", "High", "rural"],
                ["Pine K-8", "k-8", "Suburban"],
            ],
            "Teams": [["name", "director_email"], ["North", "dee@example.org"]],
            "People": [
                ["email", "first_name", "last_name", "roles", "team", "schools", "role_start_date"],
                ["dee@example.org", "Dee", "Ray", "Director", "", "", ""],
                [
                    "eve@example.org",
                    "Eve",
                    "Stone",
                    "coordinator",
                    "North",
                    "Harbor High; Pine K-8",
                    date(2023, 9, 1),
                ],
            ],
        }
    )


def test_a_valid_csv_previews_then_imports(org, team, lincoln, admin_user):
    plan = check(org, csv_file(good_people(team)))
    assert plan.is_valid, plan.errors
    assert plan.counts["people"] == {"create": 3, "update": 0, "unchanged": 0}

    roster_import_apply(organization=org, payload=plan.payload, actor=admin_user)

    ana = User.objects.get(email="ana@example.org")
    assert ana.organization == org and not ana.has_usable_password()
    assert ana.profile.team == team and list(ana.profile.schools.all()) == [lincoln]
    assert ana.profile.role_start_date == date(2024, 8, 15)
    assert ana.profile.role_family == org.role_families.order_by("pk").first()
    assert set(
        Membership.objects.filter(user__email="ben@example.org").values_list("role", flat=True)
    ) == {
        "coordinator",
        "director",
    }
    assert not CoordinatorProfile.objects.filter(user__email="cy@example.org").exists()


def test_new_people_get_a_working_set_password_email(
    client, org, team, lincoln, admin_user, django_capture_on_commit_callbacks
):
    plan = check(org, csv_file(good_people(team)))
    with django_capture_on_commit_callbacks(execute=True):
        roster_import_apply(organization=org, payload=plan.payload, actor=admin_user)
    assert sorted(m.to[0] for m in mail.outbox) == [
        "ana@example.org",
        "ben@example.org",
        "cy@example.org",
    ]
    message = next(m for m in mail.outbox if m.to == ["ana@example.org"])
    assert admin_user.display_name in message.body
    link = next(line for line in message.body.splitlines() if "/accounts/reset/" in line).strip()
    path = link.removeprefix("http://testserver")
    response = client.get(path, follow=True)
    assert response.context["validlink"] is True


def test_a_workbook_with_three_sheets(org, admin_user):
    plan = check(org, workbook())
    assert plan.is_valid, plan.errors
    roster_import_apply(organization=org, payload=plan.payload, actor=admin_user)
    north = Team.objects.get(organization=org, name="North")
    assert north.director.email == "dee@example.org"
    eve = CoordinatorProfile.objects.get(user__email="eve@example.org")
    assert {s.name for s in eve.schools.all()} == {"Harbor High", "Pine K-8"}
    assert School.objects.get(organization=org, name="Pine K-8").level == "k8"
    assert eve.role_start_date == date(2023, 9, 1)


def test_reimporting_the_same_file_changes_nothing(
    org, team, lincoln, admin_user, django_capture_on_commit_callbacks
):
    upload = csv_file(good_people(team))
    first = check(org, upload)
    roster_import_apply(organization=org, payload=first.payload, actor=admin_user)
    mail.outbox.clear()

    again = check(org, csv_file(good_people(team)))
    assert again.is_valid and not again.has_work
    assert again.counts["people"] == {"create": 0, "update": 0, "unchanged": 3}
    with (
        CaptureQueriesContext(connection) as queries,
        django_capture_on_commit_callbacks(execute=True),
    ):
        roster_import_apply(organization=org, payload=again.payload, actor=admin_user)
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].split()[0] in ("INSERT", "UPDATE", "DELETE")
    ]
    assert writes == []
    assert mail.outbox == []


def test_workbook_reimport_changes_nothing(org, admin_user):
    roster_import_apply(organization=org, payload=check(org, workbook()).payload, actor=admin_user)
    again = check(org, workbook())
    assert again.is_valid and not again.has_work


def test_an_update_is_previewed_and_applied(org, team, lincoln, admin_user):
    roster_import_apply(organization=org, payload=check(org, csv_file(good_people(team))).payload)
    rows = good_people(team)
    rows[0][2] = "Diaz-Lee"
    rows[0][3] = "coordinator; director"
    plan = check(org, csv_file(rows))
    ana = next(c for c in plan.changes if "ana@" in c.label)
    assert ana.action == "update"
    assert "adds role Director" in ana.details and "name → Ana Diaz-Lee" in ana.details
    roster_import_apply(organization=org, payload=plan.payload)
    assert User.objects.get(email="ana@example.org").last_name == "Diaz-Lee"


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (
            ["x@example.org", "X", "Y", "coordinator", "", "Nowhere High", "2024-01-01"],
            "schools",
            "Unknown school",
        ),
        (["not-an-email", "X", "Y", "coordinator", "", "", "2024-01-01"], "email", "Invalid email"),
        (["x@example.org", "X", "Y", "wizard", "", "", "2024-01-01"], "roles", "Unknown role"),
        (
            ["x@example.org", "X", "Y", "coordinator", "", "", "last spring"],
            "role_start_date",
            "Not a date",
        ),
        (
            ["x@example.org", "X", "Y", "coordinator", "Ghosts", "", "2024-01-01"],
            "team",
            "Unknown team",
        ),
        (
            ["x@example.org", "X", "Y", "coordinator", "", "", "2025-13-40"],
            "role_start_date",
            "Not a date",
        ),
        (
            ["x@example.org", "X", "Y", "coordinator", "", "", "=TODAY()"],
            "role_start_date",
            "spreadsheet formula",
        ),
        (["=HYPERLINK(1)", "X", "Y", "admin", "", "", ""], "email", "spreadsheet formula"),
        (
            ["x@example.org", "X", "Y", "coordinator", "=A1", "", "2024-01-01"],
            "team",
            "spreadsheet formula",
        ),
        (["x@example.org", "X", "Y", "coordinator", "", "", ""], "role_start_date", "first day"),
        (
            ["x@example.org", "X", "Y", "admin", "", "Lincoln Elementary", ""],
            "schools",
            "Only coordinators",
        ),
    ],
)
def test_each_bad_row_is_reported_by_row_and_column(org, team, lincoln, row, column, message):
    assert_reported_alone(org, team, row, column, message)


def test_a_first_day_in_the_future_is_reported_by_row_and_column(org, team, lincoln, today):
    tomorrow = (today + timedelta(days=1)).isoformat()
    row = ["x@example.org", "X", "Y", "coordinator", "", "", tomorrow]
    assert_reported_alone(org, team, row, "role_start_date", "in the future")


def assert_reported_alone(org, team, row, column, message):
    """``row`` among good people is refused with one error, at its row and ``column``, and
    applying the plan anyway writes nobody."""
    rows = good_people(team)
    rows.insert(1, row)
    plan = check(org, csv_file(rows))
    assert not plan.is_valid
    [error] = [e for e in plan.errors if e.row == 3]  # one fault, one error
    assert (error.sheet, error.column) == ("people.csv", column)
    assert message in error.message
    with pytest.raises(RosterInvalid):
        roster_import_apply(organization=org, payload=plan.payload)
    assert not User.objects.filter(email__in=["ana@example.org", "x@example.org"]).exists()


def test_duplicate_email_in_the_file(org, team, lincoln):
    rows = good_people(team) + [
        ["ANA@example.org", "Ana", "Again", "coordinator", "", "", "2024-01-01"]
    ]
    plan = check(org, csv_file(rows))
    error = plan.errors[0]
    assert (error.row, error.column) == (5, "email")
    assert "Duplicate email in the file (also row 2)" in error.message


def test_an_email_of_another_organization_is_refused(org, other_org, team, lincoln):
    UserFactory(organization=other_org, email="ana@example.org")
    plan = check(org, csv_file(good_people(team)))
    assert [(e.row, e.column) for e in plan.errors] == [(2, "email")]
    assert (
        plan.errors[0].message
        == "This email address cannot be used here. Use another address for this person."
    )


def test_a_director_must_be_a_director(org):
    upload = xlsx_file(
        {
            "Teams": [["name", "director_email"], ["North", "dee@example.org"]],
            "People": [
                ["email", "first_name", "last_name", "roles"],
                ["dee@example.org", "Dee", "Ray", "coordinator"],
            ],
        }
    )
    plan = check(org, upload)
    assert any(
        e.sheet == "Teams" and e.column == "director_email" and "Not a director" in e.message
        for e in plan.errors
    )


def test_bad_school_values_and_duplicates(org):
    upload = xlsx_file(
        {
            "Schools": [
                ["name", "level", "setting"],
                ["A", "college", "urban"],
                ["A", "high", "space"],
            ]
        }
    )
    plan = check(org, upload)
    assert [(e.row, e.column) for e in plan.errors] == [(2, "level"), (3, "name"), (3, "setting")]


def test_apply_refuses_when_the_database_changed_since_the_preview(org, team, lincoln):
    plan = check(org, csv_file(good_people(team)))
    lincoln.delete()
    with pytest.raises(RosterInvalid) as refused:
        roster_import_apply(organization=org, payload=plan.payload)
    assert refused.value.errors[0].column == "schools"
    assert not User.objects.filter(email="ana@example.org").exists()


def test_rows_a_spreadsheet_leaves_blank_are_skipped(org, team, lincoln):
    rows = good_people(team)
    rows.insert(1, ["", "", "", "", "", "", ""])
    plan = check(org, csv_file(rows))
    assert plan.is_valid
    assert [c.row for c in plan.changes] == [2, 4, 5]


# Files that cannot be used: a clear message, never a crash -----------------------------------


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("roster.txt", b"email,roles\n"), "not a CSV or XLSX file"),
        (SimpleUploadedFile("roster.pdf", b"%PDF-1.4"), "not a CSV or XLSX file"),
        (
            SimpleUploadedFile("roster.xlsx", b"PK\x03\x04 not really a zip"),
            "not a readable Excel workbook",
        ),
        (SimpleUploadedFile("roster.xlsx", b"just text"), "not a readable Excel workbook"),
        (SimpleUploadedFile("roster.csv", "email;roles\né;x".encode("latin-1")), "not UTF-8"),
        (SimpleUploadedFile("roster.csv", b""), "is empty"),
        (SimpleUploadedFile("roster.csv", b"email,first_name,last_name,roles\n"), "no rows"),
        (
            csv_file([["a"]], header=["colour", "size"]),
            "not those of a schools, teams or people list",
        ),
        (
            csv_file([["a@example.org"]], header=["email", "first_name"]),
            "missing columns last_name, roles",
        ),
        (
            csv_file(
                [["a@example.org", "A", "B", "coordinator", "x"]],
                header=["email", "first_name", "last_name", "roles", "shoe_size"],
            ),
            "unknown column shoe_size",
        ),
        (SimpleUploadedFile("big.csv", b"x" * (MAX_BYTES + 1)), "the limit is 2 MB"),
    ],
)
def test_unusable_files_get_a_clear_message(upload, message):
    with pytest.raises(ImportFileError, match=message):
        roster_read(upload)


def test_semicolon_separated_csv_is_read(org, team, lincoln):
    text = "email;first_name;last_name;roles\nzed@example.org;Zed;Z;admin\n"
    plan = check(org, SimpleUploadedFile("people.csv", text.encode()))
    assert plan.is_valid and plan.counts["people"]["create"] == 1


def test_a_career_stage_column_sets_keeps_or_names_an_unknown_stage(org, team, lincoln, admin_user):
    header = [*PEOPLE_HEADER, "Career stage"]
    rows = [row + [""] for row in good_people(team)]
    rows[0][-1] = "coordinator ii"
    first = check(org, csv_file(rows, header=header))
    roster_import_apply(organization=org, payload=first.payload, actor=admin_user)
    ana = CoordinatorProfile.objects.get(user__email="ana@example.org")
    position = CareerPosition.objects.get(profile=ana)
    assert (position.stage.title, position.since) == ("Coordinator II", None)
    assert position.history.get().history_user == admin_user
    assert not CareerPosition.objects.exclude(profile=ana).exists()  # blank: no stage set

    assert not check(org, csv_file(rows, header=header)).has_work
    rows[0][-1] = ""
    assert not check(org, csv_file(rows, header=header)).has_work  # blank keeps the stage
    rows[0][-1] = "Senior Coordinator"
    plan = check(org, csv_file(rows, header=header))
    assert next(c for c in plan.changes if "ana@" in c.label).details == [
        "career stage → Senior Coordinator"
    ]
    roster_import_apply(organization=org, payload=plan.payload, actor=admin_user)
    assert CareerPosition.objects.get(profile=ana).stage.title == "Senior Coordinator"

    rows[1][-1] = "Wizard"
    plan = check(org, csv_file(rows, header=header))
    assert [(e.row, e.column, e.value) for e in plan.errors] == [(3, "career_stage", "Wizard")]
    assert "Unknown career stage; your organization's are: Coordinator I" in plan.errors[0].message


def test_an_import_refuses_an_edit_form_opened_before_it(org, team, lincoln, admin_user):
    """The edit forms' version check holds across an import: a person's page opened before
    the roster changed them cannot save the old values back."""
    person = UserFactory(organization=org, email="ana@example.org", first_name="Old")
    before = User.objects.get(pk=person.pk).version
    payload = check(org, csv_file(good_people(team))).payload
    roster_import_apply(organization=org, payload=payload, actor=admin_user)
    assert User.objects.get(pk=person.pk).version > before


def test_a_cell_that_cannot_be_read_is_reported_once_not_also_as_missing(org, team, lincoln):
    """A new coordinator's unreadable start date is one error (not also "needs the first
    day"); a team's unreadable director address is not also an unknown person."""
    rows = good_people(team)
    rows[0][-1] = "2025-13-40"
    upload = xlsx_file(
        {
            "Teams": [["name", "director_email"], ["North", "dee@@example"]],
            "People": [PEOPLE_HEADER, *rows],
        }
    )
    plan = check(org, upload)
    assert [(e.sheet, e.row, e.column, e.value) for e in plan.errors] == [
        ("Teams", 2, "director_email", "dee@@example"),
        ("People", 2, "role_start_date", "2025-13-40"),
    ]
    assert [e.message for e in plan.errors] == [
        "Invalid email address.",
        "Not a date; write it as YYYY-MM-DD.",
    ]


def test_a_new_coordinators_career_stage_is_previewed_and_written_with_history(
    org, team, lincoln, admin_user
):
    header = [*PEOPLE_HEADER, "career_stage"]
    rows = [row + [""] for row in good_people(team)]
    rows[0][-1] = "SENIOR coordinator"
    plan = check(org, csv_file(rows, header=header))
    ana = next(c for c in plan.changes if "ana@" in c.label)
    assert (ana.action, ana.details) == (
        "create",
        ["Coordinator", "career stage Senior Coordinator"],
    )
    roster_import_apply(organization=org, payload=plan.payload, actor=admin_user)
    position = CareerPosition.objects.get(profile__user__email="ana@example.org")
    assert position.stage.title == "Senior Coordinator"
    [record] = position.history.all()
    assert (record.history_user, record.stage_id) == (admin_user, position.stage_id)


def test_the_templates_have_the_career_stage_column():
    from growthmatrix.roster.template_files import template_csv

    assert "career_stage" in template_csv("people").strip().split(",")
