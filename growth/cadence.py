"""When a coordinator is due a check-in, as plain data for the flags module (no database)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True, slots=True)
class CheckInClock:
    """A coordinator's check-in cadence: ``every_days`` from ``counting_from``, the day of
    their last check-in (``last_check_in``) or, without one, the later of the day the team's
    cadence was set and their first day in role."""

    every_days: int
    counting_from: date
    last_check_in: date | None = None

    @classmethod
    def of(
        cls,
        *,
        every_days: int,
        cadence_since: date,
        role_start_date: date | None,
        last_check_in: date | None,
    ) -> CheckInClock:
        if last_check_in is not None:
            return cls(every_days, last_check_in, last_check_in)
        start = max(cadence_since, role_start_date) if role_start_date else cadence_since
        return cls(every_days, start)

    @property
    def overdue_from(self) -> date:
        """The first day past the cadence: ``every_days`` after the last check-in is still on
        time, the day after is not."""
        return self.counting_from + timedelta(days=self.every_days + 1)
