from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from assessments.models import LEVEL_IN_RANGE, Indicator
from coordinators.models import CategoryKey, CoordinatorProfile, Organization


class SupportKind(models.TextChoices):
    MENTORING = "mentoring", "Mentoring"
    PROFESSIONAL_DEVELOPMENT = "pd", "Professional development"
    NETWORK = "network", "Network"


class NetworkScope(models.TextChoices):
    LOCAL = "local", "Local"
    REGIONAL = "regional", "Regional"
    UNIVERSITY = "university", "University"
    NATIONAL = "national", "National"


class SupportCatalogEntry(models.Model):
    """A support the organization recommends for a category at a level."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="support_catalog"
    )
    category_key = models.CharField(max_length=20, choices=CategoryKey.choices)
    level = models.PositiveSmallIntegerField(help_text="Recommended for people at this level.")
    kind = models.CharField(max_length=20, choices=SupportKind.choices)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    network_scope = models.CharField(max_length=20, choices=NetworkScope.choices, blank=True)
    hours = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["category_key", "level", "title"]
        verbose_name_plural = "support catalog entries"
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "category_key", "level", "title"],
                name="catalog_entry_unique",
            ),
            models.CheckConstraint(
                condition=Q(level__range=LEVEL_IN_RANGE), name="catalog_level_in_range"
            ),
        ]

    def __str__(self):
        return self.title


class Support(models.Model):
    """A support given to one coordinator: a mentor, a course or event, or a network."""

    coordinator = models.ForeignKey(
        CoordinatorProfile, on_delete=models.CASCADE, related_name="supports"
    )
    kind = models.CharField(max_length=20, choices=SupportKind.choices)
    title = models.CharField(max_length=200)
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mentoring_supports",
    )
    network_scope = models.CharField(max_length=20, choices=NetworkScope.choices, blank=True)
    starts_on = models.DateField(null=True, blank=True)
    hours = models.PositiveSmallIntegerField(null=True, blank=True)
    notes = models.TextField(blank=True)
    catalog_entry = models.ForeignKey(
        SupportCatalogEntry, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="mentoring") | Q(mentor__isnull=False),
                name="support_mentoring_has_mentor",
            ),
        ]

    def __str__(self):
        return self.title


class Goal(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        MET = "met", "Met"
        DROPPED = "dropped", "Dropped"

    coordinator = models.ForeignKey(
        CoordinatorProfile, on_delete=models.CASCADE, related_name="goals"
    )
    category_key = models.CharField(max_length=20, choices=CategoryKey.choices)
    indicator = models.ForeignKey(
        Indicator, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    target_level = models.PositiveSmallIntegerField()
    target_date = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    notes = models.TextField(blank=True)
    supports = models.ManyToManyField(Support, blank=True, related_name="goals")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["target_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(target_level__range=LEVEL_IN_RANGE), name="goal_target_level_in_range"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["open", "met", "dropped"]), name="goal_status_valid"
            ),
        ]

    def __str__(self):
        return f"{self.get_category_key_display()} → level {self.target_level}"
