"""The impact of supports: for each support kind and catalogue entry, how the levels of the
people who had one moved by the next finalized cycle, beside those who started at the same
level in the same cycles without it.

The database counts (GROUP BY over the read model's rows, which keep each finalized cycle's
levels and those of the coordinator's next finalized cycle): a step is a row finalized in its
own cycle with a later finalized one, in one category; a person had a support during a step
when one of their supports falls between the cycle's opening and the day before the next
one's, which the row keeps (``support_groups``, kept by dashboards/read_model.py). The
arithmetic on the counts is in dashboards/report_rules.py. A fixed number of queries,
whatever the size of the organization.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce, TruncDate

from assessments.models import Assessment, AssessmentCycle
from coordinators.models import CoordinatorProfile, Organization, RoleFamily
from dashboards import report_rules as rules
from dashboards.models import CoordinatorCycleRow
from dashboards.report_filters import ReportScope
from growth.models import MentoringMatch, Support, SupportCatalogEntry, SupportKind
from rubrics.vocabulary import CATEGORY_KEYS, DEFAULT_NAMES, MAX_LEVEL, MIN_LEVEL

FINALIZED = Assessment.State.FINALIZED
LEVELS = range(MIN_LEVEL, MAX_LEVEL + 1)
MENTORING = f"kind:{SupportKind.MENTORING}"


def mentored(person, first, before) -> Exists:
    """Whether ``person`` (an OuterRef to a profile's id) had an active mentoring match on
    some day from ``first`` up to the day before ``before`` (dates or OuterRefs): the one
    place the reports read mentoring from. A match with no end is still active."""
    return Exists(
        MentoringMatch.objects.filter(mentee=person, starts_on__lt=before).filter(
            Q(ends_on=None) | Q(ends_on__gte=first)
        )
    )


def organization_cycles_in_order(organization_id: int) -> list[AssessmentCycle]:
    return list(
        AssessmentCycle.objects.filter(organization_id=organization_id)
        .exclude(state=AssessmentCycle.State.PLANNED)
        .order_by("opens_on", "pk")
    )


def role_family_choices(organization_id: int) -> list[tuple[int, str]]:
    return list(
        RoleFamily.objects.filter(organization_id=organization_id)
        .order_by("name")
        .values_list("pk", "name")
    )


def support_groups(organization: Organization) -> list[tuple[str, str]]:
    """Every support kind and catalogue entry, as the reports name them (one query)."""
    groups = [(f"kind:{kind}", label) for kind, label in SupportKind.choices]
    groups += [
        (f"entry:{pk}", f"“{title}”")
        for pk, title in SupportCatalogEntry.objects.filter(organization=organization)
        .order_by("title", "pk")
        .values_list("pk", "title")
    ]
    return groups


# What the database counts -------------------------------------------------------------------


def _supports_of(group: str) -> QuerySet[Support]:
    """The supports a group counts, with the day each counts on (``day``): a course, event or
    network on its first day, else the day it was recorded; under its kind and its catalogue
    entry. A mentoring support is counted from its mentoring match instead."""
    supports = Support.objects.exclude(kind=SupportKind.MENTORING).annotate(
        day=Coalesce("starts_on", TruncDate("created_at", tzinfo=UTC))
    )
    kind, _, value = group.partition(":")
    if kind == "entry":
        return supports.filter(catalog_entry_id=int(value))
    return supports.filter(kind=value)


def had(group: str, person, first, before) -> Exists:
    """Whether ``person`` had ``group`` on some day from ``first`` up to the day before
    ``before``."""
    if group == MENTORING:
        return mentored(person, first, before)
    return Exists(_supports_of(group).filter(coordinator=person, day__gte=first, day__lt=before))


def _move(key: str, level: int, move: str) -> Q:
    after = f"next_level_{key}"
    if move == rules.ROSE:
        return Q(**{f"{after}__gt": level})
    if move == rules.FELL:
        return Q(**{f"{after}__lt": level})
    return Q(**{after: level})


def _from(key: str, level: int) -> Q:
    """A step in category ``key`` from ``level``: both levels known."""
    return Q(**{f"level_{key}": level, f"next_level_{key}__isnull": False})


COMPARED = {rules.ROSE: ">", rules.SAME: "=", rules.FELL: "<"}
# What the counts read of a step: the report's queries count over these columns of it.
STEP_COLUMNS = [
    "coordinator_id",
    "cycle_id",
    "support_groups",
    *(f"{prefix}level_{key}" for prefix in ("", "next_") for key in CATEGORY_KEYS),
]


MOVE_BITS = 20  # the steps of one move in one cell, as bits of a 64-bit sum


def packed_moves(name, key: str, level: int) -> str:
    """The steps in category ``key`` from ``level``, each move's count in its own bits of one
    sum (``MOVE_BITS`` each, in the order of ``rules.MOVES``): the condition of ``_from`` and
    ``_move`` as SQL, one aggregate for the three moves. Built from ``Q`` objects, the
    report's dozens of conditional counts took Django as long to compile as the database to
    count them, and three counts per level took the database three times as long."""
    before, after = name(f"level_{key}"), name(f"next_level_{key}")
    moves = " ".join(
        f"WHEN {after} {COMPARED[move]} {int(level)} THEN {1 << (MOVE_BITS * index)}"
        for index, move in enumerate(rules.MOVES)
    )
    return f"SUM(CASE WHEN {before} = {int(level)} THEN CASE {moves} ELSE 0 END ELSE 0 END)"


def steps_sql(steps) -> tuple[str, tuple, object] | None:
    """The steps' query over ``STEP_COLUMNS``, its parameters and its connection; None when
    it can find nothing (no cycle chosen)."""
    try:
        sql, params = steps.order_by().values(*STEP_COLUMNS).query.sql_with_params()
    except EmptyResultSet:
        return None
    return sql, params, connections[steps.db]


def had_during_step(group: str) -> Q:
    """On a read-model row (a step): whether its coordinator had ``group`` from the cycle's
    opening to the day before their next finalized cycle opened, as the row keeps it
    (``support_groups``, each group between commas)."""
    return Q(support_groups__contains=f",{group},")


def groups_of(kept: str, groups) -> list[str]:
    """Of ``groups``, those a row's ``support_groups`` names."""
    return [group for group in kept.strip(",").split(",") if group in groups]


def step_rows(organization_id: int, ids, cycle_ids) -> QuerySet[CoordinatorCycleRow]:
    """The steps: rows of these people (of this organization) in these cycles, finalized in
    their own cycle (their levels are that cycle's), with a later finalized one; ``ids``
    None for every person of the organization. The organization too, so the database reads
    the index of the finalized rows."""
    rows = CoordinatorCycleRow.objects.filter(
        organization_id=organization_id,
        cycle__in=cycle_ids,
        status=FINALIZED,
        levels_cycle_id=F("cycle_id"),
        next_finalized_opens_on__isnull=False,
    )
    return rows if ids is None else rows.filter(coordinator__in=ids)


def step_counts(found, groups) -> tuple[dict, dict]:
    """Everybody's steps per cycle, category, starting level and move, and those of the people
    who had each group (one query over the steps' query, ``found`` by ``steps_sql``: grouped
    by cycle and by the groups the rows keep)."""
    totals: dict = {}
    with_steps: dict = {}
    if found is None:
        return totals, with_steps
    sql, params, connection = found
    name = connection.ops.quote_name
    cells = [(key, level) for key in CATEGORY_KEYS for level in LEVELS]
    counts = ", ".join(packed_moves(name, key, level) for key, level in cells)
    grouped = f"{name('cycle_id')}, {name('support_groups')}"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {grouped}, {counts} FROM ({sql}) {name('steps')} GROUP BY {grouped}", params
        )
        counted = cursor.fetchall()
    each = (1 << MOVE_BITS) - 1
    for cycle_id, kept, *values in counted:
        had_them = groups_of(kept, groups)
        for (key, level), packed in zip(cells, values, strict=True):
            packed = int(packed or 0)
            for index, move in enumerate(rules.MOVES):
                steps_n = packed >> (MOVE_BITS * index) & each
                if not steps_n:
                    continue
                total = (cycle_id, key, level, move)
                totals[total] = totals.get(total, 0) + steps_n
                for group in had_them:
                    mine = (group, *total)
                    with_steps[mine] = with_steps.get(mine, 0) + steps_n
    return totals, with_steps


def _like(group: str) -> str:
    """A LIKE pattern for a ``support_groups`` that names ``group``."""
    escaped = group.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%,{escaped},%"


CYCLES_A_NUMBER = 62 // len(LEVELS)  # a category's levels in each of these, as bits


def _cycle_bits(name, chunk: list[int]) -> str:
    """A row's cycle as its bit among ``chunk`` (0 for a cycle outside it)."""
    whens = " ".join(f"WHEN {int(pk)} THEN {1 << place}" for place, pk in enumerate(chunk))
    return f"CASE {name('cycle_id')} {whens} ELSE 0 END"


def people_counts(
    found, cycles: dict[tuple[str, str, int], set[int]], cycle_ids: list[int]
) -> tuple[dict, dict]:
    """The distinct people behind each side of each line (one query): those who had the group
    in a step from the line's level, and those without it in a step from that level in the
    line's cycles. Each person's steps (of ``cycle_ids``) are first folded into one row of
    numbers whose bits say, per category, from which level in which cycle they stepped, and
    per group, in which cycles they had it (a person has one row per cycle, so the sum of
    the bits is their union; ``CYCLES_A_NUMBER`` cycles a number); a side then counts the
    people whose bits meet: a step from the level in a cycle where they had the group, or one
    in the line's cycles where they had not."""
    if found is None or not cycles:
        return {}, {}
    sql, params, connection = found
    name = connection.ops.quote_name
    lines = sorted(cycles)
    groups = sorted({group for group, _key, _level in lines})
    chunks = [
        sorted(cycle_ids)[start : start + CYCLES_A_NUMBER]
        for start in range(0, len(cycle_ids), CYCLES_A_NUMBER)
    ]
    folded, patterns = [], []
    for number, chunk in enumerate(chunks):
        bits = _cycle_bits(name, chunk)
        for key in CATEGORY_KEYS:
            level = f"({name(f'level_{key}')} - {MIN_LEVEL}) * {len(chunk)}"
            folded.append(
                f"CAST(SUM(CASE WHEN {name(f'next_level_{key}')} IS NOT NULL "
                f"THEN CAST(({bits}) AS BIGINT) << ({level}) ELSE 0 END) AS BIGINT) "
                f"AS {name(f'{key}_{number}')}"
            )
        for index, group in enumerate(groups):
            folded.append(
                f"CAST(SUM(CASE WHEN {name('support_groups')} LIKE %s ESCAPE '\\' "
                f"THEN {bits} ELSE 0 END) AS BIGINT) AS {name(f'had_{index}_{number}')}"
            )
            patterns.append(_like(group))

    def met(group: str, key: str, level: int, cycle_ids=None) -> str:
        """Whether a person stepped in ``key`` from ``level`` in a cycle where they had
        ``group``, or with ``cycle_ids``, in one of those where they had not."""
        tests = []
        for number, chunk in enumerate(chunks):
            stepped = (
                f"({name(f'{key}_{number}')} >> {(level - MIN_LEVEL) * len(chunk)}) "
                f"& {(1 << len(chunk)) - 1}"
            )
            had = name(f"had_{groups.index(group)}_{number}")
            if cycle_ids is None:
                tests.append(f"(({stepped}) & {had}) <> 0")
                continue
            mask = sum(1 << place for place, pk in enumerate(chunk) if pk in cycle_ids)
            if mask:
                tests.append(f"(({stepped}) & {mask} & ~{had}) <> 0")
        return f"SUM(CASE WHEN {' OR '.join(tests) or '1 = 0'} THEN 1 ELSE 0 END)"

    sides = []
    for group, key, level in lines:
        sides.append(met(group, key, level))
        sides.append(met(group, key, level, cycles[(group, key, level)]))
    person = name("coordinator_id")
    per_person = (
        f"SELECT {person}, {', '.join(folded)} FROM ({sql}) {name('steps')} GROUP BY {person}"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(sides)} FROM ({per_person}) {name('folded')}",
            (*patterns, *params),
        )
        numbers = cursor.fetchone()
    with_people, without_people = {}, {}
    for index, line in enumerate(lines):
        with_people[line] = int(numbers[2 * index] or 0)
        without_people[line] = int(numbers[2 * index + 1] or 0)
    return with_people, without_people


def pre_post_rows(group: str, organization_id: int, ids) -> QuerySet[CoordinatorCycleRow]:
    """For the people who had ``group`` (from the first day they had it) with a finalized
    cycle opened on or before that day and one opened after it: the row of the last finalized
    cycle before the day, the one whose next finalized cycle opened after it, which holds the
    levels of both."""
    if group == MENTORING:
        first = MentoringMatch.objects.filter(mentee=OuterRef("coordinator_id"))
        first = first.order_by("starts_on").values("starts_on")[:1]
    else:
        first = (
            _supports_of(group)
            .filter(coordinator=OuterRef("coordinator_id"))
            .order_by("day")
            .values("day")[:1]
        )
    return (
        CoordinatorCycleRow.objects.filter(
            organization_id=organization_id,
            coordinator__in=ids,
            status=FINALIZED,
            levels_cycle_id=F("cycle_id"),
            next_finalized_opens_on__isnull=False,
        )
        .annotate(began=Subquery(first))
        .filter(cycle__opens_on__lte=F("began"), next_finalized_opens_on__gt=F("began"))
    )


def pre_post_counts(group: str, organization_id: int, ids) -> rules.PrePostCounts:
    """Of the people of ``pre_post_rows``, how many were at each level of each category before
    and after (one query)."""
    counts = {"people": Count("coordinator", distinct=True)}
    for key in CATEGORY_KEYS:
        for level in LEVELS:
            counts[f"before_{key}_{level}"] = Count("pk", filter=Q(**{f"level_{key}": level}))
            counts[f"after_{key}_{level}"] = Count("pk", filter=Q(**{f"next_level_{key}": level}))
    found = pre_post_rows(group, organization_id, ids).aggregate(**counts)
    return rules.pre_post_counts(
        found["people"],
        {
            (side, key, level): found[f"{side}_{key}_{level}"]
            for side in ("before", "after")
            for key in CATEGORY_KEYS
            for level in LEVELS
        },
    )


# The report ---------------------------------------------------------------------------------


@dataclass
class ImpactReport:
    chosen: list[AssessmentCycle]  # the range the steps start in
    group_names: dict[str, str]
    category_names: dict[str, str]
    rows: list[rules.ImpactRow]
    steps: int  # every step counted, with a support or not
    pre_post_group: str = ""
    pre_post: rules.PrePostCounts | None = None
    # What the people behind a number are drawn from: the steps, each line's cycles.
    step_rows: QuerySet | None = None
    cycles: dict = field(default_factory=dict)
    people_ids: QuerySet | None = None
    organization_id: int | None = None

    def people_of(self, key: str) -> tuple[str, set[int]] | None:
        """The people behind one number: ``<row key>|with|rose`` or ``<row key>|without|same``
        … None for a number hidden or not on the page (one query)."""
        row_key, _, rest = key.rpartition("|")
        row_key, _, side = row_key.rpartition("|")
        for row in self.rows:
            if row.key == row_key and side in ("with", "without") and rest in rules.MOVES:
                tally = row.with_support if side == "with" else row.without
                if tally.hidden:
                    return None
                label = (
                    f"{self.group_names[row.group]}, {self.category_names[row.category]} from "
                    f"level {row.start_level}, {'with' if side == 'with' else 'without'} it: "
                    f"{rules.MOVE_LABELS[rest].lower()}"
                )
                return label, self._people(row, side == "with", rest)
        if key == "pre_post|people" and self.pre_post and not self.pre_post.hidden:
            group = self.group_names.get(self.pre_post_group, "")
            return f"Had {group}, with a finalized cycle before and after", self._pre_post_people()
        return None

    def _people(self, row: rules.ImpactRow, with_it: bool, move: str) -> set[int]:
        had_it = had_during_step(row.group)
        steps = self.step_rows.filter(
            _from(row.category, row.start_level),
            _move(row.category, row.start_level, move),
            had_it if with_it else ~had_it,
        )
        if not with_it:
            steps = steps.filter(
                cycle_id__in=sorted(self.cycles[(row.group, row.category, row.start_level)])
            )
        return set(steps.values_list("coordinator_id", flat=True).distinct())

    def _pre_post_people(self) -> set[int]:
        rows = pre_post_rows(self.pre_post_group, self.organization_id, self.people_ids)
        return set(rows.values_list("coordinator_id", flat=True))


def impact_report(
    *, organization: Organization, scope: ReportScope, cycles: list[AssessmentCycle]
) -> ImpactReport:
    """Four queries (five with a before and after): catalogue entries, the support groups
    anyone had, the steps counted per cycle and groups had, and the people of each line;
    nothing per person.
    ``cycles``: the organization's opened cycles, oldest first."""
    chosen = scope.cycles_between(cycles)
    profiles = scope.profiles(CoordinatorProfile.objects.filter(organization=organization))
    ids = profiles.order_by().values("pk")
    entries, entry_titles = {}, {}
    for pk, category, title in SupportCatalogEntry.objects.filter(
        organization=organization
    ).values_list("pk", "category_key", "title"):
        entries[pk], entry_titles[pk] = category, title
    groups: dict[str, str | None] = {f"kind:{kind}": None for kind in SupportKind.values}
    groups |= {f"entry:{pk}": category for pk, category in entries.items()}
    group_names = {f"kind:{kind}": label for kind, label in SupportKind.choices}
    group_names |= {f"entry:{pk}": f"“{title}”" for pk, title in entry_titles.items()}
    steps = step_rows(
        organization.pk, ids if scope.narrows_people else None, [cycle.pk for cycle in chosen]
    )
    found = steps_sql(steps)
    totals, with_steps = step_counts(found, groups)
    lines = rules.cycles_with(with_steps, groups)
    with_people, without_people = people_counts(found, lines, [cycle.pk for cycle in chosen])
    rows = rules.impact_lines(totals, with_steps, with_people, without_people, groups)
    rows.sort(key=lambda row: (row.group.startswith("entry:"), group_names[row.group]))
    return ImpactReport(
        chosen=chosen,
        group_names=group_names,
        # Across role families (each rubric may word its categories its own way): the defaults.
        category_names={key: DEFAULT_NAMES.category(key) for key in CATEGORY_KEYS},
        rows=rows,
        steps=sum(totals.values()),
        pre_post_group=scope.pre_post,
        pre_post=(
            pre_post_counts(scope.pre_post, organization.pk, ids) if scope.pre_post else None
        ),
        step_rows=steps,
        cycles=lines,
        people_ids=ids,
        organization_id=organization.pk,
    )
