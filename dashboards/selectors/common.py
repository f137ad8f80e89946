"""What the dashboard pages share: the plain data they render (an assessment with its
category scores, a coordinator, a heatmap cell and row), the facts every row of one page
reads (names per rubric version, career stages, flag thresholds, the chosen cycle), and the
small reads behind them. Each read issues a fixed number of queries and reads the stored
CategoryScore rows, never the ratings.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from assessments.models import Assessment, AssessmentCycle, CategoryScore
from coordinators.models import CoordinatorProfile, Organization
from dashboards import flags as flag_rules
from dashboards.models import FlagThresholds
from growth.models import CareerStage
from rubrics.models import Category, CategoryKey, Level
from rubrics.vocabulary import DEFAULT_NAMES, Names

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

    def category_levels(self, names: Names) -> flag_rules.CategoryLevels:
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
        return flag_rules.CategoryLevels(
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
        team = profile.team
        return cls(
            pk=profile.pk,
            first_name=profile.user.first_name,
            last_name=profile.user.last_name,
            email=profile.user.email,
            team=Ref(team.pk, team.name) if team else None,
            career_stage_id=profile.career_stage_id,
            career_stage_title=profile.career_stage.title if profile.career_stage else "",
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
class PageFacts:
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


def chosen_cycle(cycles: list[AssessmentCycle], cycle_id: str) -> AssessmentCycle | None:
    """The cycle whose id is ``cycle_id``, else the default one."""
    return next((c for c in cycles if str(c.pk) == cycle_id), None) or default_cycle(cycles)


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


def page_facts(
    organization: Organization | int, cycle: AssessmentCycle | None, today: date | None = None
) -> PageFacts:
    """Names, stages and thresholds for one page (four queries). Flags of a past cycle are
    judged as of the day it closed."""
    today = today or timezone.localdate()
    as_of = min(today, cycle.closes_on) if cycle is not None else today
    thresholds = FlagThresholds.objects.filter(organization=organization).first()
    return PageFacts(
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


def assessment_infos(queryset: QuerySet[Assessment]) -> list[AssessmentInfo]:
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


def assessment_infos_with_scores(queryset: QuerySet[Assessment]) -> list[AssessmentInfo]:
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
