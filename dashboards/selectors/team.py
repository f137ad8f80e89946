"""Reads for the dashboards: the team heatmap, a coordinator's history, the organization
overview. Each issues a fixed, small number of queries whatever the number of coordinators,
cycles and ratings, and reads the stored CategoryScore rows, never the ratings.

A heatmap cell shows, as of the chosen cycle, the latest *finalized* level (from that cycle
or an earlier one); a coordinator with nothing finalized yet shows the self levels of the
chosen cycle's *submitted* assessment, marked as not yet reviewed.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Case, F, OuterRef, Q, QuerySet, Subquery, Value, When, Window
from django.db.models.functions import Coalesce, RowNumber
from django.utils import timezone

from assessments.models import Assessment, AssessmentCycle, CategoryScore, Rating
from coordinators.models import CoordinatorProfile, Organization
from dashboards import flags as flag_rules
from dashboards.models import FlagThresholds
from growth.models import CareerPosition, CareerStage
from rubrics.models import Category, CategoryKey, Descriptor, Level
from rubrics.vocabulary import DEFAULT_CATEGORY_NAMES, DEFAULT_LEVEL_NAMES, DEFAULT_NAMES, Names

CATEGORY_KEYS = tuple(CategoryKey.values)
FINALIZED = Assessment.State.FINALIZED
SUBMITTED = Assessment.State.SUBMITTED

NOT_STARTED = "not_started"
STATUS_LABELS = {
    NOT_STARTED: "Not started",
    Assessment.State.DRAFT: "Draft",
    Assessment.State.RETURNED: "Returned",
    Assessment.State.SUBMITTED: "Submitted",
    Assessment.State.FINALIZED: "Finalized",
}


# Plain data the pages render -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AssessmentInfo:
    """The columns of one assessment the dashboards need, and its four category scores."""

    pk: int
    coordinator_id: int
    cycle_id: int
    cycle_name: str
    opens_on: date
    state: str
    submitted_at: object  # aware datetime or None
    rubric_version_id: int
    scores: dict[str, tuple[int | None, int | None]] = field(default_factory=dict)

    @property
    def finalized(self) -> bool:
        return self.state == FINALIZED

    def matrix(self, names: Names) -> flag_rules.Matrix:
        """The levels that count: the supervisor's once finalized, else the self levels."""
        self_levels = {key: self.scores.get(key, (None, None))[0] for key in CATEGORY_KEYS}
        supervisor = {key: self.scores.get(key, (None, None))[1] for key in CATEGORY_KEYS}
        if self.finalized:
            levels = {
                key: supervisor[key] if supervisor[key] is not None else self_levels[key]
                for key in CATEGORY_KEYS
            }
        else:
            levels = self_levels
        return flag_rules.Matrix(
            cycle_name=self.cycle_name,
            levels=levels,
            self_levels=self_levels,
            supervisor_levels=supervisor if self.finalized else {},
            finalized=self.finalized,
            names=names,
        )


@dataclass(frozen=True, slots=True)
class Ref:
    """A team or school site as the dashboards show it: its id and name."""

    pk: int
    name: str

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True, slots=True)
class Person:
    """A coordinator as a dashboard row needs them, read without building model instances
    (a thousand profiles, users and teams would cost more than every query of the page)."""

    pk: int
    first_name: str
    last_name: str
    email: str
    team: Ref | None
    career_stage_id: int | None
    career_stage_title: str
    role_start_date: date | None

    @property
    def display_name(self) -> str:
        """As User.display_name: the full name, else the email address."""
        return f"{self.first_name} {self.last_name}".strip() or self.email

    @classmethod
    def from_profile(cls, profile: CoordinatorProfile) -> Person:
        """Free of queries for a profile read with its user, team and
        ``career_position__stage``."""
        team = profile.team
        stage = CareerPosition.of(profile).stage
        return cls(
            pk=profile.pk,
            first_name=profile.user.first_name,
            last_name=profile.user.last_name,
            email=profile.user.email,
            team=Ref(team.pk, team.name) if team else None,
            career_stage_id=stage.pk if stage else None,
            career_stage_title=stage.title if stage else "",
            role_start_date=profile.role_start_date,
        )


@dataclass(frozen=True, slots=True)
class Cell:
    """One heatmap cell: a category's level in words, and where it comes from."""

    key: str
    category_name: str
    value: int | None
    level_name: str
    submitted_only: bool = False  # self levels of a submitted assessment, not yet reviewed
    from_cycle: str = ""  # set when the level comes from an earlier cycle than the chosen one


@dataclass(slots=True)
class DashboardRow:
    person: Person
    schools: list[Ref]
    cells: list[Cell]
    status: str  # NOT_STARTED or an Assessment.State of the chosen cycle
    assessment_id: int | None
    flags: list[flag_rules.Flag]

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def flag_codes(self) -> set[str]:
        return {flag.code for flag in self.flags}

    def level(self, key: str) -> int | None:
        return next(cell.value for cell in self.cells if cell.key == key)


@dataclass
class Context:
    """What every row of one page shares: names, stages, thresholds, the chosen cycle."""

    cycle: AssessmentCycle | None
    as_of: date
    thresholds: flag_rules.Thresholds
    stages: list[CareerStage]
    names_by_version: dict[int, Names]

    def names(self, version_id: int | None) -> Names:
        return self.names_by_version.get(version_id, DEFAULT_NAMES)

    def __post_init__(self):
        # Plain-data stages, built once per page rather than once per row.
        self._stages = {
            stage.pk: flag_rules.Stage(
                title=stage.title,
                order=stage.order,
                expected_years_from=stage.expected_years_from,
                expected_years_to=stage.expected_years_to,
                minimums=stage.minimums,
            )
            for stage in self.stages
        }

    def stage_and_next(
        self, stage_id: int | None
    ) -> tuple[flag_rules.Stage | None, flag_rules.Stage | None]:
        """A coordinator's career stage and the one after it, as plain data."""
        stage = self._stages.get(stage_id)
        if stage is None:
            return None, None
        following = [s for s in self._stages.values() if s.order > stage.order]
        return stage, min(following, key=lambda s: s.order, default=None)


# Small reads -----------------------------------------------------------------------------


def organization_cycles(organization: Organization | int) -> list[AssessmentCycle]:
    """The organization's cycles, newest first (one query)."""
    return list(AssessmentCycle.objects.filter(organization=organization).order_by("-opens_on"))


def default_cycle(cycles: list[AssessmentCycle]) -> AssessmentCycle | None:
    """The latest cycle that has opened; a planned one only when nothing has opened yet."""
    started = [c for c in cycles if c.state != AssessmentCycle.State.PLANNED]
    return (started or cycles or [None])[0]


def version_names(organization: Organization | int) -> dict[int, Names]:
    """Category and level names of every rubric version of the organization (two queries)."""
    categories: dict[int, dict[str, str]] = defaultdict(dict)
    levels: dict[int, dict[int, str]] = defaultdict(dict)
    for version_id, key, name in Category.objects.filter(
        version__rubric__organization=organization
    ).values_list("version_id", "key", "name"):
        categories[version_id][key] = name
    for version_id, value, name in Level.objects.filter(
        version__rubric__organization=organization
    ).values_list("version_id", "value", "name"):
        levels[version_id][value] = name
    return {
        version_id: Names(categories=categories[version_id], levels=levels[version_id])
        for version_id in categories.keys() | levels.keys()
    }


def page_context(
    organization: Organization | int, cycle: AssessmentCycle | None, today: date | None = None
) -> Context:
    """Names, stages and thresholds for one page (four queries). Flags of a past cycle are
    judged as of the day it closed."""
    today = today or timezone.localdate()
    as_of = min(today, cycle.closes_on) if cycle is not None else today
    thresholds = FlagThresholds.objects.filter(organization=organization).first()
    return Context(
        cycle=cycle,
        as_of=as_of,
        thresholds=flag_rules.Thresholds.from_row(thresholds),
        stages=list(CareerStage.objects.filter(organization=organization).order_by("order")),
        names_by_version=version_names(organization),
    )


ASSESSMENT_COLUMNS = (
    "pk",
    "coordinator_id",
    "cycle_id",
    "cycle__name",
    "cycle__opens_on",
    "state",
    "submitted_at",
    "rubric_version_id",
)
SCORE_COLUMNS = ("category_key", "self_level", "supervisor_level")


def _assessment_infos(queryset: QuerySet[Assessment]) -> list[AssessmentInfo]:
    """The assessments of ``queryset`` with their category scores, in one query (a left join:
    an assessment without scores yet still comes back). For a few coordinators."""
    infos: dict[int, AssessmentInfo] = {}
    score_columns = [f"category_scores__{column}" for column in SCORE_COLUMNS]
    for *columns, key, own, supervisor in queryset.values_list(*ASSESSMENT_COLUMNS, *score_columns):
        info = infos.get(columns[0])
        if info is None:
            info = infos[columns[0]] = AssessmentInfo(*columns)
        if key is not None:
            info.scores[key] = (own, supervisor)
    return list(infos.values())


def _assessment_infos_with_scores(queryset: QuerySet[Assessment]) -> list[AssessmentInfo]:
    """The same in two queries, which is faster than the join for many coordinators when
    ``queryset`` carries a window function."""
    infos = {
        values[0]: AssessmentInfo(*values) for values in queryset.values_list(*ASSESSMENT_COLUMNS)
    }
    for assessment_id, key, own, supervisor in CategoryScore.objects.filter(
        assessment__in=queryset.values("pk")
    ).values_list("assessment_id", *SCORE_COLUMNS):
        info = infos.get(assessment_id)
        if info is not None:
            info.scores[key] = (own, supervisor)
    return list(infos.values())


# The rows --------------------------------------------------------------------------------


def _row(
    person: Person,
    schools: list[Ref],
    this_cycle: AssessmentInfo | None,
    finalized: list[AssessmentInfo],
    context: Context,
) -> DashboardRow:
    """One coordinator's heatmap row and flags; ``finalized`` is oldest first."""
    history = [info.matrix(context.names(info.rubric_version_id)) for info in finalized]
    shown: AssessmentInfo | None = finalized[-1] if finalized else None
    current = history[-1] if history else None
    if shown is None and this_cycle is not None and this_cycle.state == SUBMITTED:
        shown = this_cycle
        current = this_cycle.matrix(context.names(this_cycle.rubric_version_id))
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
    *, profiles: QuerySet[CoordinatorProfile], context: Context
) -> list[DashboardRow]:
    """A heatmap row with flags for every profile of ``profiles`` (four queries).

    Loads only what the flags need: the chosen cycle's assessments and, per coordinator, the
    last finalized assessments up to that cycle (as many as the stalled rule compares).
    """
    ids = profiles.order_by().values("pk")
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
                "career_position__stage_id",
                "career_position__stage__title",
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
    cycle = context.cycle
    window = max(context.thresholds.stalled_cycles, 2)
    this_cycle: dict[int, AssessmentInfo] = {}
    finalized: dict[int, list[AssessmentInfo]] = defaultdict(list)
    if cycle is not None and people:
        # This cycle's assessment in any state, and the last finalized ones up to this cycle,
        # ranked within each coordinator's finalized assessments.
        finalized_apart = Case(When(state=FINALIZED, then=Value(1)), default=Value(0))
        infos = _assessment_infos_with_scores(
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
        past = [info for info in infos if info.finalized]
        for info in sorted(past, key=lambda i: (i.opens_on, i.pk)):
            finalized[info.coordinator_id].append(info)
    return [
        _row(
            person,
            schools[person.pk],
            this_cycle.get(person.pk),
            finalized[person.pk][-window:],
            context,
        )
        for person in people
    ]


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


# A coordinator's page --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HistoryPoint:
    cycle_name: str
    state: str
    category_key: str
    category_name: str
    self_level: int | None
    self_name: str
    supervisor_level: int | None
    supervisor_name: str


@dataclass(frozen=True, slots=True)
class MatrixLine:
    """One indicator of the latest matrix, for the printed coaching page."""

    category_name: str
    indicator: str
    level: int | None
    level_name: str
    descriptor: str
    self_level: int | None
    self_name: str


@dataclass
class CoordinatorHistory:
    cycles: list[AssessmentInfo]  # submitted or finalized, oldest first
    points: list[HistoryPoint]  # one per cycle and category
    row: DashboardRow  # as of the latest cycle: current levels and flags
    latest: AssessmentInfo | None
    latest_lines: list[MatrixLine]
    names: Names

    @property
    def finalized(self) -> list[AssessmentInfo]:
        """Every finalized assessment, oldest first."""
        return [info for info in self.cycles if info.finalized]

    def by_cycle(self) -> list[tuple[AssessmentInfo, list[HistoryPoint]]]:
        """The table under the charts: each cycle with its four category points."""
        width = len(CATEGORY_KEYS)
        return [
            (info, self.points[index * width : (index + 1) * width])
            for index, info in enumerate(self.cycles)
        ]

    def chart_data(self) -> dict:
        """Per category, self and supervisor levels in every cycle, for Chart.js."""
        labels = [info.cycle_name for info in self.cycles]
        series = []
        for key in CATEGORY_KEYS:
            points = [p for p in self.points if p.category_key == key]
            series.append(
                {
                    "key": key,
                    "name": self.names.category(key),
                    "self": [p.self_level for p in points],
                    "supervisor": [p.supervisor_level for p in points],
                }
            )
        return {
            "labels": labels,
            "levels": {str(v): n for v, n in sorted(self.names.levels.items())}
            or {str(v): n for v, n in DEFAULT_LEVEL_NAMES.items()},
            "categories": series,
        }


def coordinator_history(*, profile: CoordinatorProfile, context: Context) -> CoordinatorHistory:
    """The matrix over time of one coordinator (two queries, plus one for the latest matrix).

    Only submitted and finalized assessments make the history; supervisor levels show once
    finalized (the coordinator sees them only then).
    """
    infos = _assessment_infos(
        Assessment.objects.filter(coordinator=profile).order_by("cycle__opens_on", "pk")
    )
    shown = [info for info in infos if info.state in (SUBMITTED, FINALIZED)]
    cycle = context.cycle
    this_cycle = next((i for i in infos if cycle and i.cycle_id == cycle.pk), None)
    finalized = [
        i for i in infos if i.finalized and (cycle is None or i.opens_on <= cycle.opens_on)
    ]
    schools = [Ref(school.pk, school.name) for school in profile.schools.order_by("name")]
    row = _row(
        Person.from_profile(profile),
        schools,
        this_cycle,
        finalized[-max(context.thresholds.stalled_cycles, 2) :],
        context,
    )
    latest = finalized[-1] if finalized else (shown[-1] if shown else None)
    names = context.names(latest.rubric_version_id if latest else None)
    points = []
    for info in shown:
        info_names = context.names(info.rubric_version_id)
        for key in CATEGORY_KEYS:
            own, supervisor = info.scores.get(key, (None, None))
            if not info.finalized:
                supervisor = None
            points.append(
                HistoryPoint(
                    cycle_name=info.cycle_name,
                    state=info.state,
                    category_key=key,
                    category_name=info_names.category(key),
                    self_level=own,
                    self_name=info_names.level(own),
                    supervisor_level=supervisor,
                    supervisor_name=info_names.level(supervisor),
                )
            )
    return CoordinatorHistory(
        cycles=shown,
        points=points,
        row=row,
        latest=latest,
        latest_lines=latest_matrix_lines(latest, names) if latest else [],
        names=names,
    )


def latest_matrix_lines(info: AssessmentInfo, names: Names) -> list[MatrixLine]:
    """Every indicator of one assessment with the descriptor of the level that counts: the
    supervisor's once finalized, else the self level (one query)."""
    counted = (
        Coalesce(OuterRef("supervisor_level"), OuterRef("self_level"))
        if info.finalized
        else OuterRef("self_level")
    )
    descriptor = Descriptor.objects.filter(
        indicator_id=OuterRef("indicator_id"), level__value=counted
    ).values("text")[:1]
    lines = []
    for category_name, indicator, own, supervisor, text in (
        Rating.objects.filter(assessment_id=info.pk)
        .annotate(descriptor_text=Subquery(descriptor))
        .order_by("indicator__category__order", "indicator__order", "indicator_id")
        .values_list(
            "indicator__category__name",
            "indicator__name",
            "self_level",
            "supervisor_level",
            "descriptor_text",
        )
    ):
        level = supervisor if info.finalized and supervisor is not None else own
        lines.append(
            MatrixLine(
                category_name=category_name,
                indicator=indicator,
                level=level,
                level_name=names.level(level),
                descriptor=text or "",
                self_level=own,
                self_name=names.level(own),
            )
        )
    return lines


# The organization overview ---------------------------------------------------------------


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


def organization_overview(*, organization: Organization | int, context: Context) -> Overview:
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
