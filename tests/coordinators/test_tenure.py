"""Whole years in role and dates in words, the way every flag and page counts tenure."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coordinators.tenure import add_years, day_words, whole_years, years_words


def test_add_years_keeps_the_day():
    assert add_years(date(2020, 6, 15), 3) == date(2023, 6, 15)
    assert add_years(date(2020, 6, 15), -2) == date(2018, 6, 15)
    assert add_years(date(2020, 6, 15), 0) == date(2020, 6, 15)


def test_add_years_from_a_leap_day_lands_on_the_28th_of_february():
    assert add_years(date(2024, 2, 29), 1) == date(2025, 2, 28)
    assert add_years(date(2024, 2, 29), 4) == date(2028, 2, 29)


@pytest.mark.parametrize(
    ("start", "today", "years"),
    [
        (date(2020, 6, 1), date(2020, 6, 1), 0),  # the first day
        (date(2020, 6, 1), date(2021, 5, 31), 0),  # the day before the first anniversary
        (date(2020, 6, 1), date(2021, 6, 1), 1),  # on it
        (date(2020, 6, 1), date(2026, 5, 31), 5),
        (date(2020, 6, 1), date(2026, 6, 1), 6),
        (date(2020, 6, 1), date(2026, 12, 31), 6),
        (date(2024, 2, 29), date(2025, 2, 27), 0),
        (date(2024, 2, 29), date(2025, 2, 28), 1),  # a leap-day start's anniversary
        (date(2027, 1, 1), date(2026, 1, 1), 0),  # a start still to come
        (date(2027, 1, 1), date(2026, 12, 31), 0),
    ],
)
def test_whole_years(start, today, years):
    assert whole_years(start, today) == years


@given(
    start=st.dates(min_value=date(1990, 1, 1), max_value=date(2040, 12, 31)),
    days=st.integers(min_value=0, max_value=20_000),
)
def test_whole_years_reach_n_exactly_on_the_nth_anniversary(start, days):
    today = start + timedelta(days=days)
    years = whole_years(start, today)
    assert add_years(start, years) <= today < add_years(start, years + 1)


@pytest.mark.parametrize(
    ("years", "words"), [(0, "0 years"), (1, "1 year"), (2, "2 years"), (11, "11 years")]
)
def test_years_in_words(years, words):
    assert years_words(years) == words


def test_a_day_in_words():
    assert day_words(date(2026, 10, 5)) == "5 Oct 2026"
    assert day_words(date(2027, 1, 31)) == "31 Jan 2027"
