import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """The overview's counts per cycle, kept (``dashboards/overview_counts.py``). Nothing to
    fill: the first view of a cycle counts it."""

    dependencies = [
        ("assessments", "0012_cycle_keeps_updated_at"),
        ("dashboards", "0015_read_model_keeps_the_review_team_and_support_groups_for_the_reports"),
    ]

    operations = [
        migrations.CreateModel(
            name="CycleOverviewCounts",
            fields=[
                (
                    "cycle",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="assessments.assessmentcycle",
                    ),
                ),
                ("counted_on", models.DateField()),
                ("changes_on", models.DateField(null=True)),
                ("counts", models.JSONField(default=dict)),
                (
                    "organization",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="coordinators.organization",
                    ),
                ),
            ],
        ),
    ]
