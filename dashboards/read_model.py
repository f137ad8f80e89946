"""The dashboards' read model: one row per coordinator and cycle (``CoordinatorCycleRow``)
holding the status, the levels a heatmap cell shows, the tenure inputs and the day each flag
starts, so the dashboards filter, sort, page and count in SQL.

The rows are computed from the same facts as the rows a page shows (``row_facts`` below,
which the pages' selectors call too, and the pure ``flags.flag_starts``), and kept in the
transaction of every write that changes them by the handlers below, which
``DashboardsConfig.ready`` subscribes to the events the lower apps publish. ``rebuild``
computes them from scratch (``manage.py rebuild_read_model``): after bulk writes that publish
no event, and for recovery.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, date, timedelta
from functools import cached_property

from django.core.exceptions import ObjectDoesNotExist
from django.db import connection, transaction
from django.db.models import Count, F, Min, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from assessments import events as assessment_events
from assessments.models import (
    Assessment,
    AssessmentCycle,
    CategoryScore,
    FeedbackRequest,
    Rating,
    ReviewSettings,
)
from coordinators import events as coordinator_events
from coordinators.events import DomainEvent
from coordinators.models import CoordinatorProfile, Organization, Team
from coordinators.prepared import Call, Prepared, read_sql, together
from coordinators.school_years import SchoolYear
from dashboards import flags as flag_rules
from dashboards import overview_counts
from dashboards.events import FlagThresholdsChanged
from dashboards.models import CoordinatorCycleRow, CycleSummary, DashboardVersion
from growth import events as growth_events
from growth.cadence import CheckInClock
from growth.models import CareerPosition, CareerStage, MentoringMatch, Support, SupportKind
from growth.selectors import check_in_query, clocks_from
from rubrics.events import RubricPublished
from rubrics.models import Category, CategoryKey, Level, Rubric, RubricVersion
from rubrics.vocabulary import DEFAULT_NAMES, MAX_LEVEL, MIN_LEVEL, Names
from schoolsites.events import AgreementChanged
from schoolsites.models import AgreementState, PartnershipAgreement

# What a row is computed from ------------------------------------------------------------
# The coordinator, their assessments with category scores, and the page's shared facts, as
# plain data; shared with the pages (selectors/), which build their rows from the same facts.

CATEGORY_KEYS = tuple(CategoryKey.values)
FINALIZED = Assessment.State.FINALIZED
SUBMITTED = Assessment.State.SUBMITTED

NOT_STARTED = "not_started"
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
    principal_site: int | None = None
    finalized_at: object = None  # aware datetime or None
    acknowledged_at: object = None  # aware datetime or None
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
            principal_site=self.principal_site,
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


@dataclass
class PageFacts:
    """What every row of one page shares: names, stages, thresholds, the chosen cycle."""

    cycle: AssessmentCycle | None
    as_of: date
    thresholds: flag_rules.Thresholds
    stages: list[CareerStage]
    names_by_version: dict[int, Names]
    # The school year of the chosen cycle (else of the day), and the schools with a signed
    # partnership agreement for it.
    school_year: SchoolYear | None = None
    signed_schools: frozenset[int] = frozenset()
    # The first school year the organization made any agreement for: no year before it is
    # flagged, nor any year of an organization that makes none.
    agreements_since: int | None = None
    # The days within which coordinators acknowledge a finalized review; None when the
    # organization does not ask for acknowledgement.
    acknowledgement_days: int | None = None

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


ASSESSMENT_COLUMNS = (
    "pk",
    "coordinator_id",
    "cycle_id",
    "cycle__name",
    "cycle__opens_on",
    "state",
    "submitted_at",
    "rubric_version_id",
    "principal_site",
    "finalized_at",
    "acknowledged_at",
)
# The principals' School site level of an assessment: where principals of several of its
# schools answered, the lowest (the weakest site is the one a site gap is about).
PRINCIPAL_SITE = Subquery(
    FeedbackRequest.objects.filter(assessment=OuterRef("pk"), site_level__isnull=False)
    .order_by()
    .values("assessment")
    .annotate(lowest=Min("site_level"))
    .values("lowest")[:1]
)
SCORE_COLUMNS = ("category_key", "self_level", "supervisor_level")


def version_names_sql() -> str:
    """The category names (kind 0: version, key, order, name) and level names (kind 1:
    version, None, value, name) of an organization's rubric versions, as SQL taking the
    organization's id twice; order by 1, 2, 4 to read them in the rubric's order."""
    order, key = connection.ops.quote_name("order"), connection.ops.quote_name("key")
    of_organization = (
        f"INNER JOIN {RubricVersion._meta.db_table} v ON x.version_id = v.id "
        f"INNER JOIN {Rubric._meta.db_table} r ON v.rubric_id = r.id WHERE r.organization_id = %s"
    )
    return (
        f"SELECT 0, x.version_id, x.{key}, x.{order}, x.name FROM {Category._meta.db_table} x "
        f"{of_organization} UNION ALL "
        f"SELECT 1, x.version_id, NULL, x.value, x.name FROM {Level._meta.db_table} x "
        f"{of_organization}"
    )


def names_from(rows) -> dict[int, Names]:
    """``Names`` per version from the rows of ``version_names_sql`` (other kinds are left)."""
    categories: dict[int, dict[str, str]] = defaultdict(dict)
    levels: dict[int, dict[int, str]] = defaultdict(dict)
    for kind, version_id, category, number, name in rows:
        if kind == 0:
            categories[version_id][category] = name
        elif kind == 1:
            levels[version_id][number] = name
    return {
        version_id: Names(categories=categories[version_id], levels=levels[version_id])
        for version_id in categories.keys() | levels.keys()
    }


def version_names(organization: Organization | int) -> dict[int, Names]:
    """Category and level names of every rubric version of the organization (one query,
    written as SQL: through the ORM, building the two queries took ten times running them)."""
    organization_id = getattr(organization, "pk", organization)
    with connection.cursor() as cursor:
        read_sql(cursor, f"{version_names_sql()} ORDER BY 1, 2, 4", [organization_id] * 2)
        return names_from(cursor.fetchall())


def assessment_infos(queryset: QuerySet[Assessment]) -> list[AssessmentInfo]:
    """The assessments of ``queryset`` with their category scores, in one query (a left join:
    an assessment without scores yet still comes back). For a few coordinators."""
    return joined_infos_from(joined_infos_query(queryset))


def joined_infos_query(queryset: QuerySet[Assessment]) -> QuerySet:
    score_columns = [f"category_scores__{column}" for column in SCORE_COLUMNS]
    return queryset.annotate(principal_site=PRINCIPAL_SITE).values_list(
        *ASSESSMENT_COLUMNS, *score_columns
    )


def joined_infos_from(rows) -> list[AssessmentInfo]:
    """``AssessmentInfo``s from the rows of ``joined_infos_query``."""
    infos: dict[int, AssessmentInfo] = {}
    for *columns, key, own, supervisor in rows:
        info = infos.get(columns[0])
        if info is None:
            info = infos[columns[0]] = AssessmentInfo(*columns)
        if key is not None:
            info.scores[key] = (own, supervisor)
    return list(infos.values())


def assessment_infos_with_scores(queryset: QuerySet[Assessment]) -> list[AssessmentInfo]:
    """The same in two queries, which is faster than the join for many coordinators when
    ``queryset`` carries a window function."""
    return infos_from(infos_query(queryset), scores_query(queryset))


def infos_query(queryset: QuerySet[Assessment]) -> QuerySet:
    return queryset.annotate(principal_site=PRINCIPAL_SITE).values_list(*ASSESSMENT_COLUMNS)


def scores_query(queryset: QuerySet[Assessment]) -> QuerySet:
    return CategoryScore.objects.filter(assessment__in=queryset.values("pk")).values_list(
        "assessment_id", *SCORE_COLUMNS
    )


def infos_from(rows, score_rows) -> list[AssessmentInfo]:
    """``AssessmentInfo``s from the rows of ``infos_query`` and ``scores_query``."""
    infos = {values[0]: AssessmentInfo(*values) for values in rows}
    for assessment_id, key, own, supervisor in score_rows:
        info = infos.get(assessment_id)
        if info is not None:
            info.scores[key] = (own, supervisor)
    return list(infos.values())


def agreement_facts(schools, context: PageFacts) -> flag_rules.AgreementFacts | None:
    """Which of the coordinator's school sites (``Ref``s) lack a signed agreement for the
    page's school year."""
    since = context.agreements_since
    if context.school_year is None or not schools or since is None:
        return None
    if context.school_year.start_year < since:
        return None
    return flag_rules.AgreementFacts(
        year_label=context.school_year.label,
        year_starts=context.school_year.starts,
        unsigned_schools=tuple(s.name for s in schools if s.pk not in context.signed_schools),
    )


def acknowledgement_days(on: bool | None, days: int | None) -> int | None:
    """The organization's days to acknowledge a review from its settings' columns (None, None
    when it never changed them: the defaults), or None when it does not ask."""
    defaults = ReviewSettings()
    if on is None:
        on, days = defaults.acknowledgement_on, defaults.acknowledgement_overdue_days
    return days if on else None


def acknowledgement_facts(
    this_cycle: AssessmentInfo | None, context: PageFacts
) -> flag_rules.AcknowledgementFacts | None:
    """The chosen cycle's finalized review while the coordinator has not acknowledged it, in
    an organization that asks them to."""
    if (
        context.acknowledgement_days is None
        or this_cycle is None
        or not this_cycle.finalized
        or this_cycle.finalized_at is None
        or this_cycle.acknowledged_at is not None
    ):
        return None
    return flag_rules.AcknowledgementFacts(
        cycle_name=this_cycle.cycle_name,
        finalized_on=timezone.localdate(this_cycle.finalized_at),
        overdue_days=context.acknowledgement_days,
    )


def row_facts(
    person: Person,
    this_cycle: AssessmentInfo | None,
    finalized: list[AssessmentInfo],
    context: PageFacts,
    check_ins: CheckInClock | None = None,
    schools=(),
) -> tuple[list[Cell], flag_rules.CoordinatorFacts]:
    """One coordinator's heatmap cells and the facts their flags read; ``finalized`` is
    oldest first, ``check_ins`` their check-in cadence (None without one), ``schools`` their
    school sites. Shared by the rows a page shows and the read model's rows."""
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
        check_ins=check_ins,
        agreements=agreement_facts(schools, context),
        acknowledgement=acknowledgement_facts(this_cycle, context),
    )
    return cells, facts


def people_and_schools(
    profiles: QuerySet[CoordinatorProfile], ids: QuerySet, *, with_schools: bool = True
) -> tuple[list[Person], dict[int, list[Ref]]]:
    """The coordinators of ``profiles`` and each one's school sites by name (two queries)."""
    people = list(people_query(profiles))
    return people_from(people, schools_query(ids) if people and with_schools else ())


def people_query(profiles: QuerySet[CoordinatorProfile]) -> QuerySet:
    return profiles.values_list(
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


def schools_query(ids: QuerySet) -> QuerySet:
    return (
        CoordinatorProfile.schools.through.objects.filter(coordinatorprofile__in=ids)
        .order_by("school__name", "school_id")
        .values_list("coordinatorprofile_id", "school_id", "school__name")
    )


def people_from(rows, school_rows) -> tuple[list[Person], dict[int, list[Ref]]]:
    """``Person``s and their school sites from the rows of ``people_query`` and
    ``schools_query``."""
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
        for pk, first, last, email, team_id, team_name, stage_id, stage_title, started in rows
    ]
    schools: dict[int, list[Ref]] = defaultdict(list)
    for profile_id, school_id, name in school_rows:
        schools[profile_id].append(ref("school", school_id, name))
    return people, schools


def signed_agreements(
    organization_id: int, year: int | None = None, school_ids: Collection[int] | None = None
) -> dict[int, frozenset[int]]:
    """School year → the schools of the organization with a signed agreement for it (one
    query); of the one school year ``year``, or of the schools ``school_ids``, when given."""
    agreements = PartnershipAgreement.objects.filter(
        school__organization_id=organization_id, state=AgreementState.SIGNED
    ).order_by()
    if year is not None:
        agreements = agreements.filter(school_year=year)
    if school_ids is not None:
        agreements = agreements.filter(school_id__in=list(school_ids))
    return signed_from(agreements.values_list("school_id", "school_year"))


def signed_from(rows) -> dict[int, frozenset[int]]:
    """School year → schools, from rows of (school, school year)."""
    years: dict[int, set[int]] = defaultdict(set)
    for school_id, year in rows:
        years[year].add(school_id)
    return {year: frozenset(ids) for year, ids in years.items()}


def sites_signed_query(profiles, ids) -> QuerySet:
    """The signed agreements (school, school year) of these profiles' school sites."""
    return (
        PartnershipAgreement.objects.filter(
            state=AgreementState.SIGNED,
            school__organization_id__in=profiles.order_by().values("organization_id"),
            school_id__in=CoordinatorProfile.schools.through.objects.filter(
                coordinatorprofile__in=ids
            ).values("school_id"),
        )
        .order_by()
        .values_list("school_id", "school_year")
    )


def agreements_since(organization_id: int) -> int | None:
    """The first school year of any agreement of the organization (one query)."""
    return PartnershipAgreement.objects.filter(school__organization_id=organization_id).aggregate(
        first=Min("school_year")
    )["first"]


# The stored rows -------------------------------------------------------------------------

BATCH = 2000
# The columns compared with a fresh computation: the row's key first.
FIELDS = [
    "coordinator_id",
    "cycle_id",
    *(
        field.attname
        for field in CoordinatorCycleRow._meta.concrete_fields
        if field.attname not in ("id", "coordinator_id", "cycle_id", "written_at")
    ),
]

# While a bulk write holds the read model, refreshes only note the organization; the rows
# are rebuilt once when the hold ends.
_held: ContextVar[set[int] | None] = ContextVar("read_model_held", default=None)


@contextmanager
def held(*organization_ids: int):
    """Around a bulk write (the demo seed, the roster import) inside its transaction: the
    handlers' refreshes wait, and the organizations they touched (and ``organization_ids``)
    are rebuilt once at the end, still inside that transaction."""
    touched: set[int] = set(organization_ids)
    token = _held.set(touched)
    try:
        yield touched
    finally:
        _held.reset(token)
    for organization_id in sorted(touched):
        if coordinators_refresh(organization_id=organization_id):
            version_bump(organization_id=organization_id)


FEW_PEOPLE = 50  # a refresh of this many coordinators reads only their school sites' agreements


# A refresh's reads. Those of the organization, and on every move (one coordinator's rows)
# those of the coordinator, run SQL built once per connection: through the ORM, building
# them took longer than the database took to answer them.
_cycles = Prepared(
    lambda _shape, organization: AssessmentCycle.objects.filter(organization_id=organization),
    "organization",
)
# The organization with its flag thresholds and review settings.
_with_settings = Prepared(
    lambda _shape, pk: Organization.objects.filter(pk=pk).select_related(
        "flag_thresholds", "review_settings"
    ),
    "pk",
)
# The organization's first school year with an agreement (None: no agreement yet).
_since = Prepared(
    lambda _shape, organization: (
        PartnershipAgreement.objects.filter(school__organization_id=organization)
        .values("school__organization_id")
        .annotate(first=Min("school_year"))
        .values_list("first", flat=True)
        .order_by()
    ),
    "organization",
)
# The words of the organization's rubric versions, as ``version_names`` reads them.
_category_names = Prepared(
    lambda _shape, organization: (
        Category.objects.filter(version__rubric__organization_id=organization)
        .order_by("version_id", "order")
        .values_list("version_id", "key", "order", "name")
    ),
    "organization",
)
_level_names = Prepared(
    lambda _shape, organization: (
        Level.objects.filter(version__rubric__organization_id=organization)
        .order_by("version_id", "value")
        .values_list("version_id", "value", "name")
    ),
    "organization",
)
# The organization's career stages in order (the growth panel reads them too).
stages_read = Prepared(
    lambda _shape, organization: CareerStage.objects.filter(organization_id=organization).order_by(
        "order"
    ),
    "organization",
)


class _Reads:
    """Where ``_rows_for`` reads the coordinators of ``profiles``: through the ORM, or for one
    coordinator, ``coordinator_id``, through the ``Prepared`` reads, all of them (the
    organization's too) in one round trip."""

    def __init__(
        self,
        organization_id: int,
        profiles,
        coordinator_id: int | None = None,
        stored: Call | None = None,
    ):
        self.organization_id = organization_id
        self.profiles = profiles
        self.coordinator_id = coordinator_id
        self.read: dict = {}
        if coordinator_id is not None:
            # Those of a finalized assessment too: for one coordinator, reading them with the
            # rest costs less than another round trip when they are needed.
            theirs = _COORDINATOR_READS
            values = {"coordinator": coordinator_id, "organization": organization_id}
            got = together(
                _cycles.call(organization=organization_id),
                _with_settings.call(first=True, pk=organization_id),
                stages_read.call(organization=organization_id),
                _since.call(first=True, organization=organization_id),
                _category_names.call(organization=organization_id),
                _level_names.call(organization=organization_id),
                *(read.prepared.call(**values) for read in theirs),
                *([stored] if stored else []),
            )
            self.read = {
                "organization": tuple(got[:3]),
                "since": got[3],
                "names": names_from(
                    [(0, version, key, order, name) for version, key, order, name in got[4]]
                    + [(1, version, None, value, name) for version, value, name in got[5]]
                ),
                **dict(zip(theirs, got[6:], strict=False)),
                "stored": got[-1] if stored else None,
            }

    def names(self) -> dict[int, Names]:
        """The category and level names of the organization's rubric versions."""
        if "names" in self.read:
            return self.read["names"]
        return version_names(self.organization_id)

    def agreements(self, people: list, schools: dict) -> tuple[dict, int | None]:
        """The signed agreements of the people's school sites by school year (of the whole
        organization's for many people), and the organization's first school year with any."""
        if "since" in self.read:
            return signed_from(self.read[_SIGNED]), self.read["since"]
        signed = signed_agreements(
            self.organization_id,
            school_ids={ref.pk for refs in schools.values() for ref in refs}
            if len(people) <= FEW_PEOPLE
            else None,
        )
        return signed, agreements_since(self.organization_id)

    @cached_property
    def ids(self) -> QuerySet:
        return self.profiles.order_by().values("pk")

    def organization(self) -> tuple[list, Organization | None, list]:
        """The organization's cycles, the organization with its settings, its career stages."""
        if "organization" in self.read:
            return self.read["organization"]
        organization_id = self.organization_id
        return (
            _cycles.all(organization=organization_id),
            _with_settings.first(pk=organization_id),
            stages_read.all(organization=organization_id),
        )

    def rows(self, read: _CoordinatorsRead) -> list:
        if read in self.read:
            return self.read[read]
        return list(read.build(self.profiles, self.ids))


class _CoordinatorsRead:
    """A read of some coordinators, written once as ``build(profiles, ids)``, with its
    ``Prepared`` twin for one coordinator, whose profiles are those ``coordinators_refresh``
    reads for them."""

    def __init__(self, build: Callable):
        self.build = build

        def built(_shape, coordinator: int, organization: int):
            profiles = CoordinatorProfile.objects.filter(organization_id=organization).filter(
                pk__in=[coordinator]
            )
            return build(profiles, profiles.order_by().values("pk"))

        self.prepared = Prepared(built, "coordinator", "organization")


_PEOPLE = _CoordinatorsRead(lambda profiles, ids: people_query(profiles))
_SCHOOLS = _CoordinatorsRead(lambda profiles, ids: schools_query(ids))
# Many coordinators' assessments and scores in two queries; one coordinator's (a move) in one.
_INFOS = _CoordinatorsRead(
    lambda profiles, ids: infos_query(Assessment.objects.filter(coordinator__in=ids))
)
_SCORES = _CoordinatorsRead(
    lambda profiles, ids: scores_query(Assessment.objects.filter(coordinator__in=ids))
)
_JOINED_INFOS = _CoordinatorsRead(
    lambda profiles, ids: joined_infos_query(Assessment.objects.filter(coordinator__in=ids))
)
_CLOCKS = _CoordinatorsRead(lambda profiles, ids: check_in_query(ids))
_SIGNED = _CoordinatorsRead(sites_signed_query)


# Read only once the coordinator's assessment of the refreshed cycle is finalized.
_RATINGS = _CoordinatorsRead(lambda profiles, ids: finalized_ratings_query(ids))
_TEAMS = _CoordinatorsRead(lambda profiles, ids: review_teams_query(ids))
_SUPPORTS = _CoordinatorsRead(lambda profiles, ids: SupportsHad.supports_query(ids))
_MATCHES = _CoordinatorsRead(lambda profiles, ids: SupportsHad.matches_query(ids))
# What a move reads of its coordinator (``_Reads``).
_COORDINATOR_READS = (
    _PEOPLE,
    _SCHOOLS,
    _JOINED_INFOS,
    _RATINGS,
    _TEAMS,
    _SUPPORTS,
    _MATCHES,
    _CLOCKS,
    _SIGNED,
)


def _rows_for(
    organization_id: int,
    profiles,
    cycle_ids: Collection[int] | None = None,
    coordinator_id: int | None = None,
    reads: _Reads | None = None,
) -> list[CoordinatorCycleRow]:
    """The read-model rows of ``profiles`` (a queryset of one organization's profiles) for
    every cycle of the organization (of ``cycle_ids`` when given), computed in a fixed
    number of queries. ``coordinator_id``: ``profiles`` is that one coordinator's; ``reads``:
    where they are read (made here when not given)."""
    reads = reads or _Reads(organization_id, profiles, coordinator_id)
    cycles, organization, stages = reads.organization()
    shown_cycles = [c for c in cycles if cycle_ids is None or c.pk in cycle_ids]
    if not shown_cycles:
        return []
    people = reads.rows(_PEOPLE)
    if not people:
        return []
    people, schools = people_from(people, reads.rows(_SCHOOLS))
    # The organization with its flag thresholds and review settings, one row each at most.
    if organization is None:
        raise Organization.DoesNotExist(organization_id)
    thresholds = flag_rules.Thresholds.from_row(_settings(organization, "flag_thresholds"))
    # A move refreshes one coordinator: the agreements of their sites, not the organization's.
    signed, since = reads.agreements(people, schools)
    review = _settings(organization, "review_settings")
    days = acknowledgement_days(
        review.acknowledgement_on if review else None,
        review.acknowledgement_overdue_days if review else None,
    )
    window = max(thresholds.stalled_cycles, 2)
    by_coordinator: dict[int, list[AssessmentInfo]] = defaultdict(list)
    if coordinator_id is not None:
        infos = joined_infos_from(reads.rows(_JOINED_INFOS))
    else:
        infos = infos_from(reads.rows(_INFOS), reads.rows(_SCORES))
    for info in infos:
        by_coordinator[info.coordinator_id].append(info)
    # A row reads its ratings' counts, its review's team and the supports had after it only
    # when its own cycle's assessment is finalized: a submit or a return has none to read.
    if any(
        info.finalized and (cycle_ids is None or info.cycle_id in cycle_ids)
        for infos in by_coordinator.values()
        for info in infos
    ):
        ratings = {pk: (total, bare) for pk, total, bare in reads.rows(_RATINGS)}
        teams = {pk: (team, director) for pk, team, director in reads.rows(_TEAMS)}
        had = SupportsHad.from_rows(reads.rows(_SUPPORTS), reads.rows(_MATCHES))
    else:
        ratings, teams, had = {}, {}, SupportsHad({}, {})
    clocks = clocks_from(reads.rows(_CLOCKS))
    # The flags' starts and words do not depend on the day, so one set of page facts per
    # cycle serves every row (``as_of`` is left at the cycle's close).
    names = reads.names()
    contexts = [
        PageFacts(
            cycle=cycle,
            as_of=cycle.closes_on,
            thresholds=thresholds,
            stages=stages,
            names_by_version=names,
            school_year=organization.school_year_of(cycle.opens_on),
            agreements_since=since,
            acknowledgement_days=days,
            signed_schools=signed.get(
                organization.school_year_of(cycle.opens_on).start_year, frozenset()
            ),
        )
        for cycle in shown_cycles
    ]
    rows = []
    for person in people:
        infos = by_coordinator.get(person.pk, [])
        finalized = sorted((i for i in infos if i.finalized), key=lambda i: (i.opens_on, i.pk))
        this_cycle = {info.cycle_id: info for info in infos}
        # The next finalized cycle after each finalized one, in the reports' order of cycles.
        in_order = sorted(finalized, key=lambda i: (i.opens_on, i.cycle_id))
        following = dict(zip((i.cycle_id for i in in_order), in_order[1:], strict=False))
        for context in contexts:
            cycle = context.cycle
            mine = this_cycle.get(cycle.pk)
            upto = [i for i in finalized if i.opens_on <= cycle.opens_on][-window:]
            cells, facts = row_facts(
                person, mine, upto, context, clocks.get(person.pk), schools.get(person.pk, ())
            )
            shown = upto[-1] if upto else (mine if mine and mine.state == "submitted" else None)
            starts = flag_rules.flag_starts(facts, thresholds)
            words = flag_rules.flag_words(facts, thresholds)
            after = following.get(cycle.pk) if mine and mine.finalized else None
            later = after.category_levels(context.names(after.rubric_version_id)) if after else None
            rows.append(
                CoordinatorCycleRow(
                    organization_id=organization_id,
                    coordinator_id=person.pk,
                    cycle_id=cycle.pk,
                    status=mine.state if mine else NOT_STARTED,
                    assessment_id=mine.pk if mine else None,
                    **{f"level_{cell.key}": cell.value for cell in cells},
                    levels_reviewed=bool(shown and shown.finalized),
                    levels_cycle_id=shown.cycle_id if shown else None,
                    levels_version_id=shown.rubric_version_id if shown else None,
                    rubric_version_id=mine.rubric_version_id if mine else None,
                    role_start_date=person.role_start_date,
                    career_stage_id=person.career_stage_id,
                    sort_last_name=person.last_name.lower(),
                    sort_first_name=person.first_name.lower(),
                    next_finalized_opens_on=after.opens_on if after else None,
                    **{
                        f"next_level_{key}": later.level(key) if later else None
                        for key in CATEGORY_KEYS
                    },
                    **reviewed_columns(mine, ratings),
                    review_team_id=teams.get(mine.pk, (None, None))[0] if mine else None,
                    review_director_id=teams.get(mine.pk, (None, None))[1] if mine else None,
                    support_groups=had.during(person.pk, cycle.opens_on, after.opens_on)
                    if after
                    else "",
                    **{f"{code}_from": day for code, day in starts.items()},
                    flag_words={code: w.as_json() for code, w in words.items()},
                )
            )
    return rows


def _settings(organization: Organization, name: str):
    """The organization's settings row read with it (``select_related``), or None when it has
    none (the defaults)."""
    try:
        return getattr(organization, name)
    except ObjectDoesNotExist:
        return None


def finalized_ratings_query(profile_ids) -> QuerySet:
    """Per finalized assessment of these profiles: its ratings, and those with neither
    evidence from the coordinator nor a note from the supervisor (one query)."""
    return (
        Rating.objects.filter(assessment__coordinator__in=profile_ids, assessment__state=FINALIZED)
        .values_list("assessment_id")
        .annotate(
            total=Count("pk"), bare=Count("pk", filter=Q(self_evidence="", supervisor_note=""))
        )
        .order_by()
    )


def reviewed_columns(mine: AssessmentInfo | None, ratings: dict) -> dict:
    """A row's columns of its cycle's assessment once finalized (calibration reads them):
    the supervisor and self level per category, the counts of ``finalized_ratings_query`` and how
    long its review took."""
    reviewed = mine is not None and mine.finalized
    total, bare = ratings.get(mine.pk, (0, 0)) if reviewed else (0, 0)
    took = None
    if reviewed and mine.submitted_at and mine.finalized_at:
        took = (mine.finalized_at - mine.submitted_at) // timedelta(microseconds=1)
    columns = {"ratings": total, "ratings_bare": bare, "review_microseconds": took}
    for key in CATEGORY_KEYS:
        own, supervisor = mine.scores.get(key, (None, None)) if reviewed else (None, None)
        columns[f"self_level_{key}"] = own
        columns[f"supervisor_level_{key}"] = supervisor
    return columns


def review_teams_query(profile_ids) -> QuerySet:
    """Per finalized assessment of these profiles: its team and that team's director (one
    query); calibration groups the rows by them."""
    return Assessment.objects.filter(coordinator__in=profile_ids, state=FINALIZED).values_list(
        "pk", "team_id", "team__director_id"
    )


@dataclass
class SupportsHad:
    """Each coordinator's supports, as the impact report counts them (the day each counts on:
    a course's, event's or network's first day, else the day it was recorded, in UTC; and the
    groups it counts under, its kind and its catalogue entry), and their mentoring matches
    (a mentoring support counts through its match): what ``impact.had`` asks the database,
    here for a row to keep."""

    supports: dict[int, list[tuple[date, tuple[str, ...]]]]
    matches: dict[int, list[tuple[date, date | None]]]

    @staticmethod
    def supports_query(profile_ids) -> QuerySet:
        return (
            Support.objects.filter(coordinator__in=profile_ids)
            .exclude(kind=SupportKind.MENTORING)
            .values_list("coordinator_id", "kind", "catalog_entry_id", "starts_on", "created_at")
        )

    @staticmethod
    def matches_query(profile_ids) -> QuerySet:
        return MentoringMatch.objects.filter(mentee__in=profile_ids).values_list(
            "mentee_id", "starts_on", "ends_on"
        )

    @classmethod
    def from_rows(cls, support_rows, match_rows) -> SupportsHad:
        """From the rows of ``supports_query`` and ``matches_query``."""
        supports: dict[int, list] = defaultdict(list)
        for coordinator_id, kind, entry_id, starts_on, created_at in support_rows:
            day = starts_on or created_at.astimezone(UTC).date()
            groups = (f"kind:{kind}",) + ((f"entry:{entry_id}",) if entry_id else ())
            supports[coordinator_id].append((day, groups))
        matches: dict[int, list] = defaultdict(list)
        for mentee_id, starts_on, ends_on in match_rows:
            matches[mentee_id].append((starts_on, ends_on))
        return cls(supports, matches)

    def during(self, coordinator_id: int, first: date, before: date) -> str:
        """The groups the coordinator had on some day from ``first`` up to the day before
        ``before``, each between commas (the row's ``support_groups``)."""
        had = {
            group
            for day, groups in self.supports.get(coordinator_id, ())
            if first <= day < before
            for group in groups
        }
        if any(
            starts_on < before and (ends_on is None or ends_on >= first)
            for starts_on, ends_on in self.matches.get(coordinator_id, ())
        ):
            had.add(f"kind:{SupportKind.MENTORING}")
        return f",{','.join(sorted(had))}," if had else ""


def _stored_query(organization_id, coordinator_ids, cycle_ids) -> QuerySet:
    stored = CoordinatorCycleRow.objects.filter(organization_id=organization_id)
    if coordinator_ids is not None:
        stored = stored.filter(coordinator_id__in=list(coordinator_ids))
    if cycle_ids is not None:
        stored = stored.filter(cycle_id__in=list(cycle_ids))
    return stored.values_list("pk", *FIELDS)


# A move's stored rows: one coordinator's, of every cycle or of one.
_stored_of_one = Prepared(
    lambda one_cycle, coordinator, organization, cycle: _stored_query(
        organization, [coordinator], [cycle] if one_cycle else None
    ),
    "coordinator",
    "organization",
    "cycle",
    shapes=(False, True),
)


def _stored_of(organization_id, cycle_ids, one: int) -> Call | None:
    """The read of the coordinator ``one``'s stored rows (``pk`` and ``FIELDS``) of every
    cycle or of one; None for several cycles."""
    if cycle_ids is not None and len(cycle_ids) != 1:
        return None
    cycle = next(iter(cycle_ids)) if cycle_ids is not None else 0
    return _stored_of_one.call(
        shape=cycle_ids is not None, coordinator=one, organization=organization_id, cycle=cycle
    )


@transaction.atomic
def review_directors_refresh(*, organization_id: int) -> int:
    """A team was given another director (or none): the finalized rows of its reviews name
    the director now, as a rebuild would (one query, and one write per team whose rows name
    another). Returns how many rows were written."""
    waiting = _held.get()
    if waiting is not None:
        waiting.add(organization_id)
        return 0
    directors = dict(
        Team.objects.filter(organization_id=organization_id).values_list("pk", "director_id")
    )
    rows = CoordinatorCycleRow.objects.filter(
        organization_id=organization_id, status=FINALIZED, review_team_id__isnull=False
    )
    written = 0
    for team_id, director_id in (
        rows.order_by().values_list("review_team_id", "review_director_id").distinct()
    ):
        if directors.get(team_id) != director_id:
            written += rows.filter(review_team_id=team_id).update(
                review_director_id=directors.get(team_id), written_at=timezone.now()
            )
    return written


# Without a savepoint of its own: inside a move's transaction an error here undoes the move
# too, and the two round trips were a part of every move.
@transaction.atomic(savepoint=False)
def coordinators_refresh(
    *,
    organization_id: int,
    coordinator_ids: Collection[int] | None = None,
    cycle_ids: Collection[int] | None = None,
) -> int:
    """Compute again the rows of these coordinators (every one of the organization when
    None), of these cycles (every one when None), and write only what differs from what is
    stored; returns how many rows were written."""
    waiting = _held.get()
    if waiting is not None:
        waiting.add(organization_id)
        return 0
    profiles = CoordinatorProfile.objects.filter(organization_id=organization_id)
    if coordinator_ids is not None:
        profiles = profiles.filter(pk__in=list(coordinator_ids))
    one = next(iter(coordinator_ids)) if coordinator_ids and len(coordinator_ids) == 1 else None
    # A move's: read with the rest of its coordinator's rows, in one round trip.
    stored = _stored_of(organization_id, cycle_ids, one) if one is not None else None
    reads = _Reads(organization_id, profiles, one, stored=stored)
    computed = {
        (row.coordinator_id, row.cycle_id): row
        for row in _rows_for(organization_id, profiles, cycle_ids, coordinator_id=one, reads=reads)
    }
    if stored is None:
        stored_rows = list(_stored_query(organization_id, coordinator_ids, cycle_ids))
    else:
        stored_rows = reads.read["stored"]  # read with the rest (``_Reads``)
    stale, replaced = [], []
    changed_cycles: set[int] = set()
    for pk, *values in stored_rows:
        row = computed.get((values[0], values[1]))
        if row is not None and tuple(getattr(row, name) for name in FIELDS) == tuple(values):
            del computed[(values[0], values[1])]  # already stored as computed
        else:
            if row is None:
                stale.append(pk)  # no longer computed: deleted; a changed row is written over
            replaced.append(dict(zip(FIELDS, values, strict=True)))
            changed_cycles.add(values[1])
    for start in range(0, len(stale), BATCH):
        CoordinatorCycleRow.objects.filter(pk__in=stale[start : start + BATCH]).delete()
    # One statement writes the new rows and writes over the changed ones (a move: one round
    # trip where deleting then inserting took two).
    CoordinatorCycleRow.objects.bulk_create(
        computed.values(),
        batch_size=BATCH,
        update_conflicts=True,
        unique_fields=["coordinator", "cycle"],
        update_fields=[*FIELDS[2:], "written_at"],
    )
    changed_cycles.update(cycle_id for _coordinator_id, cycle_id in computed)
    if changed_cycles and coordinator_ids is None:
        summaries_refresh(organization_id=organization_id, cycle_ids=changed_cycles)
    elif changed_cycles:
        summaries_adjust(
            organization_id=organization_id,
            removed=replaced,
            added=[{name: getattr(row, name) for name in FIELDS} for row in computed.values()],
        )
    overview_counts.rows_changed(
        organization_id=organization_id,
        cycle_ids=changed_cycles,
        every_coordinator=coordinator_ids is None,
    )
    return len(computed)


# Each cycle's counts for the trend ---------------------------------------------------------

LEVEL_VALUES = range(MIN_LEVEL, MAX_LEVEL + 1)
LEVEL_COUNTS = [(key, value) for key in CATEGORY_KEYS for value in LEVEL_VALUES]


def cycle_counts(rows: QuerySet[CoordinatorCycleRow]) -> dict[int, dict]:
    """Per cycle of ``rows``, what ``CycleSummary.counts`` holds: the assessments per state and
    rubric version, and the finalized ones per level of each category, the supervisor's level
    else the self level (a finalized row's levels are its own cycle's). One query."""
    finalized_here = Q(status=FINALIZED, levels_cycle_id=F("cycle_id"))
    per_level = {
        f"at_{key}_{value}": Count("pk", filter=finalized_here & Q(**{f"level_{key}": value}))
        for key, value in LEVEL_COUNTS
    }
    counts: dict[int, dict] = {}
    for cycle_id, status, version_id, assessments, *at_level in (
        rows.exclude(status=NOT_STARTED)
        .order_by()
        .values_list("cycle_id", "status", "rubric_version_id")
        .annotate(assessments=Count("pk"), **per_level)
    ):
        summary = counts.setdefault(cycle_id, {"states": [], "levels": {}})
        summary["states"].append([status, version_id, assessments])
        for (key, value), count in zip(LEVEL_COUNTS, at_level, strict=True):
            if count:
                levels = summary["levels"].setdefault(key, {})
                levels[str(value)] = levels.get(str(value), 0) + count
    for summary in counts.values():
        summary["states"].sort(key=lambda item: (item[0], item[1] or 0))
    return counts


def _trend_part(row: dict) -> list[tuple]:
    """What one read-model row (its ``FIELDS`` by name) adds to its cycle's trend counts, as
    ``cycle_counts`` counts it: its state and rubric version, and once finalized in its own
    cycle, its level of each category."""
    if row["status"] == NOT_STARTED:
        return []
    parts = [("state", row["status"], row["rubric_version_id"])]
    if row["status"] == FINALIZED and row["levels_cycle_id"] == row["cycle_id"]:
        parts.extend(
            ("level", key, row[f"level_{key}"])
            for key in CATEGORY_KEYS
            if row[f"level_{key}"] in LEVEL_VALUES
        )
    return parts


def summaries_adjust(*, organization_id: int, removed: list[dict], added: list[dict]) -> None:
    """Move the kept trend counts by what a few coordinators' rows changed: the ``removed``
    rows' parts out, the ``added`` rows' in. Counting a cycle's rows again is work per person
    in the organization, on every submit and finalize; this is work per changed row. The
    kept rows are locked first, so two moves in one cycle add up rather than overwrite each
    other; a cycle without kept counts yet is counted."""
    delta: dict[int, dict[tuple, int]] = defaultdict(lambda: defaultdict(int))
    for sign, rows in ((-1, removed), (1, added)):
        for row in rows:
            for part in _trend_part(row):
                delta[row["cycle_id"]][part] += sign
    moved = sorted(cycle_id for cycle_id, parts in delta.items() if any(parts.values()))
    if not moved:
        return
    kept = {
        summary.cycle_id: summary
        for summary in CycleSummary.objects.select_for_update().filter(cycle_id__in=moved)
    }
    if missing := [cycle_id for cycle_id in moved if cycle_id not in kept]:
        summaries_refresh(organization_id=organization_id, cycle_ids=missing)
    for cycle_id, summary in kept.items():
        states = {(state, version): n for state, version, n in summary.counts.get("states", [])}
        levels = {key: dict(values) for key, values in summary.counts.get("levels", {}).items()}
        for part, change in delta[cycle_id].items():
            if part[0] == "state":
                states[part[1:]] = states.get(part[1:], 0) + change
            else:
                per_level = levels.setdefault(part[1], {})
                per_level[str(part[2])] = per_level.get(str(part[2]), 0) + change
        summary.counts = {
            "states": sorted(
                ([state, version, n] for (state, version), n in states.items() if n),
                key=lambda item: (item[0], item[1] or 0),
            ),
            "levels": {
                key: {value: n for value, n in per_level.items() if n}
                for key, per_level in levels.items()
                if any(per_level.values())
            },
        }
        summary.save(update_fields=["counts"])


@transaction.atomic
def summaries_refresh(*, organization_id: int, cycle_ids: Collection[int] | None = None) -> None:
    """Count again the trend of these cycles (every cycle of the organization when None) from
    their read-model rows, and store the counts that differ. The kept rows are locked before
    counting, as ``summaries_adjust`` locks them: a move adjusting them meanwhile either
    commits first, and is counted, or waits and adjusts this count."""
    cycles = AssessmentCycle.objects.filter(organization_id=organization_id)
    if cycle_ids is not None:
        cycles = cycles.filter(pk__in=list(cycle_ids))
    ids = list(cycles.values_list("pk", flat=True))
    stored = dict(
        CycleSummary.objects.select_for_update()
        .filter(cycle_id__in=ids)
        .values_list("cycle_id", "counts")
    )
    computed = cycle_counts(
        CoordinatorCycleRow.objects.filter(organization_id=organization_id, cycle_id__in=ids)
    )
    for cycle_id in ids:
        counts = computed.get(cycle_id, {"states": [], "levels": {}})
        if stored.get(cycle_id) != counts:
            CycleSummary.objects.update_or_create(
                cycle_id=cycle_id, defaults={"organization_id": organization_id, "counts": counts}
            )


def rebuild(*, organization_id: int | None = None) -> int:
    """The read model from scratch: of one organization, or of every one."""
    organizations = Organization.objects.order_by("pk").values_list("pk", flat=True)
    if organization_id is not None:
        organizations = organizations.filter(pk=organization_id)
    written = 0
    for pk in organizations:
        written += coordinators_refresh(organization_id=pk)
        summaries_refresh(organization_id=pk)
        overview_counts.counts_refresh(organization_id=pk)
        version_bump(organization_id=pk)
    return written


def rebuild_missing(**_signal) -> None:
    """After ``migrate``: an organization with cycles but no rows yet (a database made before
    the read model existed) gets its rows, so its dashboards show what they showed before."""
    with_cycles = set(AssessmentCycle.objects.values_list("organization_id", flat=True))
    with_rows = set(CoordinatorCycleRow.objects.values_list("organization_id", flat=True))
    for organization_id in sorted(with_cycles - with_rows):
        coordinators_refresh(organization_id=organization_id)
    with_summaries = set(CycleSummary.objects.values_list("organization_id", flat=True))
    for organization_id in sorted(with_cycles - with_summaries):
        summaries_refresh(organization_id=organization_id)


def version_bump(*, organization_id: int) -> None:
    """Move the organization's dashboard version on (the fragment cache keys on it)."""
    if DashboardVersion.objects.filter(organization_id=organization_id).update(
        version=F("version") + 1
    ):
        return
    if Organization.objects.filter(pk=organization_id).exists():
        DashboardVersion.objects.get_or_create(organization_id=organization_id)
        DashboardVersion.objects.filter(organization_id=organization_id).update(
            version=F("version") + 1
        )


def version_of(organization_id: int) -> int:
    """The organization's dashboard version (one query, written as SQL: it is read on every
    dashboard request, cache hits included, where building it through the ORM cost more than
    the rest of the hit's queries)."""
    with connection.cursor() as cursor:
        read_sql(
            cursor,
            f"SELECT {connection.ops.quote_name('version')} "
            f"FROM {DashboardVersion._meta.db_table} WHERE organization_id = %s",
            [organization_id],
        )
        row = cursor.fetchone()
    return row[0] if row else 0


# Handlers --------------------------------------------------------------------------------


# The kinds of write that change something the team dashboard or the overview shows beyond
# the read model's rows (names, teams, goals due, rubric words), or that make rows. An
# assessment's move changes only its coordinator's rows: it moves the version on when it
# changed a row (``on_assessment_changed``), so a draft's background saves keep the cache.
SHOWN_CHANGES = (
    assessment_events.AssessmentsCreated,
    assessment_events.CycleChanged,
    coordinator_events.CoordinatorProfileChanged,
    coordinator_events.OrganizationStructureChanged,
    growth_events.CoordinatorGrowthChanged,
    growth_events.CareerStagesChanged,
    growth_events.CheckInCadenceChanged,
    assessment_events.ReviewSettingsChanged,
    FlagThresholdsChanged,
    RubricPublished,
    coordinator_events.SchoolYearStartChanged,
)


def on_any_event(event: DomainEvent) -> None:
    """Each of ``SHOWN_CHANGES`` moves its organization's dashboard version on."""
    version_bump(organization_id=event.organization_id)


def on_coordinator_changed(event) -> None:
    """A person's profile or career position changed: their rows."""
    coordinators_refresh(
        organization_id=event.organization_id, coordinator_ids=[event.coordinator_id]
    )


def on_many_supports_changed(received: list) -> None:
    """Supports of many coordinators changed at once (a catalogue entry removed): each
    organization's coordinators' rows in one refresh."""
    by_organization: dict[int, set[int]] = defaultdict(set)
    for event in received:
        by_organization[event.organization_id].add(event.coordinator_id)
    for organization_id, coordinator_ids in by_organization.items():
        coordinators_refresh(organization_id=organization_id, coordinator_ids=coordinator_ids)


def on_structure_changed(event: coordinator_events.OrganizationStructureChanged) -> None:
    """A team was made, renamed or given a director: the directors the finalized rows keep."""
    review_directors_refresh(organization_id=event.organization_id)


def on_assessment_changed(event: assessment_events.AssessmentChanged) -> None:
    """An assessment moved or was saved: its coordinator's rows, and the dashboard version
    when any of them changed."""
    on_many_assessments_changed([event])


# The moves that change no row. A save changes the levels and words of a draft or returned
# assessment (the coordinator's) or the supervisor's side of one in review (the director's);
# a row reads an assessment's state and dates, and its levels only once submitted (the self
# levels, which no one changes from then on) or finalized. So the matrix's background saves
# and "Save draft", the most frequent writes, skip the refresh (the state machine of
# tests/dashboards/test_read_model.py saves without moving to check it); a rule that reads a
# draft's levels, or the supervisor's before the review is finalized, takes a save out of here.
ROWS_UNCHANGED = (assessment_events.AssessmentRatingsSaved,)

# The moves that change only the row of their own cycle: the state, dates and flags of an
# assessment that is not finalized by them, or the acknowledgement of one that is. A row of
# another cycle reads an assessment of this one only once it is finalized (the levels shown
# and the history after it), which no move here changes. Finalizing and the principal's
# feedback change later cycles' rows too and refresh every cycle of the coordinator.
ONE_CYCLE = (
    assessment_events.AssessmentSubmitted,
    assessment_events.AssessmentRecalled,
    assessment_events.AssessmentReturned,
    assessment_events.AssessmentAcknowledged,
)


def on_many_assessments_changed(received: list) -> None:
    """The same for a bulk write's events: each coordinator's rows once, of the one cycle
    their moves changed when each of them is ``ONE_CYCLE``."""
    by_organization: dict[int, dict[int, set[int] | None]] = defaultdict(dict)
    for event in received:
        if isinstance(event, ROWS_UNCHANGED):
            continue
        cycles = by_organization[event.organization_id]
        if not isinstance(event, ONE_CYCLE):
            cycles[event.coordinator_id] = None  # every cycle
        elif cycles.get(event.coordinator_id, set()) is not None:
            cycles.setdefault(event.coordinator_id, set()).add(event.cycle_id)
    for organization_id, cycles in by_organization.items():
        written = 0
        every_cycle = [pk for pk, ids in cycles.items() if ids is None]
        if every_cycle:
            written += coordinators_refresh(
                organization_id=organization_id, coordinator_ids=every_cycle
            )
        by_cycles: dict[frozenset[int], list[int]] = defaultdict(list)
        for coordinator_id, ids in cycles.items():
            if ids is not None:
                by_cycles[frozenset(ids)].append(coordinator_id)
        for ids, coordinator_ids in by_cycles.items():
            written += coordinators_refresh(
                organization_id=organization_id, coordinator_ids=coordinator_ids, cycle_ids=ids
            )
        if written:
            version_bump(organization_id=organization_id)


def on_assessments_created(event: assessment_events.AssessmentsCreated) -> None:
    coordinators = set(
        Assessment.objects.filter(pk__in=event.assessment_ids).values_list(
            "coordinator_id", flat=True
        )
    )
    coordinators_refresh(organization_id=event.organization_id, coordinator_ids=coordinators)


def on_organization_changed(event) -> None:
    """A cycle, the career stages or the thresholds changed: every row of the organization."""
    coordinators_refresh(organization_id=event.organization_id)


def on_agreement_changed(event: AgreementChanged) -> None:
    """An agreement changed: the rows of the coordinators placed at its school; every row of
    the organization when it is of the first school year of its agreements (which decides
    from which year on the no-signed-agreement flag is raised)."""
    if agreements_since(event.organization_id) == event.school_year:
        coordinator_ids = None
    else:
        coordinator_ids = list(
            CoordinatorProfile.objects.filter(
                organization_id=event.organization_id, schools=event.school_id
            ).values_list("pk", flat=True)
        )
        if not coordinator_ids:
            return
    if coordinators_refresh(organization_id=event.organization_id, coordinator_ids=coordinator_ids):
        version_bump(organization_id=event.organization_id)


def on_many_events(received: list[DomainEvent]) -> None:
    for organization_id in dict.fromkeys(event.organization_id for event in received):
        version_bump(organization_id=organization_id)


def subscribe() -> None:
    """Called once from ``DashboardsConfig.ready``."""
    for shown in SHOWN_CHANGES:
        coordinator_events.subscribe(shown, on_any_event, batch=on_many_events)
    coordinator_events.subscribe(
        assessment_events.AssessmentChanged,
        on_assessment_changed,
        batch=on_many_assessments_changed,
    )
    # A principal's answer moves the School site level the site flags read (and the
    # school-and-coordinator flag); a request sent or revoked changes no row, but is heard
    # the same way so that a rule reading them later needs no new wiring.
    coordinator_events.subscribe(
        assessment_events.PrincipalFeedbackChanged,
        on_assessment_changed,
        batch=on_many_assessments_changed,
    )
    coordinator_events.subscribe(assessment_events.AssessmentsCreated, on_assessments_created)
    coordinator_events.subscribe(assessment_events.CycleSaved, on_organization_changed)
    coordinator_events.subscribe(
        coordinator_events.CoordinatorProfileChanged, on_coordinator_changed
    )
    coordinator_events.subscribe(growth_events.CareerPositionChanged, on_coordinator_changed)
    coordinator_events.subscribe(growth_events.CheckInsChanged, on_coordinator_changed)
    # The support groups a finalized row keeps for the impact report.
    coordinator_events.subscribe(
        growth_events.SupportsChanged, on_coordinator_changed, batch=on_many_supports_changed
    )
    coordinator_events.subscribe(growth_events.MentoringChanged, on_coordinator_changed)
    coordinator_events.subscribe(
        coordinator_events.OrganizationStructureChanged, on_structure_changed
    )
    coordinator_events.subscribe(growth_events.CheckInCadenceChanged, on_organization_changed)
    coordinator_events.subscribe(growth_events.CareerStagesChanged, on_organization_changed)
    coordinator_events.subscribe(FlagThresholdsChanged, on_organization_changed)
    # Acknowledgement turned on or off, or its days changed: every row's review flag.
    coordinator_events.subscribe(assessment_events.ReviewSettingsChanged, on_organization_changed)
    coordinator_events.subscribe(AgreementChanged, on_agreement_changed)
    coordinator_events.subscribe(coordinator_events.SchoolYearStartChanged, on_organization_changed)
