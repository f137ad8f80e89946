"""The reads whose SQL is built once per connection (coordinators/prepared.py) return what the
querysets they were built from return, read the rows anew every time, and refuse a value that
would be written into the SQL instead of passed as a parameter."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user
from django.db.models import Count, Model
from django.http import Http404
from django.utils import timezone

from assessments.access import ASSESSMENT_RELATIONS, assessments_visible_to, get_assessment_for_user
from assessments.models import AssessmentCycle
from coordinators.access import request_user, user_roles, users_with_roles
from coordinators.models import Membership, Role, User
from coordinators.prepared import Prepared
from growthmatrix.backends import ModelBackend
from tests.factories import (
    AssessmentFactory,
    CycleFactory,
    ProfileFactory,
    UserFactory,
    request_by,
)

pytestmark = pytest.mark.django_db


def same_row(got: Model, expected: Model, relations: tuple[str, ...] = ()) -> None:
    """Every field and annotation the ORM's object has, and each related object read with
    it, equal and of the same type (dates converted on SQLite as on PostgreSQL)."""
    fields = {k: v for k, v in expected.__dict__.items() if k != "_state"}
    assert {k: v for k, v in got.__dict__.items() if k != "_state"} == fields
    assert {k: type(v) for k, v in got.__dict__.items() if k != "_state"} == {
        k: type(v) for k, v in fields.items()
    }
    assert got._state.adding is False and got._state.db == "default"
    for path in relations:
        mine, theirs = got, expected
        for name in path.split("__"):
            mine, theirs = getattr(mine, name), getattr(theirs, name)
        same_row(mine, theirs)


@pytest.mark.parametrize("roles", [["coordinator"], ["director", "coordinator"], ["admin"], []])
def test_the_request_user_is_the_querysets_user(roles, django_assert_num_queries):
    user = UserFactory(roles=roles)
    expected = users_with_roles(User.objects.select_related("organization")).get(pk=user.pk)
    with django_assert_num_queries(1):
        got = ModelBackend().get_user(user.pk)
        same_row(got, expected, ("organization",))
        assert user_roles(got) == frozenset(roles)
        assert got.organization.name == user.organization.name


def test_a_change_to_the_user_shows_at_their_next_request(client):
    user = UserFactory(roles=["coordinator", "director"])
    client.force_login(user)
    request = client.get("/").wsgi_request
    assert user_roles(get_user(request)) == {"coordinator", "director"}

    Membership.objects.filter(user=user, role=Role.DIRECTOR).delete()
    User.objects.filter(pk=user.pk).update(first_name="Renamed")
    again = get_user(client.get("/").wsgi_request)
    assert user_roles(again) == {"coordinator"} and again.first_name == "Renamed"

    User.objects.filter(pk=user.pk).update(is_active=False)
    assert ModelBackend().get_user(user.pk) is None
    assert not get_user(client.get("/").wsgi_request).is_authenticated


def test_no_such_user_or_a_malformed_id_is_nobody():
    assert ModelBackend().get_user(2**40) is None
    assert ModelBackend().get_user("not a number") is None
    assert request_user.first(pk=2**40) is None
    # An id no column can hold, as a URL or a tampered session may carry: no row, no error.
    assert request_user.first(pk=10**25) is None and request_user.all(pk=-(10**25)) == []


def test_the_assessment_lookup_reaches_what_the_scoped_queryset_reaches(
    django_assert_num_queries,
):
    mine = AssessmentFactory()
    colleague = AssessmentFactory(coordinator=ProfileFactory(team=mine.coordinator.team))
    other_team = AssessmentFactory(
        coordinator=ProfileFactory(organization=mine.coordinator.organization), cycle=mine.cycle
    )
    elsewhere = AssessmentFactory()
    organization = mine.coordinator.organization
    people = {
        "coordinator": mine.coordinator.user,
        "director": mine.coordinator.team.director,
        "admin": UserFactory(organization=organization, roles=["admin"]),
        "no role": UserFactory(organization=organization),
    }
    reached = {}
    for who, person in people.items():
        user = ModelBackend().get_user(person.pk)
        for assessment in (mine, colleague, other_team, elsewhere):
            expected = (
                assessments_visible_to(user)
                .select_related(*ASSESSMENT_RELATIONS)
                .filter(pk=assessment.pk)
                .first()
            )
            try:
                with django_assert_num_queries(1 if user_roles(user) else 0):
                    got = get_assessment_for_user(request_by(user), assessment.pk)
            except Http404:
                got = None
            assert (got is None) == (expected is None), (who, assessment)
            if expected is not None:
                same_row(got, expected, ASSESSMENT_RELATIONS)
                reached.setdefault(who, []).append(assessment)
    assert reached == {
        "coordinator": [mine],
        "director": [mine, colleague],
        "admin": [mine, colleague, other_team],
    }
    with pytest.raises(Http404):
        get_assessment_for_user(request_by(people["admin"]), "12abc")


def test_a_value_written_into_the_sql_is_refused():
    inlined = Prepared(lambda _shape, pk: User.objects.extra(where=[f"id = {pk}"]), "pk")
    with pytest.raises(ValueError, match="must reach the SQL as parameters"):
        inlined.first(pk=1)


def test_the_first_row_in_the_order_the_build_asks_for():
    """My growth's open cycle: the latest of two open ones, as ``.first()`` gave."""
    earlier = CycleFactory()
    later = CycleFactory(
        organization=earlier.organization, opens_on=earlier.opens_on + timedelta(days=1)
    )
    CycleFactory(organization=earlier.organization, state="closed")
    latest_open = Prepared(
        lambda _shape, organization: AssessmentCycle.objects.filter(
            organization_id=organization, state="open"
        ).order_by("-opens_on"),
        "organization",
    )
    assert latest_open.first(organization=earlier.organization_id) == later
    later.delete()
    assert latest_open.first(organization=earlier.organization_id) == earlier
    earlier.delete()
    assert latest_open.first(organization=earlier.organization_id) is None


@pytest.mark.parametrize(
    "finish",
    [
        lambda q: q,
        lambda q: q.values("pk", "name", "opens_on"),
        lambda q: q.values_list("name", "closes_on", "organization__name"),
        lambda q: q.values_list("opens_on", flat=True),
        lambda q: q.annotate(n=Count("assessments")).values_list("pk", "n"),
    ],
    ids=["models", "values", "values_list", "flat", "annotated"],
)
def test_every_row_as_the_queryset_yields_it(finish):
    """``all``: models in the model's own order, dicts, tuples and flat values, with dates
    converted as the ORM converts them."""
    first = CycleFactory(opens_on=timezone.localdate() - timedelta(days=400))
    organization = first.organization
    CycleFactory(organization=organization)
    CycleFactory()  # another organization's
    AssessmentFactory(cycle=first, coordinator=ProfileFactory(organization=organization))

    def cycles(_shape, organization):
        return finish(AssessmentCycle.objects.filter(organization_id=organization))

    expected = list(cycles(None, organization.pk))
    got = Prepared(cycles, "organization").all(organization=organization.pk)
    assert got == expected and len(got) == 2
    assert [type(row) for row in got] == [type(row) for row in expected]
    if isinstance(expected[0], AssessmentCycle):
        for mine, theirs in zip(got, expected, strict=True):
            same_row(mine, theirs)
