"""Every organization made before check-ins existed gets the default coaching actions, as a
new organization does."""

from django.db import migrations

DEFAULT_COACHING_ACTIONS = (
    "Observed at the site",
    "Co-planned",
    "Modelled",
    "Reflected on data",
    "Connected to a network",
)


def actions_seed(apps, schema_editor):
    Organization = apps.get_model("coordinators", "Organization")
    CoachingAction = apps.get_model("growth", "CoachingAction")
    for organization in Organization.objects.filter(coaching_actions__isnull=True).distinct():
        CoachingAction.objects.bulk_create(
            CoachingAction(organization=organization, name=name, order=n)
            for n, name in enumerate(DEFAULT_COACHING_ACTIONS)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("growth", "0006_mentoring_supports_become_matches"),
        ("coordinators", "0007_organization_school_year_start"),
    ]

    # Going back leaves the actions: the table goes with the migration before this one.
    operations = [migrations.RunPython(actions_seed, migrations.RunPython.noop)]
