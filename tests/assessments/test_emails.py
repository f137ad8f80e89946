"""The workflow's emails: right recipients, a working link, one connection for a batch."""

import pytest
from django.core import mail
from django.urls import reverse

from assessments import emails, services
from assessments.models import AssessmentCycle
from coordinators.models import Team
from tests.assessments.workflow_helpers import all_levels, make_assessment
from tests.factories import CycleFactory, ProfileFactory

pytestmark = pytest.mark.django_db


def link(name, assessment):
    return "http://testserver" + reverse(f"assessments:{name}", args=[assessment.pk])


def test_cycle_opened_tells_each_coordinator_over_one_connection(
    org, team, admin_user, monkeypatch, django_capture_on_commit_callbacks
):
    people = [ProfileFactory(team=team) for _ in range(3)]
    opened = []
    real = emails.get_connection

    def counting_connection(*args, **kwargs):
        opened.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(emails, "get_connection", counting_connection)
    cycle = CycleFactory(organization=org, state=AssessmentCycle.State.PLANNED, name="Fall")
    with django_capture_on_commit_callbacks(execute=True):
        services.cycle_open(cycle=cycle, actor=admin_user)

    assert len(opened) == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.user.email for p in people)
    for profile in people:
        message = next(m for m in mail.outbox if m.to == [profile.user.email])
        assessment = profile.assessments.get(cycle=cycle)
        assert message.subject.startswith("Fall is open")
        assert link("assessment-detail", assessment) in message.body
        assert profile.user.first_name in message.body


def test_submitted_goes_to_the_director_with_the_review_link(profile, director):
    assessment = make_assessment(profile)
    assert emails.assessment_submitted_notify.call(assessment_id=assessment.pk) == 1
    [message] = mail.outbox
    assert message.to == [director.email]
    assert profile.user.display_name in message.subject
    assert link("assessment-review", assessment) in message.body


def test_without_a_director_the_org_admins_hear_of_a_submission(profile, team, admin_user):
    Team.objects.filter(pk=team.pk).update(director=None)
    assessment = make_assessment(profile)
    emails.assessment_submitted_notify.call(assessment_id=assessment.pk)
    assert [m.to for m in mail.outbox] == [[admin_user.email]]


def test_returned_carries_the_note_and_the_link(profile, coordinator, director):
    assessment = make_assessment(profile, ratings=2)
    assessment = services.assessment_submit(
        assessment=assessment, actor=coordinator, expected_version=assessment.version
    )
    services.assessment_return(
        assessment=assessment,
        actor=director,
        expected_version=assessment.version,
        note="Tell me more about the site council & families.",
    )
    emails.assessment_returned_notify.call(assessment_id=assessment.pk)
    [message] = mail.outbox
    assert message.to == [coordinator.email]
    assert "Tell me more about the site council & families." in message.body  # not escaped
    assert link("assessment-detail", assessment) in message.body


def test_finalized_names_who_finalized(profile, coordinator, director):
    assessment = make_assessment(profile, ratings=2)
    assessment = services.assessment_submit(
        assessment=assessment, actor=coordinator, expected_version=assessment.version
    )
    assessment = services.assessment_save_review(
        assessment=assessment,
        actor=director,
        expected_version=assessment.version,
        ratings=all_levels(assessment),
        coaching_notes="",
        next_steps="",
    )
    services.assessment_finalize(
        assessment=assessment, actor=director, expected_version=assessment.version
    )
    emails.assessment_finalized_notify.call(assessment_id=assessment.pk)
    [message] = mail.outbox
    assert message.to == [coordinator.email]
    assert director.display_name in message.body
    assert link("assessment-detail", assessment) in message.body


def test_no_email_when_the_move_is_refused(
    profile, coordinator, django_capture_on_commit_callbacks
):
    assessment = make_assessment(profile)  # no levels: submit is refused
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(services.WorkflowError):
        services.assessment_submit(
            assessment=assessment, actor=coordinator, expected_version=assessment.version
        )
    assert mail.outbox == []
