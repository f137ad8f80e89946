from django.db import models

from coordinators.models import Organization, User


class ApiToken(models.Model):
    """A read-only key of one organization for its data warehouse. Only the SHA-256 digest of
    the token is kept; the token itself is shown once, when it is created."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=120)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"API token “{self.name}” of {self.organization}"

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class Deletion(models.Model):
    """That a row the read API lists was deleted: the changes feed tells a warehouse which
    ids to drop. Written by ``api.signals`` before the row goes, in the same transaction."""

    class Kind(models.TextChoices):
        SCHOOL = "school", "School site"
        TEAM = "team", "Team"
        PERSON = "person", "Person"
        CYCLE = "cycle", "Cycle"
        ASSESSMENT = "assessment", "Assessment"

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="api_deletions"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    object_id = models.BigIntegerField()
    deleted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["organization", "deleted_at", "id"], name="api_deletion_org_time")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.object_id} deleted"
