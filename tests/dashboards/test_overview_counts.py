"""The overview's counts of a cycle are kept (``dashboards/overview_counts.py``): read for the
days they hold, counted again on the day a flag starts, after a change of the cycle's rows,
and after a change of teams, sites or names that no row shows."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from coordinators import events
from coordinators.models import CoordinatorProfile, Team
from coordinators.services import person_update
from dashboards import flags, overview_counts, read_model
from dashboards.models import CycleOverviewCounts
from tests.dashboards.dashboard_data import assess, open_cycle, past_cycles
from tests.factories import ProfileFactory, SchoolFactory, details_of

pytestmark = [pytest.mark.django_db, pytest.mark.no_read_model_rebuild]
URL = reverse("dashboards:org-overview")


def overdue(counts) -> int:
    return counts.totals.get(flags.OVERDUE, 0)


def test_the_counts_hold_until_the_day_a_flag_starts(org, team):
    """Nobody has started a cycle due in three days: nobody is late yet, and everybody is the
    day after it is due, without any write in between."""
    cycle = open_cycle(org, due_in_days=3)
    for _ in range(2):
        ProfileFactory(team=team)
    read_model.rebuild(organization_id=org.pk)
    today = timezone.localdate()
    kept = CycleOverviewCounts.objects.get(cycle=cycle)
    assert kept.counted_on == today
    late_from = kept.changes_on
    assert late_from is not None and late_from > today
    assert overdue(overview_counts.kept_counts(cycle, late_from - timedelta(days=1))) == 0
    assert CycleOverviewCounts.objects.get(cycle=cycle).counted_on == today  # read as kept
    assert overdue(overview_counts.kept_counts(cycle, late_from)) == 2  # counted again
    kept = CycleOverviewCounts.objects.get(cycle=cycle)
    assert (kept.counted_on, kept.changes_on) == (late_from, None)
    assert overdue(overview_counts.kept_counts(cycle, today)) == 0  # an earlier day: again


def moved(profile, team, director):
    user = profile.user
    person_update(
        person=user,
        actor=director,
        details=details_of(profile, team=team),
        expected_version=user.version,
    )


def test_a_move_to_another_team_shows_on_the_overview_at_once(
    client_for, admin_user, org, team, other_team
):
    (past,) = past_cycles(org, 1)
    open_cycle(org)
    school = SchoolFactory(organization=org, name="Lincoln")
    people = [ProfileFactory(team=team, schools=[school]) for _ in range(3)]
    for person in people:
        assess(person, past, (3, 1, 2, 2))
    read_model.rebuild(organization_id=org.pk)
    client = client_for(admin_user)
    before = client.get(URL).context["overview"]
    teams = {ref.name: sum(counts.values()) for ref, counts in before.completion_by_team}
    assert teams == {team.name: 3}
    profile = CoordinatorProfile.objects.select_related("user").get(pk=people[0].pk)
    moved(profile, other_team, admin_user)
    after = client.get(URL).context["overview"]
    teams = {ref.name: sum(counts.values()) for ref, counts in after.completion_by_team}
    assert teams == {team.name: 2, other_team.name: 1}
    assert after.schools_flagged == before.schools_flagged


def test_a_submitted_assessment_is_forgotten_in_its_write_and_counted_at_the_next_view(org, team):
    current = open_cycle(org)
    person = ProfileFactory(team=team)
    read_model.rebuild(organization_id=org.pk)
    as_of = overview_counts.counted_as_of(current)
    assert overview_counts.kept_counts(current, as_of).completion
    assess(person, current, state="submitted")  # the factory's write publishes no event
    read_model.coordinators_refresh(organization_id=org.pk, coordinator_ids=[person.pk])
    assert not CycleOverviewCounts.objects.filter(cycle=current).exists()
    counts = overview_counts.kept_counts(current, as_of)
    assert list(counts.completion.values()) == [{"submitted": 1}]
    kept = CycleOverviewCounts.objects.get(cycle=current).counts
    assert [states for _pk, _name, states, _flags in kept["teams"]] == [{"submitted": 1}]


def test_a_renamed_team_shows_on_the_overview_at_once(client_for, admin_user, org, team):
    """No row names a team: the team form's announcement forgets the kept counts."""
    (past,) = past_cycles(org, 1)
    open_cycle(org)
    person = ProfileFactory(team=team)
    assess(person, past, (3, 1, 2, 2))
    read_model.rebuild(organization_id=org.pk)
    client = client_for(admin_user)
    assert [ref.name for ref, _counts in client.get(URL).context["overview"].flags_by_team] == [
        team.name
    ]
    with transaction.atomic():  # as the team form saves it
        Team.objects.filter(pk=team.pk).update(name="Renamed <team>")
        events.publish(events.OrganizationStructureChanged(organization_id=org.pk))
    response = client.get(URL)
    assert [ref.name for ref, _counts in response.context["overview"].flags_by_team] == [
        "Renamed <team>"
    ]
    assert '<th scope="row">Renamed &lt;team&gt;</th>' in response.text
