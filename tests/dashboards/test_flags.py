"""The flag rules: each at, below and above its threshold, with its words."""

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coordinators.tenure import add_years
from dashboards import flags
from dashboards.flags import CategoryLevels, CoordinatorFacts, CycleStatus, Flag, Thresholds
from growth.cadence import CheckInClock
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
    assert flag.explanation == (
        "School site: Novice (the director's view), Coordinator: Expert — two levels apart"
    )
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
        "Coordinator: Novice, School site: Expert (the director's view) — the site is two levels "
        "ahead of its coordinator"
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
    assert flag.explanation == (
        "School site: Emerging (the director's view), Coach: Developing — one level apart"
    )


# Whose School site level: the principal's, the director's, or the lower ---------------------

PRINCIPAL_FIRST = Thresholds()
DIRECTOR_ONLY = Thresholds(site_score_rule="director")
LOWER = Thresholds(site_score_rule="lower")


def test_by_default_the_principal_s_view_decides_and_the_explanation_says_so():
    seen = replace(matrix(coordinator=3, site=3), principal_site=1)
    flag = flags.site_gap(seen, PRINCIPAL_FIRST)
    assert flag.explanation == (
        "School site: Novice (the principal's view), Coordinator: Expert — two levels apart"
    )
    assert flags.site_gap(seen, DIRECTOR_ONLY) is None


def test_without_a_principal_the_director_s_view_decides():
    flag = flags.site_gap(matrix(coordinator=3, site=1), PRINCIPAL_FIRST)
    assert "(the director's view)" in flag.explanation


def test_always_the_director_s_view_ignores_the_principal():
    seen = replace(matrix(coordinator=3, site=1), principal_site=3)
    assert flags.site_gap(seen, PRINCIPAL_FIRST) is None
    assert "(the director's view)" in flags.site_gap(seen, DIRECTOR_ONLY).explanation


@pytest.mark.parametrize(
    ("director", "principal", "raised", "words"),
    [
        (
            3,
            1,
            True,
            "School site: Novice (the principal's view, lower than the director's Expert)",
        ),
        (
            1,
            3,
            True,
            "School site: Novice (the director's view, lower than the principal's Expert)",
        ),
        (2, 2, False, ""),
    ],
)
def test_the_lower_of_the_two_views(director, principal, raised, words):
    seen = replace(matrix(coordinator=3, site=director), principal_site=principal)
    flag = flags.site_gap(seen, Thresholds(site_gap_levels=2, site_score_rule="lower"))
    assert (flag is not None) == raised
    if raised:
        assert flag.explanation.startswith(words)


def test_whose_site_level_when_the_two_views_agree_or_there_is_none():
    agree = replace(matrix(site=2), principal_site=2)
    assert flags.site_score(agree, LOWER) == (2, "the principal's and the director's view")
    assert flags.site_score(matrix(site=None), PRINCIPAL_FIRST) == (None, "")
    unreviewed = replace(matrix(site=3, finalized=False), principal_site=1)
    assert flags.site_score(unreviewed, LOWER) == (3, "")


def test_a_site_gap_not_yet_reviewed_names_no_view():
    flag = flags.site_gap(matrix(coordinator=3, site=1, finalized=False), PRINCIPAL_FIRST)
    assert flag.explanation == (
        "School site: Novice, Coordinator: Expert — two levels apart "
        "(self-assessment, not yet reviewed)"
    )


def test_a_matrix_not_yet_reviewed_reads_the_coordinator_s_own_site_level():
    seen = replace(matrix(coordinator=3, site=3, finalized=False), principal_site=1)
    assert flags.site_gap(seen, PRINCIPAL_FIRST) is None


def test_the_site_ahead_follows_the_same_rule():
    seen = replace(matrix(coordinator=1, site=1), principal_site=3)
    flag = flags.site_ahead(seen, PRINCIPAL_FIRST)
    assert flag.explanation == (
        "Coordinator: Novice, School site: Expert (the principal's view) — the site is two "
        "levels ahead of its coordinator"
    )


# School and coordinator see the site differently -----------------------------------------


@pytest.mark.parametrize(
    ("own", "principal", "threshold", "raised"),
    [(3, 1, 1, True), (3, 2, 1, True), (3, 2, 2, False), (1, 3, 2, True), (2, 2, 1, False)],
)
def test_school_and_coordinator_see_the_site_differently(own, principal, threshold, raised):
    seen = replace(matrix(self_levels={"site": own}), principal_site=principal)
    flag = flags.site_perception(seen, Thresholds(perception_gap_levels=threshold))
    assert (flag is not None) == raised


def test_the_site_perception_words_and_its_place_among_the_flags():
    seen = replace(matrix(self_levels={"site": 3}, finalized=False), principal_site=1)
    flag = flags.site_perception(seen, DEFAULTS)
    assert flag.label == "School and coordinator see the site differently"
    assert flag.explanation == (
        "In 2025–26 Fall — School site: the principal's view Novice, the coordinator's own "
        "Expert (two levels apart)"
    )
    facts = CoordinatorFacts(today=TODAY, current=seen)
    assert flags.flag_starts(facts, DEFAULTS)[flags.SITE_PERCEPTION] == flags.ALWAYS
    assert flags.flag_words(facts, DEFAULTS)[flags.SITE_PERCEPTION].on(TODAY) == flag
    assert flag.categories == ("site",)
    assert flags.site_perception(matrix(self_levels={"site": 3}), DEFAULTS) is None


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
        "Development: self Novice, supervisor Proficient (one level apart)"
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
        "Organizational supports stayed Proficient, Development stayed Proficient"
    )
    assert flag.categories == CATEGORY_KEYS


def test_stalled_leaves_out_categories_at_the_top_or_unrated_on_either_end():
    history = [matrix(3, 1, None, 2, cycle="A"), matrix(3, 1, 2, None, cycle="B")]
    flag = flags.stalled(history, DEFAULTS)
    assert flag.explanation == "No category rose from A to B: School site stayed Novice"
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
    assert flag.explanation == "Development fell from Proficient to Novice (A to B)"
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
        "Development fell from Expert to Proficient (A to B)"
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
            "was due on 15 Oct 2026 and is not submitted — 17 days late",
        ),
        (None, date(2026, 10, 31), "was due on 31 Oct 2026 and is not started — 1 day late"),
        (
            "returned",
            date(2026, 10, 30),
            "was due on 30 Oct 2026 and is not submitted — 2 days late",
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
        (date(2026, 10, 1), "by 15 Oct 2026 — 17 days late"),
        (date(2026, 10, 16), "by 30 Oct 2026 — 2 days late"),
        (date(2026, 10, 17), "by 31 Oct 2026 — 1 day late"),
    ],
)
def test_overdue_review_words(submitted_on, words):
    flag = flags.overdue(status("submitted", date(2026, 9, 1), submitted_on), TODAY)
    assert flag.label == "Overdue"
    assert flag.explanation == (
        f"Submitted on {submitted_on.day} {submitted_on:%b} 2026; the review was due within "
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
    assert flags.flag_starts(late_start, DEFAULTS)[flags.OVERDUE] is None


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
        site_score_rule = "lower"
        agreement_grace_days = 30

    assert Thresholds.from_row(Row()) == Thresholds(2, 1, 3, 2, 4, 1, "lower", 30)
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


@st.composite
def a_fall(draw):
    """A matrix, one of its categories and a fall of that category's level that stays on the
    scale: drawn so, rather than filtered (most random draws cannot fall)."""
    key = draw(st.sampled_from(CATEGORY_KEYS))
    drop = draw(st.integers(1, 2))
    matrix = {**draw(level_maps), key: draw(st.integers(MIN_LEVEL + drop, 3))}
    return matrix, key, drop


@given(fall=a_fall(), raise_by=steps)
def test_a_fall_in_any_category_is_stalled_even_when_others_rose(fall, raise_by):
    levels, key, drop = fall
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


# The day each flag starts ------------------------------------------------------------------

LEVEL = st.one_of(st.none(), st.integers(min_value=1, max_value=3))
DAY = st.dates(min_value=date(2015, 1, 1), max_value=date(2035, 12, 31))


@st.composite
def matrices(draw, finalized=None):
    finalized = draw(st.booleans()) if finalized is None else finalized
    own = {key: draw(LEVEL) for key in CATEGORY_KEYS}
    supervisor = {key: draw(LEVEL) for key in CATEGORY_KEYS} if finalized else {}
    levels = (
        {key: supervisor[key] if supervisor[key] is not None else own[key] for key in own}
        if finalized
        else own
    )
    return CategoryLevels(
        cycle_name=draw(st.sampled_from(["Fall", "Spring"])),
        levels=levels,
        self_levels=own,
        supervisor_levels=supervisor,
        finalized=finalized,
        principal_site=draw(LEVEL),
    )


@st.composite
def stages(draw):
    start = draw(st.integers(min_value=0, max_value=6))
    end = draw(st.one_of(st.none(), st.integers(min_value=start, max_value=start + 5)))
    minimums = {key: draw(st.integers(min_value=1, max_value=3)) for key in CATEGORY_KEYS}
    return Stage(
        title="Stage",
        order=draw(st.integers(1, 5)),
        expected_years_from=start,
        expected_years_to=end,
        minimums=minimums,
    )


@st.composite
def facts_and_thresholds(draw):
    history = draw(st.lists(matrices(finalized=True), max_size=3))
    current = draw(st.one_of(st.none(), matrices())) if not history else history[-1]
    cycle = draw(
        st.one_of(
            st.none(),
            st.builds(
                CycleStatus,
                cycle_name=st.just("Fall"),
                due_on=DAY,
                review_window_days=st.integers(0, 60),
                state=st.sampled_from([None, "draft", "returned", "submitted", "finalized"]),
                submitted_on=st.one_of(st.none(), DAY),
            ),
        )
    )
    facts = CoordinatorFacts(
        today=date(2000, 1, 1),
        role_start_date=draw(st.one_of(st.none(), DAY)),
        current=current,
        finalized_history=history,
        cycle=cycle,
        stage=draw(st.one_of(st.none(), stages())),
        next_stage=draw(st.one_of(st.none(), stages())),
        check_ins=draw(
            st.one_of(
                st.none(),
                st.builds(
                    CheckInClock,
                    every_days=st.integers(7, 365),
                    counting_from=DAY,
                    last_check_in=st.one_of(st.none(), DAY),
                ),
            )
        ),
        agreements=draw(
            st.one_of(
                st.none(),
                st.builds(
                    flags.AgreementFacts,
                    year_label=st.just("2025–26"),
                    year_starts=DAY,
                    unsigned_schools=st.lists(st.sampled_from(["Lincoln", "Park"])).map(tuple),
                ),
            )
        ),
        acknowledgement=draw(
            st.one_of(
                st.none(),
                st.builds(
                    flags.AcknowledgementFacts,
                    cycle_name=st.just("Fall"),
                    finalized_on=DAY,
                    overdue_days=st.integers(1, 365),
                ),
            )
        ),
    )
    thresholds = Thresholds(
        site_gap_levels=draw(st.integers(1, 2)),
        support_gap_levels=draw(st.integers(1, 2)),
        development_grace_years=draw(st.integers(0, 3)),
        perception_gap_levels=draw(st.integers(1, 2)),
        stalled_cycles=draw(st.integers(2, 3)),
        long_tenure_extra_years=draw(st.integers(0, 2)),
        agreement_grace_days=draw(st.integers(0, 400)),
        site_score_rule=draw(
            st.sampled_from(
                [flags.PRINCIPAL_ELSE_DIRECTOR, flags.DIRECTOR_ONLY, flags.LOWER_OF_BOTH]
            )
        ),
    )
    return facts, thresholds


@given(facts_and_thresholds(), DAY)
def test_a_flag_is_raised_on_a_day_exactly_when_its_start_is_on_or_before_it(given_facts, day):
    """The read model stores each flag's start and the database compares it with the day: the
    same flags as the rules give on that day."""
    facts, thresholds = given_facts
    raised = {flag.code for flag in flags.flags_for(replace(facts, today=day), thresholds)}
    starts = flags.flag_starts(facts, thresholds)
    assert set(starts) == set(flags.FLAG_LABELS)
    assert raised == {code for code, start in starts.items() if start is not None and start <= day}


# No check-in ------------------------------------------------------------------------------


def test_no_check_in_is_raised_the_day_after_the_cadence_runs_out():
    clock = CheckInClock(
        every_days=30, counting_from=date(2026, 3, 1), last_check_in=date(2026, 3, 1)
    )
    assert flags.no_check_in(clock, date(2026, 3, 31)) is None  # day 30: on time
    flag = flags.no_check_in(clock, date(2026, 4, 1))
    assert flag is not None and flag.code == flags.NO_CHECK_IN
    assert flag.explanation == (
        "No check-in for 31 days (the last one was on 1 Mar 2026; the team's cadence is every "
        "30 days)"
    )
    assert flags.no_check_in_from(clock) == date(2026, 4, 1)


def test_no_check_in_without_any_says_since_when_and_needs_a_cadence():
    clock = CheckInClock(every_days=14, counting_from=date(2026, 1, 1))
    flag = flags.no_check_in(clock, date(2026, 2, 16))
    assert "No check-in for 46 days (none since 1 Jan 2026" in flag.explanation
    assert flags.no_check_in(None, date(2026, 2, 16)) is None
    assert flags.no_check_in_from(None) is None


@given(facts_and_thresholds(), DAY)
def test_the_stored_words_give_the_same_flags_on_any_day(given_facts, day):
    """The read model stores each flag's words beside its start, with the counts of years and
    days left to the day shown: read back on any day, the same flags in the same words as the
    rules give on that day."""
    facts, thresholds = given_facts
    starts = flags.flag_starts(facts, thresholds)
    words = flags.flag_words(facts, thresholds)
    assert set(words) == {code for code, start in starts.items() if start is not None}
    stored = {code: flags.FlagWords.from_json(code, w.as_json()) for code, w in words.items()}
    assert flags.flags_on(starts, stored, day) == flags.flags_for(
        replace(facts, today=day), thresholds
    )


# No signed agreement ----------------------------------------------------------------------


def _agreements(*unsigned: str) -> flags.AgreementFacts:
    return flags.AgreementFacts(
        year_label="2025–26", year_starts=date(2025, 8, 1), unsigned_schools=unsigned
    )


def test_no_agreement_is_raised_the_grace_days_into_the_school_year():
    thresholds = Thresholds(agreement_grace_days=30)
    facts = _agreements("Lincoln Elementary")
    assert flags.no_agreement(facts, date(2025, 8, 30), thresholds) is None
    flag = flags.no_agreement(facts, date(2025, 8, 31), thresholds)
    assert flag is not None and flag.code == flags.NO_AGREEMENT
    assert flag.explanation == (
        "No signed partnership agreement for 2025–26 at Lincoln Elementary — 30 days into the "
        "school year (expected within 30)"
    )
    assert flags.no_agreement_from(facts, thresholds) == date(2025, 8, 31)


def test_no_agreement_is_not_raised_when_every_school_signed_or_there_is_none():
    thresholds = Thresholds(agreement_grace_days=0)
    assert flags.no_agreement(_agreements(), date(2026, 1, 1), thresholds) is None
    assert flags.no_agreement(None, date(2026, 1, 1), thresholds) is None
    assert flags.no_agreement_from(_agreements(), thresholds) is None


def test_no_agreement_names_every_unsigned_school_and_appears_in_flags_for():
    facts = CoordinatorFacts(today=date(2025, 12, 1), agreements=_agreements("Lincoln", "Park"))
    found = flags.flags_for(facts, Thresholds())
    assert [flag.code for flag in found] == [flags.NO_AGREEMENT]
    assert "at Lincoln, Park" in found[0].explanation
    assert flags.flag_starts(facts, Thresholds())[flags.NO_AGREEMENT] == date(2025, 9, 15)


# Review not acknowledged ------------------------------------------------------------------


def _review(days: int = 14) -> flags.AcknowledgementFacts:
    return flags.AcknowledgementFacts(
        cycle_name="Fall 2026", finalized_on=date(2026, 10, 1), overdue_days=days
    )


def test_a_review_not_acknowledged_is_raised_once_the_days_have_passed():
    review = _review(14)
    assert flags.not_acknowledged(review, date(2026, 10, 14)) is None  # 13 days: still in time
    flag = flags.not_acknowledged(review, date(2026, 10, 15))
    assert flag is not None and flag.code == flags.NOT_ACKNOWLEDGED
    assert flag.label == "Review not acknowledged"
    assert flag.explanation == (
        "The review of Fall 2026, finalized on 1 Oct 2026, is not acknowledged after 14 days "
        "(expected within 14)"
    )
    assert flags.not_acknowledged(review, date(2026, 11, 1)).explanation.endswith(
        "after 31 days (expected within 14)"
    )
    assert flags.not_acknowledged_from(review) == date(2026, 10, 15)
    assert flags.not_acknowledged_from(_review(1)) == date(2026, 10, 2)


def test_an_acknowledged_review_or_one_nobody_asks_to_acknowledge_is_never_flagged():
    assert flags.not_acknowledged(None, date(2030, 1, 1)) is None
    assert flags.not_acknowledged_from(None) is None
    assert flags.not_acknowledged_words(None) is None


def test_the_review_flag_comes_last_in_flags_for_and_its_starts_and_words():
    facts = CoordinatorFacts(
        today=date(2026, 12, 1), agreements=_agreements("Lincoln"), acknowledgement=_review(30)
    )
    found = flags.flags_for(facts, Thresholds())
    assert [flag.code for flag in found] == [flags.NO_AGREEMENT, flags.NOT_ACKNOWLEDGED]
    assert list(flags.FLAG_LABELS)[-1] == flags.NOT_ACKNOWLEDGED
    assert flags.NOT_ACKNOWLEDGED in flags.FLAG_HELP
    assert flags.flag_starts(facts, Thresholds())[flags.NOT_ACKNOWLEDGED] == date(2026, 10, 31)
    words = flags.flag_words(facts, Thresholds())[flags.NOT_ACKNOWLEDGED]
    assert words.on(date(2026, 12, 1)) == found[1]


def _every_date_flag() -> CoordinatorFacts:
    """A coordinator of whom every flag that reads the day is raised some day."""
    return CoordinatorFacts(
        today=date(2026, 12, 1),
        role_start_date=date(2015, 9, 1),
        finalized_history=(matrix(3, 3, 3, 3),),
        next_stage=Stage(
            title="Coordinator II",
            order=2,
            expected_years_from=4,
            expected_years_to=None,
            minimums=dict.fromkeys(CATEGORY_KEYS, 2),
        ),
        cycle=CycleStatus(cycle_name="Fall", due_on=date(2026, 10, 1), review_window_days=14),
        stage=Stage(
            title="Coordinator I",
            order=1,
            expected_years_from=0,
            expected_years_to=3,
            minimums=dict.fromkeys(CATEGORY_KEYS, 1),
        ),
        check_ins=CheckInClock(every_days=30, counting_from=date(2026, 3, 1)),
        agreements=_agreements("Lincoln"),
        acknowledgement=_review(30),
    )


def test_the_read_model_stores_the_day_each_date_flag_counts_from():
    """The words kept in the read model name the day a count starts, in days or years: a page
    shown later counts from it."""
    words = flags.flag_words(_every_date_flag(), Thresholds())
    stored = {
        code: [part for part in words[code].as_json()["words"] if isinstance(part, dict)]
        for code in words
    }
    assert stored == {
        flags.OVERDUE: [{"days": "2026-10-01"}],
        flags.READY_FOR_PROMOTION: [{"years": "2015-09-01"}],
        flags.LONG_TENURE: [{"years": "2015-09-01"}],
        flags.NO_CHECK_IN: [{"days": "2026-03-01"}],
        flags.NO_AGREEMENT: [{"days": "2025-08-01"}],
        flags.NOT_ACKNOWLEDGED: [{"days": "2026-10-01"}],
    }
    submitted = CycleStatus(
        cycle_name="Fall",
        due_on=date(2026, 10, 1),
        review_window_days=14,
        state="submitted",
        submitted_on=date(2026, 9, 20),
    )
    review = flags.overdue_words(submitted).as_json()["words"]
    assert [part for part in review if isinstance(part, dict)] == [{"days": "2026-10-04"}]


def test_the_stored_flags_are_raised_from_their_first_day_and_not_the_day_before():
    facts = _every_date_flag()
    starts = flags.flag_starts(facts, Thresholds())
    words = flags.flag_words(facts, Thresholds())
    assert starts[flags.LONG_TENURE] == date(2018, 9, 2)
    assert starts[flags.READY_FOR_PROMOTION] == date(2019, 9, 1)
    for code, start in starts.items():
        if start is None:
            continue
        on_the_day = flags.flags_on(starts, words, start)
        assert code in {flag.code for flag in on_the_day}
        assert on_the_day == flags.flags_for(replace(facts, today=start), Thresholds())
        the_day_before = flags.flags_on(starts, words, start - timedelta(days=1))
        assert code not in {flag.code for flag in the_day_before}


def test_a_stored_flag_reads_back_as_the_rules_give_it():
    """The pages read the read model's rows with ``stored_flag``: the same flag, in the same
    words, as the rules give on the day shown."""
    words = flags.flag_words(_every_date_flag(), Thresholds())
    site = flags.FlagWords.of(flags.site_gap(matrix(coordinator=3, site=1), DEFAULTS))
    for day in (date(2027, 1, 15), date(2030, 6, 1)):
        counts: dict = {}  # as a page keeps them: the words of each count, for one day
        for code, stored in [*words.items(), (flags.SITE_GAP, site)]:
            assert flags.stored_flag(code, stored.as_json(), day) == stored.on(day)
            for _ in range(2):  # worked out, then read back
                assert flags.stored_flag(code, stored.as_json(), day, counts) == stored.on(day)
        assert counts
