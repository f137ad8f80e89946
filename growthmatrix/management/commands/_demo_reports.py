"""What makes the demo's reports tell a story: mentored coordinators rise in Development while
those at the same level without a mentor stay; one director rates markedly higher than the
others; two people left after their second year at weak sites. The stories leave the
dashboard's own stories (the first coordinators) alone."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from rubrics.vocabulary import CATEGORY_KEYS, MAX_LEVEL

DEVELOPMENT = CATEGORY_KEYS.index("development")
SITE = CATEGORY_KEYS.index("site")
GENEROUS_TEAM = 2  # the third team's director rates one level higher
LEAVERS = (13, 22)  # in their third year, at weak sites
MENTORING_STARTS_AFTER = timedelta(days=30)  # after the first cycle they are mentored in opened


def _with(levels: tuple[int, ...], index: int, value: int) -> tuple[int, ...]:
    changed = list(levels)
    changed[index] = value
    return tuple(changed)


def report_stories(plans: list, *, first_own: int, teams: int, finalized: str, past: int):
    """The plans with the reports' stories written in, and the mentored people with the
    cycle their mentoring started in. People from ``first_own`` on are the reports'; ``past``
    is the number of past (finalized) cycles."""
    before, after = past - 2, past - 1  # the last two past cycles
    by_person: dict[int, set[int]] = {}
    for plan in plans:
        if plan.state == finalized:
            by_person.setdefault(plan.person, set()).add(plan.cycle)
    # Of those finalized in the last two past cycles, every other one is mentored between them;
    # all of them were at Novice in Development until then.
    pool = sorted(
        person
        for person, cycles in by_person.items()
        if before >= 0
        and person >= first_own
        and person not in LEAVERS
        and {before, after} <= cycles
    )
    mentored = {person: before for person in pool[::2]}
    changed = []
    for plan in plans:
        levels, offset = plan.levels, plan.offset
        if plan.person in pool and plan.state == finalized:
            if plan.cycle <= before or plan.person not in mentored:
                levels = _with(levels, DEVELOPMENT, 1)
            else:
                levels = _with(levels, DEVELOPMENT, max(2, levels[DEVELOPMENT]))
        if plan.person in LEAVERS:
            levels = _with(levels, SITE, 1)
        if plan.person >= first_own and plan.person % teams == GENEROUS_TEAM:
            # One level up everywhere but Development (which the mentoring story reads); the
            # coordinator rates themself where they were.
            levels = tuple(
                level if k == DEVELOPMENT else min(MAX_LEVEL, level + 1)
                for k, level in enumerate(levels)
            )
            offset = -1
        changed.append(replace(plan, levels=levels, offset=offset))
    return changed, mentored


def leaving_day(role_start_date: date) -> date:
    """A leaver's last day: a few weeks into their third year."""
    return role_start_date + timedelta(days=365 * 2 + 20)
