"""Writing many rows' own values in one statement."""

from collections.abc import Collection, Sequence

from django.db import connection, models

# Rows per statement: 500 rows of a few columns stay far below SQLite's 32,766 parameters.
BATCH = 500


def rows_update(model: type[models.Model], rows: Collection[models.Model], fields: Sequence[str]):
    """Write ``fields`` of ``rows``, each row its own values, as one ``UPDATE … FROM (VALUES
    …)`` per batch; returns how many rows were written. ``bulk_update`` says the same with a
    ``CASE WHEN`` per row and field, which the ORM takes longer to build than the database
    takes to run: a matrix save's 19 ratings cost a fifth of the request."""
    rows = list(rows)
    if not rows:
        return 0
    if connection.vendor == "sqlite" and connection.Database.sqlite_version_info < (3, 33):
        return model._default_manager.bulk_update(rows, fields, batch_size=BATCH)
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    pk = model._meta.pk
    columns = [model._meta.get_field(name) for name in fields]
    assignments = ", ".join(
        f"{quote(field.column)} = CAST(v.column{n} AS {field.cast_db_type(connection)})"
        for n, field in enumerate(columns, start=2)
    )
    row_placeholder = "(" + ", ".join(["%s"] * (len(columns) + 1)) + ")"
    written = 0
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            batch = rows[start : start + BATCH]
            placeholders = ", ".join([row_placeholder] * len(batch))
            params = []
            for row in batch:
                params.append(pk.get_db_prep_value(row.pk, connection))
                params.extend(
                    field.get_db_prep_save(getattr(row, field.attname), connection)
                    for field in columns
                )
            cursor.execute(
                f"UPDATE {table} SET {assignments} FROM (VALUES {placeholders}) AS v "
                f"WHERE {table}.{quote(pk.column)} = v.column1",
                params,
            )
            written += cursor.rowcount
    return written
