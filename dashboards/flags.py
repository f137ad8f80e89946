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
- in a finalized matrix the site gap and site ahead read the School site level by the
  organization's score rule (:func:`site_score`: the principal's view where one exists, the
  director's, or the lower of the two), and say whose view it is;
- "school and coordinator see the site differently" compares the principal's School site
  level with the coordinator's own in the current matrix;
- overdue reads the state of the chosen cycle's assessment;
- tenure rules count whole calendar years from the first day in role;
- no signed agreement reads the coordinator's school sites and the agreements of the school
  year of the chosen cycle;
- review not acknowledged reads the chosen cycle's finalized assessment, whether the
  coordinator acknowledged it, and the organization's days (when it asks for acknowledgement).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import pairwise

from coordinators.tenure import add_years, day_words, whole_years, years_words
from growth.cadence import CheckInClock
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
SITE_PERCEPTION = "site_perception"
STALLED = "stalled"
OVERDUE = "overdue"
READY_FOR_PROMOTION = "ready_for_promotion"
LONG_TENURE = "long_tenure"
NO_CHECK_IN = "no_check_in"
NO_AGREEMENT = "no_agreement"
NOT_ACKNOWLEDGED = "not_acknowledged"

# Every flag, in the order dashboards show them, with its short label.
FLAG_LABELS = {
    SITE_GAP: "Site gap",
    SITE_AHEAD: "Site ahead of coordinator",
    SUPPORT_GAP: "Support gap",
    DEVELOPMENT_GAP: "Development gap",
    PERCEPTION_GAP: "Perception gap",
    SITE_PERCEPTION: "School and coordinator see the site differently",
    STALLED: "Stalled",
    OVERDUE: "Overdue",
    READY_FOR_PROMOTION: "Ready for promotion",
    LONG_TENURE: "Long tenure without advancement",
    NO_CHECK_IN: "No check-in",
    NO_AGREEMENT: "No signed agreement",
    NOT_ACKNOWLEDGED: "Review not acknowledged",
}
# What each flag means, for legends and the threshold page.
FLAG_HELP = {
    SITE_GAP: "Coordinator category above School site: a strong coordinator at a weaker site.",
    SITE_AHEAD: "School site category above Coordinator: the site is ahead of its coordinator.",
    SUPPORT_GAP: "Organizational supports below the Coordinator category.",
    DEVELOPMENT_GAP: "Development still Novice after the first year in role.",
    PERCEPTION_GAP: "Self and supervisor levels differ in a category.",
    SITE_PERCEPTION: "The principal's School site level and the coordinator's own differ.",
    STALLED: "No category rose across the last finalized cycles, or one fell.",
    OVERDUE: "Self-assessment past its due date, or a review past its window.",
    READY_FOR_PROMOTION: "Latest finalized matrix and tenure meet the next career stage.",
    LONG_TENURE: "Years in role beyond the career stage's expected span.",
    NO_CHECK_IN: "No check-in within the team's cadence.",
    NO_AGREEMENT: "A school site without a signed partnership agreement some days into the "
    "school year.",
    NOT_ACKNOWLEDGED: "A finalized review the coordinator has not acknowledged within the "
    "organization's days.",
}

NOT_STARTED = None
SUBMITTED_STATES = ("submitted", "finalized")

# Whose School site level a finalized matrix's site flags read (FlagThresholds.site_score_rule).
PRINCIPAL_ELSE_DIRECTOR = "principal_else_director"
DIRECTOR_ONLY = "director"
LOWER_OF_BOTH = "lower"


@dataclass(frozen=True, slots=True)
class Thresholds:
    """An organization's tunable rules; the defaults are the product's own."""

    site_gap_levels: int = 1
    support_gap_levels: int = 1
    development_grace_years: int = 1
    perception_gap_levels: int = 1
    stalled_cycles: int = 2
    long_tenure_extra_years: int = 0
    site_score_rule: str = PRINCIPAL_ELSE_DIRECTOR
    agreement_grace_days: int = 45

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
    ``principal_site`` is the School site level of the principals who answered (None when
    none did).
    """

    cycle_name: str
    levels: Mapping[str, int | None]
    self_levels: Mapping[str, int | None] = field(default_factory=dict)
    supervisor_levels: Mapping[str, int | None] = field(default_factory=dict)
    finalized: bool = True
    names: Names = DEFAULT_NAMES
    principal_site: int | None = None

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
class AgreementFacts:
    """The coordinator's school sites that have no signed partnership agreement for the
    school year starting on ``year_starts`` (``year_label``: "2025–26")."""

    year_label: str
    year_starts: date
    unsigned_schools: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class AcknowledgementFacts:
    """The chosen cycle's finalized review, not acknowledged by the coordinator, in an
    organization that asks for acknowledgement within ``overdue_days`` days."""

    cycle_name: str
    finalized_on: date
    overdue_days: int


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
    check_ins: CheckInClock | None = None  # None when the team has no check-in cadence
    agreements: AgreementFacts | None = None
    acknowledgement: AcknowledgementFacts | None = None  # None once acknowledged, or not asked


@dataclass(frozen=True, slots=True)
class Flag:
    """A raised flag. ``explanation`` is one clause without closing punctuation: the page,
    export or email that shows it ends the sentence."""

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


# Words whatever the day ------------------------------------------------------------------
# The read model stores each flag's words with the facts it is computed from, so a page only
# fills in the one part that changes with the day: a count of years or days since a date.

YEARS = "years"
DAYS = "days"


@dataclass(frozen=True, slots=True)
class Since:
    """Whole years (``"3 years"``) or days (``"12 days"``) from ``day`` to the day shown."""

    unit: str  # YEARS or DAYS
    day: date

    def words(self, today: date) -> str:
        if self.unit == YEARS:
            return years_words(whole_years(self.day, today))
        days = (today - self.day).days
        return f"{days} day{'s' if days != 1 else ''}"


@dataclass(frozen=True, slots=True)
class FlagWords:
    """A flag's explanation whatever the day: text, with a :class:`Since` where a count
    changes with the day, and the categories it names."""

    code: str
    words: tuple[str | Since, ...]
    categories: tuple[str, ...] = ()

    @classmethod
    def of(cls, flag: Flag | None) -> FlagWords | None:
        """The words of a flag that reads no date."""
        return None if flag is None else cls(flag.code, (flag.explanation,), flag.categories)

    def on(self, today: date) -> Flag:
        """The flag as raised on ``today``."""
        text = "".join(part if isinstance(part, str) else part.words(today) for part in self.words)
        return Flag(self.code, text, self.categories)

    def as_json(self) -> dict:
        """Plain JSON for the read model's row (``from_json`` reads it back)."""
        return {
            "words": [
                part if isinstance(part, str) else {part.unit: part.day.isoformat()}
                for part in self.words
            ],
            "categories": list(self.categories),
        }

    @classmethod
    def from_json(cls, code: str, data: dict) -> FlagWords:
        words = tuple(part if isinstance(part, str) else _since(part) for part in data["words"])
        return cls(code, words, tuple(data["categories"]))


def _since(part: dict) -> Since:
    ((unit, day),) = part.items()
    return Since(unit, date.fromisoformat(day))


def stored_flag(code: str, data: dict, today: date, counts: dict | None = None) -> Flag:
    """``FlagWords.from_json(code, data).on(today)``, without the steps between: a page reads
    a hundred rows' flags this way. ``counts``: the words of each count of days or years
    worked out before for the same ``today`` (many rows count from the same due date or
    start of a school year), kept there by their stored form."""
    words = data["words"]
    # A shortcut only: the join below gives the same text for one string.
    if len(words) == 1 and isinstance(words[0], str):  # pragma: no mutate
        text = words[0]
    else:
        counts = {} if counts is None else counts
        text = "".join(
            part if isinstance(part, str) else _count_words(part, today, counts) for part in words
        )
    return Flag(code, text, tuple(data["categories"]))


def _count_words(part: dict, today: date, counts: dict) -> str:
    (key,) = part.items()  # (unit, day): the one count a part holds
    words = counts.get(key)
    if words is None:
        words = counts[key] = _since(part).words(today)
    return words


# The rules -------------------------------------------------------------------------------


def _gap(matrix: CategoryLevels | None, higher: str, lower: str, threshold: int) -> int | None:
    """How far ``higher`` is above ``lower`` when that is at least ``threshold``, else None."""
    if matrix is None:
        return None
    high, low = matrix.level(higher), matrix.level(lower)
    if high is None or low is None or high - low < max(threshold, 1):
        return None
    return high - low


def site_score(matrix: CategoryLevels, thresholds: Thresholds) -> tuple[int | None, str]:
    """The School site level the site flags read, and whose view it is in words.

    A matrix not yet reviewed reads the coordinator's own level (its explanation says so). A
    finalized one follows the organization's rule: by default the principal's level where a
    principal answered, else the director's; or always the director's; or the lower of the
    two (the director's when no principal answered).
    """
    director = matrix.level(SITE)
    principal = matrix.principal_site
    if not matrix.finalized:
        return director, ""
    names = matrix.names
    if thresholds.site_score_rule == DIRECTOR_ONLY or (principal is None and director is not None):
        return director, "the director's view"
    if principal is None:
        return None, ""
    if thresholds.site_score_rule == LOWER_OF_BOTH and director is not None:
        if director < principal:
            return director, (
                f"the director's view, lower than the principal's {names.level(principal)}"
            )
        if principal < director:
            return principal, (
                f"the principal's view, lower than the director's {names.level(director)}"
            )
        return principal, "the principal's and the director's view"
    return principal, "the principal's view"


def _site_levels(matrix, thresholds) -> tuple[int, int, str] | None:
    """School site's level (by the score rule), Coordinator's, and School site's level in
    words, when the matrix has both."""
    if matrix is None:
        return None
    site, whose = site_score(matrix, thresholds)
    coordinator = matrix.level(COORDINATOR)
    if site is None or coordinator is None:
        return None
    says = f"{matrix.names.category(SITE)}: {matrix.names.level(site)}"
    return site, coordinator, f"{says} ({whose})" if whose else says


def site_gap(matrix: CategoryLevels | None, thresholds: Thresholds) -> Flag | None:
    """Coordinator at least ``site_gap_levels`` above School site (by the score rule): a strong
    coordinator at a weaker site."""
    found = _site_levels(matrix, thresholds)
    if found is None:
        return None
    site, coordinator, site_says = found
    gap = coordinator - site
    if gap < max(thresholds.site_gap_levels, 1):
        return None
    return Flag(
        SITE_GAP,
        f"{site_says}, {matrix.says(COORDINATOR)} — {levels_apart(gap)} apart{_unreviewed(matrix)}",
        (SITE, COORDINATOR),
    )


def site_ahead(matrix: CategoryLevels | None, thresholds: Thresholds) -> Flag | None:
    """The reverse of the site gap: School site (by the score rule) at least
    ``site_gap_levels`` above Coordinator."""
    found = _site_levels(matrix, thresholds)
    if found is None:
        return None
    site, coordinator, site_says = found
    gap = site - coordinator
    if gap < max(thresholds.site_gap_levels, 1):
        return None
    return Flag(
        SITE_AHEAD,
        f"{matrix.says(COORDINATOR)}, {site_says} — the site is {levels_apart(gap)} "
        f"ahead of its coordinator{_unreviewed(matrix)}",
        (COORDINATOR, SITE),
    )


def site_perception(matrix: CategoryLevels | None, thresholds: Thresholds) -> Flag | None:
    """The principal's School site level and the coordinator's own at least
    ``perception_gap_levels`` apart in the current matrix (finalized, or submitted)."""
    if matrix is None or matrix.principal_site is None:
        return None
    own = matrix.self_levels.get(SITE)
    if own is None:
        return None
    difference = own - matrix.principal_site
    if abs(difference) < max(thresholds.perception_gap_levels, 1):
        return None
    names = matrix.names
    return Flag(
        SITE_PERCEPTION,
        f"In {matrix.cycle_name} — {names.category(SITE)}: the principal's view "
        f"{names.level(matrix.principal_site)}, the coordinator's own {names.level(own)} "
        f"({levels_apart(difference)} apart)",
        (SITE,),
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


def development_gap_from(
    matrix: CategoryLevels | None, role_start_date: date | None, thresholds: Thresholds
) -> date | None:
    """The day the development gap starts: the ``development_grace_years`` anniversary in
    role, when Development is at the lowest level."""
    if matrix is None or role_start_date is None or matrix.level(DEVELOPMENT) != MIN_LEVEL:
        return None
    return add_years(role_start_date, thresholds.development_grace_years)


def development_gap_words(
    matrix: CategoryLevels | None, role_start_date: date | None, thresholds: Thresholds
) -> FlagWords | None:
    if development_gap_from(matrix, role_start_date, thresholds) is None:
        return None
    grace = thresholds.development_grace_years
    return FlagWords(
        DEVELOPMENT_GAP,
        (
            f"{matrix.says(DEVELOPMENT)} after ",
            Since(YEARS, role_start_date),
            f" in role (expected above {matrix.names.level(MIN_LEVEL)} after "
            f"{years_words(grace)}){_unreviewed(matrix)}",
        ),
        (DEVELOPMENT,),
    )


def development_gap(
    matrix: CategoryLevels | None, role_start_date: date | None, today: date, thresholds: Thresholds
) -> Flag | None:
    """Development at the lowest level once ``development_grace_years`` in role have passed
    (from that anniversary on)."""
    starts = development_gap_from(matrix, role_start_date, thresholds)
    if starts is None or today < starts:
        return None
    return development_gap_words(matrix, role_start_date, thresholds).on(today)


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
    return Flag(PERCEPTION_GAP, f"In {matrix.cycle_name} — " + "; ".join(parts), tuple(keys))


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
        return Flag(STALLED, "; ".join(text for _key, text in falls), tuple(k for k, _ in falls))
    compared = [
        key for key in CATEGORY_KEYS if first.level(key) is not None and last.level(key) is not None
    ]
    could_rise = [key for key in compared if first.level(key) < MAX_LEVEL]
    if not could_rise or any(last.level(key) > first.level(key) for key in compared):
        return None
    stays = ", ".join(
        f"{names.category(key)} stayed {names.level(last.level(key))}" for key in could_rise
    )
    return Flag(STALLED, f"No category rose from {span}: {stays}", tuple(could_rise))


def overdue_from(status: CycleStatus | None, role_start_date: date | None = None) -> date | None:
    """The day an assessment becomes overdue in its present state: the day after the due date
    while not submitted, the day after the review window once submitted; None when it never
    will (finalized, or the coordinator started after the due date)."""
    if status is None:
        return None
    if role_start_date is not None and role_start_date > status.due_on:
        return None
    if status.state not in SUBMITTED_STATES:
        return status.due_on + timedelta(days=1)
    if status.state == "submitted" and status.submitted_on is not None:
        return status.submitted_on + timedelta(days=status.review_window_days + 1)
    return None


def overdue_words(
    status: CycleStatus | None, role_start_date: date | None = None
) -> FlagWords | None:
    if overdue_from(status, role_start_date) is None:
        return None
    if status.state not in SUBMITTED_STATES:
        what = "not started" if status.state is NOT_STARTED else "not submitted"
        return FlagWords(
            OVERDUE,
            (
                f"Self-assessment for {status.cycle_name} was due on {day_words(status.due_on)} "
                f"and is {what} — ",
                Since(DAYS, status.due_on),
                " late",
            ),
        )
    review_due = status.submitted_on + timedelta(days=status.review_window_days)
    return FlagWords(
        OVERDUE,
        (
            f"Submitted on {day_words(status.submitted_on)}; the review was due within "
            f"{status.review_window_days} days, by {day_words(review_due)} — ",
            Since(DAYS, review_due),
            " late",
        ),
    )


def overdue(
    status: CycleStatus | None, today: date, role_start_date: date | None = None
) -> Flag | None:
    """Past the cycle's due date and not submitted, or submitted and not finalized within the
    review window (counted from the day of submission). Someone who started after the due
    date is not late."""
    starts = overdue_from(status, role_start_date)
    if starts is None or today < starts:
        return None
    # The day someone started is read above; the words depend only on the cycle.
    return overdue_words(status).on(today)


def ready_for_promotion_from(
    latest_finalized: CategoryLevels | None,
    role_start_date: date | None,
    next_stage: Stage | None,
) -> date | None:
    """The day the years in role reach the next stage's expected start, when the latest
    finalized matrix meets every minimum of that stage."""
    if latest_finalized is None or next_stage is None or role_start_date is None:
        return None
    for key in CATEGORY_KEYS:
        level = latest_finalized.level(key)
        if level is None or level < next_stage.minimums.get(key, MIN_LEVEL):
            return None
    return add_years(role_start_date, next_stage.expected_years_from)


def ready_for_promotion_words(
    latest_finalized: CategoryLevels | None,
    role_start_date: date | None,
    next_stage: Stage | None,
) -> FlagWords | None:
    if ready_for_promotion_from(latest_finalized, role_start_date, next_stage) is None:
        return None
    matrix = latest_finalized
    names = matrix.names
    meets = ", ".join(
        f"{names.category(key)} {names.level(matrix.level(key))} "
        f"(needs {names.level(next_stage.minimums.get(key, MIN_LEVEL))})"
        for key in CATEGORY_KEYS
    )
    return FlagWords(
        READY_FOR_PROMOTION,
        (
            f"Meets {next_stage.title} in {matrix.cycle_name}: {meets}; ",
            Since(YEARS, role_start_date),
            f" in role (the stage usually starts at {years_words(next_stage.expected_years_from)})",
        ),
        CATEGORY_KEYS,
    )


def ready_for_promotion(
    latest_finalized: CategoryLevels | None,
    role_start_date: date | None,
    today: date,
    next_stage: Stage | None,
) -> Flag | None:
    """The latest finalized matrix meets every minimum of the next career stage, and the years
    in role have reached the stage's expected start."""
    starts = ready_for_promotion_from(latest_finalized, role_start_date, next_stage)
    if starts is None or today < starts:
        return None
    return ready_for_promotion_words(latest_finalized, role_start_date, next_stage).on(today)


def long_tenure_from(
    stage: Stage | None, role_start_date: date | None, thresholds: Thresholds
) -> date | None:
    """The day after the anniversary that ends the stage's expected span (plus
    ``long_tenure_extra_years``); None for the last stage, which has no end."""
    if stage is None or stage.expected_years_to is None or role_start_date is None:
        return None
    limit = stage.expected_years_to + thresholds.long_tenure_extra_years
    return add_years(role_start_date, limit) + timedelta(days=1)


def long_tenure_words(
    stage: Stage | None, role_start_date: date | None, thresholds: Thresholds
) -> FlagWords | None:
    if long_tenure_from(stage, role_start_date, thresholds) is None:
        return None
    return FlagWords(
        LONG_TENURE,
        (
            Since(YEARS, role_start_date),
            f" in role, still {stage.title} (usually years "
            f"{stage.expected_years_from}–{stage.expected_years_to})",
        ),
    )


def long_tenure(
    stage: Stage | None, role_start_date: date | None, today: date, thresholds: Thresholds
) -> Flag | None:
    """More years in role than the current stage's expected span (plus
    ``long_tenure_extra_years``): flagged from the day after that anniversary. The last stage
    has no end and is never flagged."""
    starts = long_tenure_from(stage, role_start_date, thresholds)
    if starts is None or today < starts:
        return None
    return long_tenure_words(stage, role_start_date, thresholds).on(today)


def no_check_in_from(clock: CheckInClock | None) -> date | None:
    """The first day past the team's cadence without a check-in; None without a cadence."""
    return clock.overdue_from if clock is not None else None


def no_check_in_words(clock: CheckInClock | None) -> FlagWords | None:
    if no_check_in_from(clock) is None:
        return None
    since = (
        f"the last one was on {day_words(clock.last_check_in)}"
        if clock.last_check_in is not None
        else f"none since {day_words(clock.counting_from)}"
    )
    return FlagWords(
        NO_CHECK_IN,
        (
            "No check-in for ",
            Since(DAYS, clock.counting_from),
            f" ({since}; the team's cadence is every {clock.every_days} days)",
        ),
    )


def no_check_in(clock: CheckInClock | None, today: date) -> Flag | None:
    """More days than the team's cadence since the last check-in (or, without any, since the
    cadence was set or the person started, whichever is later)."""
    starts = no_check_in_from(clock)
    if starts is None or today < starts:
        return None
    return no_check_in_words(clock).on(today)


def no_agreement_from(agreements: AgreementFacts | None, thresholds: Thresholds) -> date | None:
    """The day ``agreement_grace_days`` into the school year, when a school site of the
    coordinator has no signed agreement for it."""
    if agreements is None or not agreements.unsigned_schools:
        return None
    return agreements.year_starts + timedelta(days=thresholds.agreement_grace_days)


def no_agreement_words(
    agreements: AgreementFacts | None, thresholds: Thresholds
) -> FlagWords | None:
    if no_agreement_from(agreements, thresholds) is None:
        return None
    schools = ", ".join(agreements.unsigned_schools)
    return FlagWords(
        NO_AGREEMENT,
        (
            f"No signed partnership agreement for {agreements.year_label} at {schools} — ",
            Since(DAYS, agreements.year_starts),
            f" into the school year (expected within {thresholds.agreement_grace_days})",
        ),
    )


def no_agreement(
    agreements: AgreementFacts | None, today: date, thresholds: Thresholds
) -> Flag | None:
    """A school site of the coordinator has no signed partnership agreement for the school
    year ``agreement_grace_days`` after it started (from that day on)."""
    starts = no_agreement_from(agreements, thresholds)
    if starts is None or today < starts:
        return None
    return no_agreement_words(agreements, thresholds).on(today)


def not_acknowledged_from(review: AcknowledgementFacts | None) -> date | None:
    """The day ``overdue_days`` after the review was finalized, while it is not acknowledged."""
    if review is None:
        return None
    return review.finalized_on + timedelta(days=review.overdue_days)


def not_acknowledged_words(review: AcknowledgementFacts | None) -> FlagWords | None:
    if not_acknowledged_from(review) is None:
        return None
    return FlagWords(
        NOT_ACKNOWLEDGED,
        (
            f"The review of {review.cycle_name}, finalized on {day_words(review.finalized_on)}, "
            "is not acknowledged after ",
            Since(DAYS, review.finalized_on),
            f" (expected within {review.overdue_days})",
        ),
    )


def not_acknowledged(review: AcknowledgementFacts | None, today: date) -> Flag | None:
    """The coordinator has not acknowledged the chosen cycle's finalized review
    ``overdue_days`` after it was finalized (from that day on)."""
    starts = not_acknowledged_from(review)
    if starts is None or today < starts:
        return None
    return not_acknowledged_words(review).on(today)


def flags_for(facts: CoordinatorFacts, thresholds: Thresholds) -> list[Flag]:
    """Every flag raised for one coordinator, in FLAG_LABELS order."""
    latest_finalized = facts.finalized_history[-1] if facts.finalized_history else None
    found = [
        site_gap(facts.current, thresholds),
        site_ahead(facts.current, thresholds),
        support_gap(facts.current, thresholds),
        development_gap(facts.current, facts.role_start_date, facts.today, thresholds),
        perception_gap(latest_finalized, thresholds),
        site_perception(facts.current, thresholds),
        stalled(facts.finalized_history, thresholds),
        overdue(facts.cycle, facts.today, facts.role_start_date),
        ready_for_promotion(latest_finalized, facts.role_start_date, facts.today, facts.next_stage),
        long_tenure(facts.stage, facts.role_start_date, facts.today, thresholds),
        no_check_in(facts.check_ins, facts.today),
        no_agreement(facts.agreements, facts.today, thresholds),
        not_acknowledged(facts.acknowledgement, facts.today),
    ]
    return [flag for flag in found if flag is not None]


# Since when -------------------------------------------------------------------------------

# The start of flags that do not depend on the day: raised whatever the day.
ALWAYS = date.min


def flag_starts(facts: CoordinatorFacts, thresholds: Thresholds) -> dict[str, date | None]:
    """For every flag code, the first day on which :func:`flags_for` raises it for these
    facts (``facts.today`` aside), or None when it raises it on no day.

    A flag is raised on ``day`` exactly when its start is not None and ``start <= day``, so a
    stored start lets the database filter and count flags as of any day without a daily job.
    """
    latest_finalized = facts.finalized_history[-1] if facts.finalized_history else None

    def always(flag: Flag | None) -> date | None:
        return ALWAYS if flag is not None else None

    return {
        SITE_GAP: always(site_gap(facts.current, thresholds)),
        SITE_AHEAD: always(site_ahead(facts.current, thresholds)),
        SUPPORT_GAP: always(support_gap(facts.current, thresholds)),
        DEVELOPMENT_GAP: development_gap_from(facts.current, facts.role_start_date, thresholds),
        PERCEPTION_GAP: always(perception_gap(latest_finalized, thresholds)),
        SITE_PERCEPTION: always(site_perception(facts.current, thresholds)),
        STALLED: always(stalled(facts.finalized_history, thresholds)),
        OVERDUE: overdue_from(facts.cycle, facts.role_start_date),
        READY_FOR_PROMOTION: ready_for_promotion_from(
            latest_finalized, facts.role_start_date, facts.next_stage
        ),
        LONG_TENURE: long_tenure_from(facts.stage, facts.role_start_date, thresholds),
        NO_CHECK_IN: no_check_in_from(facts.check_ins),
        NO_AGREEMENT: no_agreement_from(facts.agreements, thresholds),
        NOT_ACKNOWLEDGED: not_acknowledged_from(facts.acknowledgement),
    }


def flag_words(facts: CoordinatorFacts, thresholds: Thresholds) -> dict[str, FlagWords]:
    """For every flag :func:`flag_starts` gives a start, its words whatever the day
    (``facts.today`` aside): ``flag_words(...)[code].on(day)`` is the flag :func:`flags_for`
    raises on any day from that start on. The read model stores them beside the starts."""
    latest_finalized = facts.finalized_history[-1] if facts.finalized_history else None
    found = [
        FlagWords.of(site_gap(facts.current, thresholds)),
        FlagWords.of(site_ahead(facts.current, thresholds)),
        FlagWords.of(support_gap(facts.current, thresholds)),
        development_gap_words(facts.current, facts.role_start_date, thresholds),
        FlagWords.of(perception_gap(latest_finalized, thresholds)),
        FlagWords.of(site_perception(facts.current, thresholds)),
        FlagWords.of(stalled(facts.finalized_history, thresholds)),
        overdue_words(facts.cycle, facts.role_start_date),
        ready_for_promotion_words(latest_finalized, facts.role_start_date, facts.next_stage),
        long_tenure_words(facts.stage, facts.role_start_date, thresholds),
        no_check_in_words(facts.check_ins),
        no_agreement_words(facts.agreements, thresholds),
        not_acknowledged_words(facts.acknowledgement),
    ]
    return {words.code: words for words in found if words is not None}


def flags_on(
    starts: Mapping[str, date | None], words: Mapping[str, FlagWords], today: date
) -> list[Flag]:
    """The flags raised on ``today`` from stored starts and words, as :func:`flags_for` gives
    them (in FLAG_LABELS order)."""
    return [
        words[code].on(today)
        for code in FLAG_LABELS
        if (start := starts.get(code)) is not None and start <= today
    ]
