"""School years: an organization's year starts on a month and day of its choosing (1 August
by default); agreements, principal contacts and reports are per school year. Pure: no
Django, no models."""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class SchoolYear:
    """The school year that starts in ``start_year`` on (``month``, ``day``)."""

    start_year: int
    month: int = 8
    day: int = 1

    @property
    def starts(self) -> datetime.date:
        return _on(self.start_year, self.month, self.day)

    @property
    def ends(self) -> datetime.date:
        """The last day of the year: the day before the next one starts."""
        return _on(self.start_year + 1, self.month, self.day) - datetime.timedelta(days=1)

    @property
    def label(self) -> str:
        """ "2025–26" for a year that starts in 2025 (an en dash, two digits after it)."""
        if self.month == 1 and self.day == 1:
            return str(self.start_year)
        return f"{self.start_year}–{(self.start_year + 1) % 100:02d}"

    def next(self) -> SchoolYear:
        return SchoolYear(self.start_year + 1, self.month, self.day)

    def previous(self) -> SchoolYear:
        return SchoolYear(self.start_year - 1, self.month, self.day)

    def __contains__(self, day: datetime.date) -> bool:
        return self.starts <= day <= self.ends

    def __str__(self) -> str:
        return self.label


def _on(year: int, month: int, day: int) -> datetime.date:
    """The date, a day past the month's end falling back to its last day (a year that
    starts on 29 February starts on the 28th in a common year)."""
    return datetime.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def school_year_of(day: datetime.date, month: int = 8, start_day: int = 1) -> SchoolYear:
    """The school year ``day`` falls in, for years starting on (``month``, ``start_day``)."""
    this_year = SchoolYear(day.year, month, start_day)
    return this_year if day >= this_year.starts else this_year.previous()
