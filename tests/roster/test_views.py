"""Roster import pages: upload, preview with bad rows, confirm, templates; admins only."""

import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from coordinators.models import User
from growthmatrix.roster.reading import MAX_BYTES
from tests.factories import UserFactory
from tests.roster.import_files import csv_file

IMPORT = reverse("roster:roster-import")
CONFIRM = reverse("roster:roster-import-confirm")


def people(bad_school=False):
    school = "Nowhere High" if bad_school else "Lincoln Elementary"
    return csv_file(
        [
            ["ana@example.org", "Ana", "Diaz", "coordinator", "East", school, "2024-08-15"],
            ["ben@example.org", "Ben", "Okafor", "director", "", "", ""],
        ]
    )


def test_upload_with_a_mistake_then_fixed(
    client_for, admin_user, team, lincoln, django_capture_on_commit_callbacks
):
    client = client_for(admin_user)
    assert client.get(IMPORT).status_code == 200

    response = client.post(IMPORT, {"file": people(bad_school=True)})
    body = response.content.decode()
    assert "1 problem to fix — nothing has been saved" in body
    assert "Unknown school" in body and "Nowhere High" in body
    assert "Import now" not in body
    assert client.post(CONFIRM, {"token": "guess"}).status_code == 302
    assert not User.objects.filter(email="ana@example.org").exists()

    response = client.post(IMPORT, {"file": people()})
    assert "Import now" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(CONFIRM, {"token": response.context["token"]})
    assert done.status_code == 200
    assert "Roster imported" in done.content.decode()
    assert User.objects.get(email="ana@example.org").profile.team == team
    assert len(mail.outbox) == 2

    # The same preview cannot be imported twice; the same file again has nothing to do.
    again = client.post(CONFIRM, {"token": response.context["token"]}, follow=True)
    assert "no longer available" in again.content.decode()
    assert "Nothing to import" in client.post(IMPORT, {"file": people()}).content.decode()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("roster.docx", b"PK\x03\x04"), "not a CSV or XLSX file"),
        (SimpleUploadedFile("roster.xlsx", b"\x00\x01garbage"), "not a readable Excel workbook"),
        (SimpleUploadedFile("big.csv", b"a" * (MAX_BYTES + 10)), "the limit is 2 MB"),
        (csv_file([["x"]], header=["colour"]), "Download a template"),
    ],
)
def test_unusable_files_are_a_clear_400(client_for, admin_user, upload, message):
    response = client_for(admin_user).post(IMPORT, {"file": upload})
    assert response.status_code == 400
    assert message in response.content.decode()


def test_no_file_is_a_form_error(client_for, admin_user):
    response = client_for(admin_user).post(IMPORT, {})
    assert response.status_code == 400


def test_templates_download(client_for, admin_user):
    client = client_for(admin_user)
    people_csv = client.get(reverse("roster:roster-template", args=["people"]))
    assert people_csv["Content-Type"].startswith("text/csv")
    assert (
        people_csv.content.decode().splitlines()[0].startswith("email,first_name,last_name,roles")
    )
    workbook = client.get(reverse("roster:roster-template", args=["roster"]))
    sheets = load_workbook(io.BytesIO(workbook.content)).sheetnames
    assert sheets == ["Help", "Schools", "Teams", "People"]
    assert client.get(reverse("roster:roster-template", args=["pets"])).status_code == 404


def test_the_template_workbook_imports_as_nothing_to_do(client_for, admin_user):
    client = client_for(admin_user)
    content = client.get(reverse("roster:roster-template", args=["roster"])).content
    response = client.post(IMPORT, {"file": SimpleUploadedFile("roster.xlsx", content)})
    assert response.status_code == 400
    assert "no rows to import" in response.content.decode()


@pytest.mark.parametrize("who", ["director", "coordinator"])
def test_import_is_for_org_admins(request, client_for, who):
    client = client_for(request.getfixturevalue(who))
    assert client.get(IMPORT).status_code == 403
    assert client.post(IMPORT, {"file": people()}).status_code == 403
    assert client.post(CONFIRM, {"token": "x"}).status_code == 403
    assert client.get(reverse("roster:roster-template", args=["people"])).status_code == 403


def test_another_organization_cannot_reach_a_preview(
    client_for, admin_user, other_admin, team, lincoln, client
):
    response = client_for(admin_user).post(IMPORT, {"file": people()})
    token = response.context["token"]
    client.logout()
    client.force_login(other_admin)
    assert client.post(CONFIRM, {"token": token}).status_code == 302
    assert not User.objects.filter(email="ana@example.org").exists()
    status = reverse("roster:roster-import-status", args=["00000000-0000-0000-0000-000000000000"])
    assert client.get(status).status_code == 404


def test_another_organizations_schools_are_unknown(client_for, other_admin, lincoln):
    body = client_for(other_admin).post(IMPORT, {"file": people()}).content.decode()
    assert "Unknown school" in body


def test_addresses_of_other_organizations_are_refused_without_saying_why_and_limited(
    client_for, admin_user, other_org, team, lincoln, settings, caplog
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "address-refusals": "2/h"}
    UserFactory(organization=other_org, email="ana@example.org")
    client = client_for(admin_user)

    with caplog.at_level("WARNING", logger="growthmatrix.security"):
        body = client.post(IMPORT, {"file": people()}).content.decode()
    assert "This email address cannot be used here" in body
    assert "organization" not in body.split("cannot be used here")[1][:80]
    assert "ana@example.org" in caplog.text and "another organization" in caplog.text

    client.post(IMPORT, {"file": people()})  # the second refusal in the hour
    refused = client.post(IMPORT, {"file": people()})
    assert refused.status_code == 429
    assert "Too many email addresses were refused" in refused.content.decode()
    assert int(refused["Retry-After"]) > 0
