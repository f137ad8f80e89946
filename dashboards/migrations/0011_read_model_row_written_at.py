"""Each read-model row keeps when it was written (the read API's flags changed since a time);
existing rows read as written now."""

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("dashboards", "0010_review_not_acknowledged_flag")]

    operations = [
        migrations.AddField(
            model_name="coordinatorcyclerow",
            name="written_at",
            field=models.DateTimeField(auto_now_add=True, default=django.utils.timezone.now),
            preserve_default=False,
        )
    ]
