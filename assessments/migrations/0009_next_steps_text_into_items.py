"""Each non-empty line of a review's free-text next steps becomes one next-step item, in
order. The text itself stays on the assessment (and in its history), readable as written."""

from django.db import migrations


def next_steps_into_items(apps, schema_editor):
    Assessment = apps.get_model("assessments", "Assessment")
    ReviewNextStep = apps.get_model("assessments", "ReviewNextStep")
    items = []
    for assessment_id, text in (
        Assessment.objects.exclude(next_steps="").values_list("pk", "next_steps").iterator()
    ):
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        items.extend(
            ReviewNextStep(assessment_id=assessment_id, text=line, order=order)
            for order, line in enumerate(lines)
        )
    ReviewNextStep.objects.bulk_create(items, batch_size=500)


def items_removed(apps, schema_editor):
    """Backwards: the free text was never changed, so only the items go."""
    apps.get_model("assessments", "ReviewNextStep").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("assessments", "0008_review_next_step_items")]

    operations = [migrations.RunPython(next_steps_into_items, items_removed)]
