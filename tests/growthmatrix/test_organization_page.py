"""The org admin's landing page starts with what needs them now, each item linking to where
it is done; the login page holds only what signing in needs."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.dashboards.dashboard_data import assess, build_team, get_counting_queries
from tests.factories import CycleFactory, ProfileFactory, TeamFactory

pytestmark = pytest.mark.django_db
URL = reverse("pages:organization")


def attention(html: str) -> str:
    return html.split('id="attention-heading"', 1)[1].split("</section>", 1)[0]


@pytest.fixture
def busy(org, team, profile, today):
    """A cycle that should have opened, one that should have closed (its due date passed with a
    draft and a review waiting past its window) and a roster import that saved nothing."""
    CycleFactory(
        organization=org,
        name="Spring",
        state="planned",
        opens_on=today - timedelta(days=2),
        due_on=today + timedelta(days=30),
        closes_on=today + timedelta(days=60),
    )
    fall = CycleFactory(
        organization=org,
        name="Fall",
        state="open",
        opens_on=today - timedelta(days=90),
        due_on=today - timedelta(days=40),
        closes_on=today - timedelta(days=1),
        review_window_days=14,
    )
    waiting = assess(profile, fall, state="submitted")
    waiting.submitted_at = timezone.now() - timedelta(days=20)
    waiting.save(update_fields=["submitted_at"])
    assess(ProfileFactory(team=team), fall, state="draft")
    DBTaskResult.objects.create(
        task_path="growthmatrix.roster.importing.roster_import_run",
        args_kwargs={"args": [], "kwargs": {"organization_id": org.pk, "actor_id": None}},
        status="SUCCESSFUL",
        return_value={"ok": False, "errors": [{"row": 2}, {"row": 3}]},
        backend_name="default",
        queue_name="default",
        run_after=timezone.now(),
        exception_class_path="",
        traceback="",
    )
    return fall, waiting


def test_the_admin_sees_what_needs_them_first_with_links(client_for, admin_user, busy):
    fall, waiting = busy
    html = client_for(admin_user).get(URL).content.decode()
    first_section = html.split("<section", 2)[1]
    assert 'id="attention-heading">Needs your attention' in first_section
    needs = attention(html)
    assert "<strong>Spring</strong> was due to open on" in needs
    assert "<strong>Fall</strong> was due to close on" in needs
    assert f'href="{reverse("assessments:cycle-list")}"' in needs
    assert "<strong>1 self-assessment</strong> of Fall still not submitted" in needs
    assert (
        f'href="{reverse("dashboards:team-dashboard")}?cycle={fall.pk}&amp;flag=overdue"' in needs
    )
    assert "<strong>1 review overdue</strong>" in needs
    review = reverse("assessments:assessment-review", args=[waiting.pk])
    assert re.search(
        rf'<a href="{review}">[^<]+</a> \(East\) — Fall, submitted .*6 days late', needs
    )
    assert "2 problems found when it ran" in needs
    status = reverse("roster:roster-import-status", args=[DBTaskResult.objects.get().pk])
    assert f'<a href="{status}">See what went wrong</a>' in needs


def test_another_organizations_work_stays_out(client_for, other_admin, busy):
    html = client_for(other_admin).get(URL).content.decode()
    assert "Nothing needs you right now" in attention(html)
    assert "Fall" not in html


def test_an_organization_with_nothing_waiting_says_so(client_for, admin_user):
    html = client_for(admin_user).get(URL).content.decode()
    assert "Nothing needs you right now" in attention(html)
    assert "No cycle is open or planned." in html


def test_the_page_takes_the_same_queries_with_more_work_waiting(client_for, admin_user, org, busy):
    client = client_for(admin_user)
    _response, few = get_counting_queries(client, URL)
    fall = busy[0]
    build_team(TeamFactory(organization=org), 10, [], fall)
    response, many = get_counting_queries(client, URL)
    assert response.status_code == 200
    assert many == few


def test_the_login_page_holds_the_name_a_sentence_the_form_and_two_links(client):
    html = client.get(reverse("login")).content.decode()
    main = html.split('<main id="main"', 1)[1].split("</main>", 1)[0]
    assert "<h1" in main and ">Growth Matrix</h1>" in main
    assert main.count("<p") == 3  # the sentence, the reset link, the organization's sign-in
    assert "A career path for school coordinators" in main
    assert f'href="{reverse("password_reset")}"' in main
    assert f'href="{reverse("signin:lookup")}"' in main
    assert 'name="username"' in main and 'name="password"' in main
    assert "<nav" not in html and "<footer" not in html
    assert len(re.findall(r"<a ", html)) == 3  # the skip link and the two links
