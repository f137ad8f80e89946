"""The reads whose SQL is built once per connection (coordinators/prepared.py) return what the
querysets they were built from return, read the rows anew every time, and refuse a value that
would be written into the SQL instead of passed as a parameter."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user
from django.core.paginator import Paginator
from django.db import connection, transaction
from django.db.models import Count, Model, Value
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assessments.access import ASSESSMENT_RELATIONS, assessments_visible_to, get_assessment_for_user
from assessments.models import Assessment, AssessmentCycle
from coordinators.access import request_user, user_roles, users_with_roles
from coordinators.models import Membership, Role, User
from coordinators.prepared import PagedRows, Prepared, attach, ids_in, read_sql, together
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


ON_POSTGRESQL = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="statements prepared on the server are PostgreSQL's (.ci/run's second pass)",
)


def _open_cycles():
    return Prepared(
        lambda _shape, organization: AssessmentCycle.objects.filter(
            organization_id=organization, state="open"
        ),
        "organization",
    )


def _server_statements() -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, statement FROM pg_prepared_statements")
        return dict(cursor.fetchall())


def _plans() -> dict[str, tuple[str, int, int]]:
    """Per statement prepared in this session: its SQL, and how many runs used the plan made
    for any value and how many a plan of their own."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, statement, generic_plans, custom_plans FROM pg_prepared_statements"
        )
        return {name: (sql, generic, custom) for name, sql, generic, custom in cursor.fetchall()}


@ON_POSTGRESQL
def test_on_postgresql_the_read_is_prepared_once_per_session(django_assert_num_queries):
    """Planned once by the server, for any id, then run with each request's ids; the query
    log still shows the SQL."""
    one, two = CycleFactory(), CycleFactory()
    read = _open_cycles()
    with django_assert_num_queries(1):  # preparing is the session's setup
        assert read.all(organization=one.organization_id) == [one]
    with django_assert_num_queries(1) as second:
        assert read.all(organization=two.organization_id) == [two]
    logged = second.captured_queries[0]["sql"]
    assert logged.startswith("EXECUTE growthmatrix_read_") and '"state" = %s' in logged
    sql, generic, custom = _plans()[logged.split()[1].split("(")[0]]
    assert '"organization_id" = $1::bigint' in sql and '"state" = $2' in sql
    assert (generic, custom) == (2, 0)


@ON_POSTGRESQL
@pytest.mark.django_db(transaction=True)
def test_a_new_session_prepares_again_and_a_rollback_keeps_the_statement():
    cycle = CycleFactory()
    read = _open_cycles()
    assert read.all(organization=cycle.organization_id) == [cycle]
    connection.close()  # the session ends with its statements; the next one has none
    assert not _server_statements()
    with transaction.atomic():
        assert read.all(organization=cycle.organization_id) == [cycle]
        transaction.set_rollback(True)
    assert len(_server_statements()) == 1
    assert read.all(organization=cycle.organization_id) == [cycle]


@ON_POSTGRESQL
def test_sql_the_server_will_not_prepare_runs_as_it_is_and_the_transaction_goes_on():
    """PostgreSQL cannot type a text's ``$2 IS NOT NULL`` without a column to read it from:
    refused once, the read runs as plain SQL, in the same transaction, from then on."""
    user = UserFactory()
    untyped = Prepared(
        lambda _shape, pk: User.objects.filter(pk=pk).extra(
            where=["%s IS NOT NULL"], params=["text"]
        ),
        "pk",
    )
    # The session may have prepared other reads in earlier tests (some with IS NOT NULL).
    before = _server_statements()
    with transaction.atomic(), CaptureQueriesContext(connection) as ran:
        assert untyped.first(pk=user.pk) == user
        assert untyped.first(pk=user.pk) == user
        assert User.objects.filter(pk=user.pk).exists()
    assert [q["sql"].split()[0] for q in ran.captured_queries] == ["SELECT"] * 3
    after = _server_statements()
    assert all("IS NOT NULL" not in after[name] for name in after.keys() - before.keys())


@ON_POSTGRESQL
@pytest.mark.django_db(transaction=True)
def test_prepared_statements_can_be_turned_off(settings):
    settings.DATABASE_PREPARED_STATEMENTS = False
    connection.close()  # a new session, with no statement prepared in it
    cycle = CycleFactory()
    assert _open_cycles().all(organization=cycle.organization_id) == [cycle]
    assert together(_open_cycles().call(organization=cycle.organization_id)) == [[cycle]]
    assert _server_statements() == {}


def test_reads_together_return_what_each_returns_alone(django_assert_num_queries):
    """Models with their related objects and annotations, dates, times, JSON, flat values,
    a first row and an empty read, in one round trip on PostgreSQL."""
    from dashboards.models import CoordinatorCycleRow
    from dashboards.read_model import rebuild

    assessment = AssessmentFactory(state="submitted", submitted_at=timezone.now())
    organization = assessment.coordinator.organization
    CycleFactory(organization=organization, state="closed")
    rebuild(organization_id=organization.pk)
    user = assessment.coordinator.user
    cycles = Prepared(
        lambda _shape, organization: AssessmentCycle.objects.filter(
            organization_id=organization
        ).order_by("-opens_on"),
        "organization",
    )
    rows = Prepared(
        lambda _shape, organization: CoordinatorCycleRow.objects.filter(
            organization_id=organization
        ).values_list("coordinator_id", "status", "flag_words", "role_start_date"),
        "organization",
    )
    submitted = Prepared(
        lambda _shape, pk: Assessment.objects.filter(pk=pk).values_list("submitted_at", flat=True),
        "pk",
    )
    calls = [
        request_user.call(first=True, pk=user.pk),
        cycles.call(organization=organization.pk),
        cycles.call(first=True, organization=organization.pk),
        rows.call(organization=organization.pk),
        submitted.call(pk=assessment.pk),
        cycles.call(organization=2**40),
    ]
    alone = [call.alone("default") for call in calls]
    with django_assert_num_queries(1 if connection.vendor == "postgresql" else len(calls)):
        got = together(*calls)
    same_row(got[0], alone[0], ("organization",))
    assert got[1:] == alone[1:]
    assert [len(got[1]), len(got[3]), got[5]] == [2, 2, []]
    assert got[3][0][2] == alone[3][0][2] and isinstance(got[3][0][2], dict)
    assert got[4][0] == assessment.submitted_at
    assert [type(value) for value in got[3][0]] == [type(value) for value in alone[3][0]]


def test_a_uuid_column_read_together_is_what_the_driver_gives_alone(django_assert_num_queries):
    """An indicator's key (a UUID) comes back as a UUID, in the shared round trip."""
    from rubrics.models import Indicator

    assessment = AssessmentFactory()
    indicators = Prepared(
        lambda _shape, version: Indicator.objects.filter(category__version_id=version).order_by(
            "pk"
        ),
        "version",
    )
    cycles = _open_cycles()
    calls = [
        indicators.call(version=assessment.rubric_version_id),
        cycles.call(organization=assessment.cycle.organization_id),
    ]
    alone = [call.alone("default") for call in calls]
    with django_assert_num_queries(1 if connection.vendor == "postgresql" else len(calls)):
        got = together(*calls)
    assert got[0] and len(got[0]) == len(alone[0])
    for mine, theirs in zip(got[0], alone[0], strict=True):
        same_row(mine, theirs)
    assert got[1] == alone[1]


def test_attached_relations_answer_without_a_query_as_a_prefetch_would(
    django_assert_num_queries,
):
    """``attach`` gives objects read together the relations read with them: a many-to-many
    and a reverse foreign key, empty where the instance has none."""
    first, second = AssessmentFactory(), AssessmentFactory()
    profiles = [first.coordinator, second.coordinator]
    ratings = list(first.ratings.order_by("pk"))
    attach(profiles, "schools", {first.coordinator.pk: ["a school"]})
    attach([first, second], "ratings", {first.pk: ratings})
    with django_assert_num_queries(0):
        assert list(profiles[0].schools.all()) == ["a school"]
        assert list(profiles[1].schools.all()) == []
        assert list(first.ratings.all()) == ratings and ratings
        assert list(second.ratings.all()) == []


@ON_POSTGRESQL
def test_the_same_sql_read_through_a_querysets_iterator_runs_as_it_is():
    """iterator() reads through a cursor of the server's (DECLARE … FOR), which cannot name a
    prepared statement: a page that iterates what a prepared read also reads still works."""
    cycle = CycleFactory()
    _open_cycles().all(organization=cycle.organization_id)
    iterated = AssessmentCycle.objects.filter(organization_id=cycle.organization_id, state="open")
    assert list(iterated.iterator(chunk_size=10)) == [cycle]


def _cycles_newest_first():
    return Prepared(
        lambda _shape, organization: AssessmentCycle.objects.filter(
            organization_id=organization
        ).order_by("-opens_on", "-pk"),
        "organization",
        paged=True,
    )


@pytest.mark.parametrize("number", [None, "1", "2", "3", "9", "0", "-1", "x"])
def test_a_paged_read_gives_the_paginators_pages(number, django_assert_num_queries):
    """Counted and sliced in SQL built once (LIMIT and OFFSET are parameters), a paged read
    gives the pages the paginator gives over its queryset (a number that is not one the
    first, one out of range the last); the count and the page asked for come in one round
    trip on PostgreSQL, and nothing more is read unless the number was out of range."""
    first = CycleFactory()
    for days in range(1, 5):
        CycleFactory(
            organization=first.organization, opens_on=first.opens_on - timedelta(days=365 * days)
        )
    organization = first.organization_id
    expected = Paginator(
        AssessmentCycle.objects.filter(organization_id=organization).order_by("-opens_on", "-pk"),
        2,
    ).get_page(number)
    rows = PagedRows(_cycles_newest_first(), organization=organization)
    calls = rows.ahead(number, 2)
    beyond = number in ("9", "0", "-1")  # past either end: the paginator gives the last page
    together_queries = 1 if connection.vendor == "postgresql" else 2
    with django_assert_num_queries(together_queries + (1 if beyond else 0)):
        rows.took(calls, together(*calls))
        page = Paginator(rows, 2).get_page(number)
        got = list(page.object_list)
    assert got == list(expected.object_list) and got
    assert (page.number, page.paginator.count, page.paginator.num_pages) == (
        expected.number,
        5,
        3,
    )


def test_a_paged_read_alone_counts_then_reads_its_page(django_assert_num_queries):
    cycle = CycleFactory()
    rows = PagedRows(_cycles_newest_first(), organization=cycle.organization_id)
    with django_assert_num_queries(2):
        assert list(Paginator(rows, 10).get_page(1).object_list) == [cycle]
    empty = PagedRows(_cycles_newest_first(), organization=2**40)
    assert list(Paginator(empty, 10).get_page(1).object_list) == []


def test_a_read_of_a_small_column_is_built_with_stand_ins_it_can_hold():
    """A school year is a small column: the ORM answers a value it cannot hold with no SQL at
    all, so such a read is built with small stand-ins and still takes the real values."""
    from schoolsites.models import PrincipalContact
    from tests.factories import SchoolFactory

    school = SchoolFactory()
    contact = PrincipalContact.objects.create(
        school=school, school_year=2026, name="Dana Principal", email="dana@example.org"
    )
    read = Prepared(
        lambda _shape, school, year: PrincipalContact.objects.filter(
            school=school, school_year=year
        ),
        "school",
        "year",
    )
    assert read.first(school=school.pk, year=2026) == contact
    assert read.first(school=school.pk, year=2025) is None
    assert together(read.call(first=True, school=school.pk, year=2026)) == [contact]


def test_a_constant_the_read_returns_keeps_its_type():
    """A constant in the SELECT list (a reach's ``directed`` for someone who directs
    nothing) comes back as the ORM gives it: prepared on PostgreSQL, its parameter is typed,
    not read back as text."""
    cycle = CycleFactory()
    read = Prepared(
        lambda _shape, organization: AssessmentCycle.objects.filter(
            organization_id=organization
        ).annotate(directed=Value(False), weight=Value(3)),
        "organization",
    )
    for _ in range(2):  # the second run is the prepared statement's
        got = read.first(organization=cycle.organization_id)
        assert (got.directed, got.weight) == (False, 3)
        assert type(got.directed) is bool and type(got.weight) is int
    (again,) = together(read.call(first=True, organization=cycle.organization_id))
    assert (again.directed, again.weight) == (False, 3)


def test_hand_written_sql_reads_the_same_rows_with_any_number_of_ids(django_assert_num_queries):
    """``read_sql`` runs a hand-written read (prepared once per session on PostgreSQL, where
    ``ids_in`` keeps the number of ids out of its text); no id matches nothing."""
    cycles = [CycleFactory() for _ in range(3)]
    sql_for = {}

    def names(ids) -> list[str]:
        among, params = ids_in("id", ids)
        sql_for[len(ids)] = among
        with connection.cursor() as cursor:
            read_sql(
                cursor,
                f"SELECT name FROM {AssessmentCycle._meta.db_table} WHERE {among} ORDER BY id",
                params,
            )
            return [name for (name,) in cursor.fetchall()]

    for size in (3, 1, 0, 2):
        chosen = cycles[:size]
        with django_assert_num_queries(1 if size or connection.vendor == "postgresql" else 1):
            assert names([c.pk for c in chosen]) == [c.name for c in chosen]
    if connection.vendor == "postgresql":
        assert len(set(sql_for.values())) == 1
        statements = [s for s in _server_statements().values() if "WHERE id = ANY($1)" in s]
        assert len(statements) == 1
