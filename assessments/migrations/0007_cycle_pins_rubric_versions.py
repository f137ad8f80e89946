from django.db import migrations, models


def pin_versions_of_existing_cycles(apps, schema_editor):
    """Each started cycle pins, per role family, the version its earliest assessment of that
    family was made against (the version current when the cycle opened); an open cycle with
    no assessment of a family yet pins nothing for it and pins the first one started."""
    Assessment = apps.get_model("assessments", "Assessment")
    AssessmentCycle = apps.get_model("assessments", "AssessmentCycle")
    Pin = AssessmentCycle.rubric_versions.through
    pins = {}
    rows = Assessment.objects.order_by("created_at", "pk").values_list(
        "cycle_id", "rubric_version_id", "rubric_version__rubric__role_family_id"
    )
    for cycle_id, version_id, family_id in rows:
        pins.setdefault((cycle_id, family_id), version_id)
    Pin.objects.bulk_create(
        [
            Pin(assessmentcycle_id=cycle_id, rubricversion_id=version_id)
            for (cycle_id, _family), version_id in pins.items()
        ],
        batch_size=1000,
    )


def unpin_all(apps, schema_editor):
    AssessmentCycle = apps.get_model("assessments", "AssessmentCycle")
    AssessmentCycle.rubric_versions.through.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0006_merge_coaching_notes_and_versions"),
        ("rubrics", "0001_take_over_rubric_tables"),
    ]

    operations = [
        migrations.AddField(
            model_name="assessmentcycle",
            name="rubric_versions",
            field=models.ManyToManyField(
                blank=True, related_name="pinned_by_cycles", to="rubrics.rubricversion"
            ),
        ),
        migrations.RunPython(pin_versions_of_existing_cycles, unpin_all),
    ]
