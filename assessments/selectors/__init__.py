"""Reads of the assessments app, one module per page: the director's team (``team``), the
sheet of one assessment (``sheet``), its history (``history``) and who its coaching notes
are shared with (``coaching_notes``)."""

from assessments.selectors.coaching_notes import (
    CoachingNotesSharing,
    coaching_notes_sharing,
    current_director_of,
)
from assessments.selectors.history import AssessmentHistoryEntry, assessment_history
from assessments.selectors.sheet import (
    AssessmentSheet,
    SheetCategory,
    SheetIndicator,
    assessment_sheet,
    sheet_conflicts,
    sheet_rows,
)
from assessments.selectors.team import TeamStatus, open_cycle_of, team_status

__all__ = [
    "AssessmentHistoryEntry",
    "AssessmentSheet",
    "CoachingNotesSharing",
    "SheetCategory",
    "SheetIndicator",
    "TeamStatus",
    "assessment_history",
    "assessment_sheet",
    "coaching_notes_sharing",
    "current_director_of",
    "open_cycle_of",
    "sheet_conflicts",
    "sheet_rows",
    "team_status",
]
