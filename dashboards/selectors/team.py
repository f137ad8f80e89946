"""The team dashboard: a heatmap row with flags for every coordinator in the user's reach,
filtered and sorted as the request asks. The rows take a fixed, small number of queries
whatever the number of coordinators, cycles and ratings.

A heatmap cell shows, as of the chosen cycle, the latest *finalized* level (from that cycle
or an earlier one); a coordinator with nothing finalized yet shows the self levels of the
chosen cycle's *submitted* assessment, marked as not yet reviewed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.paginator import Page, Paginator
from django.db.models import Case, F, Q, QuerySet, Value, When, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from assessments.models import Assessment, AssessmentCycle
from coordinators.access import has_role, profiles_directed_by
from coordinators.models import CoordinatorProfile, Role, Team
from dashboards import flags as flag_rules
from dashboards.selectors.common import (
    CATEGORY_KEYS,
    FINALIZED,
    NOT_STARTED,
    STATUS_LABELS,
    SUBMITTED,
    AssessmentInfo,
    Cell,
    DashboardRow,
    PageFacts,
    Person,
    Ref,
    assessment_infos_with_scores,
    chosen_cycle,
    organization_cycles,
    page_facts,
)
from growth.selectors import goal_deadlines

if TYPE_CHECKING:
    from dashboards.filters import DashboardFilterSet

# The rows --------------------------------------------------------------------------------


def dashboard_row(
    person: Person,
    schools: list[Ref],
    this_cycle: AssessmentInfo | None,
    finalized: list[AssessmentInfo],
    context: PageFacts,
) -> DashboardRow:
    """One coordinator's heatmap row and flags; ``finalized`` is oldest first."""
    history = [info.category_levels(context.names(info.rubric_version_id)) for info in finalized]
    shown: AssessmentInfo | None = finalized[-1] if finalized else None
    current = history[-1] if history else None
    if shown is None and this_cycle is not None and this_cycle.state == SUBMITTED:
        shown = this_cycle
        current = this_cycle.category_levels(context.names(this_cycle.rubric_version_id))
    names = context.names(shown.rubric_version_id if shown else None)
    from_earlier = (
        shown is not None and context.cycle is not None and (shown.cycle_id != context.cycle.pk)
    )
    cells = [
        Cell(
            key=key,
            category_name=names.category(key),
            value=current.level(key) if current else None,
            level_name=names.level(current.level(key) if current else None),
            submitted_only=shown is not None and not shown.finalized,
            from_cycle=shown.cycle_name if from_earlier else "",
        )
        for key in CATEGORY_KEYS
    ]
    cycle_status = None
    if context.cycle is not None:
        cycle_status = flag_rules.CycleStatus(
            cycle_name=context.cycle.name,
            due_on=context.cycle.due_on,
            review_window_days=context.cycle.review_window_days,
            state=this_cycle.state if this_cycle else None,
            submitted_on=timezone.localdate(this_cycle.submitted_at)
            if this_cycle and this_cycle.submitted_at
            else None,
        )
    stage, next_stage = context.stage_and_next(person.career_stage_id)
    facts = flag_rules.CoordinatorFacts(
        today=context.as_of,
        role_start_date=person.role_start_date,
        current=current,
        finalized_history=history,
        cycle=cycle_status,
        stage=stage,
        next_stage=next_stage,
    )
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
    """A heatmap row with flags for every profile of ``profiles`` (four queries).

    Loads only what the flags need: the chosen cycle's assessments and, per coordinator, the
    last finalized assessments up to that cycle (as many as the stalled rule compares).
    """
    ids = profiles.order_by().values("pk")
    people, schools = _people_and_schools(profiles, ids)
    window = max(context.thresholds.stalled_cycles, 2)
    this_cycle: dict[int, AssessmentInfo] = {}
    finalized: dict[int, list[AssessmentInfo]] = defaultdict(list)
    if context.cycle is not None and people:
        this_cycle, finalized = _assessments_up_to(ids, context.cycle, window)
    return [
        dashboard_row(
            person,
            schools[person.pk],
            this_cycle.get(person.pk),
            finalized[person.pk][-window:],
            context,
        )
        for person in people
    ]


def _people_and_schools(
    profiles: QuerySet[CoordinatorProfile], ids: QuerySet
) -> tuple[list[Person], dict[int, list[Ref]]]:
    """The coordinators of ``profiles`` and each one's school sites by name (two queries)."""
    refs: dict[tuple[str, int], Ref] = {}  # one Ref per team and school, shared by the rows

    def ref(kind: str, pk: int, name: str) -> Ref:
        return refs.get((kind, pk)) or refs.setdefault((kind, pk), Ref(pk, name))

    people = [
        Person(
            pk=pk,
            first_name=first,
            last_name=last,
            email=email,
            team=ref("team", team_id, team_name) if team_id else None,
            career_stage_id=stage_id,
            career_stage_title=stage_title or "",
            role_start_date=started,
        )
        for pk, first, last, email, team_id, team_name, stage_id, stage_title, started in (
            profiles.values_list(
                "pk",
                "user__first_name",
                "user__last_name",
                "user__email",
                "team_id",
                "team__name",
                "career_stage_id",
                "career_stage__title",
                "role_start_date",
            )
        )
    ]
    schools: dict[int, list[Ref]] = defaultdict(list)
    if people:
        for profile_id, school_id, name in (
            CoordinatorProfile.schools.through.objects.filter(coordinatorprofile__in=ids)
            .order_by("school__name", "school_id")
            .values_list("coordinatorprofile_id", "school_id", "school__name")
        ):
            schools[profile_id].append(ref("school", school_id, name))
    return people, schools


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


@dataclass(frozen=True)
class DashboardReach:
    """What one user's team dashboard may show: the teams in their reach (every team for an
    org admin, the teams they direct for a director), those teams' active coordinators, and
    the organization's cycles."""

    organization_id: int
    teams: list[Team]
    profiles: QuerySet[CoordinatorProfile]  # not yet read: the filters narrow it first
    cycles: list[AssessmentCycle]

    def team(self, team_id: str) -> Team | None:
        """The team of that id when it is in reach, else None."""
        return next((team for team in self.teams if str(team.pk) == team_id), None)


def dashboard_reach(*, user) -> DashboardReach:
    """The teams, coordinators and cycles of ``user``'s dashboard (two queries)."""
    organization = user.organization_id
    teams = Team.objects.filter(organization=organization).order_by("name")
    if not has_role(user, Role.ADMIN):
        teams = teams.filter(director=user)
    return DashboardReach(
        organization_id=organization,
        teams=list(teams),
        profiles=profiles_directed_by(user).filter(active=True),
        cycles=organization_cycles(organization),
    )


@dataclass
class TeamDashboard:
    """The team heatmap as the user may see it, with their filters applied."""

    filterset: DashboardFilterSet  # the filters as parsed, drawn again as the filter bar
    cycles: list[AssessmentCycle]
    cycle: AssessmentCycle | None
    teams: list[Team]
    team: Team | None
    rows: list[DashboardRow]  # filtered and sorted
    total: int  # coordinators in reach before the flag and status filters
    sort: str
    any_finalized: bool


def team_dashboard_for(
    *, reach: DashboardReach, team: Team | None, filterset: DashboardFilterSet
) -> TeamDashboard:
    """The rows of the coordinators in ``reach`` that the filters keep, as of the cycle they
    name (else the latest opened one), in the order they ask (eight queries)."""
    cycle = chosen_cycle(reach.cycles, filterset.value("cycle"))
    rows = dashboard_rows(profiles=filterset.qs, context=page_facts(reach.organization_id, cycle))
    sort = filterset.value("sort") or "name"
    return TeamDashboard(
        filterset=filterset,
        cycles=reach.cycles,
        cycle=cycle,
        teams=reach.teams,
        team=team,
        rows=rows_filtered_and_sorted(
            rows, flag=filterset.value("flag"), status=filterset.value("status"), sort=sort
        ),
        total=len(rows),
        sort=sort,
        any_finalized=any(
            cell.value and not cell.submitted_only for row in rows for cell in row.cells
        ),
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
