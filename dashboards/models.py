"""What the dashboards keep of their own: each organization's flag thresholds.

The table keeps the name it was created with (``assessments_flagthresholds``).
"""

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from coordinators.models import Organization
from coordinators.versioning import Versioned


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
        ]

    def __str__(self):
        return f"Flag thresholds for {self.organization}"
