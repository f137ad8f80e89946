from django.db import migrations, models


def forget_rows_made_without_next_levels(apps, schema_editor):
    """Rows made before this migration hold no next finalized levels: dropped, so that
    migrate's last step (``read_model.rebuild_missing``, on post_migrate) computes them again
    in full."""
    apps.get_model("dashboards", "CoordinatorCycleRow").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("dashboards", "0011_read_model_row_written_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="coordinatorcyclerow",
            name="next_finalized_opens_on",
            field=models.DateField(null=True),
        ),
        *(
            migrations.AddField(
                model_name="coordinatorcyclerow",
                name=f"next_level_{key}",
                field=models.PositiveSmallIntegerField(null=True),
            )
            for key in ("coordinator", "site", "organization", "development")
        ),
        migrations.RunPython(forget_rows_made_without_next_levels, migrations.RunPython.noop),
    ]
