"""The org admin's cycles: list with completion, create and edit with dates checked; open and
close after checks and a confirmation; reopen and extend; the rubric version a cycle pins."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from assessments import events, services
from assessments.forms import STATE_IN_NAME
from assessments.models import Assessment, AssessmentCycle, Rating
from assessments.selectors import cycle_history
from assessments.services import WorkflowError
from growthmatrix.management.commands._demo_history import cycle_specs
from rubrics.models import RubricVersion
from rubrics.services import rubric_version_new_draft, rubric_version_publish
from tests.assessments.workflow_helpers import make_assessment, review_post, self_post
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


def test_open_and_close_hide_other_organizations(client_for, other_org, admin_user):
    theirs = CycleFactory(organization=other_org, state="planned")
    client = client_for(admin_user)
    for name in ("cycle-open", "cycle-close", "cycle-detail", "cycle-dates"):
        target = reverse(f"assessments:{name}", args=[theirs.pk])
        assert client.get(target).status_code == 404
        if name != "cycle-detail":
            assert client.post(target).status_code == 404
    theirs.refresh_from_db()
    assert theirs.state == AssessmentCycle.State.PLANNED


def test_close_a_cycle(client_for, org, admin_user):
    cycle = CycleFactory(organization=org)
    response = client_for(admin_user).post(
        reverse("assessments:cycle-close", args=[cycle.pk]), {"early": "yes"}, follow=True
    )
    assert "is closed" in response.content.decode()
    cycle.refresh_from_db()
    assert cycle.state == AssessmentCycle.State.CLOSED
    again = client_for(admin_user).post(
        reverse("assessments:cycle-close", args=[cycle.pk]), {"early": "yes"}, follow=True
    )
    assert "is not open" in again.content.decode()


def test_admin_tools_link_to_the_cycles(client_for, admin_user):
    html = client_for(admin_user).get(reverse("pages:organization")).content.decode()
    assert f'href="{LIST}"' in html


# Closing, reopening and extending: nothing typed is stranded ---------------------------------


def cycle_with_work(org, team, other_team):
    """An open cycle with two drafts, a returned, a submitted (of another team) and a
    finalized assessment, each with evidence typed."""
    cycle = CycleFactory(organization=org, name="2026–27 Fall")
    made = {}
    for name, state, on in [
        ("draft", "draft", team),
        ("draft2", "draft", team),
        ("returned", "returned", team),
        ("submitted", "submitted", other_team),
        ("finalized", "finalized", team),
    ]:
        made[name] = make_assessment(ProfileFactory(team=on), cycle=cycle, state=state, ratings=2)
    Rating.objects.filter(assessment=made["returned"]).update(
        self_evidence="Ran the family night with the principal."
    )
    Assessment.objects.filter(pk=made["returned"].pk).update(
        return_note="Add evidence for the site category, please.", returned_at=timezone.now()
    )
    return cycle, made


def test_closing_asks_with_the_count_in_each_state_and_what_happens_to_it(
    client_for, org, team, other_team, admin_user
):
    cycle, _made = cycle_with_work(org, team, other_team)

    response = client_for(admin_user).get(reverse("assessments:cycle-close", args=[cycle.pk]))

    assert response.status_code == 200
    counts = {line.state: line.count for line in response.context["counts"]}
    assert counts == {"draft": 2, "returned": 1, "submitted": 1, "finalized": 1}
    html = response.content.decode()
    assert "Directors can still review and finalize them" in html
    assert "stays readable by its coordinator" in html
    # It closes before its closing date: the page says both dates and asks to close early.
    assert f"set to close on {cycle.closes_on:%-d %b %Y}" in html
    assert "Close 2026–27 Fall early" in html


def test_a_closed_cycle_is_not_offered_for_closing_again(client_for, org, admin_user):
    cycle = CycleFactory(organization=org, state="closed")
    response = client_for(admin_user).get(reverse("assessments:cycle-close", args=[cycle.pk]))
    html = response.content.decode()
    assert "is not open, so it cannot be closed" in html
    assert 'type="submit"' not in html.split("<main", 1)[-1]


def test_opening_while_another_cycle_is_open_says_so_before_asking(client_for, org, admin_user):
    CycleFactory(organization=org, name="Spring")
    planned = CycleFactory(organization=org, name="Fall", state="planned")
    response = client_for(admin_user).get(reverse("assessments:cycle-open", args=[planned.pk]))
    html = response.content.decode()
    assert "Spring is still open" in html
    assert reverse("assessments:cycle-open", args=[planned.pk]) not in html.split("<main", 1)[-1]


def test_closing_keeps_drafts_and_returned_and_emails_the_people_affected(
    org, team, other_team, admin_user, subscribed, django_capture_on_commit_callbacks
):
    cycle, made = cycle_with_work(org, team, other_team)
    heard = []
    subscribed(events.CycleClosed, heard.append)

    with django_capture_on_commit_callbacks(execute=True):
        services.cycle_close(cycle=cycle, actor=admin_user)

    assert [e.cycle_id for e in heard] == [cycle.pk]
    states = dict(Assessment.objects.filter(cycle=cycle).values_list("pk", "state"))
    assert states[made["draft"].pk] == "draft" and states[made["returned"].pk] == "returned"
    by_recipient = {m.to[0]: m for m in mail.outbox}
    for name in ("draft", "draft2", "returned"):
        email = by_recipient[made[name].coordinator.user.email]
        assert "is kept as you left it" in email.subject
        assert "(open)" not in email.subject
        assert reverse("assessments:assessment-detail", args=[made[name].pk]) in email.body
    director_email = by_recipient[other_team.director.email]
    assert "1 submitted self-assessment still to review" in director_email.subject
    assert reverse("assessments:assessment-review", args=[made["submitted"].pk]) in (
        director_email.body
    )
    # The finalized one's coordinator and the director with nothing waiting hear nothing.
    assert made["finalized"].coordinator.user.email not in by_recipient
    assert team.director.email not in by_recipient


def test_a_closed_cycle_still_shows_the_coordinator_their_returned_text_and_note(
    client_for, org, team, other_team, admin_user
):
    cycle, made = cycle_with_work(org, team, other_team)
    services.cycle_close(cycle=cycle, actor=admin_user)
    returned = made["returned"]

    html = (
        client_for(returned.coordinator.user)
        .get(reverse("assessments:assessment-detail", args=[returned.pk]))
        .content.decode()
    )

    assert "Ran the family night with the principal." in html
    assert "Add evidence for the site category, please." in html
    assert "ask your organization's admin to reopen the cycle" in html


def test_a_director_finalizes_what_was_submitted_before_the_close(
    client_for, org, team, other_team, admin_user
):
    cycle, made = cycle_with_work(org, team, other_team)
    services.cycle_close(cycle=cycle, actor=admin_user)
    submitted = made["submitted"]
    client = client_for(other_team.director)
    review = reverse("assessments:assessment-review", args=[submitted.pk])

    html = client.get(review).content.decode()
    assert "Finalize review" in html and "is closed, but this self-assessment was submitted" in html

    client.post(
        reverse("assessments:assessment-finalize", args=[submitted.pk]),
        review_post(submitted, level=3, note="Seen."),
    )
    submitted.refresh_from_db()
    assert submitted.state == Assessment.State.FINALIZED


def test_reopening_lets_the_coordinator_continue_and_is_in_the_history(
    client_for,
    org,
    team,
    other_team,
    admin_user,
    subscribed,
    django_capture_on_commit_callbacks,
):
    cycle, made = cycle_with_work(org, team, other_team)
    services.cycle_close(cycle=cycle, actor=admin_user)
    cycle.refresh_from_db()
    heard = []
    subscribed(events.CycleReopened, heard.append)
    mail.outbox.clear()
    dates = reverse("assessments:cycle-dates", args=[cycle.pk])
    client = client_for(admin_user)
    assert "Reopen 2026–27 Fall" in client.get(dates).content.decode()
    new_close = timezone.localdate() + timedelta(days=14)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            dates,
            {
                "version": cycle.version,
                "due_on": (timezone.localdate() + timedelta(days=7)).isoformat(),
                "closes_on": new_close.isoformat(),
                "reason": "Snow days in February",
            },
            follow=True,
        )

    cycle.refresh_from_db()
    assert cycle.state == AssessmentCycle.State.OPEN and cycle.closes_on == new_close
    assert [e.closes_on for e in heard] == [new_close]
    html = response.content.decode()
    assert "is open again" in html
    # The cycle's page: who reopened it, when, and why.
    assert f"{admin_user.display_name}</strong> reopened the cycle" in html
    assert "Recorded reason: Snow days in February" in html
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        made[n].coordinator.user.email for n in ("draft", "draft2", "returned")
    )
    # The coordinator whose work was returned can change it again.
    returned = made["returned"]
    returned.refresh_from_db()
    coordinator = client_for(returned.coordinator.user)
    page = coordinator.get(reverse("assessments:assessment-detail", args=[returned.pk]))
    assert page.context["form"] is not None
    coordinator.post(
        reverse("assessments:assessment-submit", args=[returned.pk]),
        self_post(returned, level=3, evidence="Added the site evidence."),
    )
    returned.refresh_from_db()
    assert returned.state == Assessment.State.SUBMITTED


def test_reopening_while_another_cycle_is_open_offers_to_extend_that_one(
    client_for, org, admin_user
):
    closed = CycleFactory(organization=org, name="Spring", state="closed")
    open_now = CycleFactory(organization=org, name="Fall")
    client = client_for(admin_user)
    dates = reverse("assessments:cycle-dates", args=[closed.pk])

    html = client.get(dates).content.decode()
    assert "Fall is open" in html
    assert reverse("assessments:cycle-dates", args=[open_now.pk]) in html

    refused = client.post(
        dates,
        {
            "version": closed.version,
            "due_on": closed.due_on.isoformat(),
            "closes_on": (timezone.localdate() + timedelta(days=9)).isoformat(),
        },
    )
    assert refused.status_code == 409
    closed.refresh_from_db()
    assert closed.state == AssessmentCycle.State.CLOSED


def test_extending_moves_dates_later_only_and_tells_who_is_still_working(
    org, team, other_team, admin_user, subscribed, django_capture_on_commit_callbacks
):
    cycle, made = cycle_with_work(org, team, other_team)
    heard = []
    subscribed(events.CycleExtended, heard.append)
    with pytest.raises(WorkflowError, match="moves dates later"):
        services.cycle_extend(
            cycle=cycle,
            actor=admin_user,
            expected_version=cycle.version,
            due_on=cycle.due_on - timedelta(days=1),
            closes_on=cycle.closes_on,
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.cycle_extend(
            cycle=cycle,
            actor=admin_user,
            expected_version=cycle.version,
            due_on=cycle.due_on + timedelta(days=7),
            closes_on=cycle.closes_on + timedelta(days=7),
        )
    cycle.refresh_from_db()
    assert [e.due_on for e in heard] == [cycle.due_on]
    assert len(mail.outbox) == 3 and all("has more time" in m.subject for m in mail.outbox)
    [entry, *_] = cycle_history(cycle)
    assert "moved the due date" in entry.text and "moved the closing date" in entry.text
    assert entry.reason.startswith("Extended: due")


# Opening or closing before the cycle's own dates -----------------------------------------------


def test_opening_early_states_the_dates_asks_and_is_recorded(client_for, org, profile, admin_user):
    cycle = CycleFactory(
        organization=org,
        name="Spring",
        state="planned",
        opens_on=timezone.localdate() + timedelta(days=5),
    )
    client = client_for(admin_user)
    url = reverse("assessments:cycle-open", args=[cycle.pk])

    html = client.get(url).content.decode()
    assert f"set to open on {cycle.opens_on:%-d %b %Y}" in html
    assert 'name="early" value="yes"' in html

    # A POST that skipped the confirmation is sent back to it, and nothing opens.
    assert client.post(url).url == url
    cycle.refresh_from_db()
    assert cycle.state == AssessmentCycle.State.PLANNED

    client.post(url, {"early": "yes"})
    cycle.refresh_from_db()
    assert cycle.state == AssessmentCycle.State.OPEN
    [entry, *_] = cycle_history(cycle)
    assert entry.text == "opened the cycle" and entry.who == admin_user.display_name
    assert entry.reason.startswith("Opened early on")


def test_closing_early_needs_the_confirmation_and_is_recorded(client_for, org, admin_user):
    cycle = CycleFactory(organization=org, closes_on=timezone.localdate() + timedelta(days=20))
    client = client_for(admin_user)
    url = reverse("assessments:cycle-close", args=[cycle.pk])

    # A POST that skipped the confirmation is sent back to it, and nothing closes.
    refused = client.post(url, follow=True)
    assert refused.redirect_chain == [(url, 302)]
    assert "is set to close on a later date: confirm it first" in refused.content.decode()
    cycle.refresh_from_db()
    assert cycle.state == AssessmentCycle.State.OPEN
    assert [e.text for e in cycle_history(cycle)] == ["created the cycle"]

    client.post(url, {"early": "yes"})
    cycle.refresh_from_db()
    assert cycle.state == AssessmentCycle.State.CLOSED
    [entry, *_] = cycle_history(cycle)
    assert entry.text == "closed the cycle" and entry.who == admin_user.display_name
    assert entry.reason == (
        f"Closed early on {timezone.localdate():%-d %b %Y}, before its closing date "
        f"{cycle.closes_on:%-d %b %Y}"
    )


def test_closing_on_time_asks_without_an_early_warning(client_for, org, admin_user):
    cycle = CycleFactory(
        organization=org,
        opens_on=timezone.localdate() - timedelta(days=60),
        due_on=timezone.localdate() - timedelta(days=30),
        closes_on=timezone.localdate() - timedelta(days=1),
    )
    client = client_for(admin_user)
    url = reverse("assessments:cycle-close", args=[cycle.pk])
    assert "This is early" not in client.get(url).content.decode()
    client.post(url)
    cycle.refresh_from_db()
    assert cycle.state == AssessmentCycle.State.CLOSED
    assert cycle_history(cycle)[0].reason == ""


# The rubric version a cycle pins -------------------------------------------------------------


def publish_new_version(family, admin_user):
    draft, _created = rubric_version_new_draft(rubric=family.rubric, actor=admin_user)
    return rubric_version_publish(version=draft, actor=admin_user)


def test_an_assessment_started_later_gets_the_version_the_cycle_opened_with(
    org, team, profile, admin_user
):
    cycle = CycleFactory(organization=org, state="planned")
    services.cycle_open(cycle=cycle, actor=admin_user)
    cycle.refresh_from_db()
    opened_with = Assessment.objects.get(cycle=cycle, coordinator=profile).rubric_version
    newer = publish_new_version(profile.role_family, admin_user)
    late = ProfileFactory(team=team, role_family=profile.role_family)

    started = services.assessment_start(cycle=cycle, profile=late, actor=late.user)

    assert started.rubric_version == opened_with != newer
    assert list(cycle.rubric_versions.all()) == [opened_with]


def test_publishing_says_it_applies_from_the_next_cycle_and_who_stays(
    client_for, org, team, profile, teammate, admin_user
):
    cycle = CycleFactory(organization=org, state="planned")
    services.cycle_open(cycle=cycle, actor=admin_user)
    family = profile.role_family
    draft, _created = rubric_version_new_draft(rubric=family.rubric, actor=admin_user)
    client = client_for(admin_user)

    html = client.get(reverse("rubrics:rubric-draft", args=[draft.pk])).content.decode()
    assert "next cycle opened" in html
    assert "2 assessments under way in the open cycle stay on version 1" in html

    done = client.post(
        reverse("rubrics:rubric-publish", args=[draft.pk]),
        {"lock_version": draft.lock_version},
        follow=True,
    ).content.decode()
    assert "applies from the next cycle opened" in done
    assert "the 2 assessments under way in the open cycle stay on the version" in done


# The state is never part of a cycle's name ---------------------------------------------------


def test_a_name_carrying_a_state_is_refused(client_for, admin_user):
    response = client_for(admin_user).post(CREATE, cycle_data(name="2026–27 Fall (open)"))
    assert "Leave the state out of the name" in " ".join(response.context["form"].errors["name"])
    assert not AssessmentCycle.objects.exists()


def test_the_demo_cycles_are_named_without_their_state():
    specs = cycle_specs(4, date(2026, 11, 29))
    assert specs[-1].is_open
    assert specs[-1].name == "2026–27 Fall"
    assert not any(STATE_IN_NAME.search(spec.name) for spec in specs)


def test_the_reason_typed_for_the_history_is_shown_escaped(client_for, org, admin_user):
    cycle = CycleFactory(organization=org, name="Fall")
    client = client_for(admin_user)
    client.post(
        reverse("assessments:cycle-dates", args=[cycle.pk]),
        {
            "version": cycle.version,
            "due_on": (cycle.due_on + timedelta(days=3)).isoformat(),
            "closes_on": (cycle.closes_on + timedelta(days=3)).isoformat(),
            "reason": "<b>Snow</b> days",
        },
    )
    html = client.get(reverse("assessments:cycle-detail", args=[cycle.pk])).content.decode()
    assert "Recorded reason: &lt;b&gt;Snow&lt;/b&gt; days" in html
    assert "moved the due date from" in html
