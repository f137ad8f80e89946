"""The changes feed's deletions: each row the read API lists leaves a ``Deletion`` (its kind,
id and organization) when it is deleted, by whatever path — a page, the admin, a cascade —
in the transaction that deletes it, so a rolled-back delete leaves none."""

from django.db.models.signals import post_delete, pre_delete

from api.models import Deletion
from assessments.models import Assessment, AssessmentCycle
from coordinators.models import Organization, School, Team, User


def _organization_of_assessment(assessment: Assessment) -> int | None:
    # Before the delete runs, the cycle is still there even when it is what is being deleted.
    return (
        AssessmentCycle.objects.filter(pk=assessment.cycle_id)
        .values_list("organization_id", flat=True)
        .first()
    )


ORGANIZATION = {
    School: (Deletion.Kind.SCHOOL, lambda row: row.organization_id),
    Team: (Deletion.Kind.TEAM, lambda row: row.organization_id),
    User: (Deletion.Kind.PERSON, lambda row: row.organization_id),
    AssessmentCycle: (Deletion.Kind.CYCLE, lambda row: row.organization_id),
    Assessment: (Deletion.Kind.ASSESSMENT, _organization_of_assessment),
}


def deletion_record(sender, instance, **kwargs) -> None:
    kind, organization_of = ORGANIZATION[sender]
    organization_id = organization_of(instance)
    if organization_id is not None and instance.pk is not None:
        Deletion.objects.create(organization_id=organization_id, kind=kind, object_id=instance.pk)


def deletions_of_organization_drop(sender, instance, **kwargs) -> None:
    """A deleted organization has no warehouse left to tell: the deletions its own delete
    recorded go with it (in the same transaction, before its foreign keys are checked)."""
    Deletion.objects.filter(organization_id=instance.pk).delete()


def connect() -> None:
    for model in ORGANIZATION:
        pre_delete.connect(deletion_record, sender=model, dispatch_uid=f"api-deletion-{model}")
    post_delete.connect(
        deletions_of_organization_drop, sender=Organization, dispatch_uid="api-deletion-org"
    )
