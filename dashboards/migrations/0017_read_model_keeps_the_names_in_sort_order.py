from django.db import migrations, models


def forget_rows_made_without_sort_names(apps, schema_editor):
    """Rows made before this migration hold no names to sort by: dropped, so that migrate's
    last step (``read_model.rebuild_missing``, on post_migrate) computes them again."""
    apps.get_model("dashboards", "CoordinatorCycleRow").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("dashboards", "0016_overview_counts_kept_per_cycle"),
    ]

    operations = [
        migrations.AddField(
            model_name="coordinatorcyclerow",
            name="sort_last_name",
            field=models.TextField(default=""),
        ),
        migrations.AddField(
            model_name="coordinatorcyclerow",
            name="sort_first_name",
            field=models.TextField(default=""),
        ),
        migrations.AddIndex(
            model_name="coordinatorcyclerow",
            index=models.Index(
                fields=["cycle", "sort_last_name", "sort_first_name", "coordinator"],
                name="read_model_name_order",
            ),
        ),
        migrations.RunPython(forget_rows_made_without_sort_names, migrations.RunPython.noop),
    ]
