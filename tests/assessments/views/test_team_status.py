"""My team: each coordinator's state in the open cycle, newest submissions first, and how many
wait for this director's review."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment
from tests.assessments.workflow_helpers import make_assessment
from tests.factories import CycleFactory, ProfileFactory

pytestmark = pytest.mark.django_db


def names_in_order(html, names):
    return sorted(names, key=html.index)


def test_states_newest_submissions_first_and_the_awaiting_count(client_for, org, team, director):
    cycle = CycleFactory(organization=org, name="Fall")
    now = timezone.now()
    people = {}
    for name, state, days_ago in [
        ("Ada", Assessment.State.SUBMITTED, 3),
        ("Ben", Assessment.State.SUBMITTED, 1),
        ("Cleo", Assessment.State.DRAFT, None),
        ("Dev", Assessment.State.RETURNED, 5),
        ("Eve", Assessment.State.FINALIZED, 9),
        ("Fay", None, None),
    ]:
        profile = ProfileFactory(team=team, user__first_name=name, user__last_name="Tester")
        people[name] = profile
        if state:
            make_assessment(
                profile,
                cycle=cycle,
                ratings=2,
                state=state,
                submitted_at=now - timedelta(days=days_ago) if days_ago else None,
            )
    old_cycle = CycleFactory(organization=org, name="Last spring", state="closed")
    make_assessment(people["Fay"], cycle=old_cycle, ratings=2, state="submitted", submitted_at=now)

    response = client_for(director).get(reverse("pages:my-team"))

    html = response.content.decode()
    assert "Awaiting my review: 3" in html
    table = html[html.index("<table") :]
    assert names_in_order(table, [f"{n} Tester" for n in people]) == [
        "Ben Tester",
        "Ada Tester",
        "Dev Tester",
        "Eve Tester",
        "Cleo Tester",
        "Fay Tester",
    ]
    for label in ("Submitted", "Draft", "Returned", "Finalized", "Not started"):
        assert f">{label}</span>" in html
    assert "Last spring" in html  # the earlier cycle's submission is listed with a link
    ada = Assessment.objects.get(coordinator=people["Ada"], cycle=cycle)
    assert reverse("assessments:assessment-review", args=[ada.pk]) in html


def test_my_team_query_count_does_not_grow_with_the_team(client_for, org, team, director):
    cycle = CycleFactory(organization=org)
    client = client_for(director)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("pages:my-team")).status_code == 200
        return len(queries)

    make_assessment(ProfileFactory(team=team), cycle=cycle, ratings=2, state="submitted")
    before = count()
    for _ in range(6):
        make_assessment(
            ProfileFactory(team=team),
            cycle=cycle,
            ratings=2,
            state="submitted",
            submitted_at=timezone.now(),
        )
    assert count() == before
    if connection.vendor == "postgresql":
        # The session (in the database under tests) and the user; the open cycle; the team,
        # its school sites, the submissions awaiting review and the settings together; the
        # reviews not acknowledged in time.
        assert before <= 5


def test_other_teams_are_not_listed(client_for, org, team, other_team, director):
    cycle = CycleFactory(organization=org)
    stranger = ProfileFactory(team=other_team, user__first_name="Zed", user__last_name="Other")
    make_assessment(stranger, cycle=cycle, ratings=2, state="submitted")
    html = client_for(director).get(reverse("pages:my-team")).content.decode()
    assert "Zed Other" not in html
    assert "Awaiting my review: 0" in html
