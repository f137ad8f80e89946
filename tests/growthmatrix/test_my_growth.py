"""A coordinator's own growth page (the page coordinators come back to most): what it shows
of their profile, history, goals and supports, read with the profile in one round trip on
PostgreSQL whatever the number of goals, supports or past cycles."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from growth.services import goal_create, support_create
from tests.factories import AssessmentFactory, CycleFactory, SchoolFactory

pytestmark = pytest.mark.django_db


def add_goal(profile, director, today, n):
    support = support_create(
        profile=profile, actor=director, kind="pd", title=f"Course {n}", hours=3
    )
    goal_create(
        profile=profile,
        actor=director,
        category_key=["site", "coordinator", "development"][n % 3],
        target_level=2,
        target_date=today + timedelta(days=30 + n),
        supports=[support],
    )


def my_growth(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("pages:my-growth"))
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_the_page_shows_the_sites_goals_with_their_supports_and_past_cycles(
    client_for, profile, director, today
):
    profile.schools.add(SchoolFactory(organization=profile.organization, name="Lincoln Elementary"))
    add_goal(profile, director, today, 1)
    past = CycleFactory(
        organization=profile.organization, name="Spring 2024", opens_on=today - timedelta(400)
    )
    AssessmentFactory(coordinator=profile, cycle=past, state="finalized")

    html, _ = my_growth(client_for(profile.user))

    assert "Lincoln Elementary" in html
    assert "Course 1" in html  # the goal's support, under the goal and among the supports
    assert "Spring 2024" in html


def test_the_reads_are_the_same_few_whatever_the_goals_supports_and_cycles(
    client_for, profile, director, today
):
    def finalized(n):
        cycle = CycleFactory(
            organization=profile.organization, opens_on=today - timedelta(days=200 * (n + 1))
        )
        AssessmentFactory(coordinator=profile, cycle=cycle, state="finalized")

    client = client_for(profile.user)
    add_goal(profile, director, today, 0)
    finalized(0)
    my_growth(client)  # the first reads the rubric's words into the cache
    _, few = my_growth(client)
    for n in range(1, 8):
        add_goal(profile, director, today, n)
    for n in range(1, 4):
        finalized(n)
    my_growth(client)
    _, many = my_growth(client)
    assert many == few
    if connection.vendor == "postgresql":
        # The session (here in the database; in the shared cache in production) and the
        # user; the profile, its sites, history and growth panel together; the support
        # catalogue's suggestions.
        assert many <= 4
