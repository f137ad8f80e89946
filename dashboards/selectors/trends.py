"""The organization across its cycles: how far each cycle's assessments got, the finalized
levels per category, and which rubric version each cycle was rated on, for the overview's
trend charts and the tables beside them (five queries, whatever the number of cycles or
assessments: the counts are kept per cycle by the read model)."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import connection

from assessments.models import Assessment, AssessmentCycle
from coordinators.models import Organization, RoleFamily
from coordinators.prepared import ids_in, read_sql
from dashboards.charts import BarChart, Column, Segment, stacked_bars
from dashboards.models import CycleSummary
from dashboards.read_model import names_from, version_names_sql
from dashboards.selectors.common import CATEGORY_KEYS, STATUS_LABELS, version_names
from rubrics.models import Rubric, RubricVersion
from rubrics.vocabulary import DEFAULT_LEVEL_NAMES, DEFAULT_NAMES, Names

FINALIZED = Assessment.State.FINALIZED
SUMMARIES = CycleSummary._meta.db_table
VERSIONS = RubricVersion._meta.db_table
RUBRICS = Rubric._meta.db_table
FAMILIES = RoleFamily._meta.db_table
# The states of an assessment, in the order the completion chart stacks them.
ASSESSMENT_STATES = [state for state in STATUS_LABELS if state != "not_started"]


@dataclass(frozen=True, slots=True)
class VersionLabel:
    """One rubric version as a chart names it: ``"v2"``, or with its role family when the
    organization has several (``"Instructional coach v2"``)."""

    family: str
    number: int

    def words(self, with_family: bool) -> str:
        return f"{self.family} v{self.number}" if with_family else f"v{self.number}"


def version_marks(
    versions: Sequence[Sequence[VersionLabel]], with_family: bool = False
) -> list[str]:
    """For points in time, each rated on some rubric versions: the words "Rubric v2" where the
    versions differ from the point before (a chart draws a marker there), else "". The first
    point is never marked: there is nothing before it to differ from."""
    marks, before = [], None
    for current in versions:
        changed = before is not None and current and set(current) != set(before)
        if changed:
            new = [v for v in current if v not in set(before)] or list(current)
            marks.append("Rubric " + ", ".join(dict.fromkeys(v.words(with_family) for v in new)))
        else:
            marks.append("")
        if current:
            before = current
    return marks


def _summaries(cycle_ids: list[int]) -> list[tuple[int, dict]]:
    """The kept trend counts (``CycleSummary``) of these cycles, read as SQL."""
    if not cycle_ids:
        return []
    among, params = ids_in("cycle_id", cycle_ids)
    with connection.cursor() as cursor:
        read_sql(cursor, f"SELECT cycle_id, counts FROM {SUMMARIES} WHERE {among}", params)
        rows = cursor.fetchall()
    return [
        (cycle_id, counts if isinstance(counts, dict) else json.loads(counts))
        for cycle_id, counts in rows
    ]


def version_labels(version_ids) -> dict[int, VersionLabel]:
    """The role family and number of each rubric version of ``version_ids`` (one query)."""
    return {
        pk: VersionLabel(family=family, number=number)
        for pk, family, number in RubricVersion.objects.filter(pk__in=version_ids).values_list(
            "pk", "rubric__role_family__name", "number"
        )
    }


@dataclass
class CycleTrend:
    """One cycle's assessments: their states, the finalized levels per category, and the
    rubric versions they were rated on."""

    cycle: AssessmentCycle
    states: Counter = field(default_factory=Counter)
    levels: dict[str, Counter] = field(default_factory=dict)  # category key -> level -> count
    versions: list[VersionLabel] = field(default_factory=list)
    version_mark: str = ""  # "Rubric v2" when the versions changed from the cycle before
    version_mark_words: str = ""  # the same, naming the role family when there are several
    versions_text: str = "—"  # "v1", or "Coach v2, Coordinator v1" with several families

    @property
    def assessments(self) -> int:
        return sum(self.states.values())

    @property
    def finalized(self) -> int:
        return self.states[FINALIZED]

    @property
    def completion_percent(self) -> int:
        """Finalized assessments as a whole percentage of the cycle's assessments."""
        return round(100 * self.finalized / self.assessments) if self.assessments else 0


@dataclass
class OrganizationTrend:
    cycles: list[CycleTrend]  # oldest first, planned cycles left out
    level_names: dict[int, str]  # the words of the latest rubric version used
    category_names: dict[str, str]
    several_families: bool

    def category_rows(self, key: str) -> list[tuple[CycleTrend, list[int], int]]:
        """Per cycle: the count of finalized assessments at each level of one category, and
        their total."""
        rows = []
        for trend in self.cycles:
            counts = [trend.levels.get(key, Counter())[value] for value in self.level_names]
            rows.append((trend, counts, sum(counts)))
        return rows

    def state_rows(self) -> list[tuple[CycleTrend, list[int]]]:
        """Per cycle: its assessments in each state, in ASSESSMENT_STATES order."""
        return [(t, [t.states[state] for state in ASSESSMENT_STATES]) for t in self.cycles]

    def state_columns(self) -> list[tuple[str, str]]:
        return [(state, STATUS_LABELS[state]) for state in ASSESSMENT_STATES]

    def completion_chart(self) -> BarChart:
        """Each cycle's assessments by state, finalized at the bottom."""
        return stacked_bars(
            [
                Column(
                    t.cycle.name,
                    [
                        Segment(
                            f"chart-state-{state}",
                            t.states[state],
                            f"{t.cycle.name}, {STATUS_LABELS[state]}: {t.states[state]} of "
                            f"{t.assessments}",
                        )
                        for state in reversed(ASSESSMENT_STATES)
                    ],
                    t.version_mark,
                )
                for t in self.cycles
            ]
        )

    def category_charts(self) -> list[tuple[str, str, BarChart, list]]:
        """Per category: its key, name, the chart of finalized levels per cycle (the lowest
        level at the bottom) and the rows of the table beside it."""
        charts = []
        for key, name in self.categories():
            rows = self.category_rows(key)
            chart = stacked_bars(
                [
                    Column(
                        trend.cycle.name,
                        [
                            Segment(
                                f"chart-level-{value}",
                                count,
                                f"{trend.cycle.name}, {level}: {count} of {total}",
                            )
                            for (value, level), count in zip(
                                self.level_names.items(), counts, strict=True
                            )
                        ],
                        trend.version_mark,
                    )
                    for trend, counts, total in rows
                ]
            )
            charts.append((key, name, chart, rows))
        return charts

    def categories(self) -> list[tuple[str, str]]:
        return [(key, self.category_names[key]) for key in CATEGORY_KEYS]

    def state_legend(self) -> list[tuple[str, str]]:
        return [(f"chart-state-{state}", STATUS_LABELS[state]) for state in ASSESSMENT_STATES]

    def level_legend(self) -> list[tuple[str, str]]:
        return [(f"chart-level-{value}", name) for value, name in self.level_names.items()]


@dataclass
class RubricWords:
    """Every rubric version of an organization: its category and level names, and its role
    family and number."""

    names_by_version: dict[int, Names]
    labels: dict[int, VersionLabel]


def rubric_words(organization: Organization | int) -> RubricWords:
    """What ``version_names`` and ``version_labels`` read of every rubric version of the
    organization, in one query, written as SQL (through the ORM, building the three queries
    cost more than running them)."""
    organization_id = getattr(organization, "pk", organization)
    with connection.cursor() as cursor:
        read_sql(
            cursor,
            f"{version_names_sql()} UNION ALL SELECT 2, v.id, NULL, v.number, f.name FROM "
            f"{VERSIONS} v INNER JOIN {RUBRICS} r ON v.rubric_id = r.id "
            f"INNER JOIN {FAMILIES} f ON r.role_family_id = f.id WHERE r.organization_id = %s "
            "ORDER BY 1, 2, 4",
            [organization_id] * 3,
        )
        rows = cursor.fetchall()
    return RubricWords(
        names_by_version=names_from(rows),  # as version_names builds them, in the same order
        labels={
            version_id: VersionLabel(family=name, number=number)
            for kind, version_id, _category, number, name in rows
            if kind == 2
        },
    )


def organization_trend(
    *,
    organization: Organization | int,
    cycles: list[AssessmentCycle] | None = None,
    names_by_version: dict[int, Names] | None = None,
    labels: dict[int, VersionLabel] | None = None,
) -> OrganizationTrend:
    """Every opened cycle of the organization, oldest first, with its assessments' states,
    finalized levels (the supervisor's, else the self level) and rubric versions, as the read
    model keeps them per cycle (``CycleSummary``): one row per cycle, whatever the number of
    coordinators. ``cycles`` (all of the organization's), ``names_by_version`` and ``labels``
    (every rubric version's, ``rubric_words``), when the caller has read them already, are not
    read again."""
    if cycles is None:
        cycles = AssessmentCycle.objects.filter(organization=organization)
    cycles = sorted(
        (cycle for cycle in cycles if cycle.state != AssessmentCycle.State.PLANNED),
        key=lambda cycle: (cycle.opens_on, cycle.pk),
    )
    trends = {cycle.pk: CycleTrend(cycle=cycle) for cycle in cycles}
    versions_used: dict[int, set[int]] = defaultdict(set)
    for cycle_id, counts in _summaries(list(trends)):
        trend = trends[cycle_id]
        for state, version_id, count in counts.get("states", []):
            trend.states[state] += count
            versions_used[cycle_id].add(version_id)
        for key, per_level in counts.get("levels", {}).items():
            trend.levels[key] = Counter({int(level): n for level, n in per_level.items()})
    used_ids = {pk for used in versions_used.values() for pk in used}
    if labels is None:
        labels = version_labels(used_ids)
    else:
        labels = {pk: labels[pk] for pk in used_ids if pk in labels}
    for cycle_id, used in versions_used.items():
        trends[cycle_id].versions = sorted(
            (labels[pk] for pk in used), key=lambda v: (v.family, v.number)
        )
    ordered = [trends[cycle.pk] for cycle in cycles]
    several = len({label.family for label in labels.values()}) > 1
    used = [t.versions for t in ordered]
    for trend, mark, words in zip(
        ordered, version_marks(used), version_marks(used, several), strict=True
    ):
        trend.version_mark, trend.version_mark_words = mark, words
        trend.versions_text = ", ".join(v.words(several) for v in trend.versions) or "—"
    latest = next(
        (max(versions_used[t.cycle.pk]) for t in reversed(ordered) if versions_used[t.cycle.pk]),
        None,
    )
    if names_by_version is None:
        names_by_version = version_names(organization)
    words = names_by_version.get(latest, DEFAULT_NAMES)
    return OrganizationTrend(
        cycles=ordered,
        level_names={value: words.level(value) for value in sorted(DEFAULT_LEVEL_NAMES)},
        category_names={key: words.category(key) for key in CATEGORY_KEYS},
        several_families=several,
    )
