from django.db import migrations, models


def forget_rows_made_without_the_flag(apps, schema_editor):
    """Rows made before this migration never raise the review-not-acknowledged flag: dropped,
    so that migrate's last step (``read_model.rebuild_missing``, on post_migrate) computes
    them again in full."""
    apps.get_model("dashboards", "CoordinatorCycleRow").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0010_acknowledgement_and_review_settings"),
        ("dashboards", "0009_read_model_keeps_flag_words_and_trend_counts"),
    ]

    operations = [
        migrations.AddField(
            model_name="coordinatorcyclerow",
            name="not_acknowledged_from",
            field=models.DateField(null=True),
        ),
        migrations.RunPython(forget_rows_made_without_the_flag, migrations.RunPython.noop),
    ]
