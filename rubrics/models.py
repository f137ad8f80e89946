"""A role family's rubric and its versions: the words of levels, categories, indicators and
descriptors that every assessment reads.

The tables keep the names they were created with (``assessments_*``), so moving the models
here changed no row.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from coordinators.models import Organization, RoleFamily
from rubrics import vocabulary
from rubrics.vocabulary import DEFAULT_CATEGORY_NAMES, LEVEL_IN_RANGE


class CategoryKey(models.TextChoices):
    """The four categories of every rubric; their display names live in the rubric version."""

    COORDINATOR = vocabulary.COORDINATOR, DEFAULT_CATEGORY_NAMES[vocabulary.COORDINATOR]
    SITE = vocabulary.SITE, DEFAULT_CATEGORY_NAMES[vocabulary.SITE]
    ORGANIZATION = vocabulary.ORGANIZATION, DEFAULT_CATEGORY_NAMES[vocabulary.ORGANIZATION]
    DEVELOPMENT = vocabulary.DEVELOPMENT, DEFAULT_CATEGORY_NAMES[vocabulary.DEVELOPMENT]


# The change reason of the history rows a new draft copies from the current version: they are
# the baseline its first edits are compared with, not edits themselves.
COPIED_REASON = "Copied from the previous version"


class Rubric(models.Model):
    """The rubric of one role family; its text lives in versions."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="rubrics")
    role_family = models.OneToOneField(RoleFamily, on_delete=models.CASCADE, related_name="rubric")

    class Meta:
        db_table = "assessments_rubric"

    def __str__(self):
        return f"Rubric for {self.role_family}"


class RubricVersion(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        RETIRED = "retired", "Retired"

    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    state = models.CharField(max_length=20, choices=State.choices, default=State.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Optimistic lock for two admins editing the same draft.
    lock_version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(table_name="assessments_historicalrubricversion")

    class Meta:
        db_table = "assessments_rubricversion"
        ordering = ["rubric", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["rubric", "number"], name="rubric_version_number_unique"
            ),
            models.UniqueConstraint(
                fields=["rubric"],
                condition=Q(state="published"),
                name="rubric_one_published_version",
            ),
            models.CheckConstraint(
                condition=Q(state__in=["draft", "published", "retired"]),
                name="rubric_version_state_valid",
            ),
        ]

    def __str__(self):
        return f"{self.rubric.role_family} v{self.number} ({self.get_state_display()})"

    @property
    def is_editable(self) -> bool:
        return self.state == self.State.DRAFT


class Level(models.Model):
    version = models.ForeignKey(RubricVersion, on_delete=models.CASCADE, related_name="levels")
    value = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=60)
    history = HistoricalRecords(table_name="assessments_historicallevel")

    class Meta:
        db_table = "assessments_level"
        ordering = ["version", "value"]
        constraints = [
            models.UniqueConstraint(fields=["version", "value"], name="level_value_unique"),
            models.CheckConstraint(
                condition=Q(value__range=LEVEL_IN_RANGE), name="level_value_in_range"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.value})"


class Category(models.Model):
    version = models.ForeignKey(RubricVersion, on_delete=models.CASCADE, related_name="categories")
    key = models.CharField(max_length=20, choices=CategoryKey.choices)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField()
    history = HistoricalRecords(table_name="assessments_historicalcategory")

    class Meta:
        db_table = "assessments_category"
        ordering = ["version", "order"]
        verbose_name_plural = "categories"
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="category_key_unique"),
            models.UniqueConstraint(fields=["version", "order"], name="category_order_unique"),
            models.CheckConstraint(
                condition=Q(key__in=CategoryKey.values), name="category_key_valid"
            ),
        ]

    def __str__(self):
        return self.name


class Indicator(models.Model):
    """One row of a category. ``key`` is the indicator's identity across versions: a draft
    copied from a version carries each key over, so an indicator reworded in a new version is
    still the same indicator (the comparison pairs by it, and last cycle's agreed level is
    shown beside it); an indicator added in the editor gets a new key."""

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="indicators")
    key = models.UUIDField(default=uuid.uuid4, db_index=True, editable=False)
    name = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField()
    history = HistoricalRecords(table_name="assessments_historicalindicator")

    class Meta:
        db_table = "assessments_indicator"
        ordering = ["category__order", "order", "pk"]

    def __str__(self):
        return self.name


class Descriptor(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="descriptors")
    level = models.ForeignKey(Level, on_delete=models.CASCADE, related_name="descriptors")
    text = models.TextField()
    history = HistoricalRecords(table_name="assessments_historicaldescriptor")

    class Meta:
        db_table = "assessments_descriptor"
        ordering = ["indicator", "level__value"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "level"], name="descriptor_one_per_cell"),
        ]

    def __str__(self):
        return self.text[:60]
