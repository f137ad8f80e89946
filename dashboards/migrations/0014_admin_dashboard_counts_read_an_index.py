"""The team dashboard counts, filters and sorts a cycle's rows from an index of what it reads
of them (state, levels, flags' start days), not from the wide rows: the whole organization's
dashboard counts its rows, and whether any level is reviewed, in one pass over the index."""

from django.db import migrations, models

CATEGORY_KEYS = ("coordinator", "site", "organization", "development")
FLAG_CODES = (
    "site_gap",
    "site_ahead",
    "support_gap",
    "development_gap",
    "perception_gap",
    "site_perception",
    "stalled",
    "overdue",
    "ready_for_promotion",
    "long_tenure",
    "no_check_in",
    "no_agreement",
    "not_acknowledged",
)


class Migration(migrations.Migration):
    dependencies = [
        ("dashboards", "0013_read_model_keeps_the_reviewed_levels_and_ratings"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="coordinatorcyclerow",
            index=models.Index(
                fields=[
                    "cycle",
                    "coordinator",
                    "status",
                    "levels_reviewed",
                    *(f"level_{key}" for key in CATEGORY_KEYS),
                    *(f"{code}_from" for code in FLAG_CODES),
                ],
                name="read_model_dashboard",
            ),
        ),
    ]
