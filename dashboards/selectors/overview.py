"""The organization overview: level distributions, flags by team and school site, and
cycle completion per team, counted from the same rows as the team dashboard."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from assessments.models import AssessmentCycle
from coordinators.models import CoordinatorProfile, Organization
from dashboards import flags as flag_rules
from dashboards.selectors.common import (
    CATEGORY_KEYS,
    STATUS_LABELS,
    DashboardRow,
    PageFacts,
    Ref,
    chosen_cycle,
    organization_cycles,
    page_facts,
)
from dashboards.selectors.team import dashboard_rows
from rubrics.vocabulary import DEFAULT_CATEGORY_NAMES, DEFAULT_LEVEL_NAMES


@dataclass
class Overview:
    rows: list[DashboardRow]
    level_names: dict[int, str]
    distribution: dict[str, Counter]  # category key -> Counter of level values (None: no level)
    category_names: dict[str, str]
    flags_by_team: list[tuple[object, Counter]]  # (team or None, counts of flag codes)
    flags_by_school: list[tuple[Ref, Counter]]
    completion_by_team: list[tuple[object, Counter]]  # (team or None, counts of statuses)
    flag_totals: Counter

    @property
    def coordinators(self) -> int:
        return len(self.rows)

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
    all from the same rows as the dashboard (so every count matches its filtered list)."""
    profiles = CoordinatorProfile.objects.filter(organization=organization, active=True)
    rows = dashboard_rows(profiles=profiles, context=context)
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

    def team_order(item):
        team = item[0]
        return (team is None, team.name if team else "")

    # Level and category names: those of the organization's current rubrics, joined when
    # role families word them differently.
    level_words: dict[int, list[str]] = defaultdict(list)
    category_words: dict[str, list[str]] = defaultdict(list)
    for names in context.names_by_version.values():
        for value, name in names.levels.items():
            if name not in level_words[value]:
                level_words[value].append(name)
        for key, name in names.categories.items():
            if name not in category_words[key]:
                category_words[key].append(name)
    return Overview(
        rows=rows,
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


def overview_page(*, organization: Organization | int, cycle_id: str = "") -> OverviewPage:
    """The overview as of the cycle of that id, else the latest opened one."""
    cycles = organization_cycles(organization)
    cycle = chosen_cycle(cycles, cycle_id)
    return OverviewPage(
        cycles=cycles,
        cycle=cycle,
        overview=organization_overview(
            organization=organization, context=page_facts(organization, cycle)
        ),
    )
