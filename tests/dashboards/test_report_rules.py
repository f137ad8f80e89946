"""The reports' arithmetic on hand-made data with known answers, at the suppression boundary
(4 and 5 people), and with Hypothesis; and the arithmetic on the database's counts against the
per-person definitions, on random people."""

from collections import defaultdict
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboards import report_rules as rules
from dashboards.report_rules import (
    SUPPRESSED,
    LevelStep,
    Promotion,
    RaterFigures,
    Tenure,
)


def step(person, before, after, groups=(), cycle=1, category="development"):
    return LevelStep(person, cycle, category, before, after, frozenset(groups))


# Suppression and rates ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("people", "hidden"), [(0, False), (1, True), (4, True), (5, False), (6, False)]
)
def test_groups_of_one_to_four_are_hidden(people, hidden):
    assert rules.suppressed(people) is hidden
    assert rules.shown_count(people) == (SUPPRESSED if hidden else people)


def test_percent_rounds_and_hides():
    assert rules.percent(2, 3) is None  # three people: hidden
    assert rules.percent(2, 6) == 33
    assert rules.percent(5, 6) == 83
    assert rules.percent(0, 0) is None
    assert rules.percent(5, 5) == 100


def test_move_of():
    assert rules.move_of(1, 2) == rules.ROSE
    assert rules.move_of(2, 2) == rules.SAME
    assert rules.move_of(3, 1) == rules.FELL


# Impact ------------------------------------------------------------------------------------


def test_impact_compares_with_those_at_the_same_level_in_the_same_cycles():
    steps = [step(p, 1, 2, ["kind:mentoring"]) for p in range(5)]
    steps += [step(p, 1, 1) for p in range(10, 15)]
    steps += [step(20, 2, 3)]  # another starting level: not compared with Novice
    steps += [step(21, 1, 3, cycle=9)]  # another cycle, where nobody was mentored
    rows = rules.impact_rows(steps, {"kind:mentoring": None})
    assert [(r.category, r.start_level) for r in rows] == [("development", 1)]
    row = rows[0]
    assert row.with_support.steps == {"rose": 5, "same": 0, "fell": 0}
    assert row.without.steps == {"rose": 0, "same": 5, "fell": 0}
    assert row.with_support.rate(rules.ROSE) == 100
    assert row.without.rate(rules.ROSE) == 0
    assert row.key == "kind:mentoring|development|1"


def test_impact_at_four_people_is_hidden_and_at_five_shown():
    four = rules.impact_rows([step(p, 1, 2, ["g"]) for p in range(4)], {"g": None})[0]
    assert four.with_support.hidden
    assert four.with_support.shown(rules.ROSE) == SUPPRESSED
    assert four.with_support.rate(rules.ROSE) is None
    five = rules.impact_rows([step(p, 1, 2, ["g"]) for p in range(5)], {"g": None})[0]
    assert not five.with_support.hidden
    assert five.with_support.shown(rules.ROSE) == 5


def test_a_catalogue_entry_counts_only_in_its_category():
    steps = [step(p, 1, 2, ["entry:1"], category="site") for p in range(5)]
    steps += [step(p, 1, 2, ["entry:1"], category="development") for p in range(5)]
    rows = rules.impact_rows(steps, {"entry:1": "development"})
    assert [r.category for r in rows] == ["development"]


def test_people_are_counted_once_and_moves_each_time():
    steps = [step(1, 1, 2, ["g"], cycle=1), step(1, 2, 2, ["g"], cycle=2)]
    steps += [step(1, 1, 1, ["g"], cycle=3)]
    row = rules.impact_rows(steps, {"g": None})
    by_level = {r.start_level: r for r in row}
    assert by_level[1].with_support.total == 2
    assert by_level[1].with_support.people == {1}


MOVES = st.lists(
    st.tuples(
        st.integers(0, 30),
        st.integers(1, 3),
        st.integers(1, 3),
        st.booleans(),
        st.integers(1, 3),
    ),
    max_size=80,
)


@given(MOVES)
def test_rose_same_fell_add_up_to_the_group(data):
    steps = [step(p, b, a, ["g"] if had else [], cycle=c) for p, b, a, had, c in data]
    for row in rules.impact_rows(steps, {"g": None}):
        for tally in (row.with_support, row.without):
            assert sum(tally.steps.values()) == tally.total
            assert set().union(*tally.moves.values()) == tally.people
            if tally.hidden:
                assert all(tally.shown(m) == SUPPRESSED for m in rules.MOVES)
                assert tally.rate(rules.ROSE) is None
            else:
                assert all(isinstance(tally.shown(m), int) for m in rules.MOVES)
        with_cycles = {s.cycle_id for s in steps if s.groups and s.before == row.start_level}
        expected_without = [
            s
            for s in steps
            if not s.groups and s.before == row.start_level and s.cycle_id in with_cycles
        ]
        assert row.without.total == len(expected_without)
        assert row.with_support.total == len(
            [s for s in steps if s.groups and s.before == row.start_level]
        )


# Pre/post ----------------------------------------------------------------------------------

D = date(2024, 1, 15)


def test_pre_post_reads_the_cycle_before_and_the_first_after():
    finalized = {
        p: [
            (date(2022, 9, 1), {"development": 1}),
            (date(2023, 9, 1), {"development": 1, "site": 2}),
            (date(2024, 9, 1), {"development": 2, "site": 2}),
            (date(2025, 9, 1), {"development": 3, "site": 3}),
        ]
        for p in range(5)
    }
    finalized[5] = [(date(2024, 9, 1), {"development": 2})]  # nothing before: left out
    result = rules.pre_post(dict.fromkeys(range(6), D), finalized)
    assert result.people == set(range(5))
    assert result.before == {"development": {1: 5}, "site": {2: 5}}
    assert result.after == {"development": {2: 5}, "site": {2: 5}}
    assert result.shown("after", "development", 2) == 5
    assert result.shown("after", "development", 3) == 0


def test_pre_post_of_four_is_hidden():
    finalized = {
        p: [(date(2023, 9, 1), {"site": 1}), (date(2024, 9, 1), {"site": 2})] for p in range(4)
    }
    result = rules.pre_post(dict.fromkeys(range(4), date(2023, 9, 1)), finalized)
    assert result.hidden
    assert result.shown("before", "site", 1) == SUPPRESSED


# Retention ---------------------------------------------------------------------------------

Y1 = date(2022, 8, 1)
Y2 = date(2023, 8, 1)


def test_retention_counts_who_was_still_there_each_year():
    tenures = [Tenure(p, date(2020, 1, 1)) for p in range(6)]
    tenures += [Tenure(6, date(2020, 1, 1), left_on=date(2023, 3, 1))]
    tenures += [Tenure(7, date(2020, 1, 1), left_on=date(2024, 9, 1))]
    tenures += [Tenure(8, date(2023, 1, 1))]  # not yet in the role on Y1
    tenures += [Tenure(9, date(2020, 1, 1), left_unknown=True)]  # left on a day unknown
    rows = rules.retention_rows([Y1], {Y1: tenures}, today=date(2025, 9, 1))
    (row,) = rows
    assert row.start == set(range(8))
    assert [len(c.still) for c in row.cells] == [7, 7, 6]
    assert [c.rate for c in row.cells] == [88, 88, 75]


def test_retention_leaves_days_to_come_uncounted():
    tenures = [Tenure(p, date(2020, 1, 1)) for p in range(5)]
    (row,) = rules.retention_rows([Y2], {Y2: tenures}, today=date(2025, 1, 1))
    assert [c.still is None for c in row.cells] == [False, True, True]
    assert row.cells[1].shown_still() is None


def test_retention_of_four_is_hidden_of_five_shown():
    four = rules.retention_rows([Y1], {Y1: [Tenure(p, date(2020, 1, 1)) for p in range(4)]}, Y2)
    assert four[0].cells[0].hidden and four[0].cells[0].shown_still() == SUPPRESSED
    assert four[0].cells[0].rate is None
    five = rules.retention_rows([Y1], {Y1: [Tenure(p, date(2020, 1, 1)) for p in range(5)]}, Y2)
    assert five[0].cells[0].shown_still() == 5 and five[0].cells[0].rate == 100


def test_retention_splits():
    tenures = [Tenure(p, date(2020, 1, 1), split="Mentored" if p < 5 else "Not") for p in range(9)]
    rows = rules.retention_rows([Y1], {Y1: tenures}, Y2)
    assert [(r.split, len(r.start)) for r in rows] == [("Mentored", 5), ("Not", 4)]
    assert rows[0].key == "2022-08-01|Mentored"


@given(
    st.lists(
        st.tuples(st.integers(0, 2000), st.one_of(st.none(), st.integers(0, 3000))), max_size=40
    )
)
def test_nobody_is_still_there_who_was_not_there_at_the_start(data):
    base = date(2018, 1, 1)
    tenures = [
        Tenure(i, base + timedelta(days=s), None if e is None else base + timedelta(days=s + e))
        for i, (s, e) in enumerate(data)
    ]
    for row in rules.retention_rows([Y1], {Y1: tenures}, date(2030, 1, 1)):
        previous = row.start
        for cell in row.cells:
            assert cell.still <= previous
            previous = cell.still


# Time to promotion -------------------------------------------------------------------------


def test_promotion_medians_by_stage_and_cohort():
    promotions = [
        Promotion(p, "Coordinator II", "2019–20", y) for p, y in enumerate([2, 3, 3, 4, 5])
    ]
    promotions += [Promotion(0, "Coordinator II", "2019–20", 6)]  # a second time: the first counts
    promotions += [Promotion(p, "Senior", "2019–20", 6) for p in range(4)]
    promotions += [Promotion(9, "Senior", "2020–21", 2)]
    rows = rules.promotion_rows(promotions, ["Coordinator II", "Senior"])
    assert [(r.stage, r.cohort, r.median) for r in rows] == [
        ("Coordinator II", rules.ALL_COHORTS, 3),
        ("Coordinator II", "2019–20", 3),
        ("Senior", rules.ALL_COHORTS, 6),
        ("Senior", "2019–20", None),
        ("Senior", "2020–21", None),
    ]
    assert rows[3].hidden and rows[4].hidden
    assert rows[1].key == "Coordinator II|2019–20"


def test_years_between():
    assert rules.years_between(date(2020, 1, 1), date(2022, 1, 1)) == 2.0
    assert rules.years_between(date(2020, 1, 1), date(2020, 7, 2)) == 0.5


# Calibration -------------------------------------------------------------------------------


def figures(key, levels, people=5, **more):
    rater = RaterFigures(key, f"Director {key}", levels=levels, people=people)
    for name, value in more.items():
        setattr(rater, name, value)
    return rater


def test_directors_are_ordered_by_their_largest_gap():
    org = figures("organization", {"site": {1: 10, 2: 10}, "development": {2: 20}}, people=20)
    high = figures(1, {"site": {3: 5}, "development": {2: 5}})
    close = figures(2, {"site": {1: 3, 2: 2}, "development": {2: 5}})
    few = figures(3, {"site": {3: 4}})  # fewer than 5 ratings in any category
    ranked = rules.calibration_order([close, few, high], org, ["site", "development"])
    assert [(r.key, gap, category) for r, gap, category in ranked] == [
        (1, 1.5, "site"),
        (2, 0.1, "site"),
        (3, None, None),
    ]


def test_a_hidden_director_shows_no_figures():
    rater = figures(1, {"site": {3: 9}}, people=4, ratings=10, ratings_bare=5, reviews=4)
    rater.difference_sum, rater.difference_count = {"site": 4}, {"site": 4}
    assert rater.hidden
    assert rater.distribution("site") is None
    assert rater.mean_difference("site") is None
    assert rater.bare_percent is None
    assert rules.largest_gap(rater, figures("o", {"site": {1: 9}}), ["site"]) == (None, None)
    shown = figures(
        1, {"site": {3: 9}}, people=5, ratings=10, ratings_bare=5, reviews=5, reviews_in_window=4
    )
    shown.difference_sum, shown.difference_count = {"site": 3}, {"site": 4}
    assert shown.mean_difference("site") == 0.75
    assert shown.bare_percent == 50
    assert shown.in_window_percent == 80


def test_other_directors_are_anonymised():
    raters = [figures(1, {}), figures(2, {}), figures(3, {})]
    assert rules.anonymised(raters, {2}) == {1: "Director A", 2: "Director 2", 3: "Director B"}
    assert rules.anonymised(raters, (), "Team")[3] == "Team C"
    assert rules.anonymised(raters, {1, 3}, "Team") == {
        1: "Director 1",
        2: "Team A",
        3: "Director 3",
    }
    many = [figures(n, {}) for n in range(28)]
    assert rules.anonymised(many)[27] == "Director AB"


# The arithmetic on counts, against the per-person definitions -----------------------------

GROUPS = {"g": None, "h": None, "e": "site"}
STEPS = st.lists(
    st.tuples(
        st.integers(0, 12),  # person
        st.integers(1, 3),  # cycle
        st.sampled_from(["site", "development"]),
        st.integers(1, 3),
        st.integers(1, 3),
        st.frozensets(st.sampled_from(["g", "h", "e", "other"])),
    ),
    max_size=80,
)


def counted_steps(steps, groups):
    """What the impact selector asks the database for, counted here one step at a time."""
    totals, with_steps = defaultdict(int), defaultdict(int)
    for step in steps:
        key = (step.cycle_id, step.category, step.before, rules.move_of(step.before, step.after))
        totals[key] += 1
        for group in step.groups:
            if group in groups:
                with_steps[(group, *key)] += 1
    lines = rules.cycles_with(with_steps, groups)
    with_people, without_people = {}, {}
    for line, cycles in lines.items():
        group, category, level = line
        at = [s for s in steps if (s.category, s.before) == (category, level)]
        with_people[line] = len({s.person_id for s in at if group in s.groups})
        without_people[line] = len(
            {s.person_id for s in at if group not in s.groups and s.cycle_id in cycles}
        )
    return totals, with_steps, with_people, without_people


@given(STEPS)
def test_impact_from_counts_is_impact_person_by_person(data):
    steps = [rules.LevelStep(p, c, k, b, a, g) for p, c, k, b, a, g in data]
    expected = rules.impact_rows(steps, GROUPS)
    found = rules.impact_lines(*counted_steps(steps, GROUPS), GROUPS)
    assert [r.key for r in found] == [r.key for r in expected]
    for new, old in zip(found, expected, strict=True):
        for mine, theirs in ((new.with_support, old.with_support), (new.without, old.without)):
            assert mine.steps == theirs.steps
            assert mine.headcount == theirs.headcount
            assert mine.hidden == theirs.hidden
            assert [mine.shown(m) for m in rules.MOVES] == [theirs.shown(m) for m in rules.MOVES]
            assert mine.rate(rules.ROSE) == theirs.rate(rules.ROSE)
            assert mine.total == sum(mine.steps.values())


@pytest.mark.parametrize("people", [4, 5])
def test_impact_from_counts_at_the_suppression_boundary(people):
    steps = [rules.LevelStep(p, 1, "site", 1, 2, frozenset({"g"})) for p in range(people)]
    steps += [rules.LevelStep(p, 1, "site", 1, 1) for p in range(10, 10 + people)]
    (line,) = rules.impact_lines(*counted_steps(steps, {"g": None}), {"g": None})
    assert line.with_support.hidden is (people == 4)
    assert line.without.hidden is (people == 4)
    shown = rules.SUPPRESSED if people == 4 else people
    assert line.with_support.shown(rules.ROSE) == shown
    assert line.without.shown(rules.SAME) == shown
    assert line.with_support.rate(rules.ROSE) == (None if people == 4 else 100)
    assert line.without.rate(rules.ROSE) == (None if people == 4 else 0)


def test_a_group_counts_only_in_its_category_and_only_when_listed():
    with_steps = {("e", 1, "site", 1, rules.ROSE): 3, ("e", 1, "development", 1, rules.ROSE): 3}
    with_steps |= {("unlisted", 1, "site", 1, rules.ROSE): 3, ("g", 2, "site", 2, rules.SAME): 0}
    assert rules.cycles_with(with_steps, {"e": "site", "g": None}) == {("e", "site", 1): {1}}


Y0 = date(2020, 9, 1)
TENURES = st.lists(
    st.tuples(
        st.integers(0, 3000),  # started, days after 2016-01-01
        st.one_of(st.none(), st.integers(0, 3000)),  # left, days after starting
        st.booleans(),  # left on a day nobody recorded
        st.sampled_from(["A", "B", ""]),
    ),
    max_size=40,
)


@given(TENURES, st.integers(0, 2500))
def test_retention_from_counts_is_retention_person_by_person(data, days):
    base, today = date(2016, 1, 1), Y0 + timedelta(days=days)
    years = [rules.add_years(Y0, n) for n in range(4)]
    tenures = [
        rules.Tenure(
            i,
            base + timedelta(days=s),
            None if e is None or unknown else base + timedelta(days=s + e),
            unknown,
            split,
        )
        for i, (s, e, unknown, split) in enumerate(data)
    ]
    counts = defaultdict(lambda: [0, 0, 0, 0])
    for year in years:
        for t in tenures:
            if t.left_unknown or not t.active_on(year):
                continue
            numbers = counts[(year, t.split)]
            numbers[0] += 1
            for later in rules.YEARS_LATER:
                numbers[later] += t.active_on(rules.add_years(year, later))
    expected = rules.retention_rows(years, dict.fromkeys(years, tenures), today)
    found = rules.retention_lines(years, counts, today)
    assert [r.key for r in found] == [r.key for r in expected]
    for new, old in zip(found, expected, strict=True):
        assert new.start == len(old.start)
        for mine, theirs in zip(new.cells, old.cells, strict=True):
            assert mine.still == (None if theirs.still is None else len(theirs.still))
            assert (mine.hidden, mine.rate, mine.shown_still()) == (
                theirs.hidden,
                theirs.rate,
                theirs.shown_still(),
            )


@pytest.mark.parametrize("people", [4, 5])
def test_retention_from_counts_at_the_suppression_boundary(people):
    (line,) = rules.retention_lines([Y0], {(Y0, "A"): [people, people - 1, 0, 0]}, date(2022, 1, 1))
    assert line.cells[0].hidden is (people == 4)
    assert line.cells[0].shown_still() == (rules.SUPPRESSED if people == 4 else 4)
    assert line.cells[0].rate == (None if people == 4 else 80)
    assert line.cells[1].still is None and line.cells[1].shown_still() is None
    assert rules.retention_lines([Y0], {(Y0, "A"): [0, 0, 0, 0]}, date(2030, 1, 1)) == []


PROMOTIONS = st.lists(
    st.tuples(
        st.integers(0, 9),
        st.sampled_from(["II", "Senior"]),
        st.sampled_from(["2019–20", "2020–21"]),
        st.integers(0, 80).map(lambda n: n / 10),
    ),
    max_size=40,
)


@given(PROMOTIONS)
def test_promotions_from_counts_are_promotions_person_by_person(data):
    # A person belongs to one cohort: the first one drawn for them.
    cohort_of = {}
    promotions = [
        rules.Promotion(p, stage, cohort_of.setdefault(p, cohort), years)
        for p, stage, cohort, years in data
    ]
    first = {}
    for promotion in promotions:
        key = (promotion.stage, promotion.cohort, promotion.person_id)
        first[key] = min(first.get(key, promotion.years), promotion.years)
    counts = defaultdict(int)
    for (stage, cohort, _person), years in first.items():
        counts[(stage, cohort, years)] += 1
    expected = rules.promotion_rows(promotions, ["II", "Senior"])
    found = rules.promotion_lines(counts, ["II", "Senior"])
    assert [(r.key, len(r.people), r.median, r.hidden) for r in expected] == [
        (r.key, r.people, r.median, r.hidden) for r in found
    ]


@pytest.mark.parametrize("people", [4, 5])
def test_promotions_from_counts_at_the_suppression_boundary(people):
    counts = {("II", "2019–20", 2.0): people - 1, ("II", "2019–20", 3.5): 1}
    line = rules.promotion_lines(counts, ["II"])[0]
    assert line.people == people
    assert line.hidden is (people == 4)
    assert line.median == (None if people == 4 else 2.0)


@pytest.mark.parametrize("people", [4, 5])
def test_pre_post_from_counts(people):
    result = rules.pre_post_counts(
        people,
        {("before", "site", 1): people, ("after", "site", 2): people, ("after", "site", 1): 0},
    )
    assert result.before == {"site": {1: people}} and result.after == {"site": {2: people}}
    assert result.hidden is (people == 4)
    assert result.shown("after", "site", 2) == (rules.SUPPRESSED if people == 4 else people)
    assert result.shown("after", "site", 3) == (rules.SUPPRESSED if people == 4 else 0)
    assert result.shown("after", "development", 1) == (rules.SUPPRESSED if people == 4 else 0)


def test_retention_from_counts_counts_a_later_day_from_the_day_it_comes():
    counts = {(Y0, "A"): [6, 5, 4, 3]}
    on_the_day = rules.retention_lines([Y0], counts, rules.add_years(Y0, 2))[0]
    assert [c.still for c in on_the_day.cells] == [5, 4, None]
    assert [c.rate for c in on_the_day.cells] == [83, 67, None]
    before = rules.retention_lines([Y0], counts, rules.add_years(Y0, 2) - timedelta(days=1))[0]
    assert [c.still for c in before.cells] == [5, None, None]
    assert before.start == 6 and before.key == "2020-09-01|A"


def test_promotion_medians_from_counts():
    odd = {("II", "2019–20", 1.0): 2, ("II", "2019–20", 4.0): 1, ("II", "2019–20", 2.0): 2}
    even = {("II", "2020–21", 1.0): 3, ("II", "2020–21", 3.0): 3}
    lines = rules.promotion_lines(odd | even, ["II"])
    assert [(r.cohort, r.people, r.median) for r in lines] == [
        (rules.ALL_COHORTS, 11, 2.0),
        ("2019–20", 5, 2.0),
        ("2020–21", 6, 2.0),
    ]
    assert lines[1].key == "II|2019–20"
    assert rules.promotion_lines({("II", "2019–20", 1.0): 0}, ["II"]) == []
    assert rules.PromotionLine("II", "2019–20", 5, {}).median is None


def test_moves_of_fewer_than_five_people_have_no_rate_however_many_steps():
    four = rules.MoveCounts(4, {rules.ROSE: 6, rules.SAME: 2, rules.FELL: 0})
    assert four.hidden and four.rate(rules.ROSE) is None and four.total == 8
    five = rules.MoveCounts(5, {rules.ROSE: 6, rules.SAME: 2, rules.FELL: 0})
    assert five.rate(rules.ROSE) == 75 and five.shown(rules.FELL) == 0


def test_promotion_lines_follow_the_career_path_then_unlisted_stages():
    counts = {("II", "2019–20", 1.0): 0, ("II", "2019–20", 2.0): 5}
    counts |= {("Senior", "2019–20", 4.0): 5, ("Alpha", "2019–20", 3.0): 5}
    lines = rules.promotion_lines(counts, ["Senior", "II"])
    assert [(r.stage, r.cohort, r.people) for r in lines] == [
        ("Senior", rules.ALL_COHORTS, 5),
        ("Senior", "2019–20", 5),
        ("II", rules.ALL_COHORTS, 5),
        ("II", "2019–20", 5),
        ("Alpha", rules.ALL_COHORTS, 5),
        ("Alpha", "2019–20", 5),
    ]
    assert lines[3].years == {2.0: 5}


# Boundaries a reader of the reports would notice -------------------------------------------


def test_years_to_promotion_count_a_year_as_365_and_a_quarter_days_to_one_decimal():
    assert rules.years_between(date(2000, 1, 1), date(2020, 1, 1)) == 20.0  # 7305 days
    assert rules.years_between(date(2020, 1, 1), date(2020, 4, 1)) == 0.2  # 91 days


def test_before_and_after_read_cycles_in_date_order_and_the_day_support_began_as_before():
    began = date(2024, 9, 1)
    # Given out of order; the cycle opened on the day the support began is the one before it.
    cycles = [
        (date(2025, 9, 1), {"site": 3}),
        (began, {"site": 1}),
        (date(2023, 9, 1), {"site": 2}),
    ]
    finalized = dict.fromkeys(range(5), cycles)
    finalized[101] = [(date(2023, 9, 1), {"site": 1})]  # nothing after: left out
    # 100 has no finalized cycle at all: left out, and the people after them still count.
    started = {100: began} | dict.fromkeys(range(5), began) | {101: began}
    result = rules.pre_post(started, finalized)
    assert result.people == set(range(5))
    assert result.before == {"site": {1: 5}}
    assert result.after == {"site": {3: 5}}
    assert result.shown("before", "development", 1) == 0  # a category nobody was rated in


def test_retention_counts_someone_from_their_first_day_and_not_on_the_day_they_left():
    year_later = rules.add_years(Y1, 1)
    tenures = [Tenure(p, Y1) for p in range(5)]  # started on the school year's first day
    tenures.append(Tenure(5, date(2020, 1, 1), left_on=year_later))
    tenures.append(Tenure(6, date(2020, 1, 1), left_on=Y1))  # left on the first day: not active
    (row,) = rules.retention_rows([Y1], {Y1: tenures}, today=year_later)
    assert row.start == set(range(6))
    # A year later is counted on that very day; the one who left that day is not still there.
    assert [None if c.still is None else len(c.still) for c in row.cells] == [5, None, None]
    assert row.cells[0].rate == 83


def test_a_directors_mean_difference_is_to_hundredths_and_an_unrated_category_is_empty():
    shown = figures(1, {"site": {3: 9}}, people=5)
    shown.difference_sum = {"site": 1, "development": -2}
    shown.difference_count = {"site": 3, "development": 3}
    assert shown.mean_difference("site") == 0.33
    assert shown.mean_difference("development") == -0.67
    assert shown.mean_difference("organization") is None
    assert shown.distribution("development") == {}
    assert shown.distribution("site") == {3: 9}


def test_the_largest_gap_is_to_hundredths_and_a_tie_names_the_first_category_given():
    org = figures("organization", {"site": {1: 2, 2: 1}, "development": {2: 5}}, people=20)
    rater = figures(1, {"site": {2: 5}, "development": {2: 5}})
    assert rules.largest_gap(rater, org, ["site", "development"]) == (0.67, "site")
    even = figures("organization", {"site": {2: 5}, "development": {2: 5}}, people=20)
    both = figures(2, {"site": {3: 5}, "development": {1: 5}})
    assert rules.largest_gap(both, even, ["site", "development"]) == (1.0, "site")
    assert rules.largest_gap(both, even, ["development", "site"]) == (1.0, "development")


def test_calibration_puts_the_largest_gap_first_whatever_the_names_and_the_rest_by_name():
    org = figures("organization", {"site": {2: 20}}, people=20)
    small = RaterFigures(1, "Ada", levels={"site": {3: 1, 2: 4}}, people=5)  # 0.2 apart
    large = RaterFigures(2, "Zoe", levels={"site": {3: 5}}, people=5)  # 1.0 apart
    bea = RaterFigures(4, "Bea", people=5)
    al_3 = RaterFigures(3, "Al", people=5)
    al_13 = RaterFigures(13, "Al", people=5)
    ranked = rules.calibration_order([bea, al_3, small, al_13, large], org, ["site"])
    assert [(r.name, gap) for r, gap, _ in ranked] == [
        ("Zoe", 1.0),
        ("Ada", 0.2),
        ("Al", None),
        ("Al", None),
        ("Bea", None),
    ]
    assert [r.key for r, _, _ in ranked][2:4] == [13, 3]  # the same name: by key, as text


def test_promotion_rows_follow_the_career_path_then_unlisted_stages():
    promotions = [Promotion(p, "Alpha", "2019–20", 2) for p in range(5)]
    promotions += [Promotion(p, "II", "2019–20", 1) for p in range(5)]
    rows = rules.promotion_rows(promotions, ["II"])
    assert [(r.stage, r.cohort) for r in rows] == [
        ("II", rules.ALL_COHORTS),
        ("II", "2019–20"),
        ("Alpha", rules.ALL_COHORTS),
        ("Alpha", "2019–20"),
    ]


def test_before_and_after_when_two_cycles_opened_on_the_same_day():
    began = date(2024, 9, 1)
    same_day = date(2023, 9, 1)
    cycles = [(same_day, {"site": 1}), (same_day, {"site": 2}), (date(2024, 9, 2), {"site": 3})]
    result = rules.pre_post(dict.fromkeys(range(5), began), dict.fromkeys(range(5), cycles))
    assert result.people == set(range(5))
    assert result.after == {"site": {3: 5}}
    assert sum(result.before["site"].values()) == 5


def test_the_largest_gap_skips_categories_with_too_few_ratings_or_none_in_the_organization():
    org = figures("organization", {"site": {2: 20}, "development": {2: 20}}, people=20)
    rater = figures(1, {"site": {1: 4}, "development": {3: 5}})  # four site ratings: not compared
    assert rules.largest_gap(rater, org, ["site", "development"]) == (1.0, "development")
    without = figures("organization", {"development": {2: 20}}, people=20)
    rated = figures(2, {"site": {1: 5}, "development": {3: 5}})
    assert rules.largest_gap(rated, without, ["site", "development"]) == (1.0, "development")


def test_a_school_year_nobody_was_in_the_role_has_no_retention_row():
    tenures = [Tenure(p, date(2020, 1, 1)) for p in range(5)]
    rows = rules.retention_rows([Y1, Y2], {Y2: tenures}, today=date(2025, 1, 1))
    assert [row.year_start for row in rows] == [Y2]


def test_four_people_with_many_steps_have_no_rate():
    steps = [step(p, 1, 2, ["g"], cycle=c) for p in range(4) for c in (1, 2)]
    (row,) = rules.impact_rows(steps, {"g": None})
    assert row.with_support.total == 8
    assert row.with_support.hidden
    assert row.with_support.rate(rules.ROSE) is None
