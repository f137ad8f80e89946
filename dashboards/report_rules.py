"""The arithmetic of the organization's reports (impact of supports, retention and careers,
calibration across directors), as pure functions of plain data.

The selectors count in the database (GROUP BY with conditional counts over the read model and
the growth records) and hand over plain counts; everything that turns them into what a report
shows — rates, medians, the comparison of two groups, the suppression of small groups, the
order of directors — is here, tested without a database, and shared by the pages and their
exports so a file holds exactly what the page shows.

Each report also has its per-person definition here (``impact_rows`` over ``LevelStep``,
``retention_rows`` over ``Tenure``, ``promotion_rows`` over ``Promotion``): what a number means,
stated over one person's facts. The pages do not use them; the tests check, on random data,
that the aggregate functions fed with counts (``impact_lines``, ``retention_lines``,
``promotion_lines``) give the same numbers.

Suppression: any group of fewer than ``MIN_GROUP`` people is shown as "fewer than 5" and never
as a number, its rates are not computed, and nobody behind it is listed, so no one can be
singled out.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from coordinators.tenure import add_years

MIN_GROUP = 5
SUPPRESSED = "fewer than 5"

ROSE, SAME, FELL = "rose", "same", "fell"
MOVES = (ROSE, SAME, FELL)
MOVE_LABELS = {ROSE: "Rose", SAME: "Same", FELL: "Fell"}


def suppressed(people: int) -> bool:
    """A group of 1 to 4 people is hidden; an empty group is shown as 0."""
    return 0 < people < MIN_GROUP


def shown_count(people: int) -> int | str:
    """The number a table shows for a group, or the words that hide it."""
    return SUPPRESSED if suppressed(people) else people


def percent(part: int, whole: int) -> int | None:
    """A whole percentage, or None when there is nothing to divide by or the group is too
    small to show."""
    if not whole or suppressed(whole):
        return None
    return round(100 * part / whole)


def move_of(before: int, after: int) -> str:
    if after > before:
        return ROSE
    if after < before:
        return FELL
    return SAME


# Impact of supports ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LevelStep:
    """One person's level in one category at a finalized cycle and at the next finalized
    cycle, and the supports (group keys) they had during the first."""

    person_id: int
    cycle_id: int
    category: str
    before: int
    after: int
    groups: frozenset[str] = frozenset()


@dataclass
class MoveTally:
    """Rose, same and fell of one group; ``people`` the distinct people behind it."""

    moves: dict[str, set[int]] = field(default_factory=lambda: {move: set() for move in MOVES})
    steps: dict[str, int] = field(default_factory=lambda: dict.fromkeys(MOVES, 0))

    def add(self, step: LevelStep) -> None:
        move = move_of(step.before, step.after)
        self.moves[move].add(step.person_id)
        self.steps[move] += 1

    @property
    def people(self) -> set[int]:
        return set().union(*self.moves.values())

    @property
    def headcount(self) -> int:
        return len(self.people)

    @property
    def total(self) -> int:
        return sum(self.steps.values())

    @property
    def hidden(self) -> bool:
        return suppressed(len(self.people))

    def shown(self, move: str) -> int | str:
        return SUPPRESSED if self.hidden else self.steps[move]

    def rate(self, move: str) -> int | None:
        return None if self.hidden else percent(self.steps[move], self.total)


@dataclass
class ImpactRow:
    """A support group in one category from one starting level: those who had it beside
    those who started at the same level in the same cycles without it."""

    group: str
    category: str
    start_level: int
    with_support: MoveTally | MoveCounts = field(default_factory=MoveTally)
    without: MoveTally | MoveCounts = field(default_factory=MoveTally)

    @property
    def key(self) -> str:
        return f"{self.group}|{self.category}|{self.start_level}"


def impact_rows(steps: Iterable[LevelStep], groups: Mapping[str, str | None]) -> list[ImpactRow]:
    """For each group (key -> its category, or None for every category) and category and
    starting level: the steps of people who had it, and the steps of people without it in the
    same cycles from the same level. Rows with nobody who had the support are left out."""
    steps = list(steps)
    rows: dict[tuple[str, str, int], ImpactRow] = {}
    cycles_with: dict[tuple[str, str, int], set[int]] = {}
    for step in steps:
        for group in step.groups:
            if group not in groups or groups[group] not in (None, step.category):
                continue
            key = (group, step.category, step.before)
            if key not in rows:
                rows[key] = ImpactRow(*key)
            rows[key].with_support.add(step)
            cycles_with.setdefault(key, set()).add(step.cycle_id)
    for step in steps:
        for group, category in groups.items():
            key = (group, step.category, step.before)
            if key in rows and group not in step.groups and step.cycle_id in cycles_with[key]:
                if category in (None, step.category):
                    rows[key].without.add(step)
    return sorted(rows.values(), key=lambda r: (r.group, r.category, r.start_level))


@dataclass
class MoveCounts:
    """Rose, same and fell of one group as the database counts them: the steps per move, and
    ``headcount`` the distinct people behind them."""

    headcount: int = 0
    steps: dict[str, int] = field(default_factory=lambda: dict.fromkeys(MOVES, 0))

    @property
    def total(self) -> int:
        return sum(self.steps.values())

    @property
    def hidden(self) -> bool:
        return suppressed(self.headcount)

    def shown(self, move: str) -> int | str:
        return SUPPRESSED if self.hidden else self.steps[move]

    def rate(self, move: str) -> int | None:
        return None if self.hidden else percent(self.steps[move], self.total)


# (cycle, category, starting level, move) -> steps of everybody;
# (group, cycle, category, starting level, move) -> steps of the people who had the group.
StepTotals = Mapping[tuple[int, str, int, str], int]
GroupSteps = Mapping[tuple[str, int, str, int, str], int]
# (group, category, starting level) -> distinct people.
GroupPeople = Mapping[tuple[str, str, int], int]


def cycles_with(
    with_steps: GroupSteps, groups: Mapping[str, str | None]
) -> dict[tuple[str, str, int], set[int]]:
    """(group, category, starting level) -> the cycles in which someone who had the group took
    a step from that level in that category: the cycles its comparison is drawn from. A group
    counts only in its own category when it has one (a catalogue entry), and only when it is
    one of ``groups``."""
    found: dict[tuple[str, str, int], set[int]] = {}
    for (group, cycle, category, level, _move), steps in with_steps.items():
        if steps > 0 and group in groups and groups[group] in (None, category):
            found.setdefault((group, category, level), set()).add(cycle)
    return found


def impact_lines(
    totals: StepTotals,
    with_steps: GroupSteps,
    with_people: GroupPeople,
    without_people: GroupPeople,
    groups: Mapping[str, str | None],
) -> list[ImpactRow]:
    """``impact_rows`` from counts: for each group, category and starting level where someone
    had the group, the steps of those who had it, and of those without it in the same cycles
    from the same level — everybody's steps in those cycles less the group's own (every step
    of the group lies in those cycles). ``with_people`` and ``without_people`` are the distinct
    people of each side of every such line, counted by the database over the same steps."""
    rows = []
    for key, cycles in cycles_with(with_steps, groups).items():
        group, category, level = key
        had = {
            move: sum(with_steps.get((group, cycle, category, level, move), 0) for cycle in cycles)
            for move in MOVES
        }
        everyone = {
            move: sum(totals.get((cycle, category, level, move), 0) for cycle in cycles)
            for move in MOVES
        }
        rows.append(
            ImpactRow(
                group,
                category,
                level,
                MoveCounts(with_people[key], had),
                MoveCounts(
                    without_people[key], {move: everyone[move] - had[move] for move in MOVES}
                ),
            )
        )
    return sorted(rows, key=lambda r: (r.group, r.category, r.start_level))


@dataclass
class PrePost:
    """Of the people who had a support, each category's levels at the finalized cycle before
    it started and at the first one after, side by side (category -> level -> people)."""

    people: set[int] = field(default_factory=set)
    before: dict[str, dict[int, int]] = field(default_factory=dict)
    after: dict[str, dict[int, int]] = field(default_factory=dict)

    @property
    def headcount(self) -> int:
        return len(self.people)

    @property
    def hidden(self) -> bool:
        return suppressed(len(self.people))

    def shown(self, side: str, category: str, level: int) -> int | str:
        if self.hidden:
            return SUPPRESSED
        return getattr(self, side).get(category, {}).get(level, 0)


@dataclass
class PrePostCounts:
    """``PrePost`` as the database counts it: ``headcount`` people, and per side, category and
    level how many of them were at that level."""

    headcount: int = 0
    before: dict[str, dict[int, int]] = field(default_factory=dict)
    after: dict[str, dict[int, int]] = field(default_factory=dict)

    @property
    def hidden(self) -> bool:
        return suppressed(self.headcount)

    def shown(self, side: str, category: str, level: int) -> int | str:
        if self.hidden:
            return SUPPRESSED
        return getattr(self, side).get(category, {}).get(level, 0)


def pre_post_counts(headcount: int, at_level: Mapping[tuple[str, str, int], int]) -> PrePostCounts:
    """From the database's counts: (side, category, level) -> people; levels nobody was at
    are left out."""
    result = PrePostCounts(headcount)
    for (side, category, level), people in at_level.items():
        if people:
            getattr(result, side).setdefault(category, {})[level] = people
    return result


def pre_post(
    started: Mapping[int, date],
    finalized: Mapping[int, Sequence[tuple[date, Mapping[str, int]]]],
) -> PrePost:
    """``started``: person -> the day their support began; ``finalized``: person -> (the day
    a cycle opened, the levels then), for their finalized cycles. A person counts when they
    have a finalized cycle opened on or before that day and one opened after it: the last
    before and the first after."""
    result = PrePost()
    for person, day in started.items():
        cycles = sorted(finalized.get(person, ()), key=lambda pair: pair[0])
        before = [levels for opened, levels in cycles if opened <= day]
        after = [levels for opened, levels in cycles if opened > day]
        if not before or not after:
            continue
        result.people.add(person)
        for side, levels in (("before", before[-1]), ("after", after[0])):
            counts = getattr(result, side)
            for category, level in levels.items():
                row = counts.setdefault(category, {})
                row[level] = row.get(level, 0) + 1
    return result


# Retention and careers ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Tenure:
    """A person's time in the role: the first day, and the day they left (None while here,
    or when they left on a day nobody recorded: then ``left_unknown``)."""

    person_id: int
    started: date
    left_on: date | None = None
    left_unknown: bool = False
    split: str = ""  # the value of the chosen split (mentored, school level, …) for the year

    def active_on(self, day: date) -> bool:
        return self.started <= day and (self.left_on is None or self.left_on > day)


@dataclass
class RetentionCell:
    """Of the people active on a year's first day, who was still in the role ``after`` years
    later: ``None`` for a year not reached yet."""

    start: set[int]
    still: set[int] | None

    @property
    def rate(self) -> int | None:
        return None if self.still is None else percent(len(self.still), len(self.start))

    @property
    def hidden(self) -> bool:
        return suppressed(len(self.start))

    def shown_still(self) -> int | str | None:
        if self.still is None:
            return None
        return SUPPRESSED if self.hidden else len(self.still)


@dataclass
class RetentionRow:
    year_start: date
    split: str
    cells: list[RetentionCell]  # one per number of years later (1, 2, 3)

    @property
    def start(self) -> set[int]:
        return self.cells[0].start

    @property
    def key(self) -> str:
        return f"{self.year_start.isoformat()}|{self.split}"


YEARS_LATER = (1, 2, 3)


def retention_rows(
    year_starts: Sequence[date], tenures_by_year: Mapping[date, Sequence[Tenure]], today: date
) -> list[RetentionRow]:
    """For each school year's first day and each value of the split: who was active that day
    and who of them was still in the role one, two and three years later (a later day still
    to come is not counted). A person who left on a day nobody recorded is left out: whether
    they were still here cannot be told."""
    rows = []
    for start in year_starts:
        by_split: dict[str, list[Tenure]] = {}
        for tenure in tenures_by_year.get(start, ()):
            if tenure.left_unknown or not tenure.active_on(start):
                continue
            by_split.setdefault(tenure.split, []).append(tenure)
        for split in sorted(by_split):
            people = by_split[split]
            cells = []
            for years in YEARS_LATER:
                later = add_years(start, years)
                still = (
                    {t.person_id for t in people if t.active_on(later)} if later <= today else None
                )
                cells.append(RetentionCell({t.person_id for t in people}, still))
            rows.append(RetentionRow(start, split, cells))
    return rows


@dataclass
class RetentionCount:
    """``RetentionCell`` as the database counts it: ``start`` people active on a year's first
    day, ``still`` of them in the role ``after`` years later (None: not reached yet)."""

    start: int
    still: int | None

    @property
    def rate(self) -> int | None:
        return None if self.still is None else percent(self.still, self.start)

    @property
    def hidden(self) -> bool:
        return suppressed(self.start)

    def shown_still(self) -> int | str | None:
        if self.still is None:
            return None
        return SUPPRESSED if self.hidden else self.still


@dataclass
class RetentionLine:
    year_start: date
    split: str
    cells: list[RetentionCount]  # one per number of years later (1, 2, 3)

    @property
    def start(self) -> int:
        return self.cells[0].start

    @property
    def key(self) -> str:
        return f"{self.year_start.isoformat()}|{self.split}"


def retention_lines(
    year_starts: Sequence[date],
    counts: Mapping[tuple[date, str], Sequence[int]],
    today: date,
) -> list[RetentionLine]:
    """``retention_rows`` from counts: ``counts`` maps (a school year's first day, a value of
    the split) to the people active that day and, for each of ``YEARS_LATER``, those of them
    active that many years later (people who left on a day nobody recorded already left out).
    A later day still to come is "not yet"; a value with nobody active on the first day has no
    line."""
    lines = []
    for start in year_starts:
        splits = sorted(split for (year, split), n in counts.items() if year == start and n[0])
        for split in splits:
            numbers = counts[(start, split)]
            cells = [
                RetentionCount(
                    numbers[0], numbers[years] if add_years(start, years) <= today else None
                )
                for years in YEARS_LATER
            ]
            lines.append(RetentionLine(start, split, cells))
    return lines


def years_between(start: date, end: date) -> float:
    """Years from one day to another, to one decimal (365.25 days a year)."""
    return round((end - start).days / 365.25, 1)


@dataclass(frozen=True, slots=True)
class Promotion:
    person_id: int
    stage: str
    cohort: str  # the school year the person started in the role
    years: float  # from their first day in the role to the promotion


@dataclass
class PromotionRow:
    stage: str
    cohort: str
    people: set[int]
    years: list[float]

    @property
    def hidden(self) -> bool:
        return suppressed(len(self.people))

    @property
    def median(self) -> float | None:
        if self.hidden or not self.years:
            return None
        return round(statistics.median(self.years), 1)

    @property
    def key(self) -> str:
        return f"{self.stage}|{self.cohort}"


ALL_COHORTS = "All cohorts"


def promotion_rows(
    promotions: Iterable[Promotion], stage_order: Sequence[str]
) -> list[PromotionRow]:
    """Per career stage (in the path's order): the median years from the first day in the role
    to reaching it for every cohort together, then for each cohort; a person promoted to a
    stage twice counts once (the first time)."""
    first: dict[tuple[str, str, int], float] = {}
    for promotion in promotions:
        key = (promotion.stage, promotion.cohort, promotion.person_id)
        first[key] = min(first.get(key, promotion.years), promotion.years)
    rows: dict[tuple[str, str], PromotionRow] = {}
    for (stage, cohort, person), years in first.items():
        for group in (cohort, ALL_COHORTS):
            if (stage, group) not in rows:
                rows[stage, group] = PromotionRow(stage, group, set(), [])
            rows[stage, group].people.add(person)
            rows[stage, group].years.append(years)
    order = {stage: index for index, stage in enumerate(stage_order)}
    return sorted(
        rows.values(),
        key=lambda r: (order.get(r.stage, len(order)), r.stage, r.cohort != ALL_COHORTS, r.cohort),
    )


@dataclass
class PromotionLine:
    """``PromotionRow`` from counts: ``people`` promoted, ``years`` -> how many of them took
    that long."""

    stage: str
    cohort: str
    people: int
    years: dict[float, int]

    @property
    def hidden(self) -> bool:
        return suppressed(self.people)

    @property
    def median(self) -> float | None:
        if self.hidden or not self.years:
            return None
        spread = [years for years, n in sorted(self.years.items()) for _ in range(n)]
        return round(statistics.median(spread), 1)

    @property
    def key(self) -> str:
        return f"{self.stage}|{self.cohort}"


def promotion_lines(
    counts: Mapping[tuple[str, str, float], int], stage_order: Sequence[str]
) -> list[PromotionLine]:
    """``promotion_rows`` from counts: (stage, cohort, years) -> the people who first reached
    that stage that many years after their first day in the role (each person once per stage,
    as the database counts them)."""
    lines: dict[tuple[str, str], PromotionLine] = {}
    for (stage, cohort, years), people in counts.items():
        if not people:
            continue
        for group in (cohort, ALL_COHORTS):
            line = lines.setdefault((stage, group), PromotionLine(stage, group, 0, {}))
            line.people += people
            line.years[years] = line.years.get(years, 0) + people
    order = {stage: index for index, stage in enumerate(stage_order)}
    return sorted(
        lines.values(),
        key=lambda r: (order.get(r.stage, len(order)), r.stage, r.cohort != ALL_COHORTS, r.cohort),
    )


# Calibration -------------------------------------------------------------------------------


@dataclass
class RaterFigures:
    """One director's (or the organization's) finalized reviews, as counts per category."""

    key: int | str  # the director's id, or "organization"
    name: str
    levels: dict[str, dict[int, int]] = field(default_factory=dict)  # category -> level -> n
    people: int = 0  # the distinct people whose finalized reviews are counted
    difference_sum: dict[str, int] = field(default_factory=dict)  # supervisor minus self
    difference_count: dict[str, int] = field(default_factory=dict)
    ratings: int = 0
    ratings_bare: int = 0  # no evidence from the coordinator and no supervisor note
    reviews: int = 0
    reviews_in_window: int = 0

    @property
    def hidden(self) -> bool:
        return suppressed(self.people)

    def rated(self, category: str) -> int:
        return sum(self.levels.get(category, {}).values())

    def mean_level(self, category: str) -> float | None:
        counts = self.levels.get(category, {})
        total = sum(counts.values())
        if not total:
            return None
        return sum(level * n for level, n in counts.items()) / total

    def mean_difference(self, category: str) -> float | None:
        if self.hidden or not self.difference_count.get(category):
            return None
        return round(self.difference_sum[category] / self.difference_count[category], 2)

    def distribution(self, category: str) -> dict[int, int] | None:
        return None if self.hidden else self.levels.get(category, {})

    @property
    def bare_percent(self) -> int | None:
        return None if self.hidden else percent(self.ratings_bare, self.ratings)

    @property
    def in_window_percent(self) -> int | None:
        return None if self.hidden else percent(self.reviews_in_window, self.reviews)


def largest_gap(rater: RaterFigures, organization: RaterFigures, categories: Sequence[str]):
    """The largest absolute difference between the rater's mean supervisor level and the
    organization's, over the categories where the rater has at least MIN_GROUP ratings, with
    that category; (None, None) when there is no such category or the rater is hidden."""
    largest: float | None = None
    named: str | None = None
    if rater.hidden:
        return largest, named
    for category in categories:
        # At least MIN_GROUP ratings: the rater's mean level exists.
        mine, theirs = rater.mean_level(category), organization.mean_level(category)
        if rater.rated(category) < MIN_GROUP or theirs is None:
            continue
        gap = round(abs(mine - theirs), 2)
        if largest is None or gap > largest:
            largest, named = gap, category
    return largest, named


class RaterPlace(NamedTuple):
    """Where a rater stands in the calibration order: ``order`` sorts it, ``gap`` and
    ``category`` are its ``largest_gap``."""

    order: tuple
    key: int | str
    name: str
    gap: float | None
    category: str | None


def rater_place(
    rater: RaterFigures, organization: RaterFigures, categories: Sequence[str]
) -> RaterPlace:
    """A rater's place: by their largest gap from the organization, largest first; those
    without one (too few ratings) last; then by name, then by key as text."""
    gap, category = largest_gap(rater, organization, categories)
    order = (-gap if gap is not None else math.inf, rater.name, str(rater.key))
    return RaterPlace(order, rater.key, rater.name, gap, category)


def calibration_order(
    raters: Sequence[RaterFigures], organization: RaterFigures, categories: Sequence[str]
) -> list[tuple[RaterFigures, float | None, str | None]]:
    """Raters in the order of their places (``rater_place``), with their largest gap."""
    placed = [(rater_place(rater, organization, categories), rater) for rater in raters]
    placed.sort(key=lambda entry: entry[0].order)
    return [(rater, place.gap, place.category) for place, rater in placed]


def anonymised(
    raters: Sequence[RaterFigures | RaterPlace], own: Collection = (), noun: str = "Director"
) -> dict:
    """What a director sees of the raters (figures or places): their own names (``own``
    keys), and "Director A", "Director B" … for every other, in the order given (key -> name
    shown)."""
    labels, letter = {}, 0
    for rater in raters:
        if rater.key in own:
            labels[rater.key] = rater.name
            continue
        labels[rater.key] = f"{noun} {_letters(letter)}"
        letter += 1
    return labels


def _letters(index: int) -> str:
    text = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        text = chr(ord("A") + rest) + text
    return text
