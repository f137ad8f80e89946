"""Reads made on nearly every request, with their SQL built once per database connection.

Building a query through the ORM (resolving its lookups, annotations and joins, then writing
its SQL) took ten times as long as PostgreSQL took to answer the request's user lookup, and
it was the same SQL every time with another id. A ``PreparedGet`` builds its queryset once per
connection with stand-in values, remembers where they went among the parameters, and from then
on runs that SQL with the request's values, making the objects as the queryset would have:
the row's model, the ``select_related`` ones and the annotations, through the same
converters. Only for lookups of one row by plain integer values (an id, an organization),
whose SQL does not change with the value.
"""

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from itertools import count

from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators

# Stand-in values, each unlike any id a row has, so each is found once among the parameters.
_STAND_INS = count(-7_340_021_000, -1)


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple
    positions: dict[str, list[int]]
    compiler: object
    converters: dict
    model: type[Model]
    init_list: list[str]
    fields: slice
    populators: list
    annotations: dict[str, int]


class PreparedGet:
    """``build(shape, **values)`` returns a queryset whose first row is wanted (in the order
    it asks for, if any), the first of ``names`` being its id or another value it is found
    by; ``get(shape, **values)`` returns that row with these values, or None. ``shape``
    names what else the SQL depends on (a user's roles, say): each shape is built once per
    connection."""

    def __init__(self, build: Callable[..., QuerySet], *names: str):
        self.build = build
        self.names = names
        self.attribute = f"_prepared_{id(self)}"

    def get(self, shape: Hashable = None, using: str = "default", **values: int):
        connection = connections[using]
        compiled_by_shape = connection.__dict__.setdefault(self.attribute, {})
        compiled = compiled_by_shape.get(shape)
        if compiled is None:
            compiled = compiled_by_shape[shape] = self._compile(shape, using)
        params = list(compiled.params)
        for name, positions in compiled.positions.items():
            for position in positions:
                params[position] = int(values[name])
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            row = cursor.fetchone()
        if row is None:
            return None
        if compiled.converters:
            row = next(iter(compiled.compiler.apply_converters([row], compiled.converters)))
        instance = compiled.model.from_db(using, compiled.init_list, row[compiled.fields])
        for populator in compiled.populators:
            populator.populate(row, instance)
        for name, position in compiled.annotations.items():
            setattr(instance, name, row[position])
        return instance

    def _compile(self, shape, using: str) -> _Compiled:
        stand_ins = {name: next(_STAND_INS) for name in self.names}
        queryset = self.build(shape, **stand_ins)
        if not queryset.query.order_by:
            queryset = queryset.order_by()  # not the model's default order: one row needs none
        queryset = queryset[:1]  # the first row when the build asked for an order
        compiler = queryset.query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        positions = {
            name: [i for i, param in enumerate(params) if param == value]
            for name, value in stand_ins.items()
        }
        # A shape may not need every value (an admin's reach names no user), but a value it
        # needs must be a parameter, not written into the SQL, and the row's id always is.
        if not positions[self.names[0]] or any(
            str(v).lstrip("-") in sql for v in stand_ins.values()
        ):
            raise ValueError(f"the values {self.names} must reach the SQL as parameters")
        select = compiler.select
        klass_info = compiler.klass_info
        fields = klass_info["select_fields"]
        return _Compiled(
            sql=sql,
            params=tuple(params),
            positions=positions,
            compiler=compiler,
            converters=compiler.get_converters([column for column, _sql, _alias in select]),
            model=klass_info["model"],
            init_list=[column[0].target.attname for column in select[fields[0] : fields[-1] + 1]],
            fields=slice(fields[0], fields[-1] + 1),
            populators=get_related_populators(klass_info, select, using),
            annotations=dict(compiler.annotation_col_map),
        )
