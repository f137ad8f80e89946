"""The team dashboard: a heatmap row with flags for every coordinator in the user's reach,
filtered and sorted as the request asks. The rows take a fixed, small number of queries
whatever the number of coordinators, cycles and ratings.

A heatmap cell shows, as of the chosen cycle, the latest *finalized* level (from that cycle
or an earlier one); a coordinator with nothing finalized yet shows the self levels of the
chosen cycle's *submitted* assessment, marked as not yet reviewed.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Case, Count, F, Q, QuerySet, Value, When, Window
from django.db.models.functions import Coalesce, RowNumber
from django.utils.functional import SimpleLazyObject, cached_property

from assessments.models import Assessment, AssessmentCycle
from coordinators.access import has_role, profiles_directed_by
from coordinators.form_helpers import int_or_none
from coordinators.models import CoordinatorProfile, Role, School, Team, User
from coordinators.prepared import Prepared, ids_in, read_sql
from dashboards import flags as flag_rules
from dashboards.models import CoordinatorCycleRow
from dashboards.read_model import people_and_schools, row_facts
from dashboards.selectors.common import (
    CATEGORY_KEYS,
    FINALIZED,
    NOT_STARTED,
    STATUS_LABELS,
    AssessmentInfo,
    Cell,
    DashboardRow,
    PageFacts,
    Person,
    Ref,
    assessment_infos_with_scores,
    chosen_cycle,
    cycles_and_version,
    page_facts,
    stored_rows_facts,
)
from growth.cadence import CheckInClock
from growth.selectors import check_in_clocks, goal_deadlines

if TYPE_CHECKING:
    from dashboards.filters import DashboardFilterSet

# The rows --------------------------------------------------------------------------------


def dashboard_row(
    person: Person,
    schools: list[Ref],
    this_cycle: AssessmentInfo | None,
    finalized: list[AssessmentInfo],
    context: PageFacts,
    check_ins: CheckInClock | None = None,
) -> DashboardRow:
    """One coordinator's heatmap row and flags; ``finalized`` is oldest first."""
    cells, facts = row_facts(person, this_cycle, finalized, context, check_ins, schools)
    return DashboardRow(
        person=person,
        schools=schools,
        cells=cells,
        status=this_cycle.state if this_cycle else NOT_STARTED,
        assessment_id=this_cycle.pk if this_cycle else None,
        flags=flag_rules.flags_for(facts, context.thresholds),
    )


def dashboard_rows(
    *, profiles: QuerySet[CoordinatorProfile], context: PageFacts
) -> list[DashboardRow]:
    """A heatmap row with flags for every profile of ``profiles`` (five queries).

    Loads only what the flags need: the chosen cycle's assessments and, per coordinator, the
    last finalized assessments up to that cycle (as many as the stalled rule compares).
    """
    ids = profiles.order_by().values("pk")
    people, schools = people_and_schools(profiles, ids)
    window = max(context.thresholds.stalled_cycles, 2)
    this_cycle: dict[int, AssessmentInfo] = {}
    finalized: dict[int, list[AssessmentInfo]] = defaultdict(list)
    if context.cycle is not None and people:
        this_cycle, finalized = _assessments_up_to(ids, context.cycle, window)
    clocks = check_in_clocks(ids) if people else {}
    return [
        dashboard_row(
            person,
            schools[person.pk],
            this_cycle.get(person.pk),
            finalized[person.pk][-window:],
            context,
            clocks.get(person.pk),
        )
        for person in people
    ]


def _assessments_up_to(
    ids: QuerySet, cycle: AssessmentCycle, window: int
) -> tuple[dict[int, AssessmentInfo], dict[int, list[AssessmentInfo]]]:
    """Per coordinator of ``ids``: the assessment of ``cycle`` in any state, and the last
    ``window`` finalized ones up to that cycle, oldest first (two queries)."""
    # This cycle's assessment in any state, and the last finalized ones up to this cycle,
    # ranked within each coordinator's finalized assessments.
    finalized_apart = Case(When(state=FINALIZED, then=Value(1)), default=Value(0))
    infos = assessment_infos_with_scores(
        Assessment.objects.filter(
            Q(cycle=cycle) | Q(state=FINALIZED),
            coordinator__in=ids,
            cycle__opens_on__lte=cycle.opens_on,
        )
        .annotate(
            recency=Window(
                RowNumber(),
                partition_by=[F("coordinator_id"), finalized_apart],
                order_by=[F("cycle__opens_on").desc(), F("pk").desc()],
            )
        )
        .filter(Q(cycle=cycle) | Q(recency__lte=window))
    )
    this_cycle = {info.coordinator_id: info for info in infos if info.cycle_id == cycle.pk}
    finalized: dict[int, list[AssessmentInfo]] = defaultdict(list)
    past = [info for info in infos if info.finalized]
    for info in sorted(past, key=lambda i: (i.opens_on, i.pk)):
        finalized[info.coordinator_id].append(info)
    return this_cycle, finalized


SORT_KEYS = {
    "name": lambda row: (
        row.person.last_name.lower(),
        row.person.first_name.lower(),
        row.person.pk,
    ),
    "team": lambda row: (row.person.team is None, row.person.team.name if row.person.team else ""),
    "status": lambda row: (list(STATUS_LABELS).index(row.status),),
    "flags": lambda row: (len(row.flags),),
    **{key: (lambda row, key=key: (row.level(key) or 0,)) for key in CATEGORY_KEYS},
}


def rows_filtered_and_sorted(
    rows: list[DashboardRow], *, flag: str = "", status: str = "", sort: str = "name"
) -> list[DashboardRow]:
    """Apply the filters that depend on computed flags, then sort (ties by name)."""
    if flag:
        rows = [row for row in rows if flag in row.flag_codes]
    if status:
        rows = [row for row in rows if row.status == status]
    descending = sort.startswith("-")
    key = SORT_KEYS.get(sort.lstrip("-"), SORT_KEYS["name"])
    rows = sorted(rows, key=SORT_KEYS["name"])
    return sorted(rows, key=key, reverse=descending)


# The page --------------------------------------------------------------------------------


# The teams in a dashboard's reach, by name: every team of the organization (an org admin's
# reach, shape True), or those the user directs (False). Read on every request of a director's
# dashboard, cache hits included: building the query through the ORM cost more than reading it.
TEAMS_IN_REACH = Prepared(
    lambda everyone, organization, director: Team.objects.filter(
        organization=organization, **({} if everyone else {"director": director})
    ).order_by("name"),
    "organization",
    "director",
    shapes=(True, False),
)


@dataclass(frozen=True)
class DashboardReach:
    """What one user's team dashboard may show: the teams in their reach (every team for an
    org admin, the teams they direct for a director), those teams' active coordinators, and
    the organization's cycles. The teams and coordinators are built when first used: a cache
    hit reads only a director's teams (the fragment's scope), and no queryset is built."""

    organization_id: int
    user: User
    cycles: list[AssessmentCycle]
    version: int  # the organization's dashboard version, read with the cycles
    everyone: bool = False  # an org admin's: ``profiles`` are every active coordinator

    @cached_property
    def teams(self) -> list[Team]:
        """The teams in reach, by name: read when first used (one query), which a page of the
        whole organization's rows, counting its teams with them, never does."""
        return SimpleLazyObject(
            lambda: TEAMS_IN_REACH.all(
                self.everyone, organization=self.organization_id, director=self.user.pk
            )
        )

    @cached_property
    def team_queryset(self) -> QuerySet[Team]:
        """The same teams, not read (the team filter's scope)."""
        return TEAMS_IN_REACH.build(
            self.everyone, organization=self.organization_id, director=self.user.pk
        )

    @cached_property
    def profiles(self) -> QuerySet[CoordinatorProfile]:
        """The active coordinators in reach, not read: the filters narrow them first."""
        return profiles_directed_by(self.user).filter(active=True)

    def team_count(self) -> int:
        """How many teams are in reach: an org admin's counted, not read."""
        if not self.everyone:
            return len(self.teams)
        with connection.cursor() as cursor:
            read_sql(
                cursor,
                f"SELECT COUNT(*) FROM {TEAMS} WHERE organization_id = %s",
                [self.organization_id],
            )
            return cursor.fetchone()[0]

    def team(self, team_id: str) -> Team | None:
        """The team of that id when it is in reach, else None."""
        return next((team for team in self.teams if str(team.pk) == team_id), None)

    def team_named_by(self, wanted: str, filterset: DashboardFilterSet) -> Team | None:
        """The team a query's ``team`` names: an id (what the picker sends), which must be in
        reach (else TeamOutOfReach), or a name typed in full (the picker without JavaScript),
        which the filter reads (a name that names no team is reported beside the field)."""
        if not wanted:
            return None
        team = self.team(wanted)
        if team is None and int_or_none(wanted) is not None:
            raise TeamOutOfReach(wanted)
        return team or self.team(filterset.value("team"))


class TeamOutOfReach(LookupError):
    """The query names a team the person does not direct (or no longer directs)."""


def dashboard_reach(*, user) -> DashboardReach:
    """The teams, coordinators and cycles of ``user``'s dashboard, and the organization's
    dashboard version (one query: the cycles with the version; the teams are read when first
    used)."""
    organization = user.organization_id
    cycles, version = cycles_and_version(organization)
    return DashboardReach(
        organization_id=organization,
        user=user,
        cycles=cycles,
        everyone=has_role(user, Role.ADMIN),
        version=version,
    )


@dataclass
class TeamDashboard:
    """The team heatmap as the user may see it, with their filters applied."""

    filterset: DashboardFilterSet  # the filters as parsed, drawn again as the filter bar
    cycles: list[AssessmentCycle]
    cycle: AssessmentCycle | None
    teams: list[Team]  # read when first used
    team_count: int  # how many (the filter bar and the heatmap show teams when more than one)
    team: Team | None
    rows: ReadModelRows | list[DashboardRow]  # filtered and sorted
    total: int  # coordinators in reach before the flag and status filters
    sort: str
    any_finalized: bool


STARTS = [f"{code}_from" for code in flag_rules.FLAG_LABELS]

ROWS = CoordinatorCycleRow._meta.db_table
PROFILES = CoordinatorProfile._meta.db_table
USERS = User._meta.db_table
TEAMS = Team._meta.db_table
PROFILE_SCHOOLS = CoordinatorProfile.schools.through._meta.db_table
SCHOOLS = School._meta.db_table
IDS_PER_QUERY = 500

# What a stored row is made from, over the read model's row (r), its profile (p), user (u) and
# team (t): the columns up to the flags' words and levels; ``stored_select`` adds which flags
# are raised.
STORED_SQL = ", ".join(
    [
        "r.coordinator_id",
        "u.first_name",
        "u.last_name",
        "u.email",
        "p.team_id",
        "t.name",
        "r.career_stage_id",
        "r.role_start_date",
        "r.status",
        "r.assessment_id",
        "r.levels_cycle_id",
        "r.levels_version_id",
        "r.levels_reviewed",
        "r.flag_words",
        *(f"r.level_{key}" for key in CATEGORY_KEYS),
    ]
)
WORDS = STORED_SQL.split(", ").index("r.flag_words")
STORED_JOINS = (
    f"INNER JOIN {PROFILES} p ON p.id = r.coordinator_id "
    f"INNER JOIN {USERS} u ON u.id = p.user_id "
    f"LEFT OUTER JOIN {TEAMS} t ON t.id = p.team_id"
)


def _school_names(profile_ids: list[int]) -> list[tuple[int, int, str]]:
    """(profile, school, school's name) for each school site of ``profile_ids``, by name (one
    query). Its own round trip: read in the page's query, a subquery a row, the sites cost
    PostgreSQL more than this query does."""
    if not profile_ids:
        return []
    among, params = ids_in("ps.coordinatorprofile_id", profile_ids)
    with connection.cursor() as cursor:
        read_sql(
            cursor,
            f"SELECT ps.coordinatorprofile_id, ps.school_id, s.name FROM {PROFILE_SCHOOLS} ps "
            f"INNER JOIN {SCHOOLS} s ON s.id = ps.school_id WHERE {among} "
            "ORDER BY s.name, ps.school_id",
            params,
        )
        return cursor.fetchall()


def stored_select(as_of: date) -> tuple[str, list]:
    """The SELECT list of stored rows (``stored_rows`` reads them) and its parameters:
    ``STORED_SQL``, then which flags are raised as of ``as_of``, a bit per code in the order
    of FLAG_LABELS (their start days compared with the day in SQL, where thirteen days a row
    cost more to send and convert than the comparison)."""
    day = connection.ops.adapt_datefield_value(as_of)
    raised = " + ".join(
        f"CASE WHEN r.{start} <= %s THEN {1 << bit} ELSE 0 END" for bit, start in enumerate(STARTS)
    )
    return f"{STORED_SQL}, {raised}", [day] * len(STARTS)


def stored_rows(
    values: list[tuple], *, context: PageFacts, cycle_names: dict[int, str]
) -> list[DashboardRow]:
    """Heatmap rows from the read model's columns (``stored_select``, one tuple per
    coordinator): the same rows as ``dashboard_rows`` computes from the assessments, with
    only the flags' counts of days and years worked out as of the page's day, and each
    coordinator's school sites (one query)."""
    refs: dict[tuple[str, int], Ref] = {}
    schools: dict[int, list[Ref]] = defaultdict(list)
    for profile_id, school_id, name in _school_names(sorted({value[0] for value in values})):
        ref = refs.get(("school", school_id)) or refs.setdefault(
            ("school", school_id), Ref(school_id, name)
        )
        schools[profile_id].append(ref)
    titles = {stage.pk: stage.title for stage in context.stages}
    cycle_id = context.cycle.pk if context.cycle else None
    as_of = context.as_of
    codes = list(enumerate(flag_rules.FLAG_LABELS))
    counts: dict[tuple, str] = {}  # the words of the flags' counts of days and years
    shared_cells: dict[tuple, list[Cell]] = {}
    shared_cell: dict[tuple, Cell] = {}
    levels_end = WORDS + 1 + len(CATEGORY_KEYS)

    def _cell(version_id, key, value, submitted_only, from_cycle) -> Cell:
        names = context.names(version_id)
        return Cell(
            key=key,
            category_name=names.category(key),
            value=value,
            level_name=names.level(value),
            submitted_only=submitted_only,
            from_cycle=from_cycle,
        )

    rows = []
    for value in values:
        (
            pk,
            first,
            last,
            email,
            team_id,
            team_name,
            stage_id,
            started,
            status,
            assessment_id,
            levels_cycle_id,
            version_id,
            reviewed,
            words,
        ) = value[: WORDS + 1]
        levels = tuple(value[WORDS + 1 : levels_end])
        raised = value[levels_end]
        team = None
        if team_id is not None:
            team = refs.get(("team", team_id)) or refs.setdefault(
                ("team", team_id), Ref(team_id, team_name)
            )
        submitted_only = levels_cycle_id is not None and not reviewed
        from_cycle = ""
        if cycle_id is not None and levels_cycle_id not in (None, cycle_id):
            from_cycle = cycle_names.get(levels_cycle_id, "")
        # Rows with the same levels of the same rubric version share their (frozen) cells,
        # and lists of cells share the cells they have in common.
        cells_key = (version_id, levels, submitted_only, from_cycle)
        cells = shared_cells.get(cells_key)
        if cells is None:
            cells = shared_cells[cells_key] = [
                shared_cell.get(cell_key) or shared_cell.setdefault(cell_key, _cell(*cell_key))
                for cell_key in (
                    (version_id, key, level, submitted_only, from_cycle)
                    for key, level in zip(CATEGORY_KEYS, levels, strict=True)
                )
            ]
        flags = []
        if raised:
            # The words of the flags raised only: the database gives them as JSON text.
            words = json.loads(words) if isinstance(words, str) else words
            flags = [
                flag_rules.stored_flag(code, words[code], as_of, counts)
                for bit, code in codes
                if raised & (1 << bit)
            ]
        rows.append(
            DashboardRow(
                person=Person(
                    pk=pk,
                    first_name=first,
                    last_name=last,
                    email=email,
                    team=team,
                    career_stage_id=stage_id,
                    career_stage_title=titles.get(stage_id, ""),
                    role_start_date=started,
                ),
                schools=schools[pk],
                cells=cells,
                status=status,
                assessment_id=assessment_id,
                flags=flags,
            )
        )
    return rows


def _stored_values(row_ids: list[int], context: PageFacts) -> dict[int, tuple]:
    """The ``stored_select`` columns of the read model's rows ``row_ids``, by row id (one
    query per five hundred rows; one for a page)."""
    select, params = stored_select(context.as_of)
    by_id: dict[int, tuple] = {}
    with connection.cursor() as cursor:
        for start in range(0, len(row_ids), IDS_PER_QUERY):
            among, among_params = ids_in("r.id", row_ids[start : start + IDS_PER_QUERY])
            read_sql(
                cursor,
                f"SELECT r.id, {select} FROM {ROWS} r {STORED_JOINS} WHERE {among}",
                [*params, *among_params],
            )
            for row_id, *columns in cursor.fetchall():
                by_id[row_id] = tuple(columns)
    return by_id


@dataclass(frozen=True)
class RowCounts:
    """What the dashboard counts of a cycle's rows in reach: all of them, those the flag and
    status filters keep, and whether any shows a reviewed level."""

    total: int
    shown: int
    any_reviewed: bool
    teams: int | None = None  # the organization's teams, when counted with the rows


ANY_LEVEL = ~Q(
    level_coordinator=None, level_site=None, level_organization=None, level_development=None
)


class OrganizationRowsSQL:
    """``ReadModelRows``' queries written as SQL for one organization's active coordinators
    in one cycle: the counts, and the rows of a slice in the order of ``SORT_KEYS`` (the same
    expressions as ``ReadModelRows._ordering``)."""

    def __init__(self, *, organization_id: int, context: PageFacts, flag: str, status: str):
        self.day = context.as_of
        self.organization_id = organization_id
        self.as_of = connection.ops.adapt_datefield_value(context.as_of)
        self.joins = f"{ROWS} r INNER JOIN {PROFILES} p ON p.id = r.coordinator_id"
        self.where = "r.cycle_id = %s AND p.organization_id = %s AND p.active = %s"
        self.params: list = [context.cycle.pk, organization_id, True]
        conditions, self.condition_params = [], []
        if flag:
            conditions.append(f"r.{flag}_from <= %s")
            self.condition_params.append(self.as_of)
        if status:
            conditions.append("r.status = %s")
            self.condition_params.append(status)
        self.condition = " AND ".join(conditions)

    def counts(self) -> RowCounts:
        """The rows' counts, and the organization's teams (the dashboard shows the team
        column when there is more than one), in one query."""
        any_level = " OR ".join(f"r.level_{key} IS NOT NULL" for key in CATEGORY_KEYS)
        shown = f"COUNT(CASE WHEN {self.condition} THEN 1 END)" if self.condition else "COUNT(*)"
        with connection.cursor() as cursor:
            read_sql(
                cursor,
                f"SELECT COUNT(*), {shown}, "
                f"COUNT(CASE WHEN r.levels_reviewed = %s AND ({any_level}) THEN 1 END), "
                f"(SELECT COUNT(*) FROM {TEAMS} WHERE organization_id = %s) "
                f"FROM {self.joins} WHERE {self.where}",
                [*self.condition_params, True, self.organization_id, *self.params],
            )
            total, shown_count, reviewed, teams = cursor.fetchone()
        return RowCounts(total, shown_count, reviewed > 0, teams)

    def _ordering(self, sort: str) -> tuple[list[str], list]:
        """The ORDER BY terms and their parameters."""
        descending = sort.startswith("-")
        column = sort.lstrip("-")
        if column not in SORT_KEYS:
            column = "name"
        name = ["r.sort_last_name", "r.sort_first_name", "r.coordinator_id"]
        if column == "name":
            return [f"{term} {'DESC' if descending else 'ASC'}" for term in name], []
        params: list = []
        if column == "team":
            primary = ["CASE WHEN p.team_id IS NULL THEN 1 ELSE 0 END", "COALESCE(t.name, '')"]
        elif column == "status":
            whens = " ".join(f"WHEN %s THEN {i}" for i in range(len(STATUS_LABELS)))
            primary = [f"CASE r.status {whens} ELSE 0 END"]
            params = list(STATUS_LABELS)
        elif column == "flags":
            starts = [f"CASE WHEN r.{start} <= %s THEN 1 ELSE 0 END" for start in STARTS]
            primary = [f"({' + '.join(starts)})"]
            params = [self.as_of] * len(starts)
        else:
            primary = [f"COALESCE(r.level_{column}, 0)"]
        direction = "DESC" if descending else "ASC"
        return [*(f"{term} {direction}" for term in primary), *(f"{t} ASC" for t in name)], params

    def values(self, sort: str, *, offset: int, limit: int) -> list[tuple]:
        """The ``stored_select`` columns of the rows ``offset`` to ``offset + limit`` in the
        order ``sort`` asks, in one query: the page's ids are chosen over the narrow columns,
        then only its rows are read whole (their flags' words are most of a row), in that
        order."""
        if limit <= 0:
            return []
        order, order_params = self._ordering(sort)
        order_by = ", ".join(order)
        joins = self.joins
        if sort.lstrip("-") == "team":
            joins += f" LEFT OUTER JOIN {TEAMS} t ON t.id = p.team_id"
        where = f"{self.where} AND {self.condition}" if self.condition else self.where
        select, select_params = stored_select(self.day)
        with connection.cursor() as cursor:
            read_sql(
                cursor,
                f"SELECT {select} FROM (SELECT r.id FROM {joins} WHERE {where} "
                f"ORDER BY {order_by} LIMIT %s OFFSET %s) page "
                f"INNER JOIN {ROWS} r ON r.id = page.id {STORED_JOINS} ORDER BY {order_by}",
                [
                    *select_params,
                    *self.params,
                    *self.condition_params,
                    *order_params,
                    limit,
                    offset,
                    *order_params,
                ],
            )
            return cursor.fetchall()


class ReadModelRows:
    """The dashboard's filtered and sorted rows, read from the read model a slice at a time.

    Filtering by flag and status, sorting and counting run in SQL over ``CoordinatorCycleRow``
    (flags as of the page's day, from their stored start days); the rows of the slice asked
    for are read with their stored levels and flag words (``stored_rows``), so a page of a
    hundred costs the same at any size of organization. A Paginator pages it; iterating
    reads every row (the exports).

    ``everyone_of``: the organization, when ``profiles`` are exactly its active coordinators
    (an org admin's page that no filter narrows to some people). The counts and the page's
    rows are then written as SQL (``OrganizationRowsSQL``): building the same queries through
    the ORM, with the profiles' subquery, cost several times what the database took.
    """

    def __init__(
        self,
        *,
        profiles,
        context: PageFacts,
        flag: str,
        status: str,
        sort: str,
        cycles: list[AssessmentCycle],  # the organization's, for the names of earlier cycles
        everyone_of: int | None = None,
    ):
        self.context = context
        self.cycle_names = {cycle.pk: cycle.name for cycle in cycles}
        as_of = context.as_of
        if flag not in flag_rules.FLAG_LABELS:
            flag = ""
        self.sort = sort
        self._count: int | None = None
        self.sql = None
        if everyone_of is not None:  # the ORM's querysets below are not even built
            self.sql = OrganizationRowsSQL(
                organization_id=everyone_of, context=context, flag=flag, status=status
            )
            return
        rows = CoordinatorCycleRow.objects.filter(
            cycle=context.cycle, coordinator__in=profiles.order_by().values("pk")
        )
        self.unfiltered = rows
        self.condition = Q()
        if flag:
            self.condition &= Q(**{f"{flag}_from__lte": as_of})
        if status:
            self.condition &= Q(status=status)
        self.rows = rows.filter(self.condition)

    def counts(self) -> RowCounts:
        """The counts, with or without the flag and status filters, and of the rows with a
        reviewed level, in one pass over an index (read_model_dashboard), not the rows."""
        if self.sql is not None:
            counts = self.sql.counts()
        else:
            found = self.unfiltered.aggregate(
                total=Count("pk"),
                shown=Count("pk", filter=self.condition),
                reviewed=Count("pk", filter=Q(levels_reviewed=True) & ANY_LEVEL),
            )
            counts = RowCounts(found["total"], found["shown"], found["reviewed"] > 0)
        self._count = counts.shown
        return counts

    def _ordering(self) -> list:
        """The order of ``SORT_KEYS``: the sort asked for, ties by name (a descending sort
        keeps its ties in name order, as a stable reverse sort does)."""
        name = [F("sort_last_name"), F("sort_first_name"), F("coordinator_id")]
        descending = self.sort.startswith("-")
        column = self.sort.lstrip("-")
        if column not in SORT_KEYS:
            column = "name"
        if column == "name":
            return [k.desc() if descending else k.asc() for k in name]
        if column == "team":
            primary = [
                Case(When(coordinator__team__isnull=True, then=1), default=0),
                Coalesce("coordinator__team__name", Value("")),
            ]
        elif column == "status":
            primary = [
                Case(
                    *(When(status=code, then=i) for i, code in enumerate(STATUS_LABELS)),
                    default=0,
                )
            ]
        elif column == "flags":
            primary = [
                sum(
                    (
                        Case(
                            When(**{f"{code}_from__lte": self.context.as_of}, then=1),
                            default=0,
                        )
                        for code in flag_rules.FLAG_LABELS
                    ),
                    Value(0),
                )
            ]
        else:
            primary = [Coalesce(f"level_{column}", Value(0))]
        primary = [
            (expression.desc() if descending else expression.asc()) for expression in primary
        ]
        return [*primary, *(key.asc() for key in name)]

    def count(self) -> int:
        if self._count is None:
            self._count = self.counts().shown if self.sql is not None else self.rows.count()
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __bool__(self) -> bool:
        return self.count() > 0

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        if self.sql is not None:
            start = index.start or 0
            stop = self.count() if index.stop is None else index.stop
            values = self.sql.values(self.sort, offset=start, limit=max(stop - start, 0))
        else:
            # The page's ids are chosen by sorting the narrow rows of the ids alone; only the
            # page's rows are read whole (their flag words are most of a row), then in order.
            ids = list(self.rows.order_by(*self._ordering()).values_list("pk", flat=True)[index])
            by_id = _stored_values(ids, self.context) if ids else {}
            values = [by_id[pk] for pk in ids if pk in by_id]
        if not values:
            return []
        return stored_rows(values, context=self.context, cycle_names=self.cycle_names)

    def __iter__(self):
        return iter(self[0 : self.count()])


def team_dashboard_for(
    *, reach: DashboardReach, team: Team | None, filterset: DashboardFilterSet
) -> TeamDashboard:
    """The rows of the coordinators in ``reach`` that the filters keep, as of the cycle they
    name (else the latest opened one), in the order they ask. Read from the read model: the
    rows are built only for the slice a page shows."""
    cycle = chosen_cycle(reach.cycles, filterset.value("cycle"))
    sort = filterset.value("sort") or "name"
    if cycle is None:  # no cycle yet: nothing in the read model, and few rows to build
        context = page_facts(reach.organization_id, cycle)
        rows = dashboard_rows(profiles=filterset.qs, context=context)
        return TeamDashboard(
            filterset=filterset,
            cycles=reach.cycles,
            cycle=cycle,
            teams=reach.teams,
            team_count=reach.team_count(),
            team=team,
            rows=rows_filtered_and_sorted(
                rows, flag=filterset.value("flag"), status=filterset.value("status"), sort=sort
            ),
            total=len(rows),
            sort=sort,
            any_finalized=False,
        )
    rows = ReadModelRows(
        profiles=filterset.qs,
        context=stored_rows_facts(reach.organization_id, cycle),
        flag=filterset.value("flag"),
        status=filterset.value("status"),
        sort=sort,
        cycles=reach.cycles,
        everyone_of=None
        if filterset.narrows_people() or not reach.everyone
        else reach.organization_id,
    )
    counts = rows.counts()
    return TeamDashboard(
        filterset=filterset,
        cycles=reach.cycles,
        cycle=cycle,
        teams=reach.teams,
        team_count=reach.team_count() if counts.teams is None else counts.teams,
        team=team,
        rows=rows,
        total=counts.total,
        sort=sort,
        any_finalized=counts.any_reviewed,
    )


@dataclass
class DashboardPage:
    """One page of the heatmap's rows, each with its goals overdue and due soon (or None)."""

    page: Page
    rows_and_deadlines: list[tuple[DashboardRow, dict[str, int] | None]]


def dashboard_page(rows: list[DashboardRow], *, number, per_page: int) -> DashboardPage:
    """The page ``number`` of ``rows`` (a bad number gives the first or last page), with the
    goal deadlines of that page's coordinators only (one query, whatever the team)."""
    page = Paginator(rows, per_page).get_page(number)
    deadlines = goal_deadlines(profile_ids=[row.person.pk for row in page.object_list])
    return DashboardPage(
        page=page,
        rows_and_deadlines=[(row, deadlines.get(row.person.pk)) for row in page.object_list],
    )
