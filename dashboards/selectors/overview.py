"""The organization overview: level distributions, flags by team and school site, and
cycle completion per team, counted from the same rows as the team dashboard."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date

from django.core.paginator import Page, Paginator

from assessments.models import AssessmentCycle
from coordinators.models import CoordinatorProfile, Organization
from dashboards import flags as flag_rules
from dashboards import overview_counts
from dashboards.overview_counts import CycleCounts
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

# The teams in each of the overview's team tables at a time: what a page builds stays the same
# whatever the number of teams, while the organization's totals count every one.
TEAMS_PER_PAGE = 20


@dataclass
class Overview:
    coordinators: int
    level_names: dict[int, str]
    distribution: dict[str, Counter]  # category key -> Counter of level values (None: no level)
    category_names: dict[str, str]
    # The teams of ``team_page`` only: (team or None, counts of flag codes), by name.
    flags_by_team: list[tuple[object, Counter]]
    flags_by_school: list[tuple[Ref, Counter | dict[str, int]]]  # most flags first
    # The teams of ``team_page`` only: (team or None, counts of statuses), by name.
    completion_by_team: list[tuple[object, Counter]]
    flag_totals: Counter
    # The page of the teams, by name and "No team" last, that the two team tables show.
    team_page: Page
    # The school sites with a flagged coordinator: ``flags_by_school`` may list only those
    # with most flags (``overview_counts.SCHOOLS_KEPT``).
    schools_flagged: int = 0

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
            (
                team,
                [(status, counts.get(status, 0)) for status in STATUS_LABELS],
                sum(counts.values()),
            )
            for team, counts in self.completion_by_team
        ]

    @staticmethod
    def flag_table(groups) -> list[tuple[object, list[tuple[str, int]], int]]:
        return [
            (
                group,
                [(code, counts.get(code, 0)) for code in flag_rules.FLAG_LABELS],
                sum(counts.values()),
            )
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


def organization_overview(
    *, organization: Organization | int, context: PageFacts, team_page=None
) -> Overview:
    """Level distributions, flag counts by school and team, and cycle completion per team,
    counted with GROUP BY over the read model's rows of the chosen cycle, so that the time
    grows with the number of teams and school sites rather than of people. Every count
    matches the dashboard's list behind it (the same rows, the same flags as of the same
    day). The team tables hold the teams of page ``team_page`` (a bad number gives the first
    or last page)."""
    if context.cycle is None:
        profiles = CoordinatorProfile.objects.filter(organization=organization, active=True)
        return _overview_of_rows(
            dashboard_rows(profiles=profiles, context=context), context, team_page
        )
    return cycle_overview(
        cycle=context.cycle,
        as_of=context.as_of,
        names_by_version=context.names_by_version,
        team_page=team_page,
    )


def cycle_overview(
    *,
    cycle: AssessmentCycle,
    as_of: date,
    names_by_version: dict[int, Names],
    every_school: bool = False,
    team_page=None,
) -> Overview:
    """The overview of a cycle from its counts as the dashboards keep them (one query; see
    ``dashboards/overview_counts.py``), or, with ``every_school``, counted over its
    read-model rows for the list of every flagged school site."""
    if every_school:
        counts = overview_counts.count_cycle(cycle_id=cycle.pk, as_of=as_of)
    else:
        counts = overview_counts.kept_counts(cycle, as_of)
    return overview_of_counts(counts, names_by_version, team_page=team_page)


def teams_page(teams, number, *, name) -> Page:
    """The page ``number`` of ``teams`` as the team tables list them: by name (``name`` of a
    team, None for the coordinators without one), "No team" last."""
    ordered = sorted(teams, key=lambda team: (name(team) is None, name(team) or ""))
    return Paginator(ordered, TEAMS_PER_PAGE).get_page(number)


def overview_of_counts(
    counts: CycleCounts, names_by_version: dict[int, Names], *, team_page=None
) -> Overview:
    """The overview of a cycle's counts, with the teams and sites as ``Ref``: the teams of
    one page only (the kept counts hold every team, and the totals count them all)."""
    page = teams_page(counts.completion, team_page, name=lambda key: key[1])
    keys = page.object_list
    teams = {key: Ref(*key) if key[0] is not None else None for key in keys}
    return _overview(
        names_by_version,
        counts.coordinators,
        {key: _counter(levels) for key, levels in counts.levels.items()},
        {teams[key]: _counter(counts.flags_by_team.get(key, {})) for key in keys},
        {Ref(pk, name): flags for pk, name, flags in counts.schools},
        {teams[key]: _counter(counts.completion[key]) for key in keys},
        _counter(counts.totals),
        schools_flagged=counts.schools_flagged,
        team_page=page,
    )


def _counter(counts: dict) -> Counter:
    """``Counter(counts)`` for a plain dict of counts, filled as the dict it is: its
    ``__init__`` and ``update`` check their argument in Python, which for the two counters of
    each of a few hundred teams cost as much as reading the kept counts."""
    counter = Counter.__new__(Counter)
    dict.update(counter, counts)
    return counter


def _overview_of_rows(rows: list[DashboardRow], context: PageFacts, team_page) -> Overview:
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
    page = teams_page(completion, team_page, name=lambda team: team.name if team else None)
    return _overview(
        context.names_by_version,
        len(rows),
        distribution,
        {team: by_team[team] for team in page.object_list},
        by_school,
        {team: completion[team] for team in page.object_list},
        totals,
        schools_flagged=len(by_school),
        team_page=page,
    )


def _overview(
    names_by_version,
    coordinators,
    distribution,
    by_team,
    by_school,
    completion,
    totals,
    *,
    schools_flagged: int,
    team_page: Page,
):
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
        if team not in by_team:  # every team appears, even without flags
            by_team[team] = Counter()
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
        team_page=team_page,
        schools_flagged=schools_flagged,
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
    every_school: bool = False,
    team_page=None,
) -> OverviewPage:
    """The overview as of the cycle of that id, else the latest opened one, with the teams of
    page ``team_page`` in its team tables. ``cycles`` and ``names_by_version``, when the
    caller has read them already, are not read again; with a cycle, only its kept counts and
    the names are read (no thresholds, stages or agreements: the read model's rows carry their
    flags), and its rows only for ``every_school``."""
    if cycles is None:
        cycles = organization_cycles(organization)
    cycle = chosen_cycle(cycles, cycle_id)
    if cycle is None:
        overview = organization_overview(
            organization=organization, context=page_facts(organization, cycle), team_page=team_page
        )
    else:
        overview = cycle_overview(
            cycle=cycle,
            as_of=flags_as_of(cycle),
            names_by_version=(
                version_names(organization) if names_by_version is None else names_by_version
            ),
            every_school=every_school,
            team_page=team_page,
        )
    return OverviewPage(cycles=cycles, cycle=cycle, overview=overview)
