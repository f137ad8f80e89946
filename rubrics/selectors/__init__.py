"""Reads of the rubric editor, each a fixed handful of queries whatever the rubric's size: a
version as a grid and its gaps (``grid``), the families and versions lists (``versions``),
the comparison of two versions (``comparison``) and a version's history (``history``)."""

from rubrics.selectors.comparison import (
    CategoryDiff,
    CellDiff,
    IndicatorDiff,
    VersionComparison,
    rubric_versions_compare,
    text_diff,
)
from rubrics.selectors.grid import (
    GridCategory,
    GridCell,
    GridIndicator,
    RubricGrid,
    RubricProblem,
    rubric_grid_problems,
    rubric_version_matrix,
    rubric_version_problems,
)
from rubrics.selectors.history import RubricHistoryEntry, rubric_version_history
from rubrics.selectors.versions import (
    open_assessments_on_current,
    role_families_overview,
    rubric_versions_with_usage,
)

__all__ = [
    "open_assessments_on_current",
    "CategoryDiff",
    "CellDiff",
    "GridCategory",
    "GridCell",
    "GridIndicator",
    "IndicatorDiff",
    "RubricGrid",
    "RubricHistoryEntry",
    "RubricProblem",
    "VersionComparison",
    "role_families_overview",
    "rubric_grid_problems",
    "rubric_version_history",
    "rubric_version_matrix",
    "rubric_version_problems",
    "rubric_versions_compare",
    "rubric_versions_with_usage",
    "text_diff",
]
