"""Reads of the assessments app, one module per page: the director's team (``team``), the
sheet of one assessment (``sheet``) and its history (``history``)."""

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
    "SheetCategory",
    "SheetIndicator",
    "TeamStatus",
    "assessment_history",
    "assessment_sheet",
    "open_cycle_of",
    "sheet_conflicts",
    "sheet_rows",
    "team_status",
]
