"""The organization overview: level distributions, flags by team and school site, and
cycle completion per team, counted from the same rows as the team dashboard."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date

from django.db import connection

from assessments.models import AssessmentCycle
from coordinators.models import CoordinatorProfile, Organization, School, Team
from dashboards import flags as flag_rules
from dashboards.models import CoordinatorCycleRow
from dashboards.selectors.common import (
    CATEGORY_KEYS,
    STATUS_LABELS,
    DashboardRow,
    PageFacts,
    Ref,
    chosen_cycle,
    flags_as_of,
    organization_cycles,
    page_facts,
    version_names,
)
from dashboards.selectors.team import dashboard_rows
from rubrics.vocabulary import DEFAULT_CATEGORY_NAMES, DEFAULT_LEVEL_NAMES, Names

ROWS = CoordinatorCycleRow._meta.db_table
PROFILES = CoordinatorProfile._meta.db_table
PROFILE_SCHOOLS = CoordinatorProfile.schools.through._meta.db_table
TEAMS = Team._meta.db_table
SCHOOLS = School._meta.db_table


@dataclass
class Overview:
    coordinators: int
    level_names: dict[int, str]
    distribution: dict[str, Counter]  # category key -> Counter of level values (None: no level)
    category_names: dict[str, str]
    flags_by_team: list[tuple[object, Counter]]  # (team or None, counts of flag codes)
    flags_by_school: list[tuple[Ref, Counter | dict[str, int]]]  # most flags first
    completion_by_team: list[tuple[object, Counter]]  # (team or None, counts of statuses)
    flag_totals: Counter

    @property
    def rows(self) -> bool:
        """Whether there is any coordinator to count (what the page asks of it)."""
        return self.coordinators > 0

    def level_columns(self) -> list[tuple[int | None, str]]:
        return [*self.level_names.items(), (None, "No level yet")]

    def distribution_table(self) -> list[tuple[str, list[tuple[int | None, int, int]]]]:
        """Per category: (value, count, whole percent) for each level and for no level."""
        total = self.coordinators or 1
        return [
            (
                self.category_names[key],
                [
                    (
                        value,
                        self.distribution[key][value],
                        round(100 * self.distribution[key][value] / total),
                    )
                    for value, _name in self.level_columns()
                ],
            )
            for key in CATEGORY_KEYS
        ]

    def completion_table(self) -> list[tuple[object, list[tuple[str, int]], int]]:
        return [
            (team, [(status, counts[status]) for status in STATUS_LABELS], sum(counts.values()))
            for team, counts in self.completion_by_team
        ]

    @staticmethod
    def flag_table(groups) -> list[tuple[object, list[tuple[str, int]], int]]:
        return [
            (group, [(code, counts[code]) for code in flag_rules.FLAG_LABELS], sum(counts.values()))
            for group, counts in groups
        ]

    def flags_by_team_table(self):
        return self.flag_table(self.flags_by_team)

    def flags_by_school_table(self):
        return self.flag_table(self.flags_by_school)

    def flag_total_list(self) -> list[tuple[str, str, int]]:
        return [
            (code, label, self.flag_totals[code]) for code, label in flag_rules.FLAG_LABELS.items()
        ]


def organization_overview(*, organization: Organization | int, context: PageFacts) -> Overview:
    """Level distributions, flag counts by school and team, and cycle completion per team,
    counted with GROUP BY over the read model's rows of the chosen cycle, so that the time
    grows with the number of teams and school sites rather than of people. Every count
    matches the dashboard's list behind it (the same rows, the same flags as of the same
    day)."""
    if context.cycle is None:
        profiles = CoordinatorProfile.objects.filter(organization=organization, active=True)
        return _overview_of_rows(dashboard_rows(profiles=profiles, context=context), context)
    return cycle_overview(
        cycle=context.cycle, as_of=context.as_of, names_by_version=context.names_by_version
    )


def cycle_overview(
    *, cycle: AssessmentCycle, as_of: date, names_by_version: dict[int, Names]
) -> Overview:
    """The overview of a cycle in two queries over its read-model rows: per team and status,
    the coordinators, each flag's count and each category's count at each level; per school
    site, each flag's count over its flagged coordinators. Written as SQL with the flags and
    levels as aggregate columns: through the ORM, compiling the thirty-odd aggregates and
    converting each value cost several times the queries themselves."""
    day = connection.ops.adapt_datefield_value(as_of)
    codes = list(flag_rules.FLAG_LABELS)
    flagged = [_count_where(f"r.{code}_from <= %s") for code in codes]
    values = [*sorted(DEFAULT_LEVEL_NAMES), None]
    level_keys = [(key, value) for key in CATEGORY_KEYS for value in values]
    levels = [
        _count_where(f"r.level_{key} IS NULL" if value is None else f"r.level_{key} = {value:d}")
        for key, value in level_keys
    ]
    rows = f"{ROWS} r INNER JOIN {PROFILES} p ON r.coordinator_id = p.id"
    where = "r.cycle_id = %s AND p.active = %s"
    n_flags = len(codes)
    distribution = {key: Counter() for key in CATEGORY_KEYS}
    teams: dict[int | None, Ref | None] = {None: None}
    by_team: dict[object, Counter] = defaultdict(Counter)
    completion: dict[object, Counter] = defaultdict(Counter)
    totals: Counter = Counter()
    coordinators = 0
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT p.team_id, t.name, r.status, COUNT(*), {', '.join(flagged + levels)} "
            f"FROM {rows} LEFT OUTER JOIN {TEAMS} t ON p.team_id = t.id WHERE {where} "
            "GROUP BY p.team_id, t.name, r.status",
            [*[day] * n_flags, cycle.pk, True],
        )
        for team_id, team_name, status, count, *counts in cursor.fetchall():
            coordinators += count
            team = teams.get(team_id) or teams.setdefault(team_id, Ref(team_id, team_name))
            completion[team][status] += count
            flag_counts, level_counts = counts[:n_flags], counts[n_flags:]
            codes_here = {code: n for code, n in zip(codes, flag_counts, strict=True) if n}
            by_team[team].update(codes_here)
            totals.update(codes_here)
            for (key, value), n in zip(level_keys, level_counts, strict=True):
                if n:
                    distribution[key][value] += n
        # Only the rows with a flag can count at a school site: the others are left out
        # before the join, and a site none of whose coordinators has a flag is not listed.
        cursor.execute(
            f"SELECT s.school_id, sc.name, {', '.join(flagged)} FROM {rows} "
            f"INNER JOIN {PROFILE_SCHOOLS} s ON s.coordinatorprofile_id = p.id "
            f"INNER JOIN {SCHOOLS} sc ON sc.id = s.school_id WHERE {where} AND ("
            + " OR ".join(f"r.{code}_from <= %s" for code in codes)
            + ") GROUP BY s.school_id, sc.name",
            [*[day] * n_flags, cycle.pk, True, *[day] * n_flags],
        )
        # Each site's counts as a plain dict of every flag (zeros included): building a
        # Counter for each of hundreds of sites cost more than their query.
        by_school = {
            Ref(school_id, name): dict(zip(codes, counts, strict=True))
            for school_id, name, *counts in cursor.fetchall()
        }
    return _overview(
        names_by_version, coordinators, distribution, by_team, by_school, completion, totals
    )


def _count_where(condition: str) -> str:
    """An aggregate column: how many of the group's rows meet ``condition``."""
    if connection.features.supports_aggregate_filter_clause:
        return f"COUNT(*) FILTER (WHERE {condition})"
    return f"SUM(CASE WHEN {condition} THEN 1 ELSE 0 END)"


def _overview_of_rows(rows: list[DashboardRow], context: PageFacts) -> Overview:
    """The same counts over rows computed in memory (an organization without a cycle yet)."""
    distribution = {key: Counter() for key in CATEGORY_KEYS}
    by_team: dict[object, Counter] = defaultdict(Counter)
    by_school: dict[Ref, Counter] = defaultdict(Counter)
    completion: dict[object, Counter] = defaultdict(Counter)
    totals: Counter = Counter()
    for row in rows:
        for cell in row.cells:
            distribution[cell.key][cell.value] += 1
        team = row.person.team
        completion[team][row.status] += 1
        codes = row.flag_codes
        totals.update(codes)
        by_team[team].update(codes)  # every team appears, even without flags
        for school in row.schools:
            if codes:
                by_school[school].update(codes)
    return _overview(
        context.names_by_version, len(rows), distribution, by_team, by_school, completion, totals
    )


def _overview(names_by_version, coordinators, distribution, by_team, by_school, completion, totals):
    def team_order(item):
        team = item[0]
        return (team is None, team.name if team else "")

    # Level and category names: those of the organization's current rubrics, joined when
    # role families word them differently.
    level_words: dict[int, list[str]] = defaultdict(list)
    category_words: dict[str, list[str]] = defaultdict(list)
    for names in names_by_version.values():
        for value, name in names.levels.items():
            if name not in level_words[value]:
                level_words[value].append(name)
        for key, name in names.categories.items():
            if name not in category_words[key]:
                category_words[key].append(name)
    for team in completion:
        by_team[team].update({})  # every team appears, even without flags
    return Overview(
        coordinators=coordinators,
        level_names={
            value: " / ".join(level_words.get(value) or [DEFAULT_LEVEL_NAMES[value]])
            for value in sorted(DEFAULT_LEVEL_NAMES)
        },
        distribution=distribution,
        category_names={
            key: " / ".join(category_words.get(key) or [DEFAULT_CATEGORY_NAMES[key]])
            for key in CATEGORY_KEYS
        },
        flags_by_team=sorted(by_team.items(), key=team_order),
        flags_by_school=sorted(
            by_school.items(), key=lambda item: (-sum(item[1].values()), item[0].name)
        ),
        completion_by_team=sorted(completion.items(), key=team_order),
        flag_totals=totals,
    )


# The page --------------------------------------------------------------------------------


@dataclass
class OverviewPage:
    cycles: list[AssessmentCycle]  # newest first, to choose from
    cycle: AssessmentCycle | None
    overview: Overview


def overview_page(
    *,
    organization: Organization | int,
    cycle_id: str = "",
    cycles: list[AssessmentCycle] | None = None,
    names_by_version: dict[int, Names] | None = None,
) -> OverviewPage:
    """The overview as of the cycle of that id, else the latest opened one. ``cycles`` and
    ``names_by_version``, when the caller has read them already, are not read again; with a
    cycle, only its rows and the names are read (no thresholds, stages or agreements: the
    read model's rows carry their flags)."""
    if cycles is None:
        cycles = organization_cycles(organization)
    cycle = chosen_cycle(cycles, cycle_id)
    if cycle is None:
        overview = organization_overview(
            organization=organization, context=page_facts(organization, cycle)
        )
    else:
        overview = cycle_overview(
            cycle=cycle,
            as_of=flags_as_of(cycle),
            names_by_version=(
                version_names(organization) if names_by_version is None else names_by_version
            ),
        )
    return OverviewPage(cycles=cycles, cycle=cycle, overview=overview)
