"""What the dashboards keep of their own: each organization's flag thresholds, and the
exports built in the background.

The table keeps the name it was created with (``assessments_flagthresholds``).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from coordinators.models import Organization
from coordinators.versioning import Versioned
from dashboards.flags import FLAG_LABELS


class SiteScoreRule(models.TextChoices):
    """Whose School site level the site-gap flags read in a finalized matrix (the rule is
    ``flags.site_score``)."""

    PRINCIPAL_ELSE_DIRECTOR = (
        "principal_else_director",
        "The principal's level where one exists, else the director's",
    )
    DIRECTOR = "director", "Always the director's level"
    LOWER = "lower", "The lower of the principal's and the director's"


class FlagThresholds(Versioned, models.Model):
    """The organization's tunable flag rules; the defaults are those of the flags module."""

    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, related_name="flag_thresholds"
    )
    site_gap_levels = models.PositiveSmallIntegerField(
        default=1, help_text="Coordinator at least this many levels above School site."
    )
    support_gap_levels = models.PositiveSmallIntegerField(
        default=1, help_text="Organization at least this many levels below Coordinator."
    )
    development_grace_years = models.PositiveSmallIntegerField(
        default=1, help_text="Development at Novice is flagged after this many years in role."
    )
    perception_gap_levels = models.PositiveSmallIntegerField(
        default=1, help_text="Self and supervisor differ by at least this many levels."
    )
    stalled_cycles = models.PositiveSmallIntegerField(
        default=2, help_text="Finalized cycles compared to decide whether growth stalled."
    )
    long_tenure_extra_years = models.PositiveSmallIntegerField(
        default=0, help_text="Years beyond a stage's expected span before the flag is raised."
    )
    site_score_rule = models.CharField(
        max_length=24,
        choices=SiteScoreRule.choices,
        default=SiteScoreRule.PRINCIPAL_ELSE_DIRECTOR,
        help_text="Whose School site level the site gap and site ahead flags rest on.",
    )
    agreement_grace_days = models.PositiveSmallIntegerField(
        default=45,
        help_text="Days into the school year before a site without a signed agreement is flagged.",
    )
    history = HistoricalRecords(table_name="assessments_historicalflagthresholds")

    class Meta:
        db_table = "assessments_flagthresholds"
        verbose_name_plural = "flag thresholds"
        constraints = [
            models.CheckConstraint(
                condition=Q(site_gap_levels__range=(1, 2))
                & Q(support_gap_levels__range=(1, 2))
                & Q(perception_gap_levels__range=(1, 2))
                & Q(stalled_cycles__range=(2, 10)),
                name="flag_thresholds_in_range",
            ),
            models.CheckConstraint(
                condition=Q(site_score_rule__in=["principal_else_director", "director", "lower"]),
                name="flag_thresholds_site_score_rule_valid",
            ),
        ]

    def __str__(self):
        return f"Flag thresholds for {self.organization}"


class ExportJob(models.Model):
    """A dashboard export built outside the request: who asked, with which filters, how far
    it got, and the file it made in the private storage. Only the requester downloads it;
    ``exports_expire`` deletes the file and the row after EXPORT_KEEP_DAYS."""

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "Excel (XLSX)"

    class State(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Being written"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="export_jobs"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="export_jobs"
    )
    filters = models.JSONField(default=dict, blank=True)  # the dashboard's query, as lists
    format = models.CharField(max_length=4, choices=Format.choices)
    state = models.CharField(max_length=8, choices=State.choices, default=State.QUEUED)
    rows_done = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(default=0)
    # What makes a second request the same file (the requester's reach, the filters, the
    # format, the day and the dashboard version): the same person asking again is sent here.
    reuse_key = models.CharField(max_length=200, blank=True, default="", db_index=True)
    file_name = models.CharField(max_length=255, blank=True)  # the name in the storage
    download_name = models.CharField(max_length=255, blank=True)  # the name people see
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(rows_done__lte=F("rows_total")), name="export_job_progress_in_range"
            ),
        ]

    def __str__(self):
        return f"{self.get_format_display()} export for {self.requester} ({self.state})"

    @property
    def percent(self) -> int:
        if self.state == self.State.READY:
            return 100
        return int(100 * self.rows_done / self.rows_total) if self.rows_total else 0

    @property
    def pending(self) -> bool:
        return self.state in (self.State.QUEUED, self.State.RUNNING)


LEVEL_KEYS = ("coordinator", "site", "organization", "development")
# What the reports read of a finalized row: kept in one index of the finalized rows, so a
# report reads the index, not the wide rows (their flags' words).
FINALIZED_COLUMNS = [
    "organization",
    "cycle",
    "coordinator",
    "assessment_id",
    "levels_cycle_id",
    "next_finalized_opens_on",
    *(f"{prefix}level_{key}" for prefix in ("", "next_") for key in LEVEL_KEYS),
    *(f"{who}_level_{key}" for who in ("supervisor", "self") for key in LEVEL_KEYS),
    "ratings",
    "ratings_bare",
    "review_microseconds",
    "review_team_id",
    "review_director_id",
    "support_groups",
    # The condition's own column too: SQLite (3.40) reads a row for a column its query
    # names, even one the partial index's condition fixes, unless the index holds it.
    "status",
]

# What the team dashboard counts, filters and sorts a cycle's rows by (all but the names):
# their state, levels and flags' start days, so those queries read this index, not the wide
# rows (the flags' words).
DASHBOARD_COLUMNS = [
    "cycle",
    "coordinator",
    "status",
    "levels_reviewed",
    *(f"level_{key}" for key in LEVEL_KEYS),
    *(f"{code}_from" for code in FLAG_LABELS),
]


class CoordinatorCycleRow(models.Model):
    """The read model: what the dashboards read of one coordinator as of one cycle.

    One row per coordinator and cycle of the organization, kept by ``dashboards.read_model``
    in the transaction of every write that changes it: the status of that cycle's
    assessment, the levels a heatmap cell shows, the tenure inputs, and for every flag the
    first day it is raised (``<code>_from``; None when never) as ``flags.flag_starts`` works
    it out, so the database filters, sorts and counts flags as of any day, and the flags'
    words, so a page shows a row without computing it again.
    """

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    coordinator = models.ForeignKey(
        "coordinators.CoordinatorProfile", on_delete=models.CASCADE, related_name="+"
    )
    cycle = models.ForeignKey(
        "assessments.AssessmentCycle", on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(max_length=16)  # "not_started" or the assessment's state
    assessment_id = models.IntegerField(null=True)
    # The levels a cell shows: the latest finalized up to this cycle, else this cycle's
    # submitted self levels (``levels_reviewed`` False).
    level_coordinator = models.PositiveSmallIntegerField(null=True)
    level_site = models.PositiveSmallIntegerField(null=True)
    level_organization = models.PositiveSmallIntegerField(null=True)
    level_development = models.PositiveSmallIntegerField(null=True)
    levels_reviewed = models.BooleanField(default=False)
    levels_cycle_id = models.IntegerField(null=True)
    levels_version_id = models.IntegerField(null=True)  # the rubric version that words them
    rubric_version_id = models.IntegerField(null=True)  # that of this cycle's assessment
    role_start_date = models.DateField(null=True)
    career_stage_id = models.IntegerField(null=True)
    # The coordinator's last and first names in lower case: the dashboard's name order (and
    # every other sort's ties), read from an index (``read_model_name_order``), so a page in
    # that order reads its own rows rather than sorting every coordinator of the cycle.
    sort_last_name = models.TextField(default="")
    sort_first_name = models.TextField(default="")
    # When this cycle's assessment is finalized and the coordinator has a later finalized
    # one: the day that next cycle opened and its levels (the supervisor's, else the self
    # level), so the impact report counts how levels moved with GROUP BY over the rows.
    next_finalized_opens_on = models.DateField(null=True)
    next_level_coordinator = models.PositiveSmallIntegerField(null=True)
    next_level_site = models.PositiveSmallIntegerField(null=True)
    next_level_organization = models.PositiveSmallIntegerField(null=True)
    next_level_development = models.PositiveSmallIntegerField(null=True)
    # When this cycle's assessment is finalized: its supervisor and self levels per category
    # and how many ratings it has, all and with neither evidence nor a supervisor note, so
    # calibration sums the rows instead of reading every rating.
    supervisor_level_coordinator = models.PositiveSmallIntegerField(null=True)
    supervisor_level_site = models.PositiveSmallIntegerField(null=True)
    supervisor_level_organization = models.PositiveSmallIntegerField(null=True)
    supervisor_level_development = models.PositiveSmallIntegerField(null=True)
    self_level_coordinator = models.PositiveSmallIntegerField(null=True)
    self_level_site = models.PositiveSmallIntegerField(null=True)
    self_level_organization = models.PositiveSmallIntegerField(null=True)
    self_level_development = models.PositiveSmallIntegerField(null=True)
    ratings = models.PositiveIntegerField(default=0)
    ratings_bare = models.PositiveIntegerField(default=0)
    # How long its review took, from submitted to finalized, in microseconds (None when a
    # time is missing): calibration compares it with the cycle's review window.
    review_microseconds = models.BigIntegerField(null=True)
    # When finalized: its review's team (the assessment's) and that team's director now, so
    # calibration groups the rows without joining each to its assessment, team and director
    # (the director is written again when the organization's structure changes).
    review_team_id = models.IntegerField(null=True)
    review_director_id = models.IntegerField(null=True)
    # When it has a next finalized cycle: the support groups the coordinator had from this
    # cycle's opening to the day before that one's (``read_model.SupportsHad``), each between
    # commas (",entry:3,kind:pd,"; "" for none), so the impact report groups its steps by
    # them instead of asking for each group whether a support or mentoring match falls there.
    support_groups = models.TextField(default="", blank=True)
    site_gap_from = models.DateField(null=True)
    site_ahead_from = models.DateField(null=True)
    support_gap_from = models.DateField(null=True)
    development_gap_from = models.DateField(null=True)
    perception_gap_from = models.DateField(null=True)
    site_perception_from = models.DateField(null=True)
    stalled_from = models.DateField(null=True)
    overdue_from = models.DateField(null=True)
    ready_for_promotion_from = models.DateField(null=True)
    long_tenure_from = models.DateField(null=True)
    no_check_in_from = models.DateField(null=True)
    no_agreement_from = models.DateField(null=True)
    not_acknowledged_from = models.DateField(null=True)
    # Each flag that has a start, in words whatever the day (``flags.FlagWords.as_json``):
    # the page fills in the years and days as of its day and shows them as they are.
    flag_words = models.JSONField(default=dict)
    # When the row was last written: a row that changes is written again (the read API's
    # flags since a time). Not one of the computed values compared on refresh.
    written_at = models.DateTimeField(auto_now_add=True)
    # This cycle's assessment (``assessment_id``), to join in a query: no column of its own.
    assessment = models.ForeignObject(
        "assessments.Assessment",
        on_delete=models.DO_NOTHING,
        from_fields=["assessment_id"],
        to_fields=["id"],
        related_name="+",
        null=True,
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["coordinator", "cycle"], name="read_model_one_row_per_coordinator_cycle"
            )
        ]
        indexes = [
            models.Index(fields=["organization", "cycle"], name="read_model_org_cycle"),
            models.Index(
                fields=FINALIZED_COLUMNS,
                condition=Q(status="finalized"),
                name="read_model_finalized",
            ),
            models.Index(fields=DASHBOARD_COLUMNS, name="read_model_dashboard"),
            models.Index(
                fields=["cycle", "sort_last_name", "sort_first_name", "coordinator"],
                name="read_model_name_order",
            ),
        ]

    def __str__(self):
        return f"Dashboard row of coordinator {self.coordinator_id} in cycle {self.cycle_id}"


class DashboardVersion(models.Model):
    """A number per organization that every write changing what its dashboards show moves
    on, in that write's transaction: the rendered-fragment cache keys on it, so every server
    stops serving an old fragment the moment the write commits."""

    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, related_name="+", primary_key=True
    )
    version = models.PositiveBigIntegerField(default=0)

    def __str__(self):
        return f"Dashboards of {self.organization_id} at version {self.version}"


class CheckInDigestLog(models.Model):
    """A director's weekly digest of coordinators without a check-in, once per week: the
    command that sends it may run as often as cron likes."""

    director = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    week_of = models.DateField(help_text="The Monday of the week the digest covers.")
    coordinators = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["director", "week_of"], name="one_digest_a_week"),
        ]

    def __str__(self):
        return f"Check-in digest for {self.director} in the week of {self.week_of}"


class CycleSummary(models.Model):
    """What the overview's trend shows of one cycle, counted over the cycle's read-model rows
    and kept with them (``read_model.summaries_refresh``, or ``summaries_adjust`` by the
    change of a few coordinators' rows, in the transaction of every write that changes one
    of those rows), so the trend reads one row per cycle rather than every
    assessment of every cycle. ``counts``: ``states``, a list of [state, rubric version id,
    assessments]; ``levels``, per category key the finalized assessments per level
    (``{"coordinator": {"1": 4, "3": 2}, …}``)."""

    cycle = models.OneToOneField(
        "assessments.AssessmentCycle", on_delete=models.CASCADE, related_name="+", primary_key=True
    )
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    counts = models.JSONField(default=dict)

    def __str__(self):
        return f"Trend counts of cycle {self.cycle_id}"


class CycleOverviewCounts(models.Model):
    """What the organization overview counts of one cycle's read-model rows (per team, level
    and school site), kept so that the overview reads one row rather than a row per person
    (``dashboards/overview_counts.py``). The counts hold for the days from ``counted_on`` until
    ``changes_on``, the first day after it that a flag starts (none: every later day)."""

    cycle = models.OneToOneField(
        "assessments.AssessmentCycle", on_delete=models.CASCADE, related_name="+", primary_key=True
    )
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    counted_on = models.DateField()
    changes_on = models.DateField(null=True)
    counts = models.JSONField(default=dict)

    def __str__(self):
        return f"Overview counts of cycle {self.cycle_id} as of {self.counted_on}"
