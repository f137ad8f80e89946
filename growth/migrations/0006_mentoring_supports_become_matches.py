"""Mentoring was a support of kind "mentoring" naming a mentor; it becomes a mentoring match,
the one record of mentoring. Each such support becomes a match from its start (the day it was
added when it had none) with its goals and notes, and the support goes."""

from django.db import migrations


def supports_to_matches(apps, schema_editor):
    Support = apps.get_model("growth", "Support")
    MentoringMatch = apps.get_model("growth", "MentoringMatch")
    for support in Support.objects.filter(kind="mentoring", mentor__isnull=False).order_by("pk"):
        notes = "\n\n".join(part for part in (support.title, support.notes) if part.strip())
        match = MentoringMatch.objects.create(
            mentor_id=support.mentor_id,
            mentee_id=support.coordinator_id,
            starts_on=support.starts_on or support.created_at.date(),
            notes=notes,
            confirmed_by_id=support.created_by_id,
        )
        match.goals.set(support.goals.all())
        support.delete()


def matches_to_supports(apps, schema_editor):
    Support = apps.get_model("growth", "Support")
    MentoringMatch = apps.get_model("growth", "MentoringMatch")
    for match in MentoringMatch.objects.select_related("mentor").order_by("pk"):
        name = f"{match.mentor.first_name} {match.mentor.last_name}".strip() or match.mentor.email
        support = Support.objects.create(
            coordinator_id=match.mentee_id,
            kind="mentoring",
            title=f"Mentoring with {name}",
            mentor_id=match.mentor_id,
            starts_on=match.starts_on,
            notes=match.notes,
            created_by_id=match.confirmed_by_id,
        )
        support.goals.set(match.goals.all())
        match.delete()


class Migration(migrations.Migration):
    dependencies = [("growth", "0005_check_ins_cadences_and_mentoring_matches")]

    operations = [migrations.RunPython(supports_to_matches, matches_to_supports)]
