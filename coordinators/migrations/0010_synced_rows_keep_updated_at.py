"""Schools, teams, people and coordinator profiles keep the time of their last change, for the
read API's ``updated_since``. Rows that exist already read as changed now: the first sync
after this pulls them once more, and misses nothing."""

import django.utils.timezone
from django.db import migrations, models


def _stamp(name):
    return migrations.AddField(
        model_name=name,
        name="updated_at",
        field=models.DateTimeField(auto_now=True, default=django.utils.timezone.now),
        preserve_default=False,
    )


class Migration(migrations.Migration):
    dependencies = [("coordinators", "0009_organization_version")]

    operations = [_stamp("school"), _stamp("team"), _stamp("user"), _stamp("coordinatorprofile")]
