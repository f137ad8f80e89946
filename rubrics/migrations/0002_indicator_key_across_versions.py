"""Give every indicator a key, its identity across versions of a rubric.

Each version was copied from the one before it, so the backfill walks a rubric's versions
in order and gives an indicator the key of its twin in the previous version: the indicator
of the same category with the same name, else the one at the same position. Indicators with
no twin (the first version's, or added in the editor) get a new key. History rows take the
key of the indicator they record."""

import uuid

from django.db import migrations, models


def _twin_keys(previous, current):
    """Map each indicator of ``current`` to the key of its twin in ``previous``; both are
    lists of (pk, category key, name, order)."""
    keys = {}
    by_name = {(category, name): key for _pk, category, name, _order, key in previous}
    by_order = {(category, order): key for _pk, category, _name, order, key in previous}
    taken = set()
    # Names first, so a reordered indicator still finds itself; positions for the renamed.
    for pk, category, name, _order in current:
        key = by_name.get((category, name))
        if key is not None and key not in taken:
            keys[pk] = key
            taken.add(key)
    for pk, category, _name, order in current:
        if pk in keys:
            continue
        key = by_order.get((category, order))
        if key is not None and key not in taken:
            keys[pk] = key
            taken.add(key)
    return keys


def backfill_keys(apps, schema_editor):
    RubricVersion = apps.get_model("rubrics", "RubricVersion")
    Indicator = apps.get_model("rubrics", "Indicator")
    HistoricalIndicator = apps.get_model("rubrics", "HistoricalIndicator")
    versions = RubricVersion.objects.order_by("rubric_id", "number").values_list("pk", "rubric_id")
    previous_rubric, previous = None, []
    for version_id, rubric_id in versions:
        if rubric_id != previous_rubric:
            previous_rubric, previous = rubric_id, []
        rows = list(
            Indicator.objects.filter(category__version_id=version_id)
            .order_by("category__order", "order", "pk")
            .values_list("pk", "category__key", "name", "order")
        )
        twins = _twin_keys(previous, rows)
        current = []
        for pk, category, name, order in rows:
            key = twins.get(pk) or uuid.uuid4()
            Indicator.objects.filter(pk=pk).update(key=key)
            current.append((pk, category, name, order, key))
        previous = current
    keys = dict(Indicator.objects.values_list("pk", "key"))
    for row in HistoricalIndicator.objects.filter(key__isnull=True).only("history_id", "id"):
        HistoricalIndicator.objects.filter(history_id=row.history_id).update(
            key=keys.get(row.id) or uuid.uuid4()
        )


def drop_keys(apps, schema_editor):
    """Nothing to undo: the columns go with the fields."""


class Migration(migrations.Migration):
    dependencies = [
        ("rubrics", "0001_take_over_rubric_tables"),
    ]

    operations = [
        # Nullable first: a column default would give every existing row the same key.
        migrations.AddField(
            model_name="historicalindicator",
            name="key",
            field=models.UUIDField(db_index=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="indicator",
            name="key",
            field=models.UUIDField(db_index=True, editable=False, null=True),
        ),
        migrations.RunPython(backfill_keys, drop_keys),
        migrations.AlterField(
            model_name="historicalindicator",
            name="key",
            field=models.UUIDField(db_index=True, default=uuid.uuid4, editable=False),
        ),
        migrations.AlterField(
            model_name="indicator",
            name="key",
            field=models.UUIDField(db_index=True, default=uuid.uuid4, editable=False),
        ),
    ]
