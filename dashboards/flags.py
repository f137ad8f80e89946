"""The dashboards' flags, as pure functions of plain data.

No database access here: selectors turn rows into the dataclasses below, and the
dashboards, exports, emails and the coordinator page all call :func:`flags_for` (or one rule)
and show the same explanation in words. Every rule returns a :class:`Flag` or ``None``.

Which levels a rule reads:

- the gaps between categories (site gap, site ahead, support gap, development gap) read the
  *current* matrix: the latest finalized assessment, else the submitted self-assessment
  (then the explanation says it is not yet reviewed);
- perception gap, stalled and ready for promotion read only finalized assessments, because
  only they carry agreed supervisor levels;
- overdue reads the state of the chosen cycle's assessment;
- tenure rules count whole calendar years from the first day in role.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import pairwise

from coordinators.tenure import add_years, day_words, whole_years, years_words
from growth.careers import Stage
from rubrics.vocabulary import (
    CATEGORY_KEYS,
    COORDINATOR,
    DEFAULT_NAMES,
    DEVELOPMENT,
    MAX_LEVEL,
    MIN_LEVEL,
    ORGANIZATION,
    SITE,
    Names,
)

SITE_GAP = "site_gap"
SITE_AHEAD = "site_ahead"
SUPPORT_GAP = "support_gap"
DEVELOPMENT_GAP = "development_gap"
PERCEPTION_GAP = "perception_gap"
STALLED = "stalled"
OVERDUE = "overdue"
READY_FOR_PROMOTION = "ready_for_promotion"
LONG_TENURE = "long_tenure"

# Every flag, in the order dashboards show them, with its short label.
FLAG_LABELS = {
    SITE_GAP: "Site gap",
    SITE_AHEAD: "Site ahead of coordinator",
    SUPPORT_GAP: "Support gap",
    DEVELOPMENT_GAP: "Development gap",
    PERCEPTION_GAP: "Perception gap",
    STALLED: "Stalled",
    OVERDUE: "Overdue",
    READY_FOR_PROMOTION: "Ready for promotion",
    LONG_TENURE: "Long tenure without advancement",
}
# What each flag means, for legends and the threshold page.
FLAG_HELP = {
    SITE_GAP: "Coordinator category above School site: a strong coordinator at a weaker site.",
    SITE_AHEAD: "School site category above Coordinator: the site is ahead of its coordinator.",
    SUPPORT_GAP: "Organizational supports below the Coordinator category.",
    DEVELOPMENT_GAP: "Development still Novice after the first year in role.",
    PERCEPTION_GAP: "Self and supervisor levels differ in a category.",
    STALLED: "No category rose across the last finalized cycles, or one fell.",
    OVERDUE: "Self-assessment past its due date, or a review past its window.",
    READY_FOR_PROMOTION: "Latest finalized matrix and tenure meet the next career stage.",
    LONG_TENURE: "Years in role beyond the career stage's expected span.",
}

NOT_STARTED = None
SUBMITTED_STATES = ("submitted", "finalized")


@dataclass(frozen=True, slots=True)
class Thresholds:
    """An organization's tunable rules; the defaults are the product's own."""

    site_gap_levels: int = 1
    support_gap_levels: int = 1
    development_grace_years: int = 1
    perception_gap_levels: int = 1
    stalled_cycles: int = 2
    long_tenure_extra_years: int = 0

    @classmethod
    def from_row(cls, row) -> Thresholds:
        """From any object with the same attributes (a FlagThresholds row), or defaults."""
        if row is None:
            return cls()
        return cls(**{name: getattr(row, name) for name in cls.__dataclass_fields__})


@dataclass(frozen=True, slots=True)
class CategoryLevels:
    """The four category levels of one assessment.

    ``levels`` are the ones that count: the supervisor's once finalized, else the self levels.
    """

    cycle_name: str
    levels: Mapping[str, int | None]
    self_levels: Mapping[str, int | None] = field(default_factory=dict)
    supervisor_levels: Mapping[str, int | None] = field(default_factory=dict)
    finalized: bool = True
    names: Names = DEFAULT_NAMES

    def level(self, key: str) -> int | None:
        return self.levels.get(key)

    def says(self, key: str) -> str:
        """``"School site: Novice"``."""
        return f"{self.names.category(key)}: {self.names.level(self.level(key))}"


@dataclass(frozen=True, slots=True)
class CycleStatus:
    """Where a coordinator's assessment of one cycle stands, for the overdue rule."""

    cycle_name: str
    due_on: date
    review_window_days: int
    state: str | None = NOT_STARTED  # draft, returned, submitted, finalized, or None
    submitted_on: date | None = None


@dataclass(frozen=True, slots=True)
class CoordinatorFacts:
    """Everything the flags need to know about one coordinator, as of ``today``."""

    today: date
    role_start_date: date | None = None
    current: CategoryLevels | None = None
    # Oldest first; the last is the latest finalized.
    finalized_history: Sequence[CategoryLevels] = ()
    cycle: CycleStatus | None = None
    stage: Stage | None = None
    next_stage: Stage | None = None


@dataclass(frozen=True, slots=True)
class Flag:
    code: str
    explanation: str
    categories: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return FLAG_LABELS[self.code]

    @property
    def order(self) -> int:
        return list(FLAG_LABELS).index(self.code)


# Words -----------------------------------------------------------------------------------

_NUMBER_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five"}


def levels_apart(difference: int) -> str:
    """``"two levels"``."""
    words = _NUMBER_WORDS.get(abs(difference), str(abs(difference)))
    return f"{words} level{'s' if abs(difference) != 1 else ''}"


def _unreviewed(matrix: CategoryLevels) -> str:
    return "" if matrix.finalized else " (self-assessment, not yet reviewed)"


# The rules -------------------------------------------------------------------------------


def _gap(matrix: CategoryLevels | None, higher: str, lower: str, threshold: int) -> int | None:
    """How far ``higher`` is above ``lower`` when that is at least ``threshold``, else None."""
    if matrix is None:
        return None
    high, low = matrix.level(higher), matrix.level(lower)
    if high is None or low is None or high - low < max(threshold, 1):
        return None
    return high - low


def site_gap(matrix: CategoryLevels | None, thresholds: Thresholds) -> Flag | None:
    """Coordinator at least ``site_gap_levels`` above School site: a strong coordinator at a
    weaker site."""
    gap = _gap(matrix, COORDINATOR, SITE, thresholds.site_gap_levels)
    if gap is None:
        return None
    return Flag(
        SITE_GAP,
        f"{matrix.says(SITE)}, {matrix.says(COORDINATOR)} — {levels_apart(gap)} apart"
        f"{_unreviewed(matrix)}",
        (SITE, COORDINATOR),
    )


def site_ahead(matrix: CategoryLevels | None, thresholds: Thresholds) -> Flag | None:
    """The reverse of the site gap: School site at least ``site_gap_levels`` above Coordinator."""
    gap = _gap(matrix, SITE, COORDINATOR, thresholds.site_gap_levels)
    if gap is None:
        return None
    return Flag(
        SITE_AHEAD,
        f"{matrix.says(COORDINATOR)}, {matrix.says(SITE)} — the site is {levels_apart(gap)} "
        f"ahead of its coordinator{_unreviewed(matrix)}",
        (COORDINATOR, SITE),
    )


def support_gap(matrix: CategoryLevels | None, thresholds: Thresholds) -> Flag | None:
    """Organizational supports at least ``support_gap_levels`` below Coordinator."""
    gap = _gap(matrix, COORDINATOR, ORGANIZATION, thresholds.support_gap_levels)
    if gap is None:
        return None
    return Flag(
        SUPPORT_GAP,
        f"{matrix.says(ORGANIZATION)}, {matrix.says(COORDINATOR)} — supports "
        f"{levels_apart(gap)} below the coordinator{_unreviewed(matrix)}",
        (ORGANIZATION, COORDINATOR),
    )


def development_gap(
    matrix: CategoryLevels | None, role_start_date: date | None, today: date, thresholds: Thresholds
) -> Flag | None:
    """Development at the lowest level once ``development_grace_years`` in role have passed
    (from that anniversary on)."""
    if matrix is None or role_start_date is None or matrix.level(DEVELOPMENT) != MIN_LEVEL:
        return None
    grace = thresholds.development_grace_years
    if today < add_years(role_start_date, grace):
        return None
    years = whole_years(role_start_date, today)
    return Flag(
        DEVELOPMENT_GAP,
        f"{matrix.says(DEVELOPMENT)} after {years_words(years)} in role (expected above "
        f"{matrix.names.level(MIN_LEVEL)} after {years_words(grace)}){_unreviewed(matrix)}",
        (DEVELOPMENT,),
    )


def perception_gap(matrix: CategoryLevels | None, thresholds: Thresholds) -> Flag | None:
    """Self and supervisor levels at least ``perception_gap_levels`` apart in any category of a
    finalized matrix."""
    if matrix is None or not matrix.finalized:
        return None
    parts, keys = [], []
    for key in CATEGORY_KEYS:
        own, supervisor = matrix.self_levels.get(key), matrix.supervisor_levels.get(key)
        if own is None or supervisor is None:
            continue
        difference = own - supervisor
        if abs(difference) >= max(thresholds.perception_gap_levels, 1):
            keys.append(key)
            parts.append(
                f"{matrix.names.category(key)}: self {matrix.names.level(own)}, supervisor "
                f"{matrix.names.level(supervisor)} ({levels_apart(difference)} apart)"
            )
    if not keys:
        return None
    return Flag(PERCEPTION_GAP, f"In {matrix.cycle_name} — " + "; ".join(parts) + ".", tuple(keys))


def stalled(history: Sequence[CategoryLevels], thresholds: Thresholds) -> Flag | None:
    """Across the last ``stalled_cycles`` finalized matrices, any category fell from one to the
    next, or none rose from the first to the last.

    A category already at the top level cannot rise, so a matrix at the top everywhere is not
    stalled; categories without a level on either end are left out. Fewer finalized matrices
    than the window means there is not enough history to say.
    """
    window = max(thresholds.stalled_cycles, 2)
    if len(history) < window:
        return None
    recent = list(history)[-window:]
    first, last = recent[0], recent[-1]
    names = last.names
    span = f"{first.cycle_name} to {last.cycle_name}"
    falls = []
    for key in CATEGORY_KEYS:
        for before, after in pairwise(recent):
            old, new = before.level(key), after.level(key)
            if old is not None and new is not None and new < old:
                falls.append(
                    (
                        key,
                        f"{names.category(key)} fell from {names.level(old)} to "
                        f"{names.level(new)} ({before.cycle_name} to {after.cycle_name})",
                    )
                )
                break
    if falls:
        return Flag(
            STALLED, "; ".join(text for _key, text in falls) + ".", tuple(k for k, _ in falls)
        )
    compared = [
        key for key in CATEGORY_KEYS if first.level(key) is not None and last.level(key) is not None
    ]
    could_rise = [key for key in compared if first.level(key) < MAX_LEVEL]
    if not could_rise or any(last.level(key) > first.level(key) for key in compared):
        return None
    stays = ", ".join(
        f"{names.category(key)} stayed {names.level(last.level(key))}" for key in could_rise
    )
    return Flag(STALLED, f"No category rose from {span}: {stays}.", tuple(could_rise))


def overdue(
    status: CycleStatus | None, today: date, role_start_date: date | None = None
) -> Flag | None:
    """Past the cycle's due date and not submitted, or submitted and not finalized within the
    review window (counted from the day of submission). Someone who started after the due
    date is not late."""
    if status is None:
        return None
    if role_start_date is not None and role_start_date > status.due_on:
        return None
    if status.state not in SUBMITTED_STATES:
        if today <= status.due_on:
            return None
        late = (today - status.due_on).days
        what = "not started" if status.state is NOT_STARTED else "not submitted"
        return Flag(
            OVERDUE,
            f"Self-assessment for {status.cycle_name} was due on {day_words(status.due_on)} and "
            f"is {what} — {late} day{'s' if late != 1 else ''} late",
        )
    if status.state == "submitted" and status.submitted_on is not None:
        review_due = status.submitted_on + timedelta(days=status.review_window_days)
        if today <= review_due:
            return None
        late = (today - review_due).days
        return Flag(
            OVERDUE,
            f"Submitted on {day_words(status.submitted_on)}; the review was due within "
            f"{status.review_window_days} days, by {day_words(review_due)} — "
            f"{late} day{'s' if late != 1 else ''} late",
        )
    return None


def ready_for_promotion(
    latest_finalized: CategoryLevels | None,
    role_start_date: date | None,
    today: date,
    next_stage: Stage | None,
) -> Flag | None:
    """The latest finalized matrix meets every minimum of the next career stage, and the years
    in role have reached the stage's expected start."""
    if latest_finalized is None or next_stage is None or role_start_date is None:
        return None
    matrix = latest_finalized
    for key in CATEGORY_KEYS:
        level = matrix.level(key)
        if level is None or level < next_stage.minimums.get(key, MIN_LEVEL):
            return None
    if today < add_years(role_start_date, next_stage.expected_years_from):
        return None
    names = matrix.names
    meets = ", ".join(
        f"{names.category(key)} {names.level(matrix.level(key))} "
        f"(needs {names.level(next_stage.minimums.get(key, MIN_LEVEL))})"
        for key in CATEGORY_KEYS
    )
    years = whole_years(role_start_date, today)
    return Flag(
        READY_FOR_PROMOTION,
        f"Meets {next_stage.title} in {matrix.cycle_name}: {meets}; {years_words(years)} in "
        f"role (the stage usually starts at {years_words(next_stage.expected_years_from)})",
        CATEGORY_KEYS,
    )


def long_tenure(
    stage: Stage | None, role_start_date: date | None, today: date, thresholds: Thresholds
) -> Flag | None:
    """More years in role than the current stage's expected span (plus
    ``long_tenure_extra_years``): flagged from the day after that anniversary. The last stage
    has no end and is never flagged."""
    if stage is None or stage.expected_years_to is None or role_start_date is None:
        return None
    limit = stage.expected_years_to + thresholds.long_tenure_extra_years
    if today <= add_years(role_start_date, limit):
        return None
    years = whole_years(role_start_date, today)
    return Flag(
        LONG_TENURE,
        f"{years_words(years)} in role, still {stage.title} (usually years "
        f"{stage.expected_years_from}–{stage.expected_years_to})",
    )


def flags_for(facts: CoordinatorFacts, thresholds: Thresholds) -> list[Flag]:
    """Every flag raised for one coordinator, in FLAG_LABELS order."""
    latest_finalized = facts.finalized_history[-1] if facts.finalized_history else None
    found = [
        site_gap(facts.current, thresholds),
        site_ahead(facts.current, thresholds),
        support_gap(facts.current, thresholds),
        development_gap(facts.current, facts.role_start_date, facts.today, thresholds),
        perception_gap(latest_finalized, thresholds),
        stalled(facts.finalized_history, thresholds),
        overdue(facts.cycle, facts.today, facts.role_start_date),
        ready_for_promotion(latest_finalized, facts.role_start_date, facts.today, facts.next_stage),
        long_tenure(facts.stage, facts.role_start_date, facts.today, thresholds),
    ]
    return [flag for flag in found if flag is not None]
