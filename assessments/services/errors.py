"""Why a move of a cycle or an assessment was refused; each message is shown to the person."""

from assessments.models import Assessment
from rubrics.models import Indicator


class WorkflowError(Exception):
    """A move the workflow does not allow right now; the message is shown to the person."""


class StaleAssessmentError(WorkflowError):
    """The assessment was saved by someone else (or another tab) after this person loaded it."""

    def __init__(self, message: str, *, current: Assessment):
        super().__init__(message)
        self.current = current


class IncompleteAssessmentError(WorkflowError):
    """Submit or finalize refused: ``missing`` lists the indicators without a level."""

    def __init__(self, message: str, *, missing: list[Indicator]):
        super().__init__(message)
        self.missing = missing

    @classmethod
    def of(cls, missing: list[Indicator], *, choose: str, doing: str):
        """``"Choose a level for every indicator before submitting; 2 have none yet."``"""
        return cls(
            f"{choose} for every indicator before {doing}; {len(missing)} "
            f"{'has' if len(missing) == 1 else 'have'} none yet.",
            missing=missing,
        )
