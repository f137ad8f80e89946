import django.db.models.deletion
from django.db import migrations, models

CATEGORY_KEYS = ("coordinator", "site", "organization", "development")


def forget_rows_made_without_reviewed_columns(apps, schema_editor):
    """Rows made before this migration hold no supervisor and self levels nor rating counts:
    dropped, so that migrate's last step (``read_model.rebuild_missing``, on post_migrate)
    computes them again in full."""
    apps.get_model("dashboards", "CoordinatorCycleRow").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0012_cycle_keeps_updated_at"),
        ("dashboards", "0012_read_model_keeps_the_next_finalized_levels"),
    ]

    operations = [
        *(
            migrations.AddField(
                model_name="coordinatorcyclerow",
                name=f"{who}_level_{key}",
                field=models.PositiveSmallIntegerField(null=True),
            )
            for who in ("supervisor", "self")
            for key in CATEGORY_KEYS
        ),
        migrations.AddField(
            model_name="coordinatorcyclerow",
            name="ratings",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="coordinatorcyclerow",
            name="ratings_bare",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="coordinatorcyclerow",
            name="review_microseconds",
            field=models.BigIntegerField(null=True),
        ),
        # The link to the assessment has no column of its own (it reads assessment_id), so
        # it exists in the migration state only: removing it on the way back must not ask
        # the schema editor to drop a column (SQLite's editor cannot handle a ForeignObject).
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="coordinatorcyclerow",
                    name="assessment",
                    field=models.ForeignObject(
                        from_fields=["assessment_id"],
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="assessments.assessment",
                        to_fields=["id"],
                    ),
                ),
            ],
        ),
        migrations.AddIndex(
            model_name="coordinatorcyclerow",
            index=models.Index(
                condition=models.Q(("status", "finalized")),
                fields=[
                    "organization",
                    "cycle",
                    "coordinator",
                    "assessment_id",
                    "levels_cycle_id",
                    "next_finalized_opens_on",
                    *(f"{prefix}level_{key}" for prefix in ("", "next_") for key in CATEGORY_KEYS),
                    *(
                        f"{who}_level_{key}"
                        for who in ("supervisor", "self")
                        for key in CATEGORY_KEYS
                    ),
                    "ratings",
                    "ratings_bare",
                    "review_microseconds",
                ],
                name="read_model_finalized",
            ),
        ),
        migrations.RunPython(forget_rows_made_without_reviewed_columns, migrations.RunPython.noop),
    ]
