from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from assessments.models import NextStepItem
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


# Between cycles: check-ins and mentoring ----------------------------------------------------


class CoachingAction(models.Model):
    """One kind of coaching that can happen in a check-in ("Co-planned"); the org admin keeps
    the short list. An action taken off the list stays on the check-ins that name it."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="coaching_actions"
    )
    name = models.CharField(max_length=80)
    order = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name"], name="coaching_action_unique_in_org"
            ),
        ]

    def __str__(self):
        return self.name


class CheckInCadence(Versioned, models.Model):
    """How often a team's coordinators should have a check-in. ``since`` is the day the
    cadence was set: someone without any check-in is counted from then (or from their first
    day in role, whichever is later)."""

    team = models.OneToOneField(
        "coordinators.Team", on_delete=models.CASCADE, related_name="check_in_cadence"
    )
    every_days = models.PositiveSmallIntegerField()
    since = models.DateField()
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(every_days__range=(7, 365)), name="cadence_days_in_range"
            ),
        ]

    def __str__(self):
        return f"{self.team}: every {self.every_days} days"


class CheckIn(Versioned, models.Model):
    """A dated conversation between a coordinator and their director or mentor, between the
    cycles: who took part, goals touched, notes (private to the author and the coordinator
    when marked so), coaching actions and next steps."""

    coordinator = models.ForeignKey(
        CoordinatorProfile, on_delete=models.CASCADE, related_name="check_ins"
    )
    held_on = models.DateField()
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="check_ins_written")
    participants = models.CharField(max_length=200, blank=True)
    notes = models.TextField(blank=True)
    notes_private = models.BooleanField(default=False)
    coaching_actions = models.ManyToManyField(CoachingAction, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["coordinator", "held_on"], name="check_in_by_day")]

    def __str__(self):
        return f"Check-in with {self.coordinator} on {self.held_on}"


class CheckInGoal(models.Model):
    """A goal a check-in touched: the progress said about it, and the status it was moved to
    (blank when it stayed as it was)."""

    check_in = models.ForeignKey(CheckIn, on_delete=models.CASCADE, related_name="goal_notes")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="check_in_notes")
    progress = models.TextField(blank=True)
    new_status = models.CharField(max_length=20, choices=Goal.Status.choices, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["check_in", "goal"], name="check_in_goal_once"),
        ]

    def __str__(self):
        return f"{self.goal} in {self.check_in}"


class CheckInNextStep(NextStepItem):
    """A next step agreed in a check-in."""

    check_in = models.ForeignKey(CheckIn, on_delete=models.CASCADE, related_name="next_step_items")

    class Meta(NextStepItem.Meta):
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="check_in_next_step_has_text"),
        ]


class MentoringProgramme(Versioned, models.Model):
    """The organization's mentoring programme: who may mentor (people at the chosen career
    stages, and those who offered), how many mentees each takes, and its period."""

    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, related_name="mentoring_programme"
    )
    mentor_stages = models.ManyToManyField(CareerStage, blank=True, related_name="+")
    capacity = models.PositiveSmallIntegerField(default=2)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__range=(1, 20)), name="programme_capacity_in_range"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="programme_period_in_order",
            ),
        ]

    def __str__(self):
        return f"Mentoring programme of {self.organization}"


class MentorOffer(models.Model):
    """A person who said they are willing to mentor, whatever their career stage."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="mentor_offer")
    offered_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.user} offers to mentor"


class MentorNeed(models.Model):
    """A director chose this coordinator to get a mentor."""

    profile = models.OneToOneField(
        CoordinatorProfile, on_delete=models.CASCADE, related_name="mentor_need"
    )
    noted_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    noted_on = models.DateField()

    def __str__(self):
        return f"{self.profile} needs a mentor"


class MentoringMatch(Versioned, models.Model):
    """A mentor and a mentee from a start to an (optional) end: the one record of mentoring.
    A person was mentored on a day when one of their matches was active then."""

    mentor = models.ForeignKey(User, on_delete=models.PROTECT, related_name="mentoring_matches")
    mentee = models.ForeignKey(
        CoordinatorProfile, on_delete=models.CASCADE, related_name="mentoring_matches"
    )
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    goals = models.ManyToManyField(Goal, blank=True, related_name="mentoring_matches")
    notes = models.TextField(blank=True)
    confirmed_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="match_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.mentor} mentors {self.mentee} from {self.starts_on}"

    def active_on(self, day) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)
