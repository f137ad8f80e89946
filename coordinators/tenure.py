"""Time in a role, and dates in words: plain Python shared by every rule that counts tenure."""

from __future__ import annotations

from datetime import date


def years_words(years: int) -> str:
    return f"{years} year{'s' if years != 1 else ''}"


def day_words(value: date) -> str:
    """``"3 Sep 2026"``: the product's one date format, as its templates write dates."""
    return f"{value.day} {value:%b} {value.year}"


def add_years(start: date, years: int) -> date:
    """The same day ``years`` later; 29 February becomes 28 February."""
    try:
        return start.replace(year=start.year + years)
    except ValueError:
        return start.replace(year=start.year + years, day=28)


def whole_years(start: date, today: date) -> int:
    """Whole years from ``start`` to ``today`` (0 before the first anniversary, and for a start
    still to come)."""
    years = today.year - start.year
    if add_years(start, years) > today:
        years -= 1
    return max(years, 0)
