"""A school's page and the organization's schools view: who coordinated at each school and
when, the School site levels over the years from every assessment made there, its
partnership agreements and the flags raised there.

Each level comes from a series of views of the School site category: the coordinator's
(self), the supervisor's (once finalized) and the principal's of that school (from their
answer to a feedback request). A series is one entry of ``SERIES`` and a function of the
assessments' ids and the school that returns their levels; the chart and the table follow.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.paginator import Paginator
from django.db.models import Count, Max, Min, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Lower
from django.utils import timezone

from assessments.models import Assessment, CategoryScore, FeedbackRequest
from coordinators.models import CoordinatorProfile, Organization, School
from coordinators.school_years import SchoolYear
from dashboards import charts
from dashboards import flags as flag_rules
from dashboards.models import CoordinatorCycleRow
from dashboards.selectors.common import (
    DashboardRow,
    PageFacts,
    default_cycle,
    organization_cycles,
    page_facts,
    version_names,
)
from dashboards.selectors.team import STARTS, STORED_COLUMNS, stored_rows
from rubrics.vocabulary import DEFAULT_NAMES, MAX_LEVEL, SITE, Names
from schoolsites.models import AgreementState, PartnershipAgreement, PrincipalContact
from schoolsites.selectors import review_words

TURNOVER_YEARS = 5
SCHOOLS_PER_PAGE = 50
FINALIZED = Assessment.State.FINALIZED


# The views of the School site ---------------------------------------------------------------


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    css: str  # the bar's colour class (static/css/app.css, Charts)


SELF = Series("self", "Coordinator (self)", "chart-series-self")
SUPERVISOR = Series("supervisor", "Supervisor", "chart-series-supervisor")
PRINCIPAL = Series("principal", "Principal", "chart-series-principal")


def _self_supervisor_and_principal(
    assessment_ids: Sequence[int], school_id: int | None = None
) -> dict[int, dict[str, int | None]]:
    """The self and (finalized) supervisor School site levels of these assessments, and the
    level the principal of ``school_id`` gave where they answered (one query)."""
    principal = FeedbackRequest.objects.filter(
        assessment=OuterRef("assessment_id"), school_id=school_id, site_level__isnull=False
    ).values("site_level")[:1]
    levels: dict[int, dict[str, int | None]] = {}
    for pk, state, own, supervisor, theirs in (
        CategoryScore.objects.filter(assessment_id__in=assessment_ids, category_key=SITE)
        .annotate(principal=Subquery(principal))
        .values_list(
            "assessment_id", "assessment__state", "self_level", "supervisor_level", "principal"
        )
    ):
        levels[pk] = {
            "self": own,
            "supervisor": supervisor if state == FINALIZED else None,
            "principal": theirs,
        }
    return levels


# Each source gives levels for some of the series, by assessment id.
SERIES: tuple[Series, ...] = (SELF, SUPERVISOR, PRINCIPAL)
SOURCES: tuple[Callable[..., dict[int, dict[str, int | None]]], ...] = (
    _self_supervisor_and_principal,
)


def site_levels(
    assessment_ids: Sequence[int], school_id: int | None = None
) -> dict[int, dict[str, int | None]]:
    """Assessment id → series key → School site level at one school, from every source."""
    merged: dict[int, dict[str, int | None]] = defaultdict(dict)
    for source in SOURCES:
        for pk, levels in source(assessment_ids, school_id).items():
            merged[pk].update(levels)
    return merged


def agreed_level(levels: dict[str, int | None]) -> int | None:
    """The level that counts for a school in the schools view: the supervisor's once
    finalized, else the self level."""
    for key in (SUPERVISOR.key, SELF.key):
        if levels.get(key) is not None:
            return levels[key]
    return None


# One school's page ------------------------------------------------------------------------


@dataclass(frozen=True)
class LevelRow:
    """One assessment made at the school: whose, when, and the School site levels."""

    school_year: SchoolYear
    cycle_name: str
    opens_on: date
    coordinator: str
    levels: tuple[tuple[int | None, str], ...]  # (level, words) per series


@dataclass(frozen=True)
class Tenure:
    """Someone who coordinated at the school: from the first to the last cycle assessed
    there, and whether they are placed there now."""

    profile_id: int
    name: str
    first: date | None
    last: date | None
    first_cycle: str
    last_cycle: str
    now: bool


@dataclass
class SchoolPage:
    school: School
    school_year: SchoolYear
    series: tuple[Series, ...]
    tenures: list[Tenure]
    level_rows: list[LevelRow]
    chart: charts.BarChart | None
    # Newest first, each with its school year and review status.
    agreements: list[tuple[PartnershipAgreement, SchoolYear, str]]
    this_year_agreement: PartnershipAgreement | None
    principal: PrincipalContact | None
    flag_rows: list[DashboardRow] = field(default_factory=list)
    flags_cycle_name: str = ""

    @property
    def legend(self) -> list[tuple[str, str]]:
        return [(series.css, series.label) for series in self.series]


def _flagged_rows(profile_ids: list[int], facts: PageFacts) -> list[DashboardRow]:
    """The rows with a flag of the coordinators placed at the school, as of the page's cycle
    and day, read from the read model (the flags' start days and words stored there, as the
    team dashboard reads them; two queries), by name."""
    raised = Q()
    for start in STARTS:
        raised |= Q(**{f"{start}__lte": facts.as_of})
    values = list(
        CoordinatorCycleRow.objects.filter(
            raised, cycle=facts.cycle, coordinator_id__in=profile_ids
        )
        .order_by(
            Lower("coordinator__user__last_name"),
            Lower("coordinator__user__first_name"),
            "coordinator_id",
        )
        .values_list(*STORED_COLUMNS)
    )
    return stored_rows(values, context=facts, cycle_names={}) if values else []


def _names_of(version_id, names: dict[int, Names]) -> Names:
    return names.get(version_id, DEFAULT_NAMES)


def school_page(*, school: School, today: date | None = None) -> SchoolPage:
    """Everything the school's page shows, in a fixed number of queries whatever the number
    of assessments, coordinators, agreements and years."""
    today = today or timezone.localdate()
    organization: Organization = school.organization
    year = organization.school_year_of(today)
    flags_cycle = default_cycle(organization_cycles(organization))
    facts = page_facts(organization, flags_cycle)
    names = facts.names_by_version
    assessments = list(
        Assessment.objects.filter(schools=school)
        .order_by("cycle__opens_on", "pk")
        .values_list(
            "pk",
            "cycle__name",
            "cycle__opens_on",
            "coordinator_id",
            "coordinator__user__first_name",
            "coordinator__user__last_name",
            "coordinator__user__email",
            "rubric_version_id",
        )
    )
    levels = site_levels([row[0] for row in assessments], school.pk)
    level_rows, columns, spans = [], [], {}
    for pk, cycle, opens_on, coordinator_id, first, last, email, version in assessments:
        words = _names_of(version, names)
        person = f"{first} {last}".strip() or email
        mine = levels.get(pk, {})
        values = tuple(mine.get(series.key) for series in SERIES)
        level_rows.append(
            LevelRow(
                organization.school_year_of(opens_on),
                cycle,
                opens_on,
                person,
                tuple((value, words.level(value)) for value in values),
            )
        )
        columns.append(
            charts.LevelColumn(
                label=cycle,
                levels=values,
                titles=[
                    f"{series.label}: {words.level(value)}"
                    for series, value in zip(SERIES, values, strict=True)
                ],
            )
        )
        span = spans.get(coordinator_id)
        spans[coordinator_id] = (
            (person, opens_on, cycle, opens_on, cycle)
            if span is None
            else (person, span[1], span[2], opens_on, cycle)
        )
    placed_now = {
        pk: f"{first} {last}".strip() or email
        for pk, first, last, email in CoordinatorProfile.objects.filter(
            schools=school, active=True
        ).values_list("pk", "user__first_name", "user__last_name", "user__email")
    }
    tenures = [
        Tenure(pk, person, first, last, first_cycle, last_cycle, pk in placed_now)
        for pk, (person, first, first_cycle, last, last_cycle) in spans.items()
    ]
    tenures += [
        Tenure(pk, person, None, None, "", "", True)
        for pk, person in placed_now.items()
        if pk not in spans
    ]
    tenures.sort(key=lambda t: (t.last or date.max, t.name), reverse=True)
    agreements = list(
        PartnershipAgreement.objects.filter(school=school)
        .select_related("coordinator__user")
        .annotate(
            goal_count=Count("goals"), reviewed_count=Count("goals", filter=~Q(goals__result=""))
        )
        .order_by("-school_year")
    )
    flag_rows = []
    if placed_now and flags_cycle is not None:
        flag_rows = _flagged_rows(list(placed_now), facts)
    return SchoolPage(
        school=school,
        school_year=year,
        series=SERIES,
        tenures=tenures,
        level_rows=level_rows,
        chart=charts.level_bars(columns, series_css=[s.css for s in SERIES], top=MAX_LEVEL)
        if columns
        else None,
        agreements=[
            (
                a,
                organization.school_year(a.school_year),
                review_words(
                    mid_year_note=a.mid_year_note, goals=a.goal_count, reviewed=a.reviewed_count
                ),
            )
            for a in agreements
        ],
        this_year_agreement=next((a for a in agreements if a.school_year == year.start_year), None),
        principal=PrincipalContact.objects.filter(
            school=school, school_year=year.start_year
        ).first(),
        flag_rows=flag_rows,
        flags_cycle_name=flags_cycle.name if flags_cycle else "",
    )


# The schools view ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SchoolRow:
    pk: int
    name: str
    level: int | None
    level_name: str
    trend: int | None  # the latest finalized level minus the one before it
    coordinators: int  # in the last TURNOVER_YEARS years, and placed there now
    agreement_state: str  # this school year's agreement: "" when there is none
    agreement_label: str

    @property
    def trend_words(self) -> str:
        if self.trend is None:
            return "not enough history"
        if self.trend > 0:
            return f"rose {flag_rules.levels_apart(self.trend)}"
        if self.trend < 0:
            return f"fell {flag_rules.levels_apart(self.trend)}"
        return "no change"

    def sort_key(self):
        """Weakest first: the lowest level, then falling before flat before rising, then the
        most turnover; schools without a level last."""
        return (
            self.level is None,
            self.level or 0,
            self.trend if self.trend is not None else 0,
            -self.coordinators,
            self.name.lower(),
        )


RECENT_CYCLES = 4  # the cycles read at once: most schools have their latest two among them
MAX_NAMED = 500  # schools named in one query's IN list (SQLite's limit on parameters)

Levels = dict[int, dict[int, tuple[int | None, int]]]  # school → cycle → (level, version)


def _levels_by_cycle(cycle_ids: list[int], schools: list[int] | None = None) -> Levels:
    """Per school, per cycle: the lowest agreed School site level of the finalized assessments
    made there in it, and a rubric version that words it (grouped in SQL: one row per school
    and cycle), of the cycles ``cycle_ids`` (the organization's, which scope it).

    Of every school when ``schools`` is None, reading only those cycles' assessments. Else of
    the schools named, reading only those schools' assessments: the query names no cycle, so
    the database walks from the schools rather than through every assessment of the cycles
    testing each against the list, and the other cycles' rows are left out here."""
    scores = CategoryScore.objects.filter(category_key=SITE, assessment__state=FINALIZED)
    if schools is None:
        scores = scores.filter(assessment__cycle_id__in=cycle_ids)
    else:
        scores = scores.filter(assessment__schools__in=schools)
    wanted = set(cycle_ids)
    levels: Levels = defaultdict(dict)
    for school_id, cycle_id, level, version in (
        scores.values("assessment__schools", "assessment__cycle_id")
        .annotate(
            level=Min(Coalesce("supervisor_level", "self_level")),
            version=Max("assessment__rubric_version_id"),
        )
        .values_list("assessment__schools", "assessment__cycle_id", "level", "version")
        .order_by()
    ):
        if cycle_id in wanted:
            levels[school_id][cycle_id] = (level, version)
    return levels


def _latest_levels(school_ids: list[int], cycle_ids: list[int]) -> Levels:
    """Per school, its levels of at least its latest two rated cycles of ``cycle_ids`` (newest
    first), read back a window of RECENT_CYCLES cycles at a time for the schools that have
    fewer than two so far: every school in a window while more than MAX_NAMED lack them, then
    those few by name over all the older cycles at once. At most ceil(cycles / RECENT_CYCLES)
    queries, each reading one window's assessments or the named schools' own."""
    by_school = _levels_by_cycle(cycle_ids[:RECENT_CYCLES])
    older = cycle_ids[RECENT_CYCLES:]
    sparse = [pk for pk in school_ids if len(by_school.get(pk, ())) < 2]
    while sparse and older:
        named = len(sparse) <= MAX_NAMED
        window, older = (older, []) if named else (older[:RECENT_CYCLES], older[RECENT_CYCLES:])
        found = _levels_by_cycle(window, sparse if named else None)
        for pk in sparse:
            by_school[pk].update(found.get(pk, {}))
        sparse = [pk for pk in sparse if len(by_school[pk]) < 2]
    return by_school


def schools_view(*, organization: Organization, today: date | None = None) -> list[SchoolRow]:
    """Every active school of the organization with its School site level, trend, turnover
    and this year's agreement, weakest first (in six queries and the levels' reads: one, and
    one more per older window read, ceil(cycles / RECENT_CYCLES) at most). A school's level
    in a cycle is the lowest agreed level of the finalized assessments made there in it; its
    level is that of its latest such cycle, its trend the change from the one before.

    The levels are aggregated per school and cycle in SQL, the last RECENT_CYCLES cycles
    first, and the older ones only for the schools without two levels yet (``_latest_levels``),
    so the rows read grow with the schools, not with the years of history."""
    today = today or timezone.localdate()
    year = organization.school_year_of(today)
    names = version_names(organization)
    cycles = organization_cycles(organization)  # newest first
    order = {cycle.pk: index for index, cycle in enumerate(cycles)}
    schools = list(
        School.objects.filter(organization=organization, active=True).values_list("pk", "name")
    )
    by_school = _latest_levels([pk for pk, _name in schools], list(order))
    since = today - timedelta(days=365 * TURNOVER_YEARS)
    recent_cycles = [cycle.pk for cycle in cycles if cycle.opens_on >= since]
    turnover: dict[int, set[int]] = defaultdict(set)
    assessed = (
        Assessment.objects.filter(cycle_id__in=recent_cycles)
        .order_by()
        .values_list("schools", "coordinator_id")
        .distinct()
    )
    placed = CoordinatorProfile.schools.through.objects.filter(
        school__organization=organization, coordinatorprofile__active=True
    ).values_list("school_id", "coordinatorprofile_id")
    for rows in (assessed, placed):
        for school_id, coordinator_id in rows:
            turnover[school_id].add(coordinator_id)
    agreements = dict(
        PartnershipAgreement.objects.filter(
            school__organization=organization, school_year=year.start_year
        ).values_list("school_id", "state")
    )
    labels = dict(AgreementState.choices)
    rows = []
    for pk, name in schools:
        history = sorted(by_school.get(pk, {}).items(), key=lambda item: order[item[0]])
        level, version = history[0][1] if history else (None, None)
        trend = None
        if len(history) >= 2 and level is not None and history[1][1][0] is not None:
            trend = level - history[1][1][0]
        state = agreements.get(pk, "")
        rows.append(
            SchoolRow(
                pk=pk,
                name=name,
                level=level,
                level_name=_names_of(version, names).level(level) if history else "Not rated",
                trend=trend,
                coordinators=len(turnover.get(pk, ())),
                agreement_state=state,
                agreement_label=labels.get(state, "No agreement"),
            )
        )
    return sorted(rows, key=SchoolRow.sort_key)


def schools_page(*, organization: Organization, number) -> tuple[object, list[SchoolRow]]:
    rows = schools_view(organization=organization)
    page = Paginator(rows, SCHOOLS_PER_PAGE).get_page(number)
    return page, rows


@dataclass(frozen=True)
class SiteAgreement:
    """One school site of a coordinator and its agreement for this school year."""

    school_id: int
    school_name: str
    school_year: SchoolYear
    agreement: PartnershipAgreement | None
    review: str


def coordinator_agreements(*, schools, year: SchoolYear | None) -> list[SiteAgreement]:
    """The coordinator's school sites (``Ref``s the page has read), each with its agreement
    for ``year`` (the school year the page's flags read) and where its review stands (one
    query)."""
    if year is None:
        return []
    agreements = {
        agreement.school_id: agreement
        for agreement in PartnershipAgreement.objects.filter(
            school__in=[school.pk for school in schools], school_year=year.start_year
        ).annotate(
            goal_count=Count("goals"), reviewed_count=Count("goals", filter=~Q(goals__result=""))
        )
    }
    return [
        SiteAgreement(
            school.pk,
            school.name,
            year,
            agreements.get(school.pk),
            review_words(
                mid_year_note=agreements[school.pk].mid_year_note,
                goals=agreements[school.pk].goal_count,
                reviewed=agreements[school.pk].reviewed_count,
            )
            if school.pk in agreements
            else "",
        )
        for school in schools
    ]
