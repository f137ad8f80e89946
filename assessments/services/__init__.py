"""Every write of the assessments app: cycles (``cycles``), the moves of one assessment
(``workflow``), many moves at once (``bulk``), the principal's feedback (``feedback``), the
stored category levels (``scores``) and sharing a review's coaching notes with a new
director (``sharing``). Import them from here."""

from assessments.services.bulk import AssessmentRoute, assessments_advance
from assessments.services.cycles import (
    assessment_start,
    cycle_accepts_changes,
    cycle_close,
    cycle_close_refusal,
    cycle_closes_early,
    cycle_extend,
    cycle_open,
    cycle_open_refusal,
    cycle_opens_early,
    cycle_reopen,
    cycle_reopen_refusal,
)
from assessments.services.errors import (
    IncompleteAssessmentError,
    StaleAssessmentError,
    WorkflowError,
)
from assessments.services.feedback import (
    PrincipalRatingInput,
    feedback_answer_save,
    feedback_link_mint,
    feedback_opened,
    feedback_request_resend,
    feedback_request_revoke,
    feedback_request_send,
    site_indicator_ids,
)
from assessments.services.scores import category_scores_refresh, category_scores_refresh_many
from assessments.services.sharing import coaching_notes_share, coaching_notes_unshare
from assessments.services.workflow import (
    STATE_REFUSALS,
    NextStepInput,
    RatingInput,
    assessment_acknowledge,
    assessment_claim_for_evidence,
    assessment_finalize,
    assessment_recall,
    assessment_return,
    assessment_save_review,
    assessment_save_self,
    assessment_submit,
    next_steps_from_text,
    ratings_agreeing_with_self,
)

__all__ = [
    "PrincipalRatingInput",
    "feedback_answer_save",
    "feedback_link_mint",
    "feedback_opened",
    "feedback_request_resend",
    "feedback_request_revoke",
    "feedback_request_send",
    "site_indicator_ids",
    "AssessmentRoute",
    "assessments_advance",
    "category_scores_refresh_many",
    "STATE_REFUSALS",
    "IncompleteAssessmentError",
    "NextStepInput",
    "RatingInput",
    "StaleAssessmentError",
    "WorkflowError",
    "assessment_acknowledge",
    "assessment_claim_for_evidence",
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
    "cycle_close_refusal",
    "cycle_closes_early",
    "cycle_extend",
    "cycle_open",
    "cycle_open_refusal",
    "cycle_opens_early",
    "cycle_reopen",
    "cycle_reopen_refusal",
    "next_steps_from_text",
    "ratings_agreeing_with_self",
]
