"""WCAG 2.1 AA across every page of each person's journey, on the demo organization.

Every page an anonymous visitor, a coordinator, a director and an org admin reaches —
including forms with their errors, the dashboard filtered and empty, the rubric editor and a
roster file with bad rows — is visited once in Chromium; then:

- axe (WCAG 2 A/AA rules) finds no serious or critical violation (one test per page);
- the W3C checker finds no HTML error (one test per page; skipped without Java or vnu.jar,
  which ``npm install --no-save vnu-jar`` puts in node_modules/);
- at phone width (390 px) nothing widens the page beyond the screen;
- every form field's outline stands out at 3:1 or more (WCAG 1.4.11, not in axe);
- every level shown in colour is also written in words;
- and a coordinator does the whole matrix with the keyboard alone.

The demo data is seeded once for the module and served by this module's own live server, so
the ~70 visits share it; the module flushes the test database when it is done.
``A11Y_SCREENSHOTS=<dir>`` saves a full-page phone screenshot of every page there.
"""

import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from pprint import pformat

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.tokens import default_token_generator
from django.core.management import call_command
from django.db import connections
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from playwright.sync_api import expect
from pytest_django.live_server_helper import LiveServer

from assessments.models import Assessment, AssessmentCycle, Rating
from assessments.services import category_scores_refresh, feedback_link_mint
from coordinators.models import CoordinatorProfile, RoleFamily, User
from growth.models import Goal, Support
from growth.services import goal_update
from growthmatrix.management.commands._demo_feedback import demo_principal_request
from rubrics.defaults import COMMUNITY_SCHOOL_COORDINATOR
from rubrics.models import Descriptor, Level
from rubrics.services import rubric_version_new_draft

# The database marker makes pytest-django create the test database; on SQLite each test's
# writes (through the shared in-memory connection) roll back, the module's demo data stays.
pytestmark = pytest.mark.django_db

DEMO_PASSWORD = "growth-matrix-demo"
WCAG_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
VNU_JAR = Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
JAVA = shutil.which("java")
SCREENSHOTS = os.environ.get("A11Y_SCREENSHOTS", "")

# The people of the demo organization (seed_demo) whose journeys are walked.
ADMIN = "demo-admin@example.org"
DIRECTOR = "demo-director-1@example.org"  # East Bay; also a coordinator on Central
COORDINATOR = "demo-coordinator-3@example.org"  # Valley; this cycle finalized
DRAFTING = "demo-coordinator-6@example.org"  # Valley; this cycle a draft
FRESH = "demo-coordinator-1@example.org"  # East Bay; this cycle a draft with nothing chosen
SUBMITTED = "demo-coordinator-4@example.org"  # East Bay; this cycle submitted
RETURNED = "demo-coordinator-5@example.org"  # Central; this cycle returned with a note
TO_FINALIZE = "demo-coordinator-7@example.org"  # East Bay; submitted, finalized with gaps
MENTOR = "demo-coordinator-8@example.org"  # mentors two coordinators
KEYBOARD = "demo-coordinator-12@example.org"  # Valley; a draft the keyboard journey fills
LOCKED = "nobody-here@example.org"  # five wrong passwords lock this name out
FORGETFUL = "demo-coordinator-20@example.org"  # asks for a new password (never logs in)
NO_ROLE = "no-role-yet@example.org"  # an account the admin has not given a role yet


# The site: demo data, ids and a live server of its own --------------------------------------


@dataclass
class Site:
    url: str
    ids: dict
    level_names: list[str]
    today: date  # the day the demo was seeded on; its dates count from it
    sessions: dict = field(default_factory=dict)

    def log_in(self, browser, email):
        """Log ``email`` in through the login form and keep the session cookie."""
        context = browser.new_context()
        page = context.new_page()
        page.goto(f"{self.url}/accounts/login/")
        page.get_by_label("Email address").fill(email)
        page.get_by_label("Password").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_role("button", name="Log out")).to_be_attached()
        self.sessions[email] = context.storage_state()
        context.close()

    def context(self, browser, email, viewport=DESKTOP):
        """A browser context, anonymous or with ``email``'s session."""
        state = self.sessions[email] if email else None
        return browser.new_context(viewport=viewport, storage_state=state)


def _prepare_demo(ids: dict) -> None:
    """What the journeys need beyond seed_demo: empty drafts, a draft rubric with a gap, a
    password-reset link."""
    open_cycle = AssessmentCycle.objects.get(organization__slug="demo", state="open")

    def current(email):
        return Assessment.objects.get(cycle=open_cycle, coordinator__user__email=email)

    for email in (FRESH, KEYBOARD):
        assessment = current(email)
        assert assessment.state == Assessment.State.DRAFT, email
        Rating.objects.filter(assessment=assessment).update(self_level=None, self_evidence="")
        category_scores_refresh(assessment=assessment)
    for key, email in {
        "finalized": COORDINATOR,
        "draft": DRAFTING,
        "fresh": FRESH,
        "submitted": SUBMITTED,
        "returned": RETURNED,
        "to_finalize": TO_FINALIZE,
        "keyboard": KEYBOARD,
    }.items():
        ids[key] = current(email).pk
    assert Assessment.objects.get(pk=ids["to_finalize"]).state == Assessment.State.SUBMITTED

    # The principal's page of the demo's waiting request (the seed printed a link; this one
    # replaces it).
    link = feedback_link_mint(request=demo_principal_request())
    ids["principal_token"] = link.rstrip("/").rsplit("/", 1)[1]

    ids["profile"] = CoordinatorProfile.objects.get(user__email=COORDINATOR).pk
    ids["submitted_profile"] = CoordinatorProfile.objects.get(user__email=SUBMITTED).pk
    ids["person"] = User.objects.get(email=SUBMITTED).pk
    User.objects.create(
        email=NO_ROLE,
        first_name="Sam",
        last_name="Waiting",
        organization=open_cycle.organization,
        password=make_password(DEMO_PASSWORD),
    )
    ids["past_cycle"] = (
        AssessmentCycle.objects.filter(organization=open_cycle.organization, state="closed")
        .order_by("-opens_on")
        .first()
        .pk
    )
    admin = User.objects.get(email=ADMIN)
    family = RoleFamily.objects.get(
        organization__slug="demo", name=COMMUNITY_SCHOOL_COORDINATOR["family"]
    )
    ids["family"] = family.pk
    ids["published"] = family.rubric.versions.get(state="published").pk
    draft, _created = rubric_version_new_draft(rubric=family.rubric, actor=admin)
    ids["rubric_draft"] = draft.pk
    # One descriptor left empty: publishing is refused with the problem linked.
    blank = (
        Descriptor.objects.filter(
            indicator__category__version=draft, indicator__category__key="site", level__value=3
        )
        .order_by("indicator__order")
        .first()
    )
    blank.text = ""
    blank.save(update_fields=["text"])
    ids["stage"] = open_cycle.organization.career_stages.order_by("order").first().pk
    # A goal and a support of the director's team, edited once so their history has a change.
    goal = Goal.objects.filter(coordinator__team__director__email=DIRECTOR).first()
    goal_update(goal=goal, expected_version=goal.version, target_level=3, notes="Revised.")
    ids["goal"] = goal.pk
    ids["support"] = Support.objects.filter(coordinator__team__director__email=DIRECTOR).first().pk
    reset_user = User.objects.get(email=FORGETFUL)
    ids["reset_path"] = (
        f"/accounts/reset/{urlsafe_base64_encode(force_bytes(reset_user.pk))}/"
        f"{default_token_generator.make_token(reset_user)}/"
    )


def _is_test_database(connection) -> bool:
    name = str(connection.settings_dict["NAME"])
    return (connection.vendor == "sqlite" and connection.is_in_memory_db()) or "test" in name


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker, browser):
    with django_db_blocker.unblock():
        # Never seed (and flush!) a real database: the marker above makes pytest-django set up
        # the test database even when this module runs alone.
        assert _is_test_database(connections["default"]), connections["default"].settings_dict
        server = None
        try:
            today = timezone.localdate()
            call_command("seed_demo", force=True, verbosity=0)
            ids = {}
            _prepare_demo(ids)
            names = sorted(set(Level.objects.exclude(name="").values_list("name", flat=True)))
            server = LiveServer("localhost")
            site = Site(url=server.url, ids=ids, level_names=names, today=today)
            # Log everyone in now, outside the tests' transactions (rolled back on SQLite).
            for person in sorted({person for person, _walk in PAGES.values() if person}):
                site.log_in(browser, person)
            yield site
        finally:
            if server is not None:
                # Stop serving but leave the in-memory SQLite connection shareable: Chromium
                # keeps idle connections to this server open, and their request threads close
                # the shared connection when they end, after this module is done.
                server.thread.terminate()
            for connection in connections.all():
                connection.close_if_unusable_or_obsolete()
            call_command("flush", interactive=False, verbosity=0)


# The journeys: one function per page state --------------------------------------------------

PAGES = {}


def journey(name, person):
    """Register a page state of a person's journey: ``fn(page, site)`` leaves the page there."""

    def register(fn):
        PAGES[name] = (person, fn)
        return fn

    return register


def page_at(name, person, path, button=None):
    """Register a page state that is just the page at ``path`` (``{key}`` in it stands for
    ``site.ids[key]``), showing ``button`` when one is named."""

    def walk(page, site):
        go(page, site, path.format(**site.ids))
        if button:
            expect(page.get_by_role("button", name=button)).to_be_visible()

    PAGES[name] = (person, walk)


def form_with_errors(name, person, path, button, fill=None):
    """Register the form at ``path`` sent with ``fill`` ({label: value}, a value either text or
    a function of the site, for a date that counts from ``site.today``) and the browser's own
    checks off, so the page shows the server's errors."""

    def walk(page, site):
        go(page, site, path.format(**site.ids))
        for label, value in (fill or {}).items():
            page.get_by_label(label).fill(value(site) if callable(value) else value)
        submit_without_browser_checks(page, button)
        expect(page.locator(".invalid-feedback").first).to_be_visible()

    PAGES[name] = (person, walk)


def missing_levels_listed(name, person, path, button, *, refusal, on_the_radios):
    """Register pressing ``button`` (and confirming) on the sheet at ``path`` with levels
    missing: the page says ``refusal``, and a screen reader hears what is missing on the radio
    buttons themselves."""

    def walk(page, site):
        accept_dialogs(page)
        go(page, site, path.format(**site.ids))
        page.get_by_role("button", name=button).click()
        expect(page.get_by_text(re.compile(refusal))).to_be_visible()
        expect(
            page.locator(".matrix-indicator-invalid input[type=radio]").first
        ).to_have_accessible_description(on_the_radios)

    PAGES[name] = (person, walk)


def go(page, site, path):
    page.goto(site.url + path)


def submit_without_browser_checks(page, button):
    """Press ``button`` with the browser's own required/min checks off, as an old browser or
    a script would, so the server's error messages are what the page shows."""
    page.evaluate("document.querySelectorAll('form').forEach((f) => { f.noValidate = true; })")
    page.get_by_role("button", name=button, exact=True).click()
    page.wait_for_load_state()


def accept_dialogs(page):
    page.on("dialog", lambda dialog: dialog.accept())


# Anonymous


page_at("anonymous/login", None, "/accounts/login/")
page_at(
    "anonymous/principal-feedback",
    None,
    "/principal/{principal_token}/",
    button="Save my answers",
)
page_at("anonymous/principal-link-unavailable", None, "/principal/" + "x" * 43 + "/")


@journey("anonymous/principal-feedback-errors", None)
def _principal_errors(page, site):
    go(page, site, "/principal/{principal_token}/".format(**site.ids))
    page.get_by_role("button", name="Save my answers").click()
    expect(page.locator("#form-errors")).to_be_visible()


@journey("anonymous/login-error", None)
def _login_error(page, site):
    go(page, site, "/accounts/login/")
    page.get_by_label("Email address").fill(COORDINATOR)
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator(".alert-danger, .invalid-feedback").first).to_be_visible()


@journey("anonymous/locked-out", None)
def _locked_out(page, site):
    go(page, site, "/accounts/login/")
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        page.get_by_label("Email address").fill(LOCKED)
        page.get_by_label("Password").fill("guess")
        page.get_by_role("button", name="Log in").click()
        page.wait_for_load_state()
    expect(page.get_by_role("heading", name="Too many failed logins")).to_be_visible()


page_at("anonymous/password-reset", None, "/accounts/password_reset/")


@journey("anonymous/password-reset-error", None)
def _password_reset_error(page, site):
    go(page, site, "/accounts/password_reset/")
    page.get_by_label("Email").fill("not an email")
    page.get_by_role("button", name="Email me a reset link").click()
    expect(page.locator(".invalid-feedback").first).to_be_visible()


page_at("anonymous/password-reset-sent", None, "/accounts/password_reset/done/")
page_at("anonymous/password-reset-new-password", None, "{reset_path}", button="Set password")
page_at("anonymous/password-reset-complete", None, "/accounts/reset/done/")


@journey("anonymous/no-role-yet", NO_ROLE)
def _no_role(page, site):
    go(page, site, "/")
    expect(page).to_have_url(re.compile("/no-role/$"))


# Coordinator


page_at("coordinator/my-growth", COORDINATOR, "/me/")
page_at("coordinator/matrix-draft", DRAFTING, "/assessments/{draft}/", button="Submit for review")
missing_levels_listed(
    "coordinator/matrix-submit-missing-levels",
    FRESH,
    "/assessments/{fresh}/",
    "Submit for review",
    refusal="Not submitted yet",
    on_the_radios="Choose a level for this indicator.",
)
page_at(
    "coordinator/matrix-submitted-read-only",
    SUBMITTED,
    "/assessments/{submitted}/",
    button="Recall submission",
)
page_at("coordinator/matrix-returned", RETURNED, "/assessments/{returned}/")
page_at("coordinator/matrix-finalized", COORDINATOR, "/assessments/{finalized}/")
page_at("coordinator/history", COORDINATOR, "/assessments/{finalized}/history/")
page_at("coordinator/coordinator-page", COORDINATOR, "/people/{profile}/")
page_at("coordinator/growth-page", COORDINATOR, "/growth/people/{profile}/")
form_with_errors(
    "coordinator/goal-form-errors",
    COORDINATOR,
    "/growth/people/{profile}/goals/new/",
    "Save goal",
    fill={"Target date": lambda site: (site.today - timedelta(days=3)).isoformat()},
)
form_with_errors(
    "coordinator/support-form-errors",
    COORDINATOR,
    "/growth/people/{profile}/supports/new/",
    "Save support",
    fill={"Hours": "-4"},
)
page_at("coordinator/mentees", MENTOR, "/growth/mentees/")
page_at("coordinator/check-ins", COORDINATOR, "/growth/people/{profile}/check-ins/")
page_at("coordinator/timeline", COORDINATOR, "/people/{profile}/timeline/")
form_with_errors(
    "coordinator/password-change-errors",
    COORDINATOR,
    "/accounts/password_change/",
    "Change password",
)
page_at("coordinator/password-change-done", COORDINATOR, "/accounts/password_change/done/")
page_at("coordinator/forbidden-page", COORDINATOR, "/cycles/")
page_at("coordinator/not-found-page", COORDINATOR, "/people/987654321/")


# Director


page_at("director/my-growth", DIRECTOR, "/me/")
page_at("director/my-team", DIRECTOR, "/team/")
page_at("director/dashboard", DIRECTOR, "/dashboard/")


@journey("director/dashboard-filtered", DIRECTOR)
def _dashboard_filtered(page, site):
    go(page, site, "/dashboard/")
    page.get_by_label("This cycle").select_option("submitted")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("link", name="Clear filters")).to_be_visible()


page_at(
    "director/dashboard-past-cycle-sorted", DIRECTOR, "/dashboard/?cycle={past_cycle}&sort=-site"
)


@journey("director/dashboard-empty", DIRECTOR)
def _dashboard_empty(page, site):
    go(page, site, "/dashboard/?q=nobody+by+this+name")
    expect(page.get_by_text("No coordinator matches these filters")).to_be_visible()


page_at("director/review", DIRECTOR, "/assessments/{submitted}/review/", button="Finalize review")
missing_levels_listed(
    "director/finalize-missing-levels",
    DIRECTOR,
    "/assessments/{to_finalize}/review/",
    "Finalize review",
    refusal="Not finalized yet",
    on_the_radios="Choose your level for this indicator.",
)
page_at("director/review-history", DIRECTOR, "/assessments/{submitted}/history/")
page_at(
    "director/principal-feedback",
    DIRECTOR,
    "/assessments/{submitted}/principal-feedback/",
    button="Send request",
)
page_at("director/coordinator-page", DIRECTOR, "/people/{submitted_profile}/")
page_at("director/growth-page", DIRECTOR, "/growth/people/{submitted_profile}/")
form_with_errors(
    "director/goal-form-errors",
    DIRECTOR,
    "/growth/people/{submitted_profile}/goals/new/",
    "Save goal",
    fill={"Target date": lambda site: (site.today - timedelta(days=1)).isoformat()},
)
form_with_errors(
    "director/promotion-form-errors",
    DIRECTOR,
    "/growth/people/{submitted_profile}/promotion/",
    "Record the stage change",
)
page_at("director/mentees", DIRECTOR, "/growth/mentees/")
page_at("director/mentoring", DIRECTOR, "/growth/mentoring/")
page_at("director/mentor-suggestions", DIRECTOR, "/growth/people/{submitted_profile}/mentors/")
form_with_errors(
    "director/check-in-form-errors",
    DIRECTOR,
    "/growth/people/{submitted_profile}/check-ins/new/",
    "Save check-in",
    fill={"Day of the check-in": "2999-01-01"},
)
page_at("director/goal-edit-with-history", DIRECTOR, "/growth/goals/{goal}/edit/")
page_at("director/support-edit-with-history", DIRECTOR, "/growth/supports/{support}/edit/")


# Org admin


page_at("admin/organization", ADMIN, "/organization/")
page_at("admin/people", ADMIN, "/organization/people/")
page_at("admin/check-in-cadences", ADMIN, "/growth/cadences/")
page_at("admin/coaching-actions", ADMIN, "/growth/coaching-actions/")
page_at("admin/mentoring-programme", ADMIN, "/growth/mentoring/programme/")
form_with_errors("admin/person-form-errors", ADMIN, "/organization/people/new/", "Add person")
page_at("admin/person-edit", ADMIN, "/organization/people/{person}/edit/")
page_at("admin/schools", ADMIN, "/organization/schools/")
form_with_errors("admin/school-form-errors", ADMIN, "/organization/schools/new/", "Save school")
page_at("admin/teams", ADMIN, "/organization/teams/")
form_with_errors("admin/team-form-errors", ADMIN, "/organization/teams/new/", "Save team")
page_at("admin/overview", ADMIN, "/overview/")
page_at("admin/overview-every-school", ADMIN, "/overview/?cycle={past_cycle}&schools=all")
page_at("admin/report-impact", ADMIN, "/reports/impact/")
page_at("admin/report-retention", ADMIN, "/reports/retention/?split=setting")
page_at("admin/report-calibration", ADMIN, "/reports/calibration/")
page_at("director/report-calibration", DIRECTOR, "/reports/calibration/?group=team")


@journey("admin/dashboard-one-team", ADMIN)
def _admin_dashboard(page, site):
    go(page, site, "/dashboard/")
    team = page.get_by_role("combobox", name="Team")  # the team picker
    team.fill("Vall")
    page.get_by_role("option", name="Valley").click()
    expect(team).to_have_value("Valley")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("heading", name="Team dashboard: Valley")).to_be_visible()


page_at("admin/review-finalized", ADMIN, "/assessments/{finalized}/review/")
page_at("admin/cycles", ADMIN, "/cycles/")


@journey("admin/cycle-form-date-errors", ADMIN)
def _cycle_errors(page, site):
    go(page, site, "/cycles/new/")
    today = timezone.localdate()
    page.get_by_label("Name").fill("2031–32 Spring")
    page.get_by_label("Opens on").fill((today + timedelta(days=30)).isoformat())
    page.get_by_label("Self-assessments due on").fill((today + timedelta(days=10)).isoformat())
    page.get_by_label("Closes on").fill((today + timedelta(days=5)).isoformat())
    page.get_by_role("button", name="Create cycle").click()
    expect(page.locator(".invalid-feedback").first).to_be_visible()


page_at("admin/rubrics", ADMIN, "/rubrics/")
page_at("admin/rubric", ADMIN, "/rubrics/families/{family}/")
page_at("admin/rubric-version", ADMIN, "/rubrics/versions/{published}/")
page_at("admin/rubric-draft", ADMIN, "/rubrics/versions/{rubric_draft}/edit/")
page_at("admin/rubric-category-editor", ADMIN, "/rubrics/versions/{rubric_draft}/edit/site/")
page_at("admin/rubric-compare", ADMIN, "/rubrics/versions/{rubric_draft}/compare/")


@journey("admin/rubric-publish-with-problems", ADMIN)
def _rubric_publish(page, site):
    # Publishing is not offered while the draft has gaps: the page names them instead.
    go(page, site, f"/rubrics/versions/{site.ids['rubric_draft']}/compare/")
    expect(page.get_by_text(re.compile("Not ready to publish"))).to_be_visible()
    expect(page.get_by_role("button", name=re.compile(r"^Publish version"))).to_have_count(0)
    page.get_by_role("link", name="listed on the draft page").click()
    expect(page.get_by_text(re.compile(r"to fix before publishing"))).to_be_visible()


page_at("admin/rubric-history", ADMIN, "/rubrics/versions/{published}/history/")
form_with_errors(
    "admin/role-family-form-errors", ADMIN, "/rubrics/families/new/", "Create role family"
)
page_at("admin/role-family-people", ADMIN, "/rubrics/people/")
page_at("admin/flag-thresholds", ADMIN, "/settings/flags/")
page_at("admin/review-settings", ADMIN, "/settings/reviews/")
page_at("admin/principal-feedback-settings", ADMIN, "/principal-feedback/settings/")
page_at("admin/career-stages", ADMIN, "/growth/stages/")
form_with_errors(
    "admin/career-stage-form-errors",
    ADMIN,
    "/growth/stages/{stage}/edit/",
    "Save stage",
    fill={"Title": ""},
)
page_at("admin/catalogue", ADMIN, "/growth/catalogue/")
form_with_errors("admin/catalogue-form-errors", ADMIN, "/growth/catalogue/new/", "Save")
page_at("admin/roster-import", ADMIN, "/organization/import/")
page_at("admin/sign-in-settings", ADMIN, "/organization/sign-in/")
page_at("admin/sign-in-provider-form", ADMIN, "/organization/sign-in/providers/add/google/")
page_at("admin/api-tokens", ADMIN, "/organization/api-tokens/")
page_at("coordinator/linked-accounts", COORDINATOR, "/accounts/linked/")


@journey("admin/roster-import-row-errors", ADMIN)
def _roster_errors(page, site):
    go(page, site, "/organization/import/")
    header = "email,first_name,last_name,roles,team,schools,role_start_date\n"
    rows = (
        "nia@example.org,Nia,Cole,coordinator,East Bay,Lincon Elementary,2024-08-15\n"
        "not-an-email,Ray,,coordinator,Nowhere,,15/08/2024\n"
    )
    page.get_by_label("Roster file").set_input_files(
        files=[{"name": "people.csv", "mimeType": "text/csv", "buffer": (header + rows).encode()}]
    )
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_text(re.compile(r"problems? to fix"))).to_be_visible()


@journey("admin/roster-import-preview", ADMIN)
def _roster_preview(page, site):
    go(page, site, "/organization/import/")
    header = "email,first_name,last_name,roles,team,schools,role_start_date\n"
    row = "nia@example.org,Nia,Cole,coordinator,East Bay,Lincoln Middle School,2024-08-15\n"
    page.get_by_label("Roster file").set_input_files(
        files=[{"name": "people.csv", "mimeType": "text/csv", "buffer": (header + row).encode()}]
    )
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("button", name="Import now")).to_be_visible()


@journey("admin/roster-imported", ADMIN)
def _roster_imported(page, site):
    _roster_preview(page, site)
    page.get_by_role("button", name="Import now").click()
    expect(page.get_by_role("heading", name="Roster imported")).to_be_visible()


# Visiting: each page state once, its HTML kept for the checker ------------------------------

LEVELS_IN_COLOUR = """(names) => {
  // Level badges and the heatmap's and matrix's coloured cells; "Not rated" has no colour.
  const coloured = document.querySelectorAll(
    ".level-1, .level-2, .level-3, .cell-level-1, .cell-level-2, .cell-level-3");
  const charts = [...document.querySelectorAll("canvas")].map((canvas) => {
    const chart = window.Chart && window.Chart.getChart(canvas);
    if (!chart) return {missing: true};
    return {
      ticks: chart.scales.y.ticks.map((tick) => tick.label),
      legend: chart.legend.legendItems.map((item) => item.text),
    };
  });
  const unnamed = [...coloured]
    .filter((el) => !names.some((name) => el.textContent.includes(name)))
    .map((el) => el.outerHTML.slice(0, 160));
  return {count: coloured.length, unnamed: unnamed, charts: charts};
}"""


# Form fields whose outline is below 3:1 against what surrounds them (WCAG 1.4.11, which axe
# does not check): without it an empty field is hard to find.
WEAK_OUTLINES = """() => {
  const rgb = (colour) => (colour.match(/[\\d.]+/g) || []).map(Number);
  const luminance = (c) => {
    const [r, g, b] = c.slice(0, 3).map((v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const around = (el) => {
    for (let up = el.parentElement; up; up = up.parentElement) {
      const c = rgb(getComputedStyle(up).backgroundColor);
      if (c.length === 3 || c[3] > 0) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const weak = [];
  const fields = "input:not([type=hidden]):not([type=submit]):not([type=button]), select, textarea";
  for (const field of document.querySelectorAll(fields)) {
    const style = getComputedStyle(field);
    if (!field.getClientRects().length || field.disabled || style.opacity === "0") continue;
    if (parseFloat(style.borderTopWidth) === 0) continue;
    const background = around(field);
    let border = rgb(style.borderTopColor);
    const alpha = border.length === 4 ? border[3] : 1;
    border = border.slice(0, 3).map((v, i) => alpha * v + (1 - alpha) * background[i]);
    const [light, dark] = [luminance(border), luminance(background)].sort((a, b) => b - a);
    const ratio = (light + 0.05) / (dark + 0.05);
    if (ratio < 3) weak.push(`${field.outerHTML.slice(0, 120)} ${ratio.toFixed(2)}:1`);
  }
  return weak;
}"""

# The page's width at phone size, and the outermost elements that stick out of the screen.
TOO_WIDE = """async () => {
  // Let responsive parts (the charts) follow the new size first.
  for (let frame = 0; frame < 3; frame++) await new Promise((r) => requestAnimationFrame(r));
  const limit = document.documentElement.clientWidth;
  const width = document.documentElement.scrollWidth;
  if (width <= limit) return {width: width, culprits: []};
  const sticksOut = (el) => el.getBoundingClientRect().right > limit + 1;
  const scrollsInABox = (el) => {
    for (let box = el.parentElement; box && box !== document.body; box = box.parentElement) {
      if (getComputedStyle(box).overflowX !== "visible") return true;
    }
    return false;
  };
  const culprits = [...document.body.querySelectorAll("*")]
    .filter((el) => sticksOut(el) && !scrollsInABox(el) && !sticksOut(el.parentElement))
    .slice(0, 5)
    .map((el) => el.outerHTML.slice(0, 200));
  return {width: width, culprits: culprits};
}"""


@dataclass
class Visit:
    html: str
    violations: list
    at_phone: dict
    levels: dict
    weak_outlines: list


VISITS: dict[str, Visit] = {}


def visit(browser, site, name) -> Visit:
    """Walk to the page state ``name`` once per run; later tests reuse what was seen."""
    if name in VISITS:
        return VISITS[name]
    person, walk = PAGES[name]
    context = site.context(browser, person)
    page = context.new_page()
    documents = []
    page.on(
        "response",
        lambda r: (
            documents.append(r)
            if r.request.resource_type == "document"
            and r.frame == page.main_frame
            and not 300 <= r.status < 400
            else None
        ),
    )
    try:
        walk(page, site)
        page.wait_for_load_state()
        html = documents[-1].text()
        results = Axe().run(page, options=WCAG_AA)
        levels = page.evaluate(LEVELS_IN_COLOUR, site.level_names)
        weak_outlines = page.evaluate(WEAK_OUTLINES)
        page.set_viewport_size(PHONE)
        width = page.evaluate(TOO_WIDE)
        if SCREENSHOTS:
            Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=f"{SCREENSHOTS}/{name.replace('/', '--')}.png", full_page=True)
    finally:
        context.close()
    VISITS[name] = Visit(
        html=html,
        violations=[
            (
                v["id"],
                v["impact"],
                v["help"],
                [(n["target"], n["html"][:160]) for n in v["nodes"]][:5],
                v["nodes"][0].get("failureSummary", ""),
            )
            for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")
        ],
        at_phone=width,
        levels=levels,
        weak_outlines=weak_outlines,
    )
    return VISITS[name]


# The tests -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(PAGES))
def test_no_serious_wcag_violation(browser, site, name):
    violations = visit(browser, site, name).violations
    assert not violations, pformat(violations, width=100)


@pytest.mark.parametrize("name", list(PAGES))
def test_nothing_wider_than_a_phone(browser, site, name):
    at_phone = visit(browser, site, name).at_phone
    assert at_phone["width"] <= PHONE["width"], at_phone["culprits"]


@pytest.mark.parametrize("name", list(PAGES))
def test_form_fields_are_outlined(browser, site, name):
    assert visit(browser, site, name).weak_outlines == []


def test_every_level_in_colour_is_named_in_words(browser, site):
    """Level colours (badges, matrix and heatmap cells, legends) always carry the level's
    name in text; the charts' axes are labelled with level names and their legend in words."""
    seen = {name: visit(browser, site, name).levels for name in PAGES}
    unnamed = {name: levels["unnamed"] for name, levels in seen.items() if levels["unnamed"]}
    assert unnamed == {}
    assert sum(levels["count"] for levels in seen.values()) > 200  # the check saw levels
    charts = [chart for levels in seen.values() for chart in levels["charts"]]
    assert len(charts) >= 8
    for chart in charts:
        assert not chart.get("missing"), "a canvas without its chart"
        assert chart["ticks"] and set(chart["ticks"]) <= set(site.level_names), chart
        assert chart["legend"] == ["Self", "Supervisor"]


def _vnu_errors(pages: dict[str, str]) -> dict[str, list[str]]:
    """Run the W3C checker once over many pages (a JVM start per page would cost ~2 s each)."""
    with tempfile.TemporaryDirectory() as folder:
        paths = {}
        for index, (name, html) in enumerate(pages.items()):
            path = Path(folder) / f"page-{index}.html"
            path.write_text(html, encoding="utf-8")
            paths[path.name] = name
        run = subprocess.run(
            [JAVA, "-jar", str(VNU_JAR), "--format", "gnu", "--errors-only", *sorted(paths)],
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=120,
        )
    errors = {name: [] for name in pages}
    found = False
    for line in (run.stdout + run.stderr).splitlines():
        match = re.match(r'^"file:.*/(page-\d+\.html)":(.*)$', line)
        if match:
            errors[paths[match.group(1)]].append(match.group(2).strip())
            found = True
    # vnu exits 1 when it reports errors; anything else (or 1 with no report) is a failed run.
    if run.returncode not in (0, 1) or (run.returncode == 1 and not found):
        raise AssertionError(f"The HTML checker failed ({run.returncode}): {run.stderr[-2000:]}")
    return errors


HTML_ERRORS: dict[str, list[str]] = {}


@pytest.mark.skipif(
    not (JAVA and VNU_JAR.exists()),
    reason="The W3C HTML checker needs Java and node_modules/vnu-jar "
    "(npm install --no-save vnu-jar; apt-get install default-jre-headless)",
)
@pytest.mark.parametrize("name", list(PAGES))
def test_html_is_valid(browser, site, name):
    if name not in HTML_ERRORS:
        pending = {n: v.html for n, v in VISITS.items() if n not in HTML_ERRORS}
        pending[name] = visit(browser, site, name).html
        HTML_ERRORS.update(_vnu_errors(pending))
    assert not HTML_ERRORS[name], "\n".join(HTML_ERRORS[name])


def test_matrix_with_the_keyboard_alone(browser, site):
    """Log in, skip to the content, open the matrix, choose every level, save, submit and
    confirm: Tab, Space, Enter and typing only, never a click."""
    context = site.context(browser, None)
    page = context.new_page()
    accept_dialogs(page)
    go(page, site, "/accounts/login/")

    def tab_to(locator, key="Tab", limit=80):
        for _press in range(limit):
            if locator.evaluate("(el) => el === document.activeElement"):
                return
            page.keyboard.press(key)
        raise AssertionError(f"Tab never reached {locator}")

    tab_to(page.get_by_label("Email address"))
    page.keyboard.type(KEYBOARD)
    page.keyboard.press("Tab")
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="My growth")).to_be_visible()

    # The first Tab reaches the skip link; Enter moves focus to the main content.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    tab_to(page.get_by_role("link", name="Open my self-assessment"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="My self-assessment")).to_be_visible()

    # Each indicator: Tab into its radio group (Novice first), the arrow key moves to
    # Proficient on two rows of three, Space chooses, Tab goes on to the evidence box.
    rows = page.locator(".matrix-indicator")
    count = rows.count()
    assert count >= 8
    for position in range(count):
        row = rows.nth(position)
        tab_to(row.locator("input[type=radio]").first)
        if position == 0:  # the focused card shows it: a 3 px outline around its label
            label = row.locator("label").first
            assert label.evaluate("(el) => getComputedStyle(el).outlineStyle") == "solid"
        if position % 3:
            page.keyboard.press("ArrowRight")
        page.keyboard.press("Space")
        page.keyboard.press("Tab")
        expect(row.locator("textarea")).to_be_focused()
        page.keyboard.type(f"Evidence {position + 1}")

    tab_to(page.get_by_role("button", name="Save draft"))
    page.keyboard.press("Enter")
    expect(page.get_by_text(re.compile("Draft saved at"))).to_be_visible()
    ratings = Rating.objects.filter(assessment_id=site.ids["keyboard"]).order_by(
        "indicator__category__order", "indicator__order"
    )
    assert [(r.self_level, r.self_evidence) for r in ratings] == [
        (2 if position % 3 else 1, f"Evidence {position + 1}") for position in range(count)
    ]

    # Back at the top of the page: every indicator's levels, evidence and "Attach" lie between.
    tab_to(page.get_by_role("button", name="Submit for review"), limit=200)
    page.keyboard.press("Enter")  # and the confirmation is accepted
    expect(page.get_by_text(re.compile(r"^Submitted\. "))).to_be_visible()
    assert Assessment.objects.get(pk=site.ids["keyboard"]).state == Assessment.State.SUBMITTED
    context.close()
