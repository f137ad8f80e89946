"""The org admin's reports in a real browser: from the overview to each report, filtered, a
number followed to its people, the export downloaded; and a director's calibration, their own
figures beside the anonymised others. No WCAG A/AA issue, no CSP violation."""

import csv
import io
import re

import pytest
from playwright.sync_api import expect

from tests.browser.checks import serious_violations, watch_csp
from tests.dashboards.report_data import report_world
from tests.factories import TeamFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def reports_world(org, team):
    """Twelve coordinators over three finalized cycles, half of them mentored; half of them
    reviewed by another director."""
    _cycles, profiles, _mentored = report_world(org, team, 12)
    other = TeamFactory(organization=org, name="Valley")
    for profile in profiles[1::2]:
        profile.assessments.update(team=other)
    return other


def downloaded_csv(page, link_name) -> list[list[str]]:
    with page.expect_download() as download:
        page.get_by_role("link", name=link_name).first.click()
    with open(download.value.path(), encoding="utf-8-sig") as saved:
        return list(csv.reader(io.StringIO(saved.read())))


def test_the_org_admin_reads_filters_follows_and_exports_each_report(
    browser, live_server, login, admin_user, reports_world
):
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    complaints = watch_csp(page)
    login(page, admin_user)

    page.goto(f"{live_server.url}/overview/")
    page.get_by_role("link", name="Impact of supports").click()
    expect(page.get_by_role("heading", name="Impact of supports", level=1)).to_be_visible()
    expect(page.get_by_text("Association, not proof of cause.")).to_be_visible()
    assert serious_violations(page) == []

    page.get_by_label("School level").select_option("elementary")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"school_level=elementary"))
    mentoring = page.get_by_role("table", name=re.compile("^Mentoring"))
    development = mentoring.get_by_role("row").filter(has_text="Development").first
    expect(development).to_contain_text("100%")
    development.get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Mentoring, Development")
    expect(page.get_by_text("6 people, with the report's filters.")).to_be_visible()
    assert serious_violations(page) == []
    page.get_by_role("link", name="Impact of supports").click()
    expect(page).to_have_url(re.compile(r"school_level=elementary"))
    rows = downloaded_csv(page, "CSV")
    assert ["School level: Elementary"] in rows
    assert ["Mentoring"] in rows

    page.get_by_label("Before and after").select_option("kind:mentoring")
    page.get_by_role("button", name="Show").click()
    before_after = page.get_by_role("table", name=re.compile("^Before and after: Mentoring"))
    expect(before_after.get_by_role("row").filter(has_text="Development, after")).to_contain_text(
        "6"
    )
    assert serious_violations(page) == []

    page.get_by_role("link", name="Retention and careers").click()
    expect(page.get_by_role("heading", name="Retention and careers", level=1)).to_be_visible()
    page.get_by_label("Split by").select_option("setting")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"split=setting"))
    expect(page.get_by_role("table", name=re.compile("^Retention"))).to_contain_text("Urban")
    assert serious_violations(page) == []
    with page.expect_download() as download:
        page.get_by_role("link", name="Excel (XLSX)").click()
    assert download.value.suggested_filename.endswith(".xlsx")

    page.get_by_role("link", name="Calibration across directors").click()
    expect(
        page.get_by_role("heading", name="Calibration across directors", level=1)
    ).to_be_visible()
    page.get_by_label("Figures per").select_option("team")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("table", name=re.compile("^Per team"))).to_contain_text("Valley")
    assert serious_violations(page) == []
    rows = downloaded_csv(page, "CSV")
    assert any(row and row[0] == "Valley" for row in rows)
    assert not complaints
    context.close()


def test_a_director_sees_their_own_calibration_beside_the_anonymised_others(
    browser, live_server, login, director, reports_world
):
    page = browser.new_page()
    complaints = watch_csp(page)
    login(page, director)
    page.goto(f"{live_server.url}/reports/calibration/")
    summary = page.get_by_role("table", name=re.compile("^Per director"))
    expect(summary).to_contain_text(director.display_name)
    expect(summary).to_contain_text("Director A")
    expect(summary).not_to_contain_text(reports_world.director.display_name)
    expect(page.get_by_text("the other directors' are anonymised")).to_be_visible()
    summary.get_by_role("row").filter(has_text=director.display_name).get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        f"Reviewed by {director.display_name}"
    )
    assert serious_violations(page) == []
    assert not complaints
