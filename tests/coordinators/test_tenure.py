"""Whole years in role and dates in words, the way every flag and page counts tenure."""

from datetime import date

from coordinators.tenure import add_years, whole_years


def test_tenure_arithmetic_handles_leap_days():
    assert add_years(date(2024, 2, 29), 1) == date(2025, 2, 28)
    assert whole_years(date(2020, 6, 1), date(2026, 5, 31)) == 5
    assert whole_years(date(2020, 6, 1), date(2026, 6, 1)) == 6
    assert whole_years(date(2027, 1, 1), date(2026, 1, 1)) == 0
