"""Exports of more coordinators than EXPORT_QUEUE_ROWS are built in the background: a page
offers it, the file is written by a task into the private storage while a page shows how far
it got, an email says when it is ready, only the requester downloads it, and it expires.

Run with TEST_STORAGE=s3 (as .ci/run's PostgreSQL pass does), every test here writes to and
reads from an S3-compatible server started on 127.0.0.1 for the run.
"""

import csv
import io
import json
import os
import re
import subprocess
import sys
import urllib.request
from datetime import timedelta
from pathlib import Path
from unittest import mock
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.core.files.storage import storages
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from openpyxl import load_workbook

from coordinators.services import person_update
from dashboards import export_jobs, exports, read_model
from dashboards.models import ExportJob
from tests.dashboards.dashboard_data import assess
from tests.factories import ProfileFactory, UserFactory, details_of
from tests.private_storage import private_storage, s3_server  # noqa: F401

pytestmark = pytest.mark.django_db
CSV = reverse("dashboards:team-dashboard-csv")
XLSX = reverse("dashboards:team-dashboard-xlsx")
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def people(team, other_team, cycles, current, profile):
    """Three coordinators over two teams, with levels and a flag to export."""
    assess(profile, cycles[1], (3, 1, 2, 2))
    assess(profile, current, state="submitted")
    steady = ProfileFactory(team=team, user__last_name="Zuniga")
    assess(steady, cycles[1], (2, 2, 2, 2))
    ProfileFactory(team=other_team, user__email="west@example.org")
    return profile, steady


@pytest.fixture
def queue_past_two(settings, private_storage):  # noqa: F811
    """Exports of more than two coordinators go to the background, queued in the database."""
    settings.EXPORT_QUEUE_ROWS = 2
    settings.TASKS = DB_TASKS
    return private_storage


def csv_lines(content: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def downloaded(client, job, storage_kind) -> bytes:
    """The bytes a browser gets from the download link: streamed by the server, or fetched
    from the signed address of the S3 store it redirects to."""
    response = client.get(reverse("dashboards:export-job-download", kwargs={"pk": job.pk}))
    if storage_kind == "s3":
        assert response.status_code == 302
        with urllib.request.urlopen(response["Location"], timeout=10) as signed:
            assert signed.headers["Content-Disposition"].startswith("attachment;")
            return signed.read()
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert job.download_name in response["Content-Disposition"]
    return b"".join(response.streaming_content)


def queue(client, url, django_capture_on_commit_callbacks, **query) -> ExportJob:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url + ("?" + "&".join(f"{k}={v}" for k, v in query.items())))
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboards:export-job", kwargs={"pk": job.pk})
    return job


def run_worker():
    """The production worker, in the test's transaction: its between-task tidy-up would close
    that transaction's connection on PostgreSQL (a test's connection is not in autocommit), so
    it is left out here; the worker's own loop and the task run as in production."""
    with mock.patch(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    ):
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def test_a_small_export_is_written_at_once(client_for, director, people, private_storage):  # noqa: F811
    response = client_for(director).get(CSV)
    assert response.status_code == 200
    assert len(csv_lines(response.content)) == 2
    assert not ExportJob.objects.exists()


def test_a_large_export_is_offered_then_built_in_the_background_and_emailed(
    client_for, admin_user, people, queue_past_two, django_capture_on_commit_callbacks, mailoutbox
):
    client = client_for(admin_user)
    small_csv = csv_lines(client.get(CSV, {"team": people[0].team_id}).content)

    offer = client.get(XLSX)
    assert offer.status_code == 200
    assert "Export 3 coordinators as Excel (XLSX)" in offer.text
    assert 'method="post"' in offer.text
    assert not ExportJob.objects.exists()  # opening the page starts nothing

    job = queue(client, XLSX, django_capture_on_commit_callbacks)
    assert (job.requester, job.format, job.state, job.rows_total) == (
        admin_user,
        "xlsx",
        "queued",
        3,
    )
    assert DBTaskResult.objects.filter(status="READY").count() == 1  # waiting for a worker

    page = client.get(reverse("dashboards:export-job", kwargs={"pk": job.pk}))
    assert "Your export is being prepared" in page.text
    assert "Download" not in page.text
    assert not mailoutbox

    run_worker()

    job.refresh_from_db()
    assert job.state == ExportJob.State.READY
    assert job.rows_done == job.rows_total == 3
    assert job.finished_at is not None
    assert job.download_name.startswith("growth-matrix-bay-") and job.download_name.endswith(
        ".xlsx"
    )
    [email] = mailoutbox
    assert email.to == [admin_user.email]
    assert "ready" in email.subject
    assert f"http://testserver/exports/{job.pk}/" in email.body

    page = client.get(reverse("dashboards:export-job", kwargs={"pk": job.pk}))
    assert "Your export is ready" in page.text
    assert reverse("dashboards:export-job-download", kwargs={"pk": job.pk}) in page.text
    assert 'http-equiv="refresh"' not in page.text  # done: no more reloading

    sheet = load_workbook(
        io.BytesIO(downloaded(client, job, queue_past_two)), read_only=True
    ).active
    header, *lines = list(sheet.iter_rows(values_only=True))
    assert list(header) == exports.matrix_header()
    emails = [line[1] for line in lines]
    assert sorted(emails) == sorted([*(row["Email"] for row in small_csv), "west@example.org"])


def test_the_queued_export_keeps_the_filters_it_was_asked_with(
    client_for, director, people, queue_past_two, django_capture_on_commit_callbacks
):
    gap, _steady = people
    client = client_for(director)
    ExportJob.objects.all().delete()
    job = queue(client, CSV, django_capture_on_commit_callbacks, flag="site_gap", page="3")
    assert job.filters == {"flag": ["site_gap"]}
    run_worker()
    job.refresh_from_db()
    assert [row["Email"] for row in csv_lines(downloaded(client, job, queue_past_two))] == [
        gap.user.email
    ]


def test_the_progress_page_updates_with_and_without_javascript(
    client_for, admin_user, people, queue_past_two, django_capture_on_commit_callbacks, monkeypatch
):
    client = client_for(admin_user)
    job = queue(client, CSV, django_capture_on_commit_callbacks)
    page_url = reverse("dashboards:export-job", kwargs={"pk": job.pk})
    status_url = reverse("dashboards:export-job-status", kwargs={"pk": job.pk})

    page = client.get(page_url)
    # Without JavaScript the page reloads itself; with it, the script asks for the status.
    assert re.search(r'<noscript><meta http-equiv="refresh" content="\d+"></noscript>', page.text)
    assert "js/export_progress.js" in page.text
    assert f'data-status-url="{status_url}"' in page.text
    assert "0 of 3" in page.text

    seen = []
    monkeypatch.setattr(export_jobs, "PROGRESS_EVERY", 1)
    real_write = exports.write_csv

    def write_watching(out, header, lines):
        def watched():
            for line in lines:
                seen.append((client.get(status_url).json(), client.get(page_url).text))
                yield line

        real_write(out, header, watched())

    monkeypatch.setattr(exports, "write_csv", write_watching)
    run_worker()

    states = [status for status, _page in seen]
    assert [s["rows_done"] for s in states] == [0, 1, 2]
    assert all(s["pending"] and s["state"] == "running" and s["rows_total"] == 3 for s in states)
    assert [s["percent"] for s in states] == [0, 33, 66]
    assert "Being written" in seen[-1][1] and "2 of 3" in seen[-1][1]
    assert client.get(status_url).json() | {"pending": None} == {
        "state": "ready",
        "state_label": "Ready",
        "rows_done": 3,
        "rows_total": 3,
        "percent": 100,
        "pending": None,
    }


def test_only_the_requester_downloads_an_export(
    client_for,
    client,
    director,
    admin_user,
    other_director,
    other_admin,
    coordinator,
    org,
    people,
    queue_past_two,
    django_capture_on_commit_callbacks,
):
    job = queue(client_for(admin_user), CSV, django_capture_on_commit_callbacks)
    run_worker()
    job.refresh_from_db()
    second_admin = UserFactory(organization=org, roles=["admin"], email="admin2@example.org")
    urls = [
        reverse(name, kwargs={"pk": job.pk})
        for name in ("dashboards:export-job", "dashboards:export-job-status")
    ] + [reverse("dashboards:export-job-download", kwargs={"pk": job.pk})]
    for url in urls:
        for someone_else in (second_admin, director, other_director, other_admin):
            assert client_for(someone_else).get(url).status_code == 404, (url, someone_else)
        assert client_for(coordinator).get(url).status_code == 403
        client.logout()
        assert client.get(url).status_code == 302  # to the login page
    unknown = reverse("dashboards:export-job-download", kwargs={"pk": job.pk + 1000})
    assert client_for(admin_user).get(unknown).status_code == 404
    assert len(csv_lines(downloaded(client_for(admin_user), job, queue_past_two))) == 3


@pytest.mark.no_read_model_rebuild
def test_asking_again_for_the_same_export_is_sent_to_the_one_already_asked_for(
    client_for, org, admin_user, people, queue_past_two, django_capture_on_commit_callbacks
):
    """A second click, a second tab or a reload of the offer: while nothing the file shows has
    changed, the same export (being written or written), not a second file and email; a
    change, other filters, another format, another person or a lost file make a new one."""
    read_model.rebuild(organization_id=org.pk)  # after the factories, as after the demo seed
    client = client_for(admin_user)

    def ask(url=XLSX, who=client, **query) -> int:
        with django_capture_on_commit_callbacks(execute=True):
            response = who.post(f"{url}?{urlencode(query)}" if query else url)
        assert response.status_code == 302
        return int(response["Location"].rstrip("/").rsplit("/", 1)[1])

    first = ask()
    assert ask() == first  # still waiting for the worker
    assert DBTaskResult.objects.count() == 1
    run_worker()
    assert ask() == first  # written: its file is offered again at once
    assert DBTaskResult.objects.count() == 1
    page = client.get(reverse("dashboards:export-job", kwargs={"pk": first}))
    assert "Your export is ready" in page.text

    assert ask(CSV) != first
    assert ask(flag="site_gap") not in (first, ask(CSV))
    second_admin = UserFactory(organization=org, roles=["admin"], email="admin2@example.org")
    theirs = ask(who=client_for(second_admin))
    assert theirs != first
    assert ExportJob.objects.get(pk=theirs).requester == second_admin

    # A write that changes what the dashboard shows: the next request is a new file, with it.
    gap, _steady = people
    person_update(
        person=gap.user,
        actor=admin_user,
        details=details_of(gap, first_name="Renamed", last_name="Person"),
        expected_version=gap.user.version,
    )
    renamed = ask()
    assert renamed != first
    run_worker()
    job = ExportJob.objects.get(pk=renamed)
    assert job.state == ExportJob.State.READY
    names = {
        cell.value
        for row in load_workbook(io.BytesIO(downloaded(client, job, queue_past_two))).active
        for cell in row
    }
    assert "Renamed" in str(names)

    # A file gone from the storage (deleted by hand) is written again; so is a failed one.
    storages["private"].delete(job.file_name)
    rewritten = ask()
    assert rewritten != renamed
    ExportJob.objects.filter(pk=rewritten).update(state=ExportJob.State.FAILED)
    assert ask() != rewritten


def test_a_download_before_the_file_is_ready_goes_to_the_progress_page(
    client_for, admin_user, people, queue_past_two, django_capture_on_commit_callbacks
):
    client = client_for(admin_user)
    job = queue(client, CSV, django_capture_on_commit_callbacks)
    response = client.get(reverse("dashboards:export-job-download", kwargs={"pk": job.pk}))
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboards:export-job", kwargs={"pk": job.pk})


def test_a_director_who_lost_the_team_gets_a_failed_export_and_an_email(
    client_for,
    director,
    team,
    other_director,
    people,
    queue_past_two,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    client = client_for(director)
    job = queue(client, CSV, django_capture_on_commit_callbacks, team=team.pk)
    team.director = other_director
    team.save(update_fields=["director"])
    run_worker()
    job.refresh_from_db()
    assert job.state == ExportJob.State.FAILED
    assert job.file_name == ""
    assert "no longer yours" in job.error
    assert "failed" in mailoutbox[0].subject
    page = client.get(reverse("dashboards:export-job", kwargs={"pk": job.pk}))
    assert "Your export failed" in page.text and "no longer yours" in page.text


def test_expired_exports_lose_their_file_and_their_record(
    client_for, admin_user, people, queue_past_two, django_capture_on_commit_callbacks
):
    client = client_for(admin_user)
    old = queue(client, CSV, django_capture_on_commit_callbacks)
    run_worker()
    ExportJob.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=8))
    old.refresh_from_db()
    recent = ExportJob.objects.create(
        requester=admin_user, organization=admin_user.organization, format="csv"
    )
    recent_file = storages["private"].save("exports/recent.csv", io.BytesIO(b"kept"))
    ExportJob.objects.filter(pk=recent.pk).update(file_name=recent_file, state="ready")
    storage = storages["private"]
    assert storage.exists(old.file_name)

    out = io.StringIO()
    call_command("exports_expire", "--days", "7", stdout=out)

    assert out.getvalue().strip() == "Deleted 1 export."
    assert not storage.exists(old.file_name)
    assert list(ExportJob.objects.values_list("pk", flat=True)) == [recent.pk]
    assert storage.exists(recent_file)
    download = reverse("dashboards:export-job-download", kwargs={"pk": old.pk})
    assert client.get(download).status_code == 404
    # A second run finds nothing more to do; a file deleted by hand does not stop it.
    storage.delete(recent_file)
    call_command("exports_expire", "--days", "0", stdout=out)
    assert not ExportJob.objects.exists()


def test_s3_downloads_are_signed_addresses_that_expire_within_a_minute(
    client_for, admin_user, people, queue_past_two, django_capture_on_commit_callbacks
):
    if queue_past_two != "s3":
        pytest.skip("runs in the S3 pass (TEST_STORAGE=s3, .ci/run's PostgreSQL pass)")
    client = client_for(admin_user)
    job = queue(client, CSV, django_capture_on_commit_callbacks)
    run_worker()
    job.refresh_from_db()
    response = client.get(reverse("dashboards:export-job-download", kwargs={"pk": job.pk}))
    location = urlsplit(response["Location"])
    assert location.hostname == "127.0.0.1"
    query = parse_qs(location.query)
    assert query["X-Amz-Expires"] == ["60"]
    assert "X-Amz-Signature" in query
    unsigned = f"{location.scheme}://{location.netloc}{location.path}"
    assert unsigned.endswith(job.file_name)
    assert len(csv_lines(downloaded(client, job, "s3"))) == 3


def test_the_filesystem_store_keeps_files_out_of_every_served_path(
    client_for, admin_user, people, queue_past_two, django_capture_on_commit_callbacks, settings
):
    if queue_past_two != "filesystem":
        pytest.skip("the filesystem store is tested in the default pass")
    client = client_for(admin_user)
    job = queue(client, CSV, django_capture_on_commit_callbacks)
    run_worker()
    job.refresh_from_db()
    location = settings.STORAGES["private"]["OPTIONS"]["location"]
    assert (storages["private"].path(job.file_name)).startswith(location)
    for guess in (f"/{job.file_name}", f"/media/{job.file_name}", f"/static/{job.file_name}"):
        assert client.get(guess).status_code == 404


def test_production_reads_the_s3_store_from_the_environment():
    """PRIVATE_FILES_BUCKET and its companions make the private storage an S3 store with
    private objects and short-lived signed addresses; without them it is a directory."""
    code = (
        "import json; from django.conf import settings; "
        "print(json.dumps(settings.STORAGES['private']))"
    )
    base = {
        "DEBUG": "false",
        "SECRET_KEY": "a-production-secret-key-that-is-long-and-random-4f9a8b7c6d5e4f3a2b1c0d9e",
        "DJANGO_SETTINGS_MODULE": "growthmatrix.settings",
        "PATH": os.environ["PATH"],
        "PYTHONPATH": str(ROOT),
    }
    s3 = {
        "PRIVATE_FILES_BUCKET": "growth-files",
        "PRIVATE_FILES_ENDPOINT_URL": "https://minio.internal:9000",
        "PRIVATE_FILES_REGION": "eu-west-1",
        "PRIVATE_FILES_ACCESS_KEY_ID": "key",
        "PRIVATE_FILES_SECRET_ACCESS_KEY": "secret",
    }

    def storage(env):
        run = subprocess.run(
            [sys.executable, "-c", f"import django; django.setup(); {code}"],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert run.returncode == 0, run.stderr
        return json.loads(run.stdout)

    on_s3 = storage(base | s3)
    assert on_s3["BACKEND"] == "storages.backends.s3.S3Storage"
    assert on_s3["OPTIONS"] | {"querystring_expire": 0} == {
        "bucket_name": "growth-files",
        "endpoint_url": "https://minio.internal:9000",
        "region_name": "eu-west-1",
        "access_key": "key",
        "secret_key": "secret",
        "default_acl": "private",
        "signature_version": "s3v4",
        "file_overwrite": False,
        "querystring_auth": True,
        "querystring_expire": 0,
    }
    assert on_s3["OPTIONS"]["querystring_expire"] == 60
    on_disk = storage(base | {"PRIVATE_FILES_ROOT": "/srv/growth-files"})
    assert on_disk["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert on_disk["OPTIONS"]["location"] == "/srv/growth-files"
    assert on_disk["OPTIONS"]["base_url"] is None
