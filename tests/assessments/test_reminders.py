"""python manage.py send_reminders: who is reminded, and nobody twice on one day."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from assessments.models import Assessment, ReminderLog
from tests.assessments.workflow_helpers import make_assessment
from tests.factories import CycleFactory, ProfileFactory

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


def cycle_due_in(org, days, **kwargs):
    today = timezone.localdate()
    return CycleFactory(
        organization=org,
        opens_on=today - timedelta(days=30),
        due_on=today + timedelta(days=days),
        closes_on=today + timedelta(days=days + 30),
        **kwargs,
    )


def test_coordinators_who_have_not_submitted_are_reminded_before_the_due_date(org, team):
    cycle = cycle_due_in(org, 2)
    draft = ProfileFactory(team=team)
    returned = ProfileFactory(team=team)
    done = ProfileFactory(team=team)
    make_assessment(draft, cycle=cycle)
    make_assessment(returned, cycle=cycle, state=Assessment.State.RETURNED)
    make_assessment(done, cycle=cycle, state=Assessment.State.SUBMITTED)

    output = run("--days", "3")

    assert sorted(m.to[0] for m in mail.outbox) == sorted([draft.user.email, returned.user.email])
    assert (
        "Sent 2 self-assessment reminders, 0 review reminders and 0 principal reminders." in output
    )
    message = next(m for m in mail.outbox if m.to == [draft.user.email])
    assert "due in 2 days" in message.subject
    assert "http://testserver/assessments/" in message.body


def test_not_yet_when_the_due_date_is_further_away(org, profile):
    make_assessment(profile, cycle=cycle_due_in(org, 10))
    run("--days", "3")
    assert mail.outbox == []


def test_not_after_the_due_date_nor_in_a_closed_cycle(org, team):
    make_assessment(ProfileFactory(team=team), cycle=cycle_due_in(org, -1))
    make_assessment(ProfileFactory(team=team), cycle=cycle_due_in(org, 1, state="closed"))
    run("--days", "3")
    assert mail.outbox == []


def test_directors_hear_of_reviews_past_the_window_in_one_email(org, team, director):
    cycle = cycle_due_in(org, 5, review_window_days=7)
    now = timezone.now()
    late = [ProfileFactory(team=team) for _ in range(2)]
    for profile in late:
        make_assessment(profile, cycle=cycle, state="submitted", submitted_at=now - timedelta(8))
    make_assessment(
        ProfileFactory(team=team), cycle=cycle, state="submitted", submitted_at=now - timedelta(2)
    )

    output = run("--days", "0")

    assert [m.to for m in mail.outbox] == [[director.email]]
    assert "2 self-assessments waiting for your review" in mail.outbox[0].subject
    for profile in late:
        assert profile.user.display_name in mail.outbox[0].body
    assert "/review/" in mail.outbox[0].body
    assert "1 review reminder and 0 principal reminders." in output


def test_running_every_hour_sends_each_reminder_once_a_day(org, team, director):
    cycle = cycle_due_in(org, 1, review_window_days=1)
    make_assessment(ProfileFactory(team=team), cycle=cycle)
    make_assessment(
        ProfileFactory(team=team),
        cycle=cycle,
        state="submitted",
        submitted_at=timezone.now() - timedelta(days=3),
    )

    run()
    assert len(mail.outbox) == 2
    run()
    run()
    assert len(mail.outbox) == 2
    assert ReminderLog.objects.count() == 2

    ReminderLog.objects.update(sent_on=timezone.localdate() - timedelta(days=1))
    run()
    assert len(mail.outbox) == 4  # a new day, a new reminder


def test_a_failing_mail_server_logs_nothing_so_the_next_run_retries(org, profile, monkeypatch):
    make_assessment(profile, cycle=cycle_due_in(org, 1))

    def refuse(self, messages):
        raise OSError("mail server down")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    with pytest.raises(OSError):
        run()
    assert not ReminderLog.objects.exists()
    monkeypatch.undo()
    run()
    assert len(mail.outbox) == 1


def test_days_out_of_range_is_refused():
    with pytest.raises(CommandError):
        call_command("send_reminders", "--days", "-1")
