"""Cycles keep the time of their last change, for the read API's ``updated_since``; existing
cycles read as changed now (the next sync pulls them once more)."""

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("assessments", "0011_principal_feedback_requests")]

    operations = [
        migrations.AddField(
            model_name="assessmentcycle",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, default=django.utils.timezone.now),
            preserve_default=False,
        )
    ]
