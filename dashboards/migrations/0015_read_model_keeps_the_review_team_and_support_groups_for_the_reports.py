from django.db import migrations, models

CATEGORY_KEYS = ("coordinator", "site", "organization", "development")
LEVEL_COLUMNS = [
    *(f"{prefix}level_{key}" for prefix in ("", "next_") for key in CATEGORY_KEYS),
    *(f"{who}_level_{key}" for who in ("supervisor", "self") for key in CATEGORY_KEYS),
]
FINALIZED_BEFORE = [
    "organization",
    "cycle",
    "coordinator",
    "assessment_id",
    "levels_cycle_id",
    "next_finalized_opens_on",
    *LEVEL_COLUMNS,
    "ratings",
    "ratings_bare",
    "review_microseconds",
]


def forget_rows_made_without_teams_and_supports(apps, schema_editor):
    """Rows made before this migration name no review team or director and no support
    groups: dropped, so that migrate's last step (``read_model.rebuild_missing``, on
    post_migrate) computes them again in full."""
    apps.get_model("dashboards", "CoordinatorCycleRow").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("dashboards", "0014_admin_dashboard_counts_read_an_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="coordinatorcyclerow",
            name="review_team_id",
            field=models.IntegerField(null=True),
        ),
        migrations.AddField(
            model_name="coordinatorcyclerow",
            name="review_director_id",
            field=models.IntegerField(null=True),
        ),
        migrations.AddField(
            model_name="coordinatorcyclerow",
            name="support_groups",
            field=models.TextField(blank=True, default=""),
        ),
        # The index of the finalized rows holds every column the reports read: these too,
        # and the status its condition reads (else SQLite reads each row for it).
        migrations.RemoveIndex(model_name="coordinatorcyclerow", name="read_model_finalized"),
        migrations.AddIndex(
            model_name="coordinatorcyclerow",
            index=models.Index(
                condition=models.Q(("status", "finalized")),
                fields=[
                    *FINALIZED_BEFORE,
                    "review_team_id",
                    "review_director_id",
                    "support_groups",
                    "status",
                ],
                name="read_model_finalized",
            ),
        ),
        migrations.RunPython(
            forget_rows_made_without_teams_and_supports, migrations.RunPython.noop
        ),
    ]
