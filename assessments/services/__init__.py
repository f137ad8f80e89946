"""Every write of the assessments app: cycles (``cycles``), the moves of one assessment
(``workflow``), many moves at once (``bulk``), the stored category levels (``scores``)
and sharing a review's coaching notes with a new director (``sharing``). Import them from
here."""

from assessments.services.bulk import AssessmentRoute, assessments_advance
from assessments.services.cycles import (
    assessment_start,
    cycle_accepts_changes,
    cycle_close,
    cycle_open,
)
from assessments.services.errors import (
    IncompleteAssessmentError,
    StaleAssessmentError,
    WorkflowError,
)
from assessments.services.scores import category_scores_refresh, category_scores_refresh_many
from assessments.services.sharing import coaching_notes_share, coaching_notes_unshare
from assessments.services.workflow import (
    STATE_REFUSALS,
    RatingInput,
    assessment_finalize,
    assessment_recall,
    assessment_return,
    assessment_save_review,
    assessment_save_self,
    assessment_submit,
)

__all__ = [
    "AssessmentRoute",
    "assessments_advance",
    "category_scores_refresh_many",
    "STATE_REFUSALS",
    "IncompleteAssessmentError",
    "RatingInput",
    "StaleAssessmentError",
    "WorkflowError",
    "assessment_finalize",
    "assessment_recall",
    "assessment_return",
    "assessment_save_review",
    "assessment_save_self",
    "assessment_start",
    "assessment_submit",
    "category_scores_refresh",
    "coaching_notes_share",
    "coaching_notes_unshare",
    "cycle_accepts_changes",
    "cycle_close",
    "cycle_open",
]
