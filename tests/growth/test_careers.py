"""Career stage requirements, met or not met in words, and agreement with the flag."""

from datetime import date
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboards.flags import CategoryLevels, ready_for_promotion
from growth.careers import (
    Stage,
    as_stage,
    next_stage,
    stage_readiness,
    stage_span_words,
    time_in_words,
)
from rubrics.vocabulary import CATEGORY_KEYS, Names

SENIOR = Stage(
    title="Senior Coordinator",
    order=3,
    expected_years_from=4,
    expected_years_to=7,
    minimums={"coordinator": 3, "site": 2, "organization": 2, "development": 2},
)
TODAY = date(2026, 11, 23)


def by_sentence(readiness):
    return {r.label: r for r in readiness.requirements}


def test_every_requirement_met():
    readiness = stage_readiness(
        stage=SENIOR,
        levels={"coordinator": 3, "site": 2, "organization": 3, "development": 2},
        role_start_date=date(2022, 8, 1),
        today=TODAY,
        based_on="the 2025–26 Fall review",
    )
    assert readiness.all_met
    assert readiness.summary == "Meets every requirement of Senior Coordinator."
    assert by_sentence(readiness)["Coordinator"].sentence == (
        "Coordinator: needs Expert, now Expert — met"
    )
    assert by_sentence(readiness)["Years in role"].sentence == (
        "Years in role: needs 4 years, now 4 years — met"
    )


def test_each_unmet_requirement_is_said_in_words():
    readiness = stage_readiness(
        stage=SENIOR,
        levels={"coordinator": 2, "site": 1, "organization": 2, "development": None},
        role_start_date=date(2023, 12, 1),
        today=TODAY,
    )
    sentences = [r.sentence for r in readiness.unmet]
    assert sentences == [
        "Coordinator: needs Expert, now Proficient — not met",
        "School site: needs Proficient, now Novice — not met",
        "Development: needs Proficient, now Not rated yet — not met",
        "Years in role: needs 4 years, now 2 years — not met",
    ]
    assert readiness.summary == "4 of 5 requirements of Senior Coordinator not met yet."
    assert readiness.based_on == "no finalized assessment yet"


def test_each_category_requirement_carries_its_category():
    readiness = stage_readiness(stage=SENIOR, levels=None, role_start_date=None, today=TODAY)
    assert [r.category_key for r in readiness.requirements] == [*CATEGORY_KEYS, None]


def test_a_category_without_a_minimum_needs_the_lowest_level():
    stage = Stage(title="Coordinator II", order=2, expected_years_from=2, minimums={"site": 2})
    readiness = stage_readiness(
        stage=stage,
        levels={"coordinator": 1, "site": 2, "organization": 1, "development": 1},
        role_start_date=date(2020, 1, 1),
        today=TODAY,
    )
    assert by_sentence(readiness)["Coordinator"].sentence == (
        "Coordinator: needs Novice, now Novice — met"
    )
    assert readiness.all_met


@pytest.mark.parametrize(
    ("start", "met"),
    [
        (date(2022, 11, 23), True),  # the fourth anniversary is today
        (date(2022, 11, 24), False),  # it is tomorrow
    ],
)
def test_the_years_are_met_on_the_anniversary(start, met):
    readiness = stage_readiness(stage=SENIOR, levels=None, role_start_date=start, today=TODAY)
    assert by_sentence(readiness)["Years in role"].met is met


def test_an_unknown_start_date_leaves_the_years_unmet():
    readiness = stage_readiness(
        stage=SENIOR,
        levels={"coordinator": 3, "site": 3, "organization": 3, "development": 3},
        role_start_date=None,
        today=TODAY,
    )
    assert [r.sentence for r in readiness.unmet] == [
        "Years in role: needs 4 years, now unknown — not met"
    ]
    assert by_sentence(readiness)["Years in role"].met is False
    assert readiness.summary == "1 of 5 requirements of Senior Coordinator not met yet."


def test_no_finalized_assessment_meets_no_category():
    readiness = stage_readiness(
        stage=SENIOR, levels=None, role_start_date=date(2010, 1, 1), today=TODAY
    )
    assert [r.met for r in readiness.requirements] == [False, False, False, False, True]


def test_renamed_levels_and_categories_are_used():
    names = Names(categories={"site": "Campus"}, levels={1: "Emerging", 2: "Solid", 3: "Leading"})
    readiness = stage_readiness(
        stage=SENIOR,
        levels={"site": 1},
        role_start_date=date(2020, 1, 1),
        today=TODAY,
        names=names,
    )
    assert (
        by_sentence(readiness)["Campus"].sentence == "Campus: needs Solid, now Emerging — not met"
    )


def test_the_last_stage_has_no_next():
    assert stage_readiness(stage=None, levels={}, role_start_date=None, today=TODAY) is None


def test_next_stage_by_order():
    stages = [SENIOR, Stage("Coordinator I", 1), Stage("Coordinator II", 2)]
    assert next_stage(stages, None).title == "Coordinator I"
    assert next_stage(stages, stages[2]).title == "Senior Coordinator"
    assert next_stage(stages, SENIOR) is None
    assert next_stage([], None) is None


@pytest.mark.parametrize(
    ("since", "words"),
    [
        (date(2024, 8, 23), "2 years, 3 months"),
        (date(2025, 11, 23), "1 year"),
        (date(2025, 10, 23), "1 year, 1 month"),
        (date(2023, 11, 23), "3 years"),
        (date(2026, 9, 23), "2 months"),
        (date(2026, 10, 23), "1 month"),  # a month ago to the day
        (date(2026, 10, 24), "less than a month"),  # a day short of it
        (date(2026, 6, 24), "4 months"),
        (date(2026, 11, 1), "less than a month"),
        (TODAY, "less than a month"),  # started today
        (date(2026, 11, 24), "not started yet"),  # starts tomorrow
        (None, "unknown"),
    ],
)
def test_time_in_words(since, words):
    assert time_in_words(since, TODAY) == words


def test_a_stage_span_in_words():
    assert stage_span_words(SENIOR) == "usually years 4–7 in role"
    last = Stage(title="Lead Coordinator", order=4, expected_years_from=7)
    assert stage_span_words(last) == "from year 7 in role"


def test_a_career_stage_row_as_plain_data():
    row = SimpleNamespace(
        title="Senior Coordinator",
        order=3,
        expected_years_from=4,
        expected_years_to=7,
        minimums={"coordinator": 3, "site": 2, "organization": 2, "development": 2},
        pk=12,
    )
    assert as_stage(row) == SENIOR
    assert as_stage(None) is None


levels = st.one_of(st.none(), st.integers(min_value=1, max_value=3))


@given(
    st.fixed_dictionaries(
        {k: levels for k in ("coordinator", "site", "organization", "development")}
    ),
    st.dates(min_value=date(2000, 1, 1), max_value=TODAY),
)
def test_all_met_exactly_when_the_ready_for_promotion_flag_is_raised(category_levels, start):
    readiness = stage_readiness(
        stage=SENIOR, levels=category_levels, role_start_date=start, today=TODAY
    )
    flag = ready_for_promotion(
        CategoryLevels(cycle_name="Fall", levels=category_levels), start, TODAY, SENIOR
    )
    assert readiness.all_met == (flag is not None)
