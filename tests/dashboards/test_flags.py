"""The flag rules: each at, below and above its threshold, with its words."""

from datetime import date, timedelta

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from coordinators.tenure import add_years
from dashboards import flags
from dashboards.flags import CategoryLevels, CoordinatorFacts, CycleStatus, Flag, Thresholds
from growth.careers import Stage
from rubrics.vocabulary import (
    CATEGORY_KEYS,
    DEFAULT_CATEGORY_NAMES,
    DEFAULT_NAMES,
    MAX_LEVEL,
    MIN_LEVEL,
    Names,
)

TODAY = date(2026, 11, 1)
DEFAULTS = Thresholds()


def matrix(
    coordinator=2,
    site=2,
    organization=2,
    development=2,
    *,
    cycle="2025–26 Fall",
    self_levels=None,
    finalized=True,
    names=DEFAULT_NAMES,
):
    levels = {
        "coordinator": coordinator,
        "site": site,
        "organization": organization,
        "development": development,
    }
    return CategoryLevels(
        cycle_name=cycle,
        levels=levels,
        self_levels=self_levels if self_levels is not None else dict(levels),
        supervisor_levels=dict(levels) if finalized else {},
        finalized=finalized,
        names=names,
    )


def years_ago(years, days=0):
    return add_years(TODAY, -years) - timedelta(days=days)


def test_every_flag_has_a_label_and_help():
    assert set(flags.FLAG_LABELS) == set(flags.FLAG_HELP)


@pytest.mark.parametrize(
    ("difference", "words"),
    [(1, "one level"), (-1, "one level"), (2, "two levels"), (-5, "five levels"), (7, "7 levels")],
)
def test_levels_apart_in_words(difference, words):
    assert flags.levels_apart(difference) == words


# Site gap and its reverse ----------------------------------------------------------------


def test_site_gap_says_both_levels_and_the_distance():
    flag = flags.site_gap(matrix(coordinator=3, site=1), DEFAULTS)
    assert flag.label == "Site gap"
    assert flag.explanation == "School site: Novice, Coordinator: Expert — two levels apart"
    assert flag.categories == ("site", "coordinator")


@pytest.mark.parametrize(
    ("coordinator", "site", "threshold", "raised"),
    [
        (2, 2, 1, False),  # below: equal levels
        (2, 1, 1, True),  # at the default threshold
        (3, 1, 1, True),  # above
        (2, 1, 2, False),  # below a raised threshold
        (3, 1, 2, True),  # at a raised threshold
        (1, 3, 1, False),  # the reverse is not a site gap
    ],
)
def test_site_gap_threshold(coordinator, site, threshold, raised):
    found = flags.site_gap(
        matrix(coordinator=coordinator, site=site), Thresholds(site_gap_levels=threshold)
    )
    assert (found is not None) is raised


@pytest.mark.parametrize(
    ("coordinator", "site", "threshold", "raised"),
    [(2, 2, 1, False), (1, 2, 1, True), (1, 3, 1, True), (1, 2, 2, False), (1, 3, 2, True)],
)
def test_site_ahead_is_the_reverse_flag(coordinator, site, threshold, raised):
    found = flags.site_ahead(
        matrix(coordinator=coordinator, site=site), Thresholds(site_gap_levels=threshold)
    )
    assert (found is not None) is raised
    if raised:
        assert found.code == flags.SITE_AHEAD
        assert "Coordinator: Novice" in found.explanation


def test_site_ahead_words():
    flag = flags.site_ahead(matrix(coordinator=1, site=3), DEFAULTS)
    assert flag.label == "Site ahead of coordinator"
    assert flag.explanation == (
        "Coordinator: Novice, School site: Expert — the site is two levels ahead of its coordinator"
    )
    assert flag.categories == ("coordinator", "site")


def test_a_submitted_matrix_says_it_is_not_yet_reviewed():
    flag = flags.site_gap(matrix(coordinator=3, site=1, finalized=False), DEFAULTS)
    assert flag.explanation.endswith("(self-assessment, not yet reviewed)")


def test_level_and_category_names_come_from_the_rubric():
    names = Names(
        categories={**DEFAULT_CATEGORY_NAMES, "coordinator": "Coach"},
        levels={1: "Emerging", 2: "Developing", 3: "Leading"},
    )
    flag = flags.site_gap(matrix(coordinator=2, site=1, names=names), DEFAULTS)
    assert flag.explanation == "School site: Emerging, Coach: Developing — one level apart"


def test_unrated_categories_raise_no_gap():
    assert flags.site_gap(matrix(coordinator=3, site=None), DEFAULTS) is None
    assert flags.site_gap(None, DEFAULTS) is None


# Support gap -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("coordinator", "organization", "threshold", "raised"),
    [(2, 2, 1, False), (2, 1, 1, True), (3, 1, 1, True), (2, 1, 2, False), (3, 1, 2, True)],
)
def test_support_gap_threshold(coordinator, organization, threshold, raised):
    found = flags.support_gap(
        matrix(coordinator=coordinator, organization=organization),
        Thresholds(support_gap_levels=threshold),
    )
    assert (found is not None) is raised


def test_support_gap_words():
    flag = flags.support_gap(matrix(coordinator=3, organization=2), DEFAULTS)
    assert flag.label == "Support gap"
    assert flag.explanation == (
        "Organizational supports: Proficient, Coordinator: Expert — supports one level below "
        "the coordinator"
    )
    assert flag.categories == ("organization", "coordinator")


# Development gap -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "raised"),
    [
        (years_ago(1) + timedelta(days=1), False),  # the day before the first anniversary
        (years_ago(1), True),  # on the anniversary
        (years_ago(3), True),  # well after
    ],
)
def test_development_gap_after_the_first_year(start, raised):
    found = flags.development_gap(matrix(development=1), start, TODAY, DEFAULTS)
    assert (found is not None) is raised


def test_development_gap_needs_novice_and_honours_the_grace_years():
    assert flags.development_gap(matrix(development=2), years_ago(5), TODAY, DEFAULTS) is None
    longer = Thresholds(development_grace_years=2)
    assert flags.development_gap(matrix(development=1), years_ago(1), TODAY, longer) is None
    flag = flags.development_gap(matrix(development=1), years_ago(2), TODAY, longer)
    assert flag.label == "Development gap"
    assert flag.explanation == (
        "Development: Novice after 2 years in role (expected above Novice after 2 years)"
    )
    assert flag.categories == ("development",)


# Perception gap --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("own", "supervisor", "threshold", "raised"),
    [(2, 2, 1, False), (3, 2, 1, True), (1, 3, 1, True), (3, 2, 2, False), (1, 3, 2, True)],
)
def test_perception_gap_threshold(own, supervisor, threshold, raised):
    m = matrix(coordinator=supervisor, self_levels={"coordinator": own})
    found = flags.perception_gap(m, Thresholds(perception_gap_levels=threshold))
    assert (found is not None) is raised


def test_perception_gap_names_every_category_that_differs():
    m = matrix(
        coordinator=1,
        development=2,
        self_levels={"coordinator": 3, "site": 2, "organization": 2, "development": 1},
    )
    flag = flags.perception_gap(m, DEFAULTS)
    assert flag.label == "Perception gap"
    assert flag.categories == ("coordinator", "development")
    assert flag.explanation == (
        "In 2025–26 Fall — Coordinator: self Expert, supervisor Novice (two levels apart); "
        "Development: self Novice, supervisor Proficient (one level apart)."
    )


def test_perception_gap_skips_a_category_without_a_self_level_and_reads_on():
    m = matrix(
        coordinator=2,
        site=1,
        self_levels={"coordinator": None, "site": 3, "organization": 2, "development": 2},
    )
    assert flags.perception_gap(m, DEFAULTS).categories == ("site",)


def test_perception_gap_reads_only_finalized_matrices():
    m = matrix(coordinator=1, self_levels={"coordinator": 3}, finalized=False)
    assert flags.perception_gap(m, DEFAULTS) is None


# Stalled ---------------------------------------------------------------------------------


def test_stalled_when_nothing_rose_between_the_last_two_finalized_cycles():
    history = [matrix(2, 1, 2, 2, cycle="A"), matrix(2, 1, 2, 2, cycle="B")]
    flag = flags.stalled(history, DEFAULTS)
    assert flag.label == "Stalled"
    assert flag.explanation == (
        "No category rose from A to B: Coordinator stayed Proficient, School site stayed Novice, "
        "Organizational supports stayed Proficient, Development stayed Proficient."
    )
    assert flag.categories == CATEGORY_KEYS


def test_stalled_leaves_out_categories_at_the_top_or_unrated_on_either_end():
    history = [matrix(3, 1, None, 2, cycle="A"), matrix(3, 1, 2, None, cycle="B")]
    flag = flags.stalled(history, DEFAULTS)
    assert flag.explanation == "No category rose from A to B: School site stayed Novice."
    assert flag.categories == ("site",)


def test_stalled_reads_the_last_cycle_of_a_longer_window():
    three = Thresholds(stalled_cycles=3)
    flat = [matrix(2, 2, 2, 2, cycle=name) for name in ("A", "B", "C")]
    assert flags.stalled(flat, three).explanation.startswith("No category rose from A to C: ")
    flat_then_rose = [*flat[:2], matrix(3, 2, 2, 2, cycle="C")]
    assert flags.stalled(flat_then_rose, three) is None


def test_not_stalled_when_one_category_rose():
    history = [matrix(2, 1, 2, 2, cycle="A"), matrix(2, 2, 2, 2, cycle="B")]
    assert flags.stalled(history, DEFAULTS) is None


def test_stalled_when_a_category_fell_even_if_another_rose():
    history = [matrix(2, 1, 2, 2, cycle="A"), matrix(3, 1, 2, 1, cycle="B")]
    flag = flags.stalled(history, DEFAULTS)
    assert flag.label == "Stalled"
    assert flag.explanation == "Development fell from Proficient to Novice (A to B)."
    assert flag.categories == ("development",)


def test_stalled_names_every_category_that_fell_once():
    history = [
        matrix(3, 2, 2, 3, cycle="A"),
        matrix(2, 2, 2, 2, cycle="B"),
        matrix(1, 2, 2, 1, cycle="C"),
    ]
    flag = flags.stalled(history, Thresholds(stalled_cycles=3))
    assert flag.explanation == (
        "Coordinator fell from Expert to Proficient (A to B); "
        "Development fell from Expert to Proficient (A to B)."
    )
    assert flag.categories == ("coordinator", "development")


def test_a_category_unrated_on_one_side_did_not_fall():
    history = [matrix(2, 2, 2, 3, cycle="A"), matrix(3, 2, 2, None, cycle="B")]
    assert flags.stalled(history, DEFAULTS) is None
    history = [matrix(2, 2, 2, None, cycle="A"), matrix(3, 2, 2, 1, cycle="B")]
    assert flags.stalled(history, DEFAULTS) is None


def test_stalled_needs_as_many_finalized_cycles_as_it_compares():
    same = matrix(2, 2, 2, 2)
    assert flags.stalled([same], DEFAULTS) is None  # below: one cycle
    assert flags.stalled([same, same], DEFAULTS) is not None  # at: two
    three = Thresholds(stalled_cycles=3)
    assert flags.stalled([same, same], three) is None
    rose_then_flat = [matrix(1, 2, 2, 2), matrix(2, 2, 2, 2), matrix(2, 2, 2, 2)]
    assert flags.stalled(rose_then_flat, three) is None  # rose within the window of three
    assert flags.stalled(rose_then_flat, DEFAULTS) is not None  # flat in the last two


def test_not_stalled_at_the_top_level():
    top = matrix(3, 3, 3, 3)
    assert flags.stalled([top, top], DEFAULTS) is None


# Overdue ---------------------------------------------------------------------------------


def status(state=None, due=TODAY, submitted_on=None, window=14):
    return CycleStatus(
        cycle_name="2026–27 Fall",
        due_on=due,
        review_window_days=window,
        state=state,
        submitted_on=submitted_on,
    )


@pytest.mark.parametrize(
    ("state", "due", "raised"),
    [
        (None, TODAY, False),  # due today: not late yet
        (None, TODAY - timedelta(days=1), True),  # a day late, not started
        ("draft", TODAY - timedelta(days=10), True),
        ("returned", TODAY - timedelta(days=10), True),
        ("draft", TODAY + timedelta(days=3), False),
        ("finalized", TODAY - timedelta(days=30), False),
    ],
)
def test_overdue_self_assessment(state, due, raised):
    assert (flags.overdue(status(state, due), TODAY) is not None) is raised


@pytest.mark.parametrize(
    ("state", "due", "words"),
    [
        (
            "draft",
            date(2026, 10, 15),
            "was due on Oct 15, 2026 and is not submitted — 17 days late",
        ),
        (None, date(2026, 10, 31), "was due on Oct 31, 2026 and is not started — 1 day late"),
        (
            "returned",
            date(2026, 10, 30),
            "was due on Oct 30, 2026 and is not submitted — 2 days late",
        ),
    ],
)
def test_overdue_words(state, due, words):
    flag = flags.overdue(status(state, due), TODAY)
    assert flag.label == "Overdue"
    assert flag.explanation == f"Self-assessment for 2026–27 Fall {words}"


@pytest.mark.parametrize(
    ("submitted_days_ago", "raised"), [(13, False), (14, False), (15, True), (40, True)]
)
def test_overdue_review_window(submitted_days_ago, raised):
    submitted = TODAY - timedelta(days=submitted_days_ago)
    found = flags.overdue(status("submitted", TODAY - timedelta(days=60), submitted), TODAY)
    assert (found is not None) is raised
    if raised:
        assert "the review was due within 14 days" in found.explanation


@pytest.mark.parametrize(
    ("submitted_on", "words"),
    [
        (date(2026, 10, 1), "by Oct 15, 2026 — 17 days late"),
        (date(2026, 10, 16), "by Oct 30, 2026 — 2 days late"),
        (date(2026, 10, 17), "by Oct 31, 2026 — 1 day late"),
    ],
)
def test_overdue_review_words(submitted_on, words):
    flag = flags.overdue(status("submitted", date(2026, 9, 1), submitted_on), TODAY)
    assert flag.label == "Overdue"
    assert flag.explanation == (
        f"Submitted on {submitted_on:%b} {submitted_on.day}, 2026; the review was due within "
        f"14 days, {words}"
    )


def test_no_overdue_review_once_finalized_or_without_a_submission_day():
    long_ago = TODAY - timedelta(days=40)
    assert flags.overdue(status("finalized", long_ago, submitted_on=long_ago), TODAY) is None
    assert flags.overdue(status("submitted", long_ago, submitted_on=None), TODAY) is None


def test_no_overdue_for_someone_who_started_after_the_due_date():
    due = TODAY - timedelta(days=10)
    assert flags.overdue(status(None, due), TODAY, due + timedelta(days=1)) is None
    assert flags.overdue(status(None, due), TODAY, TODAY - timedelta(days=5)) is None


def test_overdue_for_someone_who_started_on_the_due_date():
    due = TODAY - timedelta(days=10)
    assert flags.overdue(status(None, due), TODAY, due) is not None


# Ready for promotion ---------------------------------------------------------------------

NEXT = Stage(
    title="Coordinator II",
    order=2,
    expected_years_from=2,
    expected_years_to=4,
    minimums={"coordinator": 2, "site": 1, "organization": 1, "development": 2},
)


@pytest.mark.parametrize(
    ("levels", "start", "raised"),
    [
        ((2, 1, 1, 2), years_ago(2), True),  # at every minimum, on the anniversary
        ((3, 3, 3, 3), years_ago(6), True),  # above
        ((2, 1, 1, 1), years_ago(3), False),  # development below its minimum
        ((2, 1, 1, 2), years_ago(2) + timedelta(days=1), False),  # a day short of tenure
    ],
)
def test_ready_for_promotion(levels, start, raised):
    found = flags.ready_for_promotion(matrix(*levels), start, TODAY, NEXT)
    assert (found is not None) is raised


def test_ready_for_promotion_words_and_the_last_stage():
    flag = flags.ready_for_promotion(matrix(2, 1, 1, 2), years_ago(3), TODAY, NEXT)
    assert flag.explanation.startswith(
        "Meets Coordinator II in 2025–26 Fall: Coordinator Proficient (needs Proficient), "
        "School site Novice (needs Novice)"
    )
    assert "3 years in role (the stage usually starts at 2 years)" in flag.explanation
    assert flag.label == "Ready for promotion"
    assert flag.categories == CATEGORY_KEYS
    assert flags.ready_for_promotion(matrix(3, 3, 3, 3), years_ago(9), TODAY, None) is None


def test_a_category_without_a_minimum_needs_the_lowest_level():
    stage = Stage(title="Coordinator II", order=2, expected_years_from=2, minimums={"site": 2})
    flag = flags.ready_for_promotion(matrix(1, 2, 1, 1), years_ago(2), TODAY, stage)
    assert flag.explanation == (
        "Meets Coordinator II in 2025–26 Fall: Coordinator Novice (needs Novice), School site "
        "Proficient (needs Proficient), Organizational supports Novice (needs Novice), "
        "Development Novice (needs Novice); 2 years in role (the stage usually starts at 2 years)"
    )


# Long tenure -----------------------------------------------------------------------------

STAGE_ONE = Stage(title="Coordinator I", order=1, expected_years_from=0, expected_years_to=2)


@pytest.mark.parametrize(
    ("start", "extra", "raised"),
    [
        (years_ago(2), 0, False),  # exactly at the end of the span
        (years_ago(2, days=1), 0, True),  # a day beyond
        (years_ago(2, days=1), 1, False),  # within the extra year
        (years_ago(3, days=1), 1, True),
    ],
)
def test_long_tenure(start, extra, raised):
    found = flags.long_tenure(STAGE_ONE, start, TODAY, Thresholds(long_tenure_extra_years=extra))
    assert (found is not None) is raised


def test_long_tenure_words_and_the_open_ended_last_stage():
    flag = flags.long_tenure(STAGE_ONE, years_ago(5), TODAY, DEFAULTS)
    assert flag.explanation == "5 years in role, still Coordinator I (usually years 0–2)"
    last = Stage(title="Lead", order=4, expected_years_from=7, expected_years_to=None)
    assert flags.long_tenure(last, years_ago(30), TODAY, DEFAULTS) is None


# All together ----------------------------------------------------------------------------


def test_flags_for_returns_every_raised_flag_in_order():
    facts = CoordinatorFacts(
        today=TODAY,
        role_start_date=years_ago(5),
        current=matrix(3, 1, 1, 1),
        finalized_history=[matrix(3, 1, 1, 1, cycle="A"), matrix(3, 1, 1, 1, cycle="B")],
        cycle=status("draft", TODAY - timedelta(days=3)),
        stage=STAGE_ONE,
        next_stage=NEXT,
    )
    found = flags.flags_for(facts, DEFAULTS)
    assert [flag.code for flag in found] == [
        flags.SITE_GAP,
        flags.SUPPORT_GAP,
        flags.DEVELOPMENT_GAP,
        flags.STALLED,
        flags.OVERDUE,
        flags.LONG_TENURE,
    ]
    assert [flag.order for flag in found] == sorted(flag.order for flag in found)


def codes(facts):
    return {flag.code for flag in flags.flags_for(facts, DEFAULTS)}


def test_flags_for_reads_the_latest_finalized_cycle():
    meets_and_disagrees = {"self_levels": {"coordinator": 1}}
    history = [
        matrix(1, 1, 1, 1, cycle="A"),
        matrix(1, 1, 1, 1, cycle="B"),
        matrix(2, 2, 2, 2, cycle="C", **meets_and_disagrees),
    ]
    facts = CoordinatorFacts(
        today=TODAY, role_start_date=years_ago(3), finalized_history=history, next_stage=NEXT
    )
    found = {flag.code: flag for flag in flags.flags_for(facts, DEFAULTS)}
    assert found[flags.PERCEPTION_GAP].explanation.startswith("In C — ")
    assert found[flags.READY_FOR_PROMOTION].explanation.startswith("Meets Coordinator II in C:")

    earlier = [
        matrix(2, 2, 2, 2, cycle="A", **meets_and_disagrees),
        matrix(2, 2, 2, 2, cycle="B", **meets_and_disagrees),
        matrix(1, 1, 1, 1, cycle="C"),
    ]
    facts = CoordinatorFacts(
        today=TODAY, role_start_date=years_ago(3), finalized_history=earlier, next_stage=NEXT
    )
    assert not codes(facts) & {flags.PERCEPTION_GAP, flags.READY_FOR_PROMOTION}


def test_flags_for_raises_the_site_ahead_flag():
    assert codes(CoordinatorFacts(today=TODAY, current=matrix(1, 3, 1, 2))) == {flags.SITE_AHEAD}


def test_flags_for_does_not_call_overdue_someone_who_started_after_the_due_date():
    cycle = status(None, TODAY - timedelta(days=10))
    assert flags.OVERDUE in codes(CoordinatorFacts(today=TODAY, cycle=cycle))
    late_start = CoordinatorFacts(
        today=TODAY, role_start_date=TODAY - timedelta(days=5), cycle=cycle
    )
    assert codes(late_start) == set()


def test_nothing_to_flag_for_a_new_coordinator():
    facts = CoordinatorFacts(today=TODAY, role_start_date=TODAY - timedelta(days=30))
    assert flags.flags_for(facts, DEFAULTS) == []


def test_thresholds_from_a_row_or_defaults():
    class Row:
        site_gap_levels = 2
        support_gap_levels = 1
        development_grace_years = 3
        perception_gap_levels = 2
        stalled_cycles = 4
        long_tenure_extra_years = 1

    assert Thresholds.from_row(Row()) == Thresholds(2, 1, 3, 2, 4, 1)
    assert Thresholds.from_row(None) == Thresholds()


# Properties ------------------------------------------------------------------------------

levels = st.integers(min_value=1, max_value=3)
maybe_levels = st.one_of(st.none(), levels)
gap_thresholds = st.builds(
    Thresholds,
    site_gap_levels=st.integers(1, 2),
    support_gap_levels=st.integers(1, 2),
    perception_gap_levels=st.integers(1, 2),
    stalled_cycles=st.integers(2, 4),
)
matrices = st.builds(
    matrix,
    coordinator=maybe_levels,
    site=maybe_levels,
    organization=maybe_levels,
    development=maybe_levels,
    self_levels=st.fixed_dictionaries({key: maybe_levels for key in CATEGORY_KEYS}),
)


@given(m=matrices, thresholds=gap_thresholds)
def test_raising_the_school_site_never_creates_a_site_gap(m, thresholds):
    site = m.level("site")
    if site is None or site == 3:
        return
    raised = CategoryLevels(
        cycle_name=m.cycle_name,
        levels={**m.levels, "site": site + 1},
        self_levels=m.self_levels,
        supervisor_levels=m.supervisor_levels,
    )
    if flags.site_gap(m, thresholds) is None:
        assert flags.site_gap(raised, thresholds) is None


@given(m=matrices, thresholds=gap_thresholds)
def test_raising_the_coordinator_never_removes_a_site_gap(m, thresholds):
    coordinator = m.level("coordinator")
    if coordinator is None or coordinator == 3:
        return
    raised = CategoryLevels(
        cycle_name=m.cycle_name, levels={**m.levels, "coordinator": coordinator + 1}
    )
    if flags.site_gap(m, thresholds) is not None:
        assert flags.site_gap(raised, thresholds) is not None


@given(m=matrices, thresholds=gap_thresholds)
def test_site_gap_and_its_reverse_never_both(m, thresholds):
    assert not (flags.site_gap(m, thresholds) and flags.site_ahead(m, thresholds))


def _named(flag: Flag, names: Names) -> bool:
    return all(names.category(key) in flag.explanation for key in flag.categories)


@given(
    m=matrices,
    history=st.lists(matrices, min_size=0, max_size=5),
    thresholds=gap_thresholds,
    tenure_days=st.integers(0, 4000),
)
def test_an_explanation_names_the_categories_it_compares(m, history, thresholds, tenure_days):
    start = TODAY - timedelta(days=tenure_days)
    found = [
        flags.site_gap(m, thresholds),
        flags.site_ahead(m, thresholds),
        flags.support_gap(m, thresholds),
        flags.development_gap(m, start, TODAY, thresholds),
        flags.perception_gap(m, thresholds),
        flags.stalled(history, thresholds),
        flags.ready_for_promotion(m, start, TODAY, NEXT),
    ]
    for flag in filter(None, found):
        assert flag.categories, flag
        assert _named(flag, m.names), flag
        assert flag.explanation.strip()


@given(length=st.integers(2, 6), thresholds=gap_thresholds)
def test_a_matrix_that_climbs_to_the_top_is_never_stalled(length, thresholds):
    climbing = [
        CategoryLevels(cycle_name=f"C{i}", levels={key: min(3, 1 + i) for key in CATEGORY_KEYS})
        for i in range(length)
    ]
    assert flags.stalled(climbing, thresholds) is None


level_maps = st.fixed_dictionaries({key: maybe_levels for key in CATEGORY_KEYS})


def finalized(levels, name):
    return CategoryLevels(cycle_name=name, levels=levels)


def raised_by(levels, steps):
    """``levels`` with each rated category raised by its step, up to the top level."""
    return {
        key: None if level is None else min(MAX_LEVEL, level + steps[key])
        for key, level in levels.items()
    }


steps = st.fixed_dictionaries({key: st.integers(0, 2) for key in CATEGORY_KEYS})


@given(before=level_maps, after=level_maps, raise_by=steps)
def test_raising_levels_of_the_later_cycle_never_creates_a_stalled_flag(before, after, raise_by):
    if flags.stalled([finalized(before, "A"), finalized(after, "B")], DEFAULTS) is None:
        raised = finalized(raised_by(after, raise_by), "B")
        assert flags.stalled([finalized(before, "A"), raised], DEFAULTS) is None


@given(levels=level_maps, window=st.integers(2, 4))
def test_a_matrix_identical_to_the_previous_ones_is_stalled_unless_nothing_can_rise(levels, window):
    history = [finalized(levels, f"C{i}") for i in range(window)]
    below_the_top = [key for key in CATEGORY_KEYS if levels[key] is not None and levels[key] < 3]
    flag = flags.stalled(history, Thresholds(stalled_cycles=window))
    if below_the_top:
        assert flag.categories == tuple(below_the_top)
        assert flag.explanation.startswith(f"No category rose from C0 to C{window - 1}: ")
    else:
        assert flag is None


@given(
    levels=level_maps, key=st.sampled_from(CATEGORY_KEYS), drop=st.integers(1, 2), raise_by=steps
)
def test_a_fall_in_any_category_is_stalled_even_when_others_rose(levels, key, drop, raise_by):
    assume(levels[key] is not None and levels[key] - drop >= MIN_LEVEL)
    after = {**raised_by(levels, raise_by), key: levels[key] - drop}
    flag = flags.stalled([finalized(levels, "A"), finalized(after, "B")], DEFAULTS)
    assert key in flag.categories
    assert f"{DEFAULT_NAMES.category(key)} fell from " in flag.explanation


@given(
    older=st.lists(level_maps, max_size=4),
    recent=st.lists(level_maps, min_size=2, max_size=2),
)
def test_only_the_last_cycles_of_the_window_count(older, recent):
    window = [finalized(levels, f"R{i}") for i, levels in enumerate(recent)]
    history = [finalized(levels, f"O{i}") for i, levels in enumerate(older)] + window
    assert flags.stalled(history, DEFAULTS) == flags.stalled(window, DEFAULTS)


@given(start_days_ago=st.integers(0, 4000), later=st.integers(1, 800), m=matrices)
def test_a_tenure_flag_once_raised_stays_raised_as_time_passes(start_days_ago, later, m):
    start = TODAY - timedelta(days=start_days_ago)
    then = TODAY + timedelta(days=later)
    rules = [
        lambda today: flags.development_gap(m, start, today, DEFAULTS),
        lambda today: flags.ready_for_promotion(m, start, today, NEXT),
        lambda today: flags.long_tenure(STAGE_ONE, start, today, DEFAULTS),
    ]
    for rule in rules:
        if rule(TODAY) is not None:
            assert rule(then) is not None


@given(own=levels, supervisor=levels, threshold=st.integers(1, 2))
def test_perception_gap_is_symmetric(own, supervisor, threshold):
    thresholds = Thresholds(perception_gap_levels=threshold)
    a = matrix(coordinator=supervisor, self_levels={"coordinator": own})
    b = matrix(coordinator=own, self_levels={"coordinator": supervisor})
    assert (flags.perception_gap(a, thresholds) is None) == (
        flags.perception_gap(b, thresholds) is None
    )
