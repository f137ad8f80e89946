"""The org admin's cycles: list with completion, create and edit with dates checked, open, close."""

from datetime import date

import pytest
from django.core import mail
from django.urls import reverse

from assessments.models import Assessment, AssessmentCycle
from rubrics.models import RubricVersion
from tests.assessments.workflow_helpers import make_assessment
from tests.factories import CycleFactory, ProfileFactory

pytestmark = pytest.mark.django_db

LIST = reverse("assessments:cycle-list")
CREATE = reverse("assessments:cycle-create")


def cycle_data(**changes):
    return {
        "name": "2027–28 Fall",
        "opens_on": "2027-09-01",
        "due_on": "2027-10-15",
        "closes_on": "2027-12-15",
        "review_window_days": "14",
    } | changes


def test_the_list_shows_each_cycle_with_its_completion(client_for, org, team, admin_user):
    cycle = CycleFactory(organization=org, name="Fall")
    for state in ["draft", "submitted", "finalized", "finalized"]:
        make_assessment(ProfileFactory(team=team), cycle=cycle, state=state)
    CycleFactory(organization=org, name="Spring", state="planned")

    response = client_for(admin_user).get(LIST)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<strong>2 of 4</strong> finalized" in html
    assert "1 waiting for review · 0 returned · 1 not submitted" in html
    assert reverse("assessments:cycle-open", args=[cycle.pk]) not in html  # already open
    spring = AssessmentCycle.objects.get(name="Spring")
    assert reverse("assessments:cycle-open", args=[spring.pk]) in html


def test_the_list_shows_only_the_admins_organization(client_for, org, other_org, admin_user):
    CycleFactory(organization=other_org, name="Their cycle")
    assert "Their cycle" not in client_for(admin_user).get(LIST).content.decode()


@pytest.mark.parametrize("who", ["director", "coordinator"])
def test_cycle_pages_refuse_other_roles(request, client_for, org, who):
    user = request.getfixturevalue(who)
    cycle = CycleFactory(organization=org)
    client = client_for(user)
    assert client.get(LIST).status_code == 403
    assert client.get(CREATE).status_code == 403
    assert client.get(reverse("assessments:cycle-update", args=[cycle.pk])).status_code == 403
    assert client.post(reverse("assessments:cycle-open", args=[cycle.pk])).status_code == 403
    assert client.post(reverse("assessments:cycle-close", args=[cycle.pk])).status_code == 403


def test_create_a_planned_cycle(client_for, org, admin_user):
    response = client_for(admin_user).post(CREATE, cycle_data())
    assert response.status_code == 302
    cycle = AssessmentCycle.objects.get(name="2027–28 Fall")
    assert cycle.organization == org and cycle.state == AssessmentCycle.State.PLANNED
    assert (cycle.opens_on, cycle.due_on, cycle.closes_on) == (
        date(2027, 9, 1),
        date(2027, 10, 15),
        date(2027, 12, 15),
    )


@pytest.mark.parametrize(
    "changes, field, words",
    [
        ({"due_on": "2027-08-01"}, "due_on", "on or after the opening date"),
        ({"closes_on": "2027-10-01"}, "closes_on", "on or after the due date"),
        ({"review_window_days": "0"}, "review_window_days", "greater than or equal to 1"),
        ({"opens_on": "soon"}, "opens_on", "Enter a valid date"),
        ({"name": ""}, "name", "required"),
    ],
)
def test_bad_cycle_input_is_refused_on_the_right_field(
    client_for, admin_user, changes, field, words
):
    response = client_for(admin_user).post(CREATE, cycle_data(**changes))
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == [field]
    assert words in " ".join(form.errors[field])
    assert not AssessmentCycle.objects.exists()


def test_cycle_names_are_unique_in_an_organization(client_for, org, other_org, admin_user):
    CycleFactory(organization=other_org, name="2027–28 Fall")
    assert client_for(admin_user).post(CREATE, cycle_data()).status_code == 302
    again = client_for(admin_user).post(CREATE, cycle_data(name="2027–28 fall"))
    assert "Another cycle already has this name." in again.content.decode()


def test_edit_a_cycle(client_for, org, other_org, admin_user):
    cycle = CycleFactory(organization=org, state="planned")
    client = client_for(admin_user)
    edit = reverse("assessments:cycle-update", args=[cycle.pk])
    assert client.get(edit).status_code == 200
    assert client.post(edit, cycle_data(name="Renamed", version=cycle.version)).status_code == 302
    cycle.refresh_from_db()
    assert cycle.name == "Renamed"

    theirs = CycleFactory(organization=other_org)
    assert client.get(reverse("assessments:cycle-update", args=[theirs.pk])).status_code == 404


def test_open_a_cycle_from_the_list(
    client_for, org, profile, teammate, admin_user, django_capture_on_commit_callbacks
):
    cycle = CycleFactory(organization=org, state="planned")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(admin_user).post(
            reverse("assessments:cycle-open", args=[cycle.pk]), follow=True
        )
    assert "2 coordinators have a self-assessment to complete" in response.content.decode()
    assert Assessment.objects.filter(cycle=cycle).count() == 2
    assert len(mail.outbox) == 2


def test_opening_names_the_role_family_without_a_published_rubric(
    client_for, org, profile, admin_user
):
    RubricVersion.objects.filter(rubric__role_family=profile.role_family).update(state="draft")
    cycle = CycleFactory(organization=org, state="planned")
    response = client_for(admin_user).post(
        reverse("assessments:cycle-open", args=[cycle.pk]), follow=True
    )
    assert profile.role_family.name in response.content.decode()
    cycle.refresh_from_db()
    assert cycle.state == AssessmentCycle.State.PLANNED


def test_open_and_close_refuse_get_and_other_organizations(client_for, other_org, admin_user):
    theirs = CycleFactory(organization=other_org, state="planned")
    client = client_for(admin_user)
    for name in ("cycle-open", "cycle-close"):
        target = reverse(f"assessments:{name}", args=[theirs.pk])
        assert client.get(target).status_code == 405
        assert client.post(target).status_code == 404
    theirs.refresh_from_db()
    assert theirs.state == AssessmentCycle.State.PLANNED


def test_close_a_cycle(client_for, org, admin_user):
    cycle = CycleFactory(organization=org)
    response = client_for(admin_user).post(
        reverse("assessments:cycle-close", args=[cycle.pk]), follow=True
    )
    assert "is closed" in response.content.decode()
    cycle.refresh_from_db()
    assert cycle.state == AssessmentCycle.State.CLOSED
    again = client_for(admin_user).post(
        reverse("assessments:cycle-close", args=[cycle.pk]), follow=True
    )
    assert "is not open" in again.content.decode()


def test_admin_tools_link_to_the_cycles(client_for, admin_user):
    html = client_for(admin_user).get(reverse("pages:organization")).content.decode()
    assert f'href="{LIST}"' in html
