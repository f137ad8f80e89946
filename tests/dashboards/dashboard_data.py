"""Assessments with chosen category levels, for the dashboard, overview and export tests."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assessments.models import Assessment, Rating
from assessments.services import category_scores_refresh
from rubrics.models import CategoryKey
from tests.factories import AssessmentFactory, CycleFactory, ProfileFactory, SchoolFactory

KEYS = CategoryKey.values


def assess(profile, cycle, levels=(2, 2, 2, 2), *, state="finalized", self_levels=None):
    """An assessment whose ratings give these category levels (supervisor's once finalized,
    self levels otherwise), with its CategoryScore rows refreshed."""
    now = timezone.now()
    finalized = state == Assessment.State.FINALIZED
    assessment = AssessmentFactory(
        coordinator=profile,
        cycle=cycle,
        state=state,
        submitted_at=now - timedelta(days=3) if state in ("submitted", "finalized") else None,
        finalized_at=now if finalized else None,
    )
    self_levels = self_levels or levels
    for key, level, own in zip(KEYS, levels, self_levels, strict=True):
        Rating.objects.filter(assessment=assessment, indicator__category__key=key).update(
            self_level=own if state != "draft" else None,
            supervisor_level=level if finalized else None,
        )
    category_scores_refresh(assessment=assessment)
    return assessment


def past_cycles(org, count=2, *, prefix="Past"):
    """Closed cycles a year apart, oldest first."""
    today = timezone.localdate()
    cycles = []
    for years in range(count, 0, -1):
        opens = today - timedelta(days=365 * years)
        cycles.append(
            CycleFactory(
                organization=org,
                name=f"{prefix} {years}",
                opens_on=opens,
                due_on=opens + timedelta(days=30),
                closes_on=opens + timedelta(days=60),
                state="closed",
            )
        )
    return cycles


def open_cycle(org, *, due_in_days=20):
    today = timezone.localdate()
    return CycleFactory(
        organization=org,
        name="This year",
        opens_on=today - timedelta(days=10),
        due_on=today + timedelta(days=due_in_days),
        closes_on=today + timedelta(days=max(due_in_days, 0) + 60),
        state="open",
    )


def build_team(team, count, cycles, current):
    """``count`` coordinators on ``team``, each with finalized past cycles and one assessment
    of ``current`` in a state that varies, so every page has every kind of row."""
    school = SchoolFactory(organization=team.organization)
    profiles = []
    states = ["finalized", "submitted", "draft", "returned", None]
    for i in range(count):
        profile = ProfileFactory(team=team, schools=[school])
        for cycle in cycles:
            assess(profile, cycle, (2 + i % 2, 1, 2, 1 + i % 3))
        state = states[i % len(states)]
        if state:
            assess(profile, current, (3, 1 + i % 3, 2, 2), state=state)
        profiles.append(profile)
    return profiles


def get_counting_queries(client, url):
    """GET ``url``; returns the response and how many queries it took."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response, len(queries)
