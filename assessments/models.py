from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from coordinators.models import CoordinatorProfile, Organization, School, Team
from coordinators.versioning import Versioned
from rubrics.models import CategoryKey, Indicator, RubricVersion
from rubrics.vocabulary import LEVEL_IN_RANGE


class AssessmentCycle(Versioned, models.Model):
    class State(models.TextChoices):
        PLANNED = "planned", "Planned"
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="cycles")
    name = models.CharField(max_length=120)
    opens_on = models.DateField()
    due_on = models.DateField()
    closes_on = models.DateField()
    review_window_days = models.PositiveSmallIntegerField(default=14)
    state = models.CharField(max_length=20, choices=State.choices, default=State.PLANNED)
    opened_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-opens_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name"], name="cycle_name_unique_in_org"
            ),
            models.CheckConstraint(
                condition=Q(opens_on__lte=F("due_on")) & Q(due_on__lte=F("closes_on")),
                name="cycle_dates_in_order",
            ),
            models.CheckConstraint(
                condition=Q(state__in=["planned", "open", "closed"]), name="cycle_state_valid"
            ),
        ]

    def __str__(self):
        return self.name


class Assessment(models.Model):
    """One coordinator's matrix in one cycle, made against one pinned rubric version."""

    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        RETURNED = "returned", "Returned"
        FINALIZED = "finalized", "Finalized"

    coordinator = models.ForeignKey(
        CoordinatorProfile, on_delete=models.CASCADE, related_name="assessments"
    )
    cycle = models.ForeignKey(AssessmentCycle, on_delete=models.PROTECT, related_name="assessments")
    rubric_version = models.ForeignKey(
        RubricVersion, on_delete=models.PROTECT, related_name="assessments"
    )
    state = models.CharField(max_length=20, choices=State.choices, default=State.DRAFT)
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="assessments"
    )
    schools = models.ManyToManyField(School, blank=True, related_name="assessments")
    # Optimistic lock: every save must name the version it was read at.
    version = models.PositiveIntegerField(default=1)
    submitted_at = models.DateTimeField(null=True, blank=True)
    review_started_at = models.DateTimeField(null=True, blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)
    return_note = models.TextField(blank=True)
    finalized_at = models.DateTimeField(null=True, blank=True)
    finalized_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    coaching_notes = models.TextField(blank=True)
    next_steps = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(m2m_fields=[schools])

    class Meta:
        ordering = ["-cycle__opens_on", "coordinator"]
        constraints = [
            models.UniqueConstraint(
                fields=["coordinator", "cycle"], name="assessment_one_per_coordinator_cycle"
            ),
            models.CheckConstraint(
                condition=Q(state__in=["draft", "submitted", "returned", "finalized"]),
                name="assessment_state_valid",
            ),
        ]

    def __str__(self):
        return f"{self.coordinator} — {self.cycle}"

    @property
    def is_editable_by_coordinator(self) -> bool:
        return self.state in (self.State.DRAFT, self.State.RETURNED)


def _levels_empty_or_in_range(
    *, self_name: str, supervisor_name: str
) -> list[models.CheckConstraint]:
    """The check constraints of a row with a self_level and a supervisor_level: each is either
    not given yet or a level of the scale. The names are the constraints' names in the database."""
    return [
        models.CheckConstraint(
            condition=Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__range": LEVEL_IN_RANGE}),
            name=name,
        )
        for field, name in (("self_level", self_name), ("supervisor_level", supervisor_name))
    ]


class CoachingNotesShare(models.Model):
    """The coordinator or an org admin let one named director read the coaching notes of a
    finalized review that another director wrote (a director who inherits the coordinator
    sees the levels, notes on indicators and next steps, but not the coaching notes).
    Stopping the share deletes the row; the history keeps who shared and stopped, and when."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="coaching_notes_shares"
    )
    director = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    shared_at = models.DateTimeField()
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "director"], name="coaching_notes_shared_once"
            ),
        ]

    def __str__(self):
        return f"Coaching notes of {self.assessment} shared with {self.director}"


class Rating(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="ratings")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="ratings")
    self_level = models.PositiveSmallIntegerField(null=True, blank=True)
    self_evidence = models.TextField(blank=True)
    supervisor_level = models.PositiveSmallIntegerField(null=True, blank=True)
    supervisor_note = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator__category__order", "indicator__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "indicator"], name="rating_one_per_indicator"
            ),
            *_levels_empty_or_in_range(
                self_name="rating_self_level_in_range",
                supervisor_name="rating_supervisor_level_in_range",
            ),
        ]

    def __str__(self):
        return f"{self.indicator}: self {self.self_level}, supervisor {self.supervisor_level}"


class CategoryScore(models.Model):
    """The derived level of one category in one assessment, kept so dashboards read four rows."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="category_scores"
    )
    category_key = models.CharField(max_length=20, choices=CategoryKey.choices)
    self_level = models.PositiveSmallIntegerField(null=True, blank=True)
    supervisor_level = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "category_key"], name="category_score_unique"
            ),
            *_levels_empty_or_in_range(
                self_name="category_score_self_in_range",
                supervisor_name="category_score_supervisor_in_range",
            ),
        ]

    def __str__(self):
        return f"{self.get_category_key_display()}: {self.self_level}/{self.supervisor_level}"


class ReminderLog(models.Model):
    """Who was reminded of what on which day, so an hourly cron never repeats itself."""

    class Kind(models.TextChoices):
        SUBMIT_DUE = "submit_due", "Self-assessment due"
        REVIEW_OVERDUE = "review_overdue", "Review overdue"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="reminders")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    sent_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "recipient", "kind", "sent_on"], name="reminder_once_a_day"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} to {self.recipient} on {self.sent_on}"
