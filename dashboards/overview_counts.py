"""The overview's counts of one cycle, and the copy of them the dashboards keep.

``count_cycle`` counts a cycle's read-model rows with ``GROUP BY``: per team the active
coordinators in each state and with each flag, per category the coordinators at each level,
per school site the flagged coordinators with each flag (most flags first). That is work per
person, so the counts are also kept, one ``CycleOverviewCounts`` row per cycle, and the
overview reads that one row:

- A flag is raised on a day when its start is on or before it, so counts made as of one day
  hold until the first start after it (``changes_on``, found in the same pass). The counts
  are read only for a day in that span; on another (the next day, a cycle closed earlier)
  they are counted again and kept.
- A change of a cycle's rows forgets that cycle's counts, in the write's transaction
  (``rows_changed``, from ``read_model.coordinators_refresh``), and the next view counts it
  again; so does a change of who is active, in which team or at which site, or of a team's
  or site's name (no row changes, but the counts do), for the organization's counts.

The school sites kept are the ``SCHOOLS_KEPT`` with most flags (and how many have one): what
the overview shows unless asked for every site, which is counted from the rows each time.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from django.db import connection, transaction
from django.utils import timezone

from assessments.models import AssessmentCycle
from coordinators import events as coordinator_events
from coordinators.models import CoordinatorProfile, School, Team
from coordinators.prepared import read_sql
from dashboards import flags as flag_rules
from dashboards.models import CoordinatorCycleRow, CycleOverviewCounts
from rubrics.models import CategoryKey
from rubrics.vocabulary import DEFAULT_LEVEL_NAMES

SCHOOLS_KEPT = 20  # the school sites the overview lists unless asked for every one

ROWS = CoordinatorCycleRow._meta.db_table
PROFILES = CoordinatorProfile._meta.db_table
PROFILE_SCHOOLS = CoordinatorProfile.schools.through._meta.db_table
TEAMS = Team._meta.db_table
SCHOOLS = School._meta.db_table
KEPT = CycleOverviewCounts._meta.db_table
CATEGORY_KEYS = tuple(CategoryKey.values)


@dataclass
class CycleCounts:
    """What the overview counts of one cycle's active coordinators as of one day: plain
    values, as kept (``as_kept``, ``from_kept``)."""

    coordinators: int
    # (team id, team name) -> {state: coordinators}, and -> {flag code: coordinators}
    completion: dict[tuple[int | None, str | None], dict[str, int]]
    flags_by_team: dict[tuple[int | None, str | None], dict[str, int]]
    levels: dict[str, dict[int | None, int]]  # category key -> level (None: none) -> count
    totals: dict[str, int]  # flag code -> coordinators
    schools: list[tuple[int, str, dict[str, int]]]  # (id, name, {code: n}), most flags first
    schools_flagged: int  # every site with a flagged coordinator (``schools`` may be fewer)
    changes_on: date | None = None  # the first day after the counted day a flag starts

    def as_kept(self) -> dict:
        """As JSON keeps it (lists for tuples): what ``CycleOverviewCounts.counts`` holds."""
        return {
            "coordinators": self.coordinators,
            "teams": [
                [pk, name, self.completion[pk, name], self.flags_by_team.get((pk, name), {})]
                for pk, name in sorted(
                    self.completion, key=lambda team: (team[0] is not None, team[0] or 0)
                )
            ],
            "levels": {
                key: [[value, n] for value, n in sorted(levels.items(), key=_level_order)]
                for key, levels in self.levels.items()
            },
            "totals": self.totals,
            "schools": [[pk, name, counts] for pk, name, counts in self.schools],
            "schools_flagged": self.schools_flagged,
        }

    @classmethod
    def from_kept(cls, kept: dict, changes_on: date | None) -> CycleCounts:
        completion, by_team = {}, {}
        for pk, name, states, flags in kept["teams"]:
            completion[pk, name] = states
            by_team[pk, name] = flags
        return cls(
            coordinators=kept["coordinators"],
            completion=completion,
            flags_by_team=by_team,
            levels={key: dict(map(tuple, pairs)) for key, pairs in kept["levels"].items()},
            totals=kept["totals"],
            schools=[(pk, name, counts) for pk, name, counts in kept["schools"]],
            schools_flagged=kept["schools_flagged"],
            changes_on=changes_on,
        )


def _level_order(item) -> tuple:
    return (item[0] is None, item[0] or 0)


def _count_where(condition: str) -> str:
    """An aggregate column: how many of the group's rows meet ``condition``."""
    if connection.features.supports_aggregate_filter_clause:
        return f"COUNT(*) FILTER (WHERE {condition})"
    return f"SUM(CASE WHEN {condition} THEN 1 ELSE 0 END)"


def _day(value) -> date | None:
    """A date column as a raw cursor gives it (text on SQLite)."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


def count_cycle(*, cycle_id: int, as_of: date, schools: int | None = None) -> CycleCounts:
    """The overview's counts of a cycle as of a day, in three queries over its read-model
    rows: per team and state, the coordinators, each flag's count, each category's count at
    each level and each flag's first start after ``as_of``; per school site, each flag's count
    over its flagged coordinators (the ``schools`` sites with most flags, or every one).
    Written as SQL with the flags and levels as aggregate columns: through the ORM, compiling
    the thirty-odd aggregates and converting each value cost several times the queries."""
    day = connection.ops.adapt_datefield_value(as_of)
    codes = list(flag_rules.FLAG_LABELS)
    flagged = [_count_where(f"r.{code}_from <= %s") for code in codes]
    starts = [f"MIN(CASE WHEN r.{code}_from > %s THEN r.{code}_from END)" for code in codes]
    values = [*sorted(DEFAULT_LEVEL_NAMES), None]
    level_keys = [(key, value) for key in CATEGORY_KEYS for value in values]
    levels = [
        _count_where(f"r.level_{key} IS NULL" if value is None else f"r.level_{key} = {value:d}")
        for key, value in level_keys
    ]
    rows = f"{ROWS} r INNER JOIN {PROFILES} p ON r.coordinator_id = p.id"
    where = "r.cycle_id = %s AND p.active = %s"
    n_flags = len(codes)
    counts = CycleCounts(
        coordinators=0,
        completion={},
        flags_by_team={},
        levels={key: {} for key in CATEGORY_KEYS},
        totals={},
        schools=[],
        schools_flagged=0,
    )
    next_starts = []
    with connection.cursor() as cursor:
        read_sql(
            cursor,
            f"SELECT p.team_id, t.name, r.status, COUNT(*), {', '.join(flagged + levels + starts)} "
            f"FROM {rows} LEFT OUTER JOIN {TEAMS} t ON p.team_id = t.id WHERE {where} "
            "GROUP BY p.team_id, t.name, r.status",
            [*[day] * (2 * n_flags), cycle_id, True],
        )
        for team_id, team_name, status, count, *columns in cursor.fetchall():
            team = (team_id, team_name)
            counts.coordinators += count
            states = counts.completion.setdefault(team, {})
            states[status] = states.get(status, 0) + count
            flag_counts = columns[:n_flags]
            level_counts = columns[n_flags : n_flags + len(level_keys)]
            next_starts.extend(filter(None, map(_day, columns[n_flags + len(level_keys) :])))
            team_flags = counts.flags_by_team.setdefault(team, {})
            for code, n in zip(codes, flag_counts, strict=True):
                if n:
                    team_flags[code] = team_flags.get(code, 0) + n
                    counts.totals[code] = counts.totals.get(code, 0) + n
            for (key, value), n in zip(level_keys, level_counts, strict=True):
                if n:
                    counts.levels[key][value] = counts.levels[key].get(value, 0) + n
        # Only the rows with a flag can count at a school site: the others are left out
        # before the join, and a site none of whose coordinators has a flag is not listed.
        read_sql(
            cursor,
            f"SELECT s.school_id, sc.name, {', '.join(flagged)} FROM {rows} "
            f"INNER JOIN {PROFILE_SCHOOLS} s ON s.coordinatorprofile_id = p.id "
            f"INNER JOIN {SCHOOLS} sc ON sc.id = s.school_id WHERE {where} AND ("
            + " OR ".join(f"r.{code}_from <= %s" for code in codes)
            + ") GROUP BY s.school_id, sc.name",
            [*[day] * n_flags, cycle_id, True, *[day] * n_flags],
        )
        # Each site's counts as a plain dict of every flag (zeros included).
        sites = [
            (school_id, name, dict(zip(codes, site_counts, strict=True)))
            for school_id, name, *site_counts in cursor.fetchall()
        ]
    sites.sort(key=lambda site: (-sum(site[2].values()), site[1], site[0]))
    counts.schools = sites if schools is None else sites[:schools]
    counts.schools_flagged = len(sites)
    counts.changes_on = min(next_starts, default=None)
    return counts


# The kept copy -------------------------------------------------------------------------------


def counted_as_of(cycle: AssessmentCycle, today: date | None = None) -> date:
    """The day the overview judges a cycle's flags on: today, or the day a past cycle closed
    (``selectors.common.flags_as_of``)."""
    return min(today or timezone.localdate(), cycle.closes_on)


def _keep(cycle: AssessmentCycle, as_of: date) -> CycleCounts:
    """Count a cycle as of a day and keep the counts (in place of what was kept)."""
    counts = count_cycle(cycle_id=cycle.pk, as_of=as_of, schools=SCHOOLS_KEPT)
    CycleOverviewCounts.objects.bulk_create(
        [
            CycleOverviewCounts(
                cycle_id=cycle.pk,
                organization_id=cycle.organization_id,
                counted_on=as_of,
                changes_on=counts.changes_on,
                counts=counts.as_kept(),
            )
        ],
        update_conflicts=True,
        unique_fields=["cycle"],
        update_fields=["organization", "counted_on", "changes_on", "counts"],
    )
    return counts


def kept_counts(cycle: AssessmentCycle, as_of: date) -> CycleCounts:
    """The counts of a cycle as of a day, as kept (one query, read as SQL: through the ORM,
    building the query cost more than reading the row) when they hold on that day, else
    counted and kept again."""
    with connection.cursor() as cursor:
        read_sql(
            cursor,
            f"SELECT counted_on, changes_on, counts FROM {KEPT} WHERE cycle_id = %s",
            [cycle.pk],
        )
        kept = cursor.fetchone()
    if kept is not None:
        counted_on, changes_on = _day(kept[0]), _day(kept[1])
        if counted_on <= as_of and (changes_on is None or as_of < changes_on):
            counts = kept[2] if isinstance(kept[2], dict) else json.loads(kept[2])
            return CycleCounts.from_kept(counts, changes_on)
    with transaction.atomic():
        return _keep(cycle, as_of)


def counts_refresh(
    *, organization_id: int, cycle_ids: Collection[int] | None = None, today: date | None = None
) -> None:
    """Count these cycles again (every cycle of the organization when None) and keep them."""
    cycles = AssessmentCycle.objects.filter(organization_id=organization_id)
    if cycle_ids is not None:
        cycles = cycles.filter(pk__in=list(cycle_ids))
    for cycle in cycles:
        _keep(cycle, counted_as_of(cycle, today))


def counts_forget(*, organization_id: int) -> None:
    """Forget the organization's kept counts: the next view counts its cycle again."""
    CycleOverviewCounts.objects.filter(organization_id=organization_id).delete()


def rows_changed(
    *, organization_id: int, cycle_ids: Collection[int], every_coordinator: bool
) -> None:
    """After ``read_model.coordinators_refresh`` wrote rows of these cycles: their counts are
    forgotten. A refresh of every coordinator (a bulk write, a rebuild, a change of the cycles or
    thresholds) may also have changed teams, sites and names, which are no row's: every
    count of the organization is forgotten then, to be counted on the next view."""
    if every_coordinator:
        # Read first: a bulk write that changed nothing (the same roster again) writes nothing.
        if CycleOverviewCounts.objects.filter(organization_id=organization_id).exists():
            counts_forget(organization_id=organization_id)
    elif cycle_ids:
        # Forgotten in the write, counted by the next view: counting is work per person in
        # the cycle, which every submit and finalize paid while the overview is opened far
        # less often than assessments move in a busy cycle.
        CycleOverviewCounts.objects.filter(cycle_id__in=list(cycle_ids)).delete()


def on_membership_changed(event) -> None:
    """A coordinator's team, sites or activity, or a team's or site's name, changed."""
    counts_forget(organization_id=event.organization_id)


def on_many_membership_changes(received: list) -> None:
    for organization_id in dict.fromkeys(event.organization_id for event in received):
        counts_forget(organization_id=organization_id)


def subscribe() -> None:
    """Called once from ``DashboardsConfig.ready``."""
    for changed in (
        coordinator_events.CoordinatorProfileChanged,
        coordinator_events.OrganizationStructureChanged,
    ):
        coordinator_events.subscribe(
            changed, on_membership_changed, batch=on_many_membership_changes
        )
