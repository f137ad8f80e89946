from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from coordinators.models import CoordinatorProfile, Organization, User
from coordinators.versioning import Versioned
from rubrics.models import CategoryKey, Indicator
from rubrics.vocabulary import CATEGORY_KEYS, LEVEL_IN_RANGE


class SupportKind(models.TextChoices):
    MENTORING = "mentoring", "Mentoring"
    PROFESSIONAL_DEVELOPMENT = "pd", "Professional development"
    NETWORK = "network", "Network"


class NetworkScope(models.TextChoices):
    LOCAL = "local", "Local"
    REGIONAL = "regional", "Regional"
    UNIVERSITY = "university", "University"
    NATIONAL = "national", "National"


class SupportCatalogEntry(Versioned, models.Model):
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


class Support(Versioned, models.Model):
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


class Goal(Versioned, models.Model):
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


class CareerStage(Versioned, models.Model):
    """A step of the trajectory, with the tenure it expects and the levels it asks for."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="career_stages"
    )
    title = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField()
    expected_years_from = models.PositiveSmallIntegerField(
        default=0, help_text="Years in role at which people usually reach this stage."
    )
    expected_years_to = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Years in role by which people usually move on; blank for the last stage.",
    )
    min_coordinator = models.PositiveSmallIntegerField(default=1)
    min_site = models.PositiveSmallIntegerField(default=1)
    min_organization = models.PositiveSmallIntegerField(default=1)
    min_development = models.PositiveSmallIntegerField(default=1)
    history = HistoricalRecords(table_name="coordinators_historicalcareerstage")

    class Meta:
        db_table = "coordinators_careerstage"
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "order"], name="stage_order_unique_in_org"
            ),
            models.UniqueConstraint(
                fields=["organization", "title"], name="stage_title_unique_in_org"
            ),
            models.CheckConstraint(
                condition=Q(min_coordinator__range=LEVEL_IN_RANGE)
                & Q(min_site__range=LEVEL_IN_RANGE)
                & Q(min_organization__range=LEVEL_IN_RANGE)
                & Q(min_development__range=LEVEL_IN_RANGE),
                name="stage_min_levels_in_range",
            ),
            models.CheckConstraint(
                condition=Q(expected_years_to__isnull=True)
                | Q(expected_years_to__gte=models.F("expected_years_from")),
                name="stage_years_in_order",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def minimums(self) -> dict[str, int]:
        return {key: getattr(self, f"min_{key}") for key in CATEGORY_KEYS}


class CareerPosition(models.Model):
    """Where one coordinator stands on the career path: the stage and the day it began.

    A profile gets its row the first time a stage is set; until then it has no stage, which
    ``CareerPosition.of`` reads as an empty position. The history keeps who changed what.
    """

    profile = models.OneToOneField(
        CoordinatorProfile, on_delete=models.CASCADE, related_name="career_position"
    )
    stage = models.ForeignKey(
        CareerStage, on_delete=models.SET_NULL, null=True, blank=True, related_name="positions"
    )
    since = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    def __str__(self):
        return f"{self.profile}: {self.stage or 'no stage'}"

    @classmethod
    def of(cls, profile: CoordinatorProfile) -> "CareerPosition":
        """The profile's position, or an unsaved empty one when no stage was ever set. Free of
        queries when the profile was read with ``select_related("career_position")``."""
        try:
            return profile.career_position
        except cls.DoesNotExist:
            return cls(profile_id=profile.pk)


class Promotion(models.Model):
    """A recorded change of career stage; never edited, only added."""

    profile = models.ForeignKey(
        CoordinatorProfile, on_delete=models.CASCADE, related_name="promotions"
    )
    from_stage = models.ForeignKey(
        CareerStage, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_stage = models.ForeignKey(CareerStage, on_delete=models.PROTECT, related_name="+")
    effective_on = models.DateField()
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "coordinators_promotion"
        ordering = ["-effective_on", "-recorded_at"]

    def __str__(self):
        return f"{self.profile} → {self.to_stage} on {self.effective_on}"
