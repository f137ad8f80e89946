"""Reads of the assessments app, one module per page: the director's team (``team``), the
sheet of one assessment (``sheet``), its history (``history``) and who its coaching notes
are shared with (``coaching_notes``)."""

from assessments.selectors.coaching_notes import (
    CoachingNotesSharing,
    coaching_notes_sharing,
    current_director_of,
)
from assessments.selectors.cycles import (
    CycleHistoryEntry,
    CycleStateCount,
    cycle_history,
    cycle_state_counts,
)
from assessments.selectors.history import (
    AssessmentHistoryEntry,
    LastMove,
    assessment_history,
    assessment_last_move,
)
from assessments.selectors.sheet import (
    AgreedReference,
    AssessmentSheet,
    SheetCategory,
    SheetIndicator,
    assessment_sheet,
    previous_agreed_levels,
    sheet_conflicts,
    sheet_rows,
    unsaved_rows,
)
from assessments.selectors.team import TeamStatus, open_cycle_of, team_status

__all__ = [
    "AgreedReference",
    "CycleHistoryEntry",
    "CycleStateCount",
    "cycle_history",
    "cycle_state_counts",
    "AssessmentHistoryEntry",
    "AssessmentSheet",
    "LastMove",
    "CoachingNotesSharing",
    "SheetCategory",
    "SheetIndicator",
    "TeamStatus",
    "assessment_history",
    "assessment_last_move",
    "assessment_sheet",
    "coaching_notes_sharing",
    "current_director_of",
    "open_cycle_of",
    "previous_agreed_levels",
    "sheet_conflicts",
    "sheet_rows",
    "unsaved_rows",
    "team_status",
]
