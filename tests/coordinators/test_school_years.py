import datetime

from hypothesis import given
from hypothesis import strategies as st

from coordinators.school_years import SchoolYear, school_year_of


def test_a_day_before_the_start_belongs_to_the_year_before():
    assert school_year_of(datetime.date(2026, 7, 31)) == SchoolYear(2025)
    assert school_year_of(datetime.date(2026, 8, 1)) == SchoolYear(2026)


def test_labels_and_bounds():
    year = SchoolYear(2025)
    assert year.label == "2025–26"
    assert year.starts == datetime.date(2025, 8, 1)
    assert year.ends == datetime.date(2026, 7, 31)
    assert SchoolYear(2099, 7, 1).label == "2099–00"
    assert SchoolYear(2026, 1, 1).label == "2026"


def test_a_start_past_the_month_end_falls_back_to_its_last_day():
    assert SchoolYear(2027, 2, 29).starts == datetime.date(2027, 2, 28)
    assert SchoolYear(2028, 2, 29).starts == datetime.date(2028, 2, 29)
    assert SchoolYear(2026, 9, 31).starts == datetime.date(2026, 9, 30)


@given(
    st.dates(min_value=datetime.date(1991, 1, 1), max_value=datetime.date(2190, 1, 1)),
    st.integers(1, 12),
    st.integers(1, 31),
)
def test_every_day_is_in_exactly_the_year_it_is_said_to_be_in(day, month, start_day):
    year = school_year_of(day, month, start_day)
    assert day in year
    assert day not in year.next()
    assert day not in year.previous()
    assert year.next().starts == year.ends + datetime.timedelta(days=1)


def test_a_year_holds_its_last_day_and_starts_on_its_own_day():
    year = SchoolYear(2025, 8, 15)
    assert year.ends in year and year.starts in year
    assert year.next().starts not in year
    assert school_year_of(datetime.date(2025, 8, 14), 8, 15) == SchoolYear(2024, 8, 15)
    assert school_year_of(datetime.date(2025, 8, 15), 8, 15) == SchoolYear(2025, 8, 15)
