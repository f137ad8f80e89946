"""A large export in a real browser: the admin asks for it, the progress page follows the
background task by itself (its script asks for the status) and offers the file when it is
written. No WCAG A/AA issue, no CSP violation. (Without JavaScript the page reloads itself by
a meta refresh: tests/dashboards/test_export_jobs.py.)"""

import csv
import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.checks import serious_violations, watch_csp
from tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db(transaction=True)
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def large_export(settings, team):
    """Three coordinators, and exports of more than two go to a worker that waits."""
    for last_name in ("Alvarez", "Baker", "Chen"):
        ProfileFactory(team=team, user__last_name=last_name)
    settings.EXPORT_QUEUE_ROWS = 2
    settings.TASKS = DB_TASKS


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def test_the_progress_page_offers_the_file_once_the_worker_wrote_it(
    browser, live_server, login, admin_user, large_export
):
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    complaints = watch_csp(page)
    login(page, admin_user)

    page.goto(f"{live_server.url}/dashboard/export.csv")
    expect(page.get_by_role("heading", name="Export 3 coordinators as CSV")).to_be_visible()
    page.get_by_role("button", name="Prepare the file").click()
    expect(page.get_by_role("heading", name="Your export is being prepared")).to_be_visible()
    expect(page.get_by_text("0 of 3 rows written")).to_be_visible()
    assert serious_violations(page) == []

    run_worker()  # while the page stays open; nobody reloads it

    download_link = page.get_by_role("link", name=re.compile(r"^Download growth-matrix-"))
    expect(download_link).to_be_visible(timeout=15_000)
    expect(page.get_by_role("heading", name="Your export is ready")).to_be_visible()
    assert serious_violations(page) == []
    with page.expect_download() as download:
        download_link.click()
    with open(download.value.path(), encoding="utf-8-sig") as saved:
        rows = list(csv.DictReader(io.StringIO(saved.read())))
    assert sorted(row["Name"].split()[-1] for row in rows) == ["Alvarez", "Baker", "Chen"]
    assert not complaints
    context.close()
