"""assessments_advance writes what the workflow's moves write one at a time: same rows,
history, events and emails (assessments/services.py, "Many assessments at once")."""

from collections import defaultdict
from datetime import timedelta

import pytest
from django.apps import apps
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from assessments import services
from assessments.events import AssessmentChanged
from assessments.models import Assessment, AssessmentCycle, CategoryScore, Rating
from assessments.services import (
    AssessmentRoute,
    IncompleteAssessmentError,
    RatingInput,
    WorkflowError,
    assessments_advance,
    category_scores_refresh_many,
)
from coordinators import events
from tests.assessments.workflow_helpers import indicators_of
from tests.factories import CycleFactory, ProfileFactory, SchoolFactory, TeamFactory

pytestmark = pytest.mark.django_db
# simple_history's copy of an assessment's school sites at each of its history rows
SITES_HISTORY = apps.get_model("assessments", "HistoricalAssessment_schools")
STATES = ["draft", "draft", "submitted", "returned", "finalized", "finalized", "finalized"]


@pytest.fixture
def people(org, team):
    """Coordinators of two teams, one of them at two school sites."""
    other_team = TeamFactory(organization=org)
    two_sites = [SchoolFactory(organization=org), SchoolFactory(organization=org)]
    return [
        ProfileFactory(
            team=team if i % 2 else other_team,
            user__email=f"c{i}@example.org",
            **({"schools": two_sites} if i == 4 else {}),
        )
        for i in range(len(STATES))
    ]


def opened(org, admin, name):
    cycle = CycleFactory(organization=org, name=name, state=AssessmentCycle.State.PLANNED)
    services.cycle_open(cycle=cycle, actor=admin)
    return cycle


def routes_of(cycle, admin_user):
    """One route per coordinator: saved or untouched drafts, a submission, a return, and
    finalized reviews by the director or by an org admin."""
    routes = []
    for i, assessment in enumerate(
        Assessment.objects.filter(cycle=cycle)
        .select_related("coordinator__user", "coordinator__team__director")
        .order_by("coordinator__user__email")
    ):
        indicators = indicators_of(assessment)
        own = {
            ind.pk: RatingInput(1 + (n + i) % 3, f" evidence {n % 2} ")
            for n, ind in enumerate(indicators)
        }
        if i == 0:
            own[indicators[0].pk] = RatingInput(None, "")  # unchanged: not written
        routes.append(
            AssessmentRoute(
                assessment=assessment,
                state=STATES[i],
                self_ratings={} if i == 1 else own,
                reviewer=admin_user if i == 6 else assessment.coordinator.team.director,
                review_ratings={ind.pk: RatingInput(2, "Agreed.") for ind in indicators},
                return_note=" Add site evidence. ",
                coaching_notes="Talked it through.",
                next_steps=" Monthly check-ins.",
            )
        )
    return routes


def one_by_one(route):
    assessment, coordinator = route.assessment, route.assessment.coordinator.user
    if route.self_ratings:
        assessment = services.assessment_save_self(
            assessment=assessment,
            actor=coordinator,
            expected_version=assessment.version,
            ratings=route.self_ratings,
        )
    if route.state == "draft":
        return
    assessment = services.assessment_submit(
        assessment=assessment, actor=coordinator, expected_version=assessment.version
    )
    if route.state == "returned":
        services.assessment_return(
            assessment=assessment,
            actor=route.reviewer,
            expected_version=assessment.version,
            note=route.return_note,
        )
    elif route.state == "finalized":
        assessment = services.assessment_save_review(
            assessment=assessment,
            actor=route.reviewer,
            expected_version=assessment.version,
            ratings=route.review_ratings,
            coaching_notes=route.coaching_notes,
            next_steps=route.next_steps,
        )
        services.assessment_finalize(
            assessment=assessment, actor=route.reviewer, expected_version=assessment.version
        )


def rows_of(cycle):
    """Every row the workflow wrote for ``cycle``, by coordinator, without ids or times."""
    email = {a.pk: a.coordinator.user.email for a in Assessment.objects.filter(cycle=cycle)}
    times = ("submitted_at", "review_started_at", "returned_at", "finalized_at")
    assessments = {
        email[a["id"]]: {
            **{
                k: v
                for k, v in a.items()
                if k not in ("id", "cycle_id", "created_at", "updated_at", *times)
            },
            **{k: a[k] is not None for k in times},
        }
        for a in Assessment.objects.filter(cycle=cycle).values()
    }
    history = defaultdict(list)
    for row in Assessment.history.filter(cycle=cycle).order_by("history_id"):
        sites = sorted(
            SITES_HISTORY.objects.filter(history=row).values_list("school_id", flat=True)
        )
        history[email[row.id]].append(
            (
                row.history_type,
                row.history_user_id,
                row.state,
                row.version,
                row.return_note,
                row.coaching_notes,
                row.next_steps,
                row.finalized_by_id,
                row.history_change_reason,
                *(getattr(row, k) is not None for k in times),
                sites,
            )
        )
    rating_fields = ("self_level", "self_evidence", "supervisor_level", "supervisor_note")
    ratings = sorted(
        (email[r["assessment_id"]], r["indicator_id"], *(r[f] for f in rating_fields))
        for r in Rating.objects.filter(assessment__cycle=cycle).values()
    )
    rating_history = defaultdict(list)
    for r in Rating.history.filter(assessment__cycle=cycle).order_by("history_id"):
        rating_history[email[r.assessment_id], r.indicator_id].append(
            (
                r.history_type,
                r.history_user_id,
                r.history_change_reason,
                *(getattr(r, f) for f in rating_fields),
            )
        )
    scores = sorted(
        (email[s.assessment_id], s.category_key, s.self_level, s.supervisor_level)
        for s in CategoryScore.objects.filter(assessment__cycle=cycle)
    )
    return assessments, dict(history), ratings, dict(rating_history), scores


def mails_of(cycle):
    return sorted((m.subject.replace(cycle.name, "the cycle"), tuple(m.to)) for m in mail.outbox)


@pytest.fixture
def heard():
    """The workflow's events, as (event, coordinator, by_reviewer)."""
    got = []

    def hear(event):
        got.append(
            (type(event).__name__, event.coordinator_id, getattr(event, "by_reviewer", None))
        )

    events.subscribe(AssessmentChanged, hear)
    yield got
    events.unsubscribe(AssessmentChanged, hear)


def test_the_bulk_path_writes_what_the_moves_write_one_by_one(
    org, people, admin_user, heard, django_capture_on_commit_callbacks
):
    first = opened(org, admin_user, "One by one")
    with django_capture_on_commit_callbacks(execute=True):
        for route in routes_of(first, admin_user):
            one_by_one(route)
    one_mails = mails_of(first)
    one_heard, heard[:] = list(heard), []
    services.cycle_close(cycle=first, actor=admin_user)
    mail.outbox.clear()

    second = opened(org, admin_user, "In bulk")
    with django_capture_on_commit_callbacks(execute=True):
        assessments_advance(routes=routes_of(second, admin_user))

    for bulk, single in zip(rows_of(second), rows_of(first), strict=True):
        assert bulk == single
    assert mails_of(second) == one_mails
    assert heard == one_heard
    assert {a.state for a in Assessment.objects.filter(cycle=second)} == set(STATES)


def test_the_bulk_path_takes_fewer_queries_than_assessments(
    org, team, admin_user, django_assert_max_num_queries
):
    for i in range(12):
        ProfileFactory(team=team, user__email=f"c{i}@example.org")
    cycle = opened(org, admin_user, "Fall")
    director = team.director
    routes = [
        AssessmentRoute(
            assessment=a,
            state="finalized",
            self_ratings={ind.pk: RatingInput(2, "") for ind in indicators_of(a)},
            reviewer=director,
            review_ratings={ind.pk: RatingInput(3, "") for ind in indicators_of(a)},
        )
        for a in Assessment.objects.filter(cycle=cycle).select_related("coordinator__user")
    ]
    # A query per distinct value written and per batch of history rows (one by one: ~50 each),
    # and a fixed number for the dashboards' read model, its trend and overview counts and
    # version (what the flags read: cadences and check-ins, agreements, the principals'
    # answers; the supports and mentoring each step had, for the impact report), whatever the
    # batch's size.
    with django_assert_max_num_queries(len(routes) * 2 + 34):
        assessments_advance(routes=routes)
    assert set(Assessment.objects.filter(cycle=cycle).values_list("state", flat=True)) == {
        "finalized"
    }


def routes_to_finalize(cycle, reviewer, level=2):
    return [
        AssessmentRoute(
            assessment=a,
            state="finalized",
            self_ratings={ind.pk: RatingInput(2, "") for ind in indicators_of(a)},
            reviewer=reviewer,
            review_ratings={ind.pk: RatingInput(level, "") for ind in indicators_of(a)},
        )
        for a in Assessment.objects.filter(cycle=cycle).select_related("coordinator__user")
    ]


def nothing_written(cycle):
    assert set(Assessment.objects.filter(cycle=cycle).values_list("state", "version")) == {
        ("draft", 1)
    }
    assert not Rating.objects.filter(assessment__cycle=cycle, self_level__isnull=False).exists()
    assert not Rating.history.filter(assessment__cycle=cycle).exists()


def test_the_bulk_path_refuses_what_the_moves_refuse_and_writes_nothing(
    org, people, admin_user, other_org
):
    cycle = opened(org, admin_user, "Fall")
    with pytest.raises(IncompleteAssessmentError, match="supervisor level for every indicator"):
        assessments_advance(routes=routes_to_finalize(cycle, admin_user, level=None))
    nothing_written(cycle)

    outsider = ProfileFactory(organization=other_org, team=TeamFactory(organization=other_org))
    with pytest.raises(PermissionDenied):
        assessments_advance(routes=routes_to_finalize(cycle, outsider.team.director))
    nothing_written(cycle)

    yesterday = timezone.localdate() - timedelta(days=1)
    AssessmentCycle.objects.filter(pk=cycle.pk).update(due_on=yesterday, closes_on=yesterday)
    with pytest.raises(WorkflowError, match="closed"):
        assessments_advance(routes=routes_to_finalize(cycle, admin_user))
    nothing_written(cycle)


def test_scores_of_many_assessments_are_those_of_each(org, people, admin_user):
    cycle = opened(org, admin_user, "Fall")
    assessments = list(Assessment.objects.filter(cycle=cycle))
    for n, rating in enumerate(Rating.objects.filter(assessment__cycle=cycle)):
        Rating.objects.filter(pk=rating.pk).update(
            self_level=1 + n % 3, supervisor_level=None if n % 4 else 2
        )
    for assessment in assessments:
        services.category_scores_refresh(assessment=assessment)
    one_by_one = sorted(
        CategoryScore.objects.values_list(
            "assessment", "category_key", "self_level", "supervisor_level"
        )
    )
    CategoryScore.objects.update(self_level=None, supervisor_level=None)

    category_scores_refresh_many(assessment_ids=[a.pk for a in assessments])

    assert (
        sorted(
            CategoryScore.objects.values_list(
                "assessment", "category_key", "self_level", "supervisor_level"
            )
        )
        == one_by_one
    )
