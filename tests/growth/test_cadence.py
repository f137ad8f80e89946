"""When a coordinator is due a check-in."""

from datetime import date

from growth.cadence import CheckInClock


def test_the_clock_counts_from_the_last_check_in():
    clock = CheckInClock.of(
        every_days=30,
        cadence_since=date(2026, 1, 1),
        role_start_date=date(2020, 1, 1),
        last_check_in=date(2026, 3, 1),
    )
    assert clock.counting_from == date(2026, 3, 1)
    assert clock.overdue_from == date(2026, 4, 1)  # 31 days on: the 30th day is still on time


def test_without_a_check_in_from_the_cadence_or_the_first_day_whichever_is_later():
    set_later = CheckInClock.of(
        every_days=14,
        cadence_since=date(2026, 5, 1),
        role_start_date=date(2020, 1, 1),
        last_check_in=None,
    )
    assert set_later.counting_from == date(2026, 5, 1)
    started_later = CheckInClock.of(
        every_days=14,
        cadence_since=date(2026, 5, 1),
        role_start_date=date(2026, 6, 1),
        last_check_in=None,
    )
    assert started_later.counting_from == date(2026, 6, 1)
    no_start = CheckInClock.of(
        every_days=14, cadence_since=date(2026, 5, 1), role_start_date=None, last_check_in=None
    )
    assert no_start.counting_from == date(2026, 5, 1)
    assert no_start.last_check_in is None


def test_the_clock_keeps_the_cadence_and_the_last_check_in():
    after = CheckInClock.of(
        every_days=14,
        cadence_since=date(2026, 1, 1),
        role_start_date=None,
        last_check_in=date(2026, 3, 1),
    )
    assert after == CheckInClock(14, date(2026, 3, 1), date(2026, 3, 1))
    never = CheckInClock.of(
        every_days=14, cadence_since=date(2026, 1, 1), role_start_date=None, last_check_in=None
    )
    assert never == CheckInClock(14, date(2026, 1, 1), None)
