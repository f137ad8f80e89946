"""Reads made on nearly every request or move, with their SQL built once per process.

Building a query through the ORM (resolving its lookups, annotations and joins, then writing
its SQL) took ten times as long as PostgreSQL took to answer the request's user lookup, and
it was the same SQL every time with another id. A ``Prepared`` read builds its queryset once
per process (for every thread and connection) with stand-in values, remembers where they
went among the parameters, and from then on runs that SQL with the caller's values,
returning what the queryset would have returned: model objects (with their
``select_related`` objects and annotations), ``values()`` dicts, ``values_list()`` tuples or
flat values, through the same converters. Only for plain integer values (ids), whose SQL
does not change with the value; a list of ids, whose SQL changes with its length, is not one.

On PostgreSQL the SQL is also prepared on the server (PREPARE, then EXECUTE), once per
session: planning these joins took PostgreSQL two to five times as long as running them,
on the same two cores the application runs on. A prepared statement belongs to its session
(a rollback keeps it), so a new session (a reconnection) prepares again. Behind a pooler that
hands one session's statements to another (PgBouncer in transaction mode), set
DATABASE_PREPARED_STATEMENTS=false.
"""

import json
import logging
import re
from collections import defaultdict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from itertools import count, cycle
from uuid import UUID
from weakref import WeakSet

from django.conf import settings
from django.core.exceptions import EmptyResultSet, FieldError
from django.db import connections
from django.db.models import QuerySet
from django.db.models.query import (
    FlatValuesListIterable,
    ModelIterable,
    ValuesIterable,
    ValuesListIterable,
    get_related_populators,
)

from coordinators.form_helpers import int_or_none

# The ids a column can hold (a 64-bit integer).
ID_RANGE = (-(2**63), 2**63 - 1)
# The last page number a paged read reads ahead (its offset fits any integer column).
MAX_PAGE = 2**31
# Stand-in values, each unlike any id a row has, so each is found once among the parameters.
_STAND_INS = count(-7_340_021_000, -1)
# For a read whose values go into small columns (a school year), where the ORM answers a value
# out of the column's range with no SQL at all: positive, and beyond most such values.
_SMALL_STAND_INS = cycle(range(32_700, 31_700, -1))
# Each compiled read's statement name on the server, unique in the process.
_NAMES = count(1)
# Every read of the process, for ``compile_every`` (weakly: a test's reads come and go).
_EVERY: WeakSet = WeakSet()
# The ORM's placeholders and escaped percent signs, as psycopg2 reads them.
_PLACEHOLDER = re.compile(r"%[s%]")


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple
    positions: dict[str, list[int]]
    compiler: object
    converters: dict
    columns: int  # what a row holds before the columns only the ordering reads
    make: Callable  # a converted row → what the queryset yields for it
    name: str  # its statement's name when prepared on the server
    # Per column, how its JSON value becomes what the driver gives (``together``); None
    # when a column's type is not one it knows.
    decoders: tuple | None
    # Values put after the others, in this order (a slice's LIMIT and OFFSET).
    tail: tuple[str, ...] = ()

    def results(self, rows: list) -> list:
        """The database's rows as the queryset yields them."""
        if rows and len(rows[0]) > self.columns:
            rows = [row[: self.columns] for row in rows]
        if self.converters:
            rows = self.compiler.apply_converters(rows, self.converters)
        return [self.make(row) for row in rows]


def _server_sql(sql: str, params=()) -> str:
    """``sql`` with the numbered parameters of PREPARE instead of psycopg2's placeholders,
    typed where a value is a boolean, a whole number or a day: PREPARE infers a parameter's
    type from where it stands, and one that stands alone (an annotation's constant, such as
    ``False AS directed``) would be text, read back as the string "false"."""
    numbers = count(1)

    def number(match) -> str:
        if match.group() == "%%":
            return "%"
        n = next(numbers)
        value = params[n - 1] if n <= len(params) else None
        return f"${n}" + next((cast for kind, cast in _CASTS if isinstance(value, kind)), "")

    return _PLACEHOLDER.sub(number, sql)


# Python types whose parameters PREPARE is told the type of (bool before int: it is one).
_CASTS = ((bool, "::boolean"), (int, "::bigint"), (datetime, ""), (date, "::date"))


def _prepared_on_server(connection, name: str, sql: str, params) -> bool:
    """Whether ``sql`` runs as a statement prepared in this PostgreSQL connection's session,
    which it prepares the first time. False when turned off, or when the server refused to
    prepare it (it then runs as plain SQL in this session). Preparing is
    the session's setup, as Django's own (its time zone) is: not among the queries logged."""
    if not settings.DATABASE_PREPARED_STATEMENTS:
        return False
    session = connection.connection
    known = connection.__dict__.get("_prepared_statements")
    if known is None or known[0] is not session:
        known = connection.__dict__["_prepared_statements"] = (session, {})
    statements = known[1]
    if name not in statements:
        statements[name] = _prepare(session, name, sql, params, connection.Database.Error)
    return statements[name]


def _prepare(session, name: str, sql: str, params, error: type[Exception]) -> bool:
    """PREPARE ``sql`` as ``name`` in ``session`` (a psycopg2 connection); in a transaction,
    inside a savepoint, so that a refusal does not abort it. Whether the server took it."""
    in_transaction = not session.autocommit
    with session.cursor() as cursor:
        if in_transaction:
            cursor.execute("SAVEPOINT growthmatrix_prepare")
        try:
            cursor.execute(f"PREPARE {name} AS {_server_sql(sql, params)}")
        except error:
            if not in_transaction:
                return False
            cursor.execute("ROLLBACK TO SAVEPOINT growthmatrix_prepare")
            cursor.execute("RELEASE SAVEPOINT growthmatrix_prepare")
            return False
        if in_transaction:
            cursor.execute("RELEASE SAVEPOINT growthmatrix_prepare")
    return True


def _params(compiled: _Compiled, values: dict) -> list | None:
    """The compiled read's parameters with ``values`` in place of the stand-ins; None for an
    id no column can hold."""
    params = list(compiled.params)
    for name, positions in compiled.positions.items():
        value = int(values[name])
        if not ID_RANGE[0] <= value <= ID_RANGE[1]:
            return None
        for position in positions:
            params[position] = value
    return params + [int(values[name]) for name in compiled.tail]


def _execute(cursor, connection, name: str, sql: str, params: list) -> None:
    """Run ``sql``: on PostgreSQL as the statement ``name``, prepared in this session the first
    time (``_as_prepared``, which the query log sees as ``sql``)."""
    if connection.vendor == "postgresql" and settings.DATABASE_PREPARED_STATEMENTS:
        connection.__dict__.setdefault("_statement_names", {})[sql] = name
        if _as_prepared not in connection.execute_wrappers:
            connection.execute_wrappers.insert(0, _as_prepared)
    cursor.execute(sql, params)


# Hand-written reads ----------------------------------------------------------------------

# Each hand-written read's statement name, by its SQL (per process). A read's SQL must not
# change with its values (``ids_in`` keeps a list of ids out of it); past this many, a new
# one runs unprepared, so SQL that does change cannot fill the server's memory.
_SQL_NAMES: dict[str, str] = {}
_MOST_SQL_NAMES = 500


def read_sql(cursor, sql: str, params) -> None:
    """Run a read written in SQL on ``cursor`` (Django's): on PostgreSQL as a statement
    prepared once per session, as a ``Prepared`` read is, since planning a dashboard's joins
    took PostgreSQL longer than running them. Its rows are then fetched from the cursor as
    usual. ``sql`` must be the same text for every value: a list of ids goes in through
    ``ids_in``."""
    connection = cursor.db
    name = _SQL_NAMES.get(sql)
    if name is None and len(_SQL_NAMES) < _MOST_SQL_NAMES:
        name = _SQL_NAMES.setdefault(sql, f"growthmatrix_sql_{next(_NAMES)}")
    if name is None:
        cursor.execute(sql, params)
    else:
        _execute(cursor, connection, name, sql, list(params))


def ids_in(column: str, ids, connection=None) -> tuple[str, list]:
    """The condition that ``column`` is one of ``ids``, and its parameters, in SQL whose text
    does not change with how many there are where the database takes an array (PostgreSQL:
    ``= ANY``), for ``read_sql``; elsewhere an ``IN`` list (never empty: an empty list
    matches nothing)."""
    ids = list(ids)
    if (connection or connections["default"]).vendor == "postgresql":
        return f"{column} = ANY(%s)", [ids]
    if not ids:
        return "1 = 0", []
    return f"{column} IN ({', '.join(['%s'] * len(ids))})", ids


def _as_prepared(execute, sql, params, many, context):
    """Django's query wrapper on a PostgreSQL connection: a read of ``_execute`` runs as its
    prepared statement. While queries are logged (DEBUG, tests), the statement carries its
    SQL as a comment, so that the log says what ran."""
    connection = context["connection"]
    name = connection.__dict__.get("_statement_names", {}).get(sql)
    # The same SQL read by a queryset's iterator() goes through a cursor of the server's
    # (DECLARE … FOR), which cannot name a prepared statement.
    server_cursor = getattr(context["cursor"].cursor, "name", None)
    if (
        name is None
        or many
        or server_cursor
        or not _prepared_on_server(connection, name, sql, params)
    ):
        return execute(sql, params, many, context)
    arguments = ", ".join(["%s"] * len(params))
    statement = f"EXECUTE {name}" + (f"({arguments})" if params else "")
    if connection.queries_logged:
        statement += " /* " + sql.replace("*/", "* /").replace("%", "%%") + " */"
    return execute(statement, params, many, context)


class Prepared:
    """``build(shape, **values)`` returns the queryset; ``first(shape, **values)`` returns its
    first row with these values (None when there is none), ``all(shape, **values)`` every
    row, as the queryset yields them. The first of ``names`` must always reach the SQL (the
    others may not, in some shape). ``shape`` names what else the SQL depends on (a user's
    roles, say): each shape is built once per process and database alias. ``shapes`` lists
    every shape there is, for ``compile_every`` (the default: none but None)."""

    def __init__(
        self,
        build: Callable[..., QuerySet],
        *names: str,
        shapes: tuple[Hashable, ...] = (None,),
        paged: bool = False,
    ):
        self.build = build
        self.names = names
        self.shapes = shapes
        # A paged read is also counted and sliced (``PagedRows``): compile_every builds those.
        self.modes = ("count", "slice") if paged else ()
        _EVERY.add(self)
        # A number, not id(self): a read made and dropped (in a test) may leave its id to another.
        self.number = next(_NAMES)
        # Shared by the threads: a move is rare on each of them, and building its reads cost
        # each thread's first one 8 ms. The SQL and the converters are the same for every
        # connection to one database; a race builds the same twice, harmlessly.
        self._compiled_by_key: dict[tuple, _Compiled] = {}

    def first(self, shape: Hashable = None, using: str = "default", **values: int):
        """The first row: in the order the build asks for, or any one when it asks for none
        (the model's default order is left out: for a lookup of one row it only costs)."""
        rows = self._run(("first", shape), using, values)
        return rows[0] if rows else None

    def all(self, shape: Hashable = None, using: str = "default", **values: int) -> list:
        return self._run(("all", shape), using, values)

    def call(self, first: bool = False, shape: Hashable = None, **values: int) -> "Call":
        """This read with these values, to run with others in one round trip (``together``)."""
        return Call(self, ("first" if first else "all", shape), values)

    def count_call(self, shape: Hashable = None, **values: int) -> "Call":
        """How many rows the read has with these values (``SELECT COUNT(*)`` over its SQL)."""
        return Call(self, ("count", shape), values)

    def slice_call(self, start: int, stop: int, shape: Hashable = None, **values: int) -> "Call":
        """The rows ``start`` to ``stop`` in the read's order: its SQL with a LIMIT and an
        OFFSET that are parameters, so that every page of a list runs the same statement."""
        return Call(self, ("slice", shape), {**values, "_limit": stop - start, "_offset": start})

    def _run(self, key, using: str, values: dict) -> list:
        connection = connections[using]
        compiled = self._compiled(connection, key)
        params = _params(compiled, values)
        if params is None:
            return []  # as the ORM answers an id no column can hold: no row
        with connection.cursor() as cursor:
            _execute(cursor, connection, compiled.name, compiled.sql, params)
            return compiled.results(cursor.fetchall())

    def _compiled(self, connection, key) -> _Compiled:
        compiled = self._compiled_by_key.get((connection.alias, key))
        if compiled is None:
            compiled = self._compile(key, connection.alias)
            self._compiled_by_key[connection.alias, key] = compiled
        return compiled

    def _compile(self, key, using: str) -> _Compiled:
        mode, shape = key
        stand_ins = {name: next(_STAND_INS) for name in self.names}
        queryset = self.build(shape, **stand_ins)
        try:
            str(queryset.query)
        except EmptyResultSet:  # a stand-in out of a small column's range
            stand_ins = {name: next(_SMALL_STAND_INS) for name in self.names}
            queryset = self.build(shape, **stand_ins)
        if mode == "first":
            if not queryset.query.order_by:
                queryset = queryset.order_by()
            queryset = queryset[:1]
        if mode == "count":
            queryset = queryset.order_by()
        compiler = queryset.query.get_compiler(using=using)
        sql, params = compiler.as_sql(with_limits=mode != "slice")
        positions = {
            name: [i for i, param in enumerate(params) if param == value]
            for name, value in stand_ins.items()
        }
        # A shape may not need every value (an admin's reach names no user), but a value it
        # needs must be a parameter, not written into the SQL, and the first always is.
        written = any(str(value).lstrip("-") in sql for value in stand_ins.values())
        if not positions[self.names[0]] or written:
            raise ValueError(f"the values {self.names} must reach the SQL as parameters")
        name = f"growthmatrix_read_{next(_NAMES)}"
        if mode == "count":
            return _Compiled(
                sql=f"SELECT COUNT(*) FROM ({sql}) counted",
                params=tuple(params),
                positions=positions,
                compiler=compiler,
                converters={},
                columns=1,
                make=lambda row: row[0],
                name=name,
                decoders=(None,),
            )
        if mode == "slice":
            sql += " LIMIT %s OFFSET %s"
        columns = compiler.col_count
        return _Compiled(
            sql=sql,
            params=tuple(params),
            positions=positions,
            compiler=compiler,
            converters=compiler.get_converters(
                [c for c, _sql, _alias in compiler.select][:columns]
            ),
            columns=columns,
            make=_maker(queryset, compiler, using),
            name=name,
            decoders=_decoders(compiler, columns),
            tail=("_limit", "_offset") if mode == "slice" else (),
        )


def compile_every(using: str = "default") -> int:
    """Build the SQL of every read of the process, in each of its shapes, for a first row
    and for every row: a worker does it as it starts (growthmatrix/gunicorn_conf.py), so
    that no request waits for it. The reads are those of the modules imported so far (the
    URLs' views, the event handlers). A read that cannot be built is logged and left to fail
    on its own page, as a template that does not compile is. Returns how many were built."""
    connection = connections[using]
    built = 0
    for read in list(_EVERY):
        for shape in read.shapes:
            for mode in ("first", "all", *read.modes):
                try:
                    read._compiled(connection, (mode, shape))
                except Exception:
                    logging.getLogger(__name__).exception("Prepared read %s", read.build)
                    continue
                built += 1
    return built


def _maker(queryset: QuerySet, compiler, using: str) -> Callable:
    """What makes a converted row into what ``queryset`` yields for it, as its iterable
    class does."""
    kind = queryset._iterable_class
    if kind is ModelIterable:
        klass_info, select = compiler.klass_info, compiler.select
        fields = klass_info["select_fields"]
        own = slice(fields[0], fields[-1] + 1)
        init_list = [column[0].target.attname for column in select[own]]
        populators = get_related_populators(klass_info, select, using)
        annotations = dict(compiler.annotation_col_map)
        model = klass_info["model"]

        def make(row):
            instance = model.from_db(using, init_list, row[own])
            for populator in populators:
                populator.populate(row, instance)
            for name, position in annotations.items():
                setattr(instance, name, row[position])
            return instance

        return make
    if kind is ValuesIterable:
        query = queryset.query
        names = (
            list(query.selected)
            if query.selected
            else [*query.extra_select, *query.values_select, *query.annotation_select]
        )
        return lambda row: dict(zip(names, row, strict=False))
    if kind is ValuesListIterable:
        return tuple
    if kind is FlatValuesListIterable:
        return lambda row: row[0]
    raise TypeError(f"a prepared read cannot yield what {kind.__name__} yields")


# Reads together ------------------------------------------------------------------------

# How a column's JSON value becomes what psycopg2 would have given: dates and times from
# their ISO text, numbers and text as they are; JSON and decimals are read as SQL text.
_AS_SQL_TEXT = {"JSONField": str, "DecimalField": Decimal}
_FROM_JSON = {
    "DateField": date.fromisoformat,
    "DateTimeField": datetime.fromisoformat,
    "FloatField": float,
    "UUIDField": UUID,  # as psycopg2 gives it (Django registers its adapter)
    **dict.fromkeys(
        (
            "AutoField",
            "BigAutoField",
            "SmallAutoField",
            "IntegerField",
            "BigIntegerField",
            "SmallIntegerField",
            "PositiveIntegerField",
            "PositiveSmallIntegerField",
            "PositiveBigIntegerField",
            "BooleanField",
            "CharField",
            "TextField",
            "SlugField",
            "EmailField",
            "URLField",
            "ForeignKey",
            "OneToOneField",
        )
    ),
    **_AS_SQL_TEXT,
}
_MOST_ARGUMENTS = 100  # a PostgreSQL function's


def _decoders(compiler, columns: int) -> tuple | None:
    decoders = []
    for expression, _sql, _alias in compiler.select[:columns]:
        try:
            kind = expression.output_field.get_internal_type()
        except (AttributeError, FieldError):
            return None
        if kind not in _FROM_JSON:
            return None
        decoders.append(_FROM_JSON[kind])
    return tuple(decoders)


@dataclass(frozen=True)
class Call:
    """A prepared read with its values (``Prepared.call``), to run ``together`` with others."""

    read: Prepared
    key: tuple
    values: dict

    def alone(self, using: str):
        return self.answer(self.read._run(self.key, using, self.values))

    def answer(self, rows: list):
        """What the read returns for ``rows``: the first or None, the count, or every one."""
        if self.key[0] in ("first", "count"):
            return rows[0] if rows else None
        return rows


class PagedRows:
    """A prepared read (made with ``paged=True``) as a paginator's list: counted and sliced in
    SQL built once. ``ahead`` gives the calls that read the count and the page a request asks
    for, to run ``together`` with the page's other reads; ``took`` keeps their answers, and the
    paginator then reads nothing more unless the number was past the last page."""

    def __init__(self, read: Prepared, shape: Hashable = None, **values: int):
        self.read, self.shape, self.values = read, shape, values
        self._count: int | None = None
        self._known: tuple[int, int, list] | None = None  # (start, stop asked, rows)

    def ahead(self, number, per_page: int) -> list[Call]:
        """The count, and the rows of page ``number`` (the query's value: the first page when
        it is not a whole number above zero; the paginator gives the last for one out of
        range, which ``__getitem__`` then reads)."""
        page = int_or_none(str(number)) or 1
        # Past any list's end, with an offset that might not fit a 64-bit integer: the
        # paginator gives the last page, read then.
        start = (page - 1) * per_page if page <= MAX_PAGE else 0
        return [
            self.read.count_call(self.shape, **self.values),
            self.read.slice_call(start, start + per_page, self.shape, **self.values),
        ]

    def took(self, calls: list[Call], answers: list) -> None:
        count, rows = answers
        self._count = count or 0
        self._known = (
            calls[1].values["_offset"],
            calls[1].values["_offset"] + calls[1].values["_limit"],
            rows,
        )

    def count(self) -> int:
        if self._count is None:
            self._count = self.read.count_call(self.shape, **self.values).alone("default") or 0
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list:
        start = index.start or 0
        stop = self.count() if index.stop is None else index.stop
        if self._known is not None:
            known_start, known_stop, rows = self._known
            # The rows read ahead hold this slice: inside them, or to their end when they
            # reached the list's end.
            ends = known_start + len(rows)
            if known_start <= start and (stop <= ends or len(rows) < known_stop - known_start):
                return rows[start - known_start : stop - known_start]
        return self.read.slice_call(start, stop, self.shape, **self.values).alone("default")


# Each combination of reads run together, with its statement's name and SQL (per process).
_BATCHES: dict[tuple, tuple[str, str]] = {}


def together(*calls: Call, using: str = "default") -> list:
    """What each call returns (``first``: a row or None; otherwise every row), read in one
    round trip on PostgreSQL: one statement whose columns hold each read's rows as JSON,
    prepared once per session as the reads are. Elsewhere, or when a read has a column of a
    type read back otherwise, or an id no column holds, one after another."""
    connection = connections[using]
    compiled = [call.read._compiled(connection, call.key) for call in calls]
    params = [_params(c, call.values) for c, call in zip(compiled, calls, strict=True)]
    if (
        connection.vendor != "postgresql"
        or any(p is None for p in params)
        or any(c.decoders is None for c in compiled)
    ):
        return [call.alone(using) for call in calls]
    key = (using, *((call.read.number, call.key) for call in calls))
    if key not in _BATCHES:
        _BATCHES[key] = (f"growthmatrix_reads_{next(_NAMES)}", _together_sql(compiled))
    name, sql = _BATCHES[key]
    with connection.cursor() as cursor:
        _execute(cursor, connection, name, sql, [p for part in params for p in part])
        columns = cursor.fetchone()
    results = []
    for call, part, text in zip(calls, compiled, columns, strict=True):
        rows = [
            tuple(
                value if decode is None or value is None else decode(value)
                for decode, value in zip(part.decoders, _flat(row, part), strict=True)
            )
            for row in (json.loads(text) if text else ())
        ]
        results.append(call.answer(part.results(rows)))
    return results


def _together_sql(compiled: list[_Compiled]) -> str:
    """One row: per read, its rows as a JSON array of arrays (in chunks of at most 100
    values, a function's most arguments), in the order its SQL gives them."""
    parts = []
    for c in compiled:
        names = [f"c{i}" for i in range(c.columns)]
        values = [
            f"t.{name}::text" if decode in _AS_SQL_TEXT.values() else f"t.{name}"
            for name, decode in zip(names, c.decoders, strict=True)
        ]
        chunks = [values[i : i + _MOST_ARGUMENTS] for i in range(0, len(values), _MOST_ARGUMENTS)]
        row = (
            f"json_build_array({', '.join(chunks[0])})"
            if len(chunks) == 1
            else "json_build_array("
            + ", ".join(f"json_build_array({', '.join(chunk)})" for chunk in chunks)
            + ")"
        )
        parts.append(f"(SELECT json_agg({row})::text FROM ({c.sql}) AS t({', '.join(names)}))")
    return "SELECT " + ", ".join(parts)


def _flat(row: list, compiled: _Compiled) -> list:
    """A row of ``_together_sql``: its values, out of their chunks when there are several."""
    if compiled.columns <= _MOST_ARGUMENTS:
        return row
    return [value for chunk in row for value in chunk]


def grouped(rows, key: str, take: str | None = None) -> dict:
    """``rows`` by their ``key`` attribute (an owner's id), in order, for ``attach``: each row,
    or its ``take`` attribute (the related object of a many-to-many link's row)."""
    by_key = defaultdict(list)
    for row in rows:
        by_key[getattr(row, key)].append(getattr(row, take) if take else row)
    return by_key


def attach(instances, name: str, related: dict) -> None:
    """Give each of ``instances`` the objects of its relation ``name`` (a many-to-many field or
    a reverse foreign key, cached under its own name) from ``related`` (by the instance's pk,
    in order), as ``prefetch_related(name)`` would have: ``instance.<name>.all()`` then
    answers them without a query. For a prepared read's objects, whose relations came in the
    same round trip as they did."""
    for instance in instances:
        queryset = getattr(instance, name).get_queryset()
        queryset._result_cache = list(related.get(instance.pk, ()))
        queryset._prefetch_done = True
        instance.__dict__.setdefault("_prefetched_objects_cache", {})[name] = queryset
