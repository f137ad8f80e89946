"""The directors' weekly digest of coordinators past their team's check-in cadence, and the
"no check-in" flag on the dashboard, at their boundaries."""

from datetime import date, timedelta
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command

from dashboards import flags, read_model
from dashboards.digest import check_in_digests_enqueue, digest_lines, week_of
from dashboards.models import CheckInDigestLog, CoordinatorCycleRow
from growth.check_in_services import cadence_set, check_in_create
from growth.models import CheckInCadence
from tests.dashboards.dashboard_data import open_cycle
from tests.factories import ProfileFactory


@pytest.fixture
def late(today, team, profile, director):
    """The team checks in every 30 days; the coordinator's last check-in was 31 days ago."""
    cadence_set(team=team, every_days=30)
    CheckInCadence.objects.filter(team=team).update(since=today - timedelta(days=200))
    check_in_create(profile=profile, actor=director, held_on=today - timedelta(days=31))
    return profile


def test_week_of_is_the_monday():
    assert week_of(date(2026, 11, 30)) == date(2026, 11, 30)  # a Monday
    assert week_of(date(2026, 12, 6)) == date(2026, 11, 30)  # the Sunday after
    assert week_of(date(2026, 12, 7)) == date(2026, 12, 7)


def test_the_day_of_the_cadence_is_on_time_the_day_after_is_late(today, late, director):
    on_time = today - timedelta(days=1)  # the last check-in was 30 days before that
    assert digest_lines(director_id=director.pk, today=on_time) == []
    (line,) = digest_lines(director_id=director.pk, today=today)
    assert line.name == late.user.display_name
    assert line.explanation.startswith("No check-in for 31 days")


def test_run_twice_in_a_week_one_digest_a_new_week_another(
    today, late, director, mailoutbox, django_capture_on_commit_callbacks
):
    monday = week_of(today) + timedelta(days=7)
    with django_capture_on_commit_callbacks(execute=True):
        assert check_in_digests_enqueue(today=monday) == 1
        assert check_in_digests_enqueue(today=monday + timedelta(days=6)) == 0  # Sunday
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [director.email]
    assert late.user.display_name in mailoutbox[0].body
    assert mailoutbox[0].subject == "1 coordinator without a recent check-in"
    with django_capture_on_commit_callbacks(execute=True):
        assert check_in_digests_enqueue(today=monday + timedelta(days=7)) == 1  # next Monday
    assert len(mailoutbox) == 2
    assert CheckInDigestLog.objects.filter(director=director).count() == 2


def test_nobody_late_no_digest(today, team, profile, director, mailoutbox):
    cadence_set(team=team, every_days=30)
    check_in_create(profile=profile, actor=director, held_on=today)
    assert check_in_digests_enqueue(today=today) == 0
    assert not CheckInDigestLog.objects.exists()


def test_the_command_queues_through_the_task_queue(
    today, late, director, django_capture_on_commit_callbacks
):
    out = StringIO()
    with (
        mock.patch("dashboards.digest.check_in_digest_send") as task,
        django_capture_on_commit_callbacks(execute=True),
    ):
        call_command("send_check_in_digest", stdout=out)
        call_command("send_check_in_digest", stdout=out)
    task.enqueue.assert_called_once_with(director_id=director.pk, today=today.isoformat())
    assert "Queued 1 check-in digest." in out.getvalue()
    assert "Queued 0 check-in digests." in out.getvalue()
    assert CheckInDigestLog.objects.count() == 1


def test_the_read_model_stores_the_day_the_flag_starts(today, org, team, late, director):
    cycle = open_cycle(org)
    read_model.rebuild(organization_id=org.pk)
    row = CoordinatorCycleRow.objects.get(coordinator=late, cycle=cycle)
    assert row.no_check_in_from == today
    # A check-in today moves the start 31 days on, through the event handler.
    check_in_create(profile=late, actor=director, held_on=today)
    row = CoordinatorCycleRow.objects.get(coordinator=late, cycle=cycle)
    assert row.no_check_in_from == today + timedelta(days=31)
    cadence_set(team=team, every_days=None)
    assert CoordinatorCycleRow.objects.get(coordinator=late, cycle=cycle).no_check_in_from is None


def test_the_dashboard_shows_and_filters_the_flag(today, client_for, org, team, late, director):
    open_cycle(org)
    on_time = ProfileFactory(team=team)
    check_in_create(profile=on_time, actor=director, held_on=today)
    read_model.rebuild(organization_id=org.pk)
    from django.urls import reverse

    page = client_for(director).get(
        reverse("dashboards:team-dashboard"), {"flag": flags.NO_CHECK_IN}
    )
    body = page.content.decode()
    assert late.user.display_name in body
    assert on_time.user.display_name not in body
    assert "No check-in for 31 days" in body
