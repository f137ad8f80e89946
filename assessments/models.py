from urllib.parse import urlencode

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.models import F, Q
from simple_history import utils as history_utils
from simple_history.models import HistoricalRecords

from coordinators.models import CoordinatorProfile, Organization, School, Team
from coordinators.prepared import Call, Prepared
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
    # The rubric version of each role family that was current when the cycle opened: every
    # assessment of the cycle, including one started later, is made against it.
    rubric_versions = models.ManyToManyField(
        RubricVersion, blank=True, related_name="pinned_by_cycles"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

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


class HistoryWithLinks(HistoricalRecords):
    """simple_history's records, but a history row's copy of the object's many-to-many links
    (an assessment's school sites, as they were) is one ``INSERT … SELECT``: the library reads
    the links with their objects joined and inserts them back, two round trips and a join on
    every move of an assessment. The same rows, without the library's signals around them
    (nothing here listens to those)."""

    def create_historical_record_m2ms(self, history_instance, instance):
        connection = connections[history_instance._state.db or DEFAULT_DB_ALIAS]
        quote = connection.ops.quote_name
        for field in history_instance._history_m2m_fields:
            copies = self.m2m_models[field]._meta
            through = getattr(instance, field.name).through._meta
            fields = through.concrete_fields
            owner = through.get_field(history_utils.get_m2m_field_name(field)).column
            targets = [quote(copies.get_field(f.name).column) for f in fields]
            with connection.cursor() as cursor:
                cursor.execute(
                    f"INSERT INTO {quote(copies.db_table)} "
                    f"({', '.join(targets)}, {quote(copies.get_field('history').column)}) "
                    f"SELECT {', '.join(quote(f.column) for f in fields)}, %s "
                    f"FROM {quote(through.db_table)} WHERE {quote(owner)} = %s",
                    [history_instance.pk, instance.pk],
                )


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
    # The coordinator read the finalized review ("I have read this review"), with a response
    # of their own that the director reads and that never changes a level.
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledgement_response = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoryWithLinks(m2m_fields=[schools])

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


class EvidenceKind(models.TextChoices):
    """The kinds of file people may attach as evidence, each recognised by its content."""

    PDF = "pdf", "PDF documents"
    IMAGE = "image", "Photos and images (PNG, JPEG, GIF, WebP)"
    OFFICE = "office", "Office documents (Word, Excel, PowerPoint, OpenDocument)"
    TEXT = "text", "Plain text and CSV"


def all_evidence_kinds() -> list[str]:
    return list(EvidenceKind.values)


class ReviewSettings(Versioned, models.Model):
    """How an organization runs its reviews: whether coordinators acknowledge a finalized
    review and when an unacknowledged one needs attention, the kinds of evidence files it
    accepts (its admin may narrow the list) and its storage quota (None: the installation's
    ``EVIDENCE_ORG_QUOTA_MB``; only the Django admin changes it). No row means the defaults."""

    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, related_name="review_settings"
    )
    acknowledgement_on = models.BooleanField(default=True)
    acknowledgement_overdue_days = models.PositiveSmallIntegerField(default=14)
    evidence_kinds = models.JSONField(default=all_evidence_kinds)
    evidence_quota_mb = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "review settings"
        constraints = [
            models.CheckConstraint(
                condition=Q(acknowledgement_overdue_days__gte=1),
                name="review_settings_overdue_days_positive",
            ),
        ]

    def __str__(self):
        return f"Review settings of {self.organization}"

    @property
    def quota_bytes(self) -> int:
        return (self.evidence_quota_mb or settings.EVIDENCE_ORG_QUOTA_MB) * 1024 * 1024


_review_settings = Prepared(
    lambda _shape, organization: ReviewSettings.objects.filter(organization_id=organization),
    "organization",
)


def review_settings_call(organization_id: int) -> Call:
    """The read of ``review_settings_of``, for a page's round trip (``review_settings_from``
    takes its answer)."""
    return _review_settings.call(first=True, organization=organization_id)


def review_settings_from(found: ReviewSettings | None, organization_id: int) -> ReviewSettings:
    return found or ReviewSettings(organization_id=organization_id)


def review_settings_of(organization_id: int) -> ReviewSettings:
    """The organization's settings, or the defaults (unsaved) when it never changed them."""
    found = review_settings_call(organization_id).alone("default")
    return review_settings_from(found, organization_id)


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


# Where an assessment read for a page keeps the ratings read with it, with the version they
# were read at: (version, [Rating, …]) (assessments.selectors.sheet). A save that goes on with
# that object writes from them rather than reading them again.
RATINGS_READ = "_ratings_read"


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


class NextStepItem(models.Model):
    """One agreed next step: what to do, optionally who does it and by when. Abstract, so each
    conversation that agrees on next steps (a review, a later check-in) keeps its own rows with
    the same fields, form (``assessments.forms.NextStepForm``) and template
    (``components/next_steps.html``)."""

    text = models.TextField()
    owner = models.CharField(max_length=120, blank=True)
    due_on = models.DateField(null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["order", "pk"]

    def __str__(self):
        return self.text

    @property
    def goal_query(self) -> str:
        """The query string that opens a growth goal form with this step filled in."""
        query = {"notes": self.text}
        if self.due_on:
            query["target_date"] = self.due_on.isoformat()
        return urlencode(query)

    @property
    def as_line(self) -> str:
        """The step as one line of plain text, as emails, exports and the history show it."""
        due = self.due_on and f"by {self.due_on.day} {self.due_on:%b %Y}"
        extras = [part for part in (self.owner, due) if part]
        return f"{self.text} ({', '.join(extras)})" if extras else self.text


class ReviewNextStep(NextStepItem):
    """A next step agreed in the director's review of one assessment."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="next_step_items"
    )

    class Meta(NextStepItem.Meta):
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="review_next_step_has_text"),
        ]


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


# The principal's feedback ---------------------------------------------------------------------


class PrincipalFeedbackSettings(Versioned, models.Model):
    """An organization's choices about the principal's feedback: whether a coordinator may
    send requests for their own assessment, and whether the principal's page also asks about
    the coordinator's collaboration in their own words."""

    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, related_name="principal_feedback_settings"
    )
    coordinators_may_send = models.BooleanField(
        default=False,
        verbose_name="Coordinators may ask their principals themselves",
        help_text="Directors and org admins always can.",
    )
    ask_about_collaboration = models.BooleanField(
        default=False,
        verbose_name="Ask principals about the coordinator's collaboration",
        help_text="One more question on the principal's page, answered in their own words "
        "(no levels).",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "principal feedback settings"

    def __str__(self):
        return f"Principal feedback settings of {self.organization}"


class FeedbackRequest(models.Model):
    """One school's principal asked for their view of the School site indicators of one
    assessment, through a link that needs no account. One per assessment and school.

    The link's token is stored only as its SHA-256 digest; it works until the assessment is
    finalized or ``expires_at``, whichever comes first, and not once revoked. "Expired" is
    not stored: it is a request still waiting for an answer whose link no longer works.
    """

    class State(models.TextChoices):
        SENT = "sent", "Sent"
        OPENED = "opened", "Opened"
        ANSWERED = "answered", "Answered"
        REVOKED = "revoked", "Revoked"

    VALID_DAYS = 30

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="feedback_requests"
    )
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="feedback_requests")
    principal_name = models.CharField(max_length=200)
    principal_email = models.EmailField(max_length=254)
    token_digest = models.CharField(max_length=64, null=True, blank=True, unique=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.SENT)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    sent_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    opened_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    # The principal's School site level, from their indicator levels by the one score rule.
    site_level = models.PositiveSmallIntegerField(null=True, blank=True)
    overall_comment = models.TextField(blank=True)
    collaboration = models.TextField(blank=True)
    history = HistoricalRecords(excluded_fields=["token_digest"])

    class Meta:
        ordering = ["school__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "school"], name="feedback_request_one_per_school"
            ),
            models.CheckConstraint(
                condition=Q(state__in=["sent", "opened", "answered", "revoked"]),
                name="feedback_request_state_valid",
            ),
            models.CheckConstraint(
                condition=Q(site_level__isnull=True) | Q(site_level__range=LEVEL_IN_RANGE),
                name="feedback_request_site_level_in_range",
            ),
        ]

    def __str__(self):
        return f"Feedback from {self.principal_name} ({self.school}) on {self.assessment}"

    def link_works(self, now) -> bool:
        """Whether the link opens the principal's form at ``now``."""
        return (
            self.state != self.State.REVOKED
            and now < self.expires_at
            and self.assessment.state != Assessment.State.FINALIZED
        )

    def shown_state(self, now) -> str:
        """sent, opened, answered, expired or revoked, as the request page lists it."""
        if self.state in (self.State.SENT, self.State.OPENED) and not self.link_works(now):
            return "expired"
        return self.state


class PrincipalRating(models.Model):
    """The principal's level of one School site indicator, with an optional comment."""

    request = models.ForeignKey(FeedbackRequest, on_delete=models.CASCADE, related_name="ratings")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["request", "indicator"], name="principal_rating_one_per_indicator"
            ),
            models.CheckConstraint(
                condition=Q(level__range=LEVEL_IN_RANGE), name="principal_rating_level_in_range"
            ),
        ]

    def __str__(self):
        return f"{self.indicator}: principal {self.level}"
