"""A school's page and the organization's schools view: who coordinated at each school and
when, the School site levels over the years from every assessment made there, its
partnership agreements and the flags raised there.

Each level comes from a series of views of the School site category: the coordinator's
(self), the supervisor's (once finalized) and the principal's of that school (from their
answer to a feedback request). A series is one entry of ``SERIES`` and a column of the
assessments read at the school (``_levels_here``); the chart and the table follow.

A school's page reads through prepared reads (coordinators/prepared.py), its lists' counts
and first pages together: building its dozen queries through the ORM cost several times
what PostgreSQL took to answer them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from assessments.models import Assessment, AssessmentCycle, CategoryScore, FeedbackRequest
from coordinators.models import CoordinatorProfile, Organization, School, User
from coordinators.prepared import PagedRows, Prepared, read_sql, together
from coordinators.school_years import SchoolYear
from dashboards import charts
from dashboards import flags as flag_rules
from dashboards.selectors.common import (
    DashboardRow,
    PageFacts,
    default_cycle,
    organization_cycles,
    stored_rows_facts,
    version_names,
)
from dashboards.selectors.team import (
    ROWS,
    STARTS,
    STORED_JOINS,
    stored_rows,
    stored_select,
)
from rubrics.vocabulary import DEFAULT_NAMES, MAX_LEVEL, SITE, Names
from schoolsites.models import AgreementState, PartnershipAgreement, PrincipalContact
from schoolsites.selectors import review_words

TURNOVER_YEARS = 5
SCHOOLS_PER_PAGE = 50
FINALIZED = Assessment.State.FINALIZED

# The tables the queries written in SQL read.
ASSESSMENTS = Assessment._meta.db_table
ASSESSMENT_SCHOOLS = Assessment.schools.through._meta.db_table
SCORES = CategoryScore._meta.db_table
CYCLES = AssessmentCycle._meta.db_table
SCHOOLS = School._meta.db_table
PLACEMENTS = CoordinatorProfile.schools.through._meta.db_table
PROFILES = CoordinatorProfile._meta.db_table
USERS = User._meta.db_table
AGREEMENTS = PartnershipAgreement._meta.db_table


# The views of the School site ---------------------------------------------------------------


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    css: str  # the bar's colour class (static/css/app.css, Charts)


SELF = Series("self", "Coordinator (self)", "chart-series-self")
SUPERVISOR = Series("supervisor", "Supervisor", "chart-series-supervisor")
PRINCIPAL = Series("principal", "Principal", "chart-series-principal")


SERIES: tuple[Series, ...] = (SELF, SUPERVISOR, PRINCIPAL)


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
    # Each list a page of its own (``Page``: its rows are the page's ``object_list``).
    tenures: Page  # of Tenure
    level_rows: Page  # of LevelRow, oldest first; the first page the latest
    chart: charts.BarChart | None  # the levels of the page of level rows
    # Newest first, each with its school year and review status.
    agreements: Page  # of (PartnershipAgreement, SchoolYear, review)
    this_year_agreement: PartnershipAgreement | None
    principal: PrincipalContact | None
    flag_rows: list[DashboardRow] = field(default_factory=list)
    flags_cycle_name: str = ""

    @property
    def legend(self) -> list[tuple[str, str]]:
        return [(series.css, series.label) for series in self.series]


LEVEL_ROWS_PER_PAGE = 20
TENURES_PER_PAGE = 20
AGREEMENTS_PER_PAGE = 10


@dataclass(frozen=True)
class SchoolPageNumbers:
    """The page asked for of each list of a school's page (the query's values)."""

    levels: str | None = None
    coordinators: str | None = None
    agreements: str | None = None


# Everyone placed at a school now, for the SQL of its flagged rows.
PLACED_HERE = (
    f"SELECT placed.coordinatorprofile_id FROM {PLACEMENTS} placed"
    f" INNER JOIN {PROFILES} here ON here.id = placed.coordinatorprofile_id"
    " WHERE placed.school_id = %s AND here.active"
)


def _flagged_rows(school: School, facts: PageFacts) -> list[DashboardRow]:
    """The rows with a flag of the coordinators placed at the school, as of the page's cycle
    and day, read from the read model (the flags' start days and words stored there, as the
    team dashboard reads them; two queries), by name."""
    raised = " OR ".join(f"r.{start} <= %s" for start in STARTS)
    select, select_params = stored_select(facts.as_of)
    with connection.cursor() as cursor:
        read_sql(
            cursor,
            f"SELECT {select} FROM {ROWS} r {STORED_JOINS} WHERE r.cycle_id = %s"
            f" AND ({raised}) AND r.coordinator_id IN ({PLACED_HERE})"
            " ORDER BY LOWER(u.last_name), LOWER(u.first_name), r.coordinator_id",
            [
                *select_params,
                facts.cycle.pk,
                *[connection.ops.adapt_datefield_value(facts.as_of)] * len(STARTS),
                school.pk,
            ],
        )
        values = cursor.fetchall()
    return stored_rows(values, context=facts, cycle_names={}) if values else []


def _names_of(version_id, names: dict[int, Names]) -> Names:
    return names.get(version_id, DEFAULT_NAMES)


def _person(first: str, last: str, email: str) -> str:
    return f"{first} {last}".strip() or email


def _levels_here(_shape, school) -> QuerySet:
    """The assessments made at the school, latest first, with their School site levels: the
    coordinator's, the supervisor's (once finalized) and the answer of the principal of this
    school to a feedback request."""

    def score(column):
        return Subquery(
            CategoryScore.objects.filter(assessment=OuterRef("pk"), category_key=SITE)
            .order_by()
            .values(column)[:1]
        )

    principal = (
        FeedbackRequest.objects.filter(
            assessment=OuterRef("pk"), school_id=school, site_level__isnull=False
        )
        .order_by()
        .values("site_level")[:1]
    )
    return (
        Assessment.objects.filter(schools=school)
        .annotate(
            own=score("self_level"),
            supervisor=score("supervisor_level"),
            principal=Subquery(principal),
        )
        .order_by("-cycle__opens_on", "-pk")
        .values_list(
            "cycle__name",
            "cycle__opens_on",
            "coordinator__user__first_name",
            "coordinator__user__last_name",
            "coordinator__user__email",
            "rubric_version_id",
            "state",
            "own",
            "supervisor",
            "principal",
        )
    )


_LEVELS_HERE = Prepared(_levels_here, "school", paged=True)


def _level_rows(page: Page, school: School, names: dict[int, Names]) -> charts.BarChart | None:
    """The page of the assessments made at the school (``_LEVELS_HERE``, latest first) as
    level rows, oldest first, and their chart: the first page the latest ones, the next the
    ones before."""
    organization = school.organization
    level_rows, columns = [], []
    for cycle, opens_on, first, last, email, version, state, own, supervisor, principal in reversed(
        page.object_list
    ):
        words = _names_of(version, names)
        values = (own, supervisor if state == FINALIZED else None, principal)
        level_rows.append(
            LevelRow(
                organization.school_year_of(opens_on),
                cycle,
                opens_on,
                _person(first, last, email),
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
    page.object_list = level_rows
    if not columns:
        return None
    return charts.level_bars(columns, series_css=[s.css for s in SERIES], top=MAX_LEVEL)


def _day(value) -> date | None:
    """A day a query written in SQL returns: SQLite gives its text."""
    return date.fromisoformat(value) if isinstance(value, str) else value


class SqlRows:
    """The rows of a query written in SQL as a sequence the paginator counts and slices:
    each slice is the query with its LIMIT and OFFSET, its rows made by ``build``."""

    def __init__(self, sql: str, params: list, *, count: Callable[[], int], build: Callable):
        self.sql, self.params, self._count, self.build = sql, params, count, build

    def count(self) -> int:
        return self._count()

    def __getitem__(self, page: slice) -> list:
        offset = page.start or 0
        with connection.cursor() as cursor:
            read_sql(
                cursor,
                f"{self.sql} LIMIT %s OFFSET %s",
                [*self.params, page.stop - offset, offset],
            )
            return self.build(cursor.fetchall())


# Who coordinated at a school: assessed there, or placed there now.
_PEOPLE_HERE = Prepared(
    lambda _shape, school: CoordinatorProfile.objects.filter(
        Q(pk__in=Assessment.objects.filter(schools=school).values("coordinator_id"))
        | Q(pk__in=CoordinatorProfile.objects.filter(schools=school, active=True).values("pk"))
    ).values_list("pk"),
    "school",
    paged=True,
)


def _tenures(school: School, number: str | None, count: int) -> Page:
    """A page of the ``count`` people who coordinated at the school, assessed there or
    placed there now: those placed but never assessed first, then the latest assessed there
    first, each with the first and last cycle assessed there (one query)."""
    here = (
        f"SELECT a.coordinator_id AS person, c.opens_on, c.name, a.id FROM {ASSESSMENTS} a"
        f" INNER JOIN {ASSESSMENT_SCHOOLS} links ON links.assessment_id = a.id"
        f" INNER JOIN {CYCLES} c ON c.id = a.cycle_id WHERE links.school_id = %s"
    )
    placed = (
        f"SELECT p.id AS person FROM {PLACEMENTS} placed"
        f" INNER JOIN {PROFILES} p ON p.id = placed.coordinatorprofile_id"
        " WHERE placed.school_id = %s AND p.active"
    )
    sql = (
        f"WITH here AS ({here}), placed AS ({placed}),"
        " ranked AS (SELECT person, opens_on, name,"
        " ROW_NUMBER() OVER (PARTITION BY person ORDER BY opens_on, id) AS up,"
        " ROW_NUMBER() OVER (PARTITION BY person ORDER BY opens_on DESC, id DESC) AS down"
        " FROM here),"
        " spans AS (SELECT person, MAX(CASE WHEN up = 1 THEN opens_on END) AS first_on,"
        " MAX(CASE WHEN up = 1 THEN name END) AS first_cycle,"
        " MAX(CASE WHEN down = 1 THEN opens_on END) AS last_on,"
        " MAX(CASE WHEN down = 1 THEN name END) AS last_cycle"
        " FROM ranked WHERE up = 1 OR down = 1 GROUP BY person),"
        " people AS (SELECT person FROM spans UNION SELECT person FROM placed),"
        " named AS (SELECT p.id, COALESCE(NULLIF(TRIM(u.first_name || ' ' || u.last_name), ''),"
        f" u.email) AS name FROM people INNER JOIN {PROFILES} p ON p.id = people.person"
        f" INNER JOIN {USERS} u ON u.id = p.user_id)"
        " SELECT named.id, named.name, spans.first_on, spans.last_on, spans.first_cycle,"
        " spans.last_cycle, CASE WHEN placed.person IS NULL THEN 0 ELSE 1 END FROM named"
        " LEFT OUTER JOIN spans ON spans.person = named.id"
        " LEFT OUTER JOIN placed ON placed.person = named.id"
        " ORDER BY CASE WHEN spans.last_on IS NULL THEN 0 ELSE 1 END, spans.last_on DESC,"
        " named.name DESC, named.id DESC"
    )
    rows = SqlRows(
        sql,
        [school.pk, school.pk],
        count=lambda: count,
        build=lambda found: [
            Tenure(pk, name, _day(first_on), _day(last_on), first or "", last or "", bool(now))
            for pk, name, first_on, last_on, first, last, now in found
        ],
    )
    return Paginator(rows, TENURES_PER_PAGE).get_page(number)


# A school's agreements, newest first, with how many goals each has and how many are reviewed.
_AGREEMENTS_HERE = Prepared(
    lambda _shape, school: (
        PartnershipAgreement.objects.filter(school=school)
        .select_related("coordinator__user")
        .annotate(
            goal_count=Count("goals"), reviewed_count=Count("goals", filter=~Q(goals__result=""))
        )
        .order_by("-school_year")
    ),
    "school",
    paged=True,
)
_AGREEMENT_OF_YEAR = Prepared(
    lambda _shape, school, year: PartnershipAgreement.objects.filter(
        school=school, school_year=year
    ),
    "school",
    "year",
)
_PRINCIPAL_OF_YEAR = Prepared(
    lambda _shape, school, year: PrincipalContact.objects.filter(school=school, school_year=year),
    "school",
    "year",
)


def _agreements(page: Page, school: School) -> Page:
    """The page of the school's agreements (``_AGREEMENTS_HERE``), each with its school
    year and where its review stands."""
    organization = school.organization
    page.object_list = [
        (
            agreement,
            organization.school_year(agreement.school_year),
            review_words(
                mid_year_note=agreement.mid_year_note,
                goals=agreement.goal_count,
                reviewed=agreement.reviewed_count,
            ),
        )
        for agreement in page.object_list
    ]
    return page


def school_page(
    *, school: School, pages: SchoolPageNumbers | None = None, today: date | None = None
) -> SchoolPage:
    """What the school's page shows, each list that grows with the years or the people a
    page at a time, in a fixed number of queries whatever the number of assessments,
    coordinators, agreements and years: the lists' counts and first pages, this year's
    agreement and principal in one round trip on PostgreSQL."""
    pages = pages or SchoolPageNumbers()
    today = today or timezone.localdate()
    organization: Organization = school.organization
    year = organization.school_year_of(today)
    flags_cycle = default_cycle(organization_cycles(organization))
    facts = stored_rows_facts(organization, flags_cycle)
    levels = PagedRows(_LEVELS_HERE, school=school.pk)
    agreements = PagedRows(_AGREEMENTS_HERE, school=school.pk)
    ahead = [
        levels.ahead(pages.levels, LEVEL_ROWS_PER_PAGE),
        agreements.ahead(pages.agreements, AGREEMENTS_PER_PAGE),
    ]
    answers = together(
        *ahead[0],
        *ahead[1],
        _PEOPLE_HERE.count_call(school=school.pk),
        _AGREEMENT_OF_YEAR.call(first=True, school=school.pk, year=year.start_year),
        _PRINCIPAL_OF_YEAR.call(first=True, school=school.pk, year=year.start_year),
    )
    levels.took(ahead[0], answers[0:2])
    agreements.took(ahead[1], answers[2:4])
    level_page = Paginator(levels, LEVEL_ROWS_PER_PAGE).get_page(pages.levels)
    chart = _level_rows(level_page, school, facts.names_by_version)
    return SchoolPage(
        school=school,
        school_year=year,
        series=SERIES,
        tenures=_tenures(school, pages.coordinators, answers[4] or 0),
        level_rows=level_page,
        chart=chart,
        agreements=_agreements(
            Paginator(agreements, AGREEMENTS_PER_PAGE).get_page(pages.agreements), school
        ),
        this_year_agreement=answers[5],
        principal=answers[6],
        flag_rows=_flagged_rows(school, facts) if flags_cycle is not None else [],
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
        most turnover; schools without a level last (the schools view's ORDER BY)."""
        return (
            self.level is None,
            self.level or 0,
            self.trend if self.trend is not None else 0,
            -self.coordinators,
            self.name.lower(),
            self.pk,
        )


RECENT_CYCLES = 4  # the cycles read for every school: most have their latest two among them


def _marks(values) -> str:
    return ", ".join(["%s"] * len(values))


def _levels_sql(cycle_ids: list[int], *, only: str = "") -> str:
    """Per school and cycle of ``cycle_ids``: the lowest agreed School site level of the
    finalized assessments made there in it, and a rubric version that words it (``only``: a
    condition on the school)."""
    return (
        f"SELECT links.school_id, a.cycle_id, "
        f"MIN(COALESCE(score.supervisor_level, score.self_level)) AS level, "
        f"MAX(a.rubric_version_id) AS version "
        f"FROM {ASSESSMENTS} a "
        f"INNER JOIN {SCORES} score ON score.assessment_id = a.id AND score.category_key = %s "
        f"INNER JOIN {ASSESSMENT_SCHOOLS} links ON links.assessment_id = a.id "
        f"WHERE a.state = %s AND a.cycle_id IN ({_marks(cycle_ids)}){only} "
        f"GROUP BY links.school_id, a.cycle_id"
    )


def _ranking_sql(
    organization_id: int, cycle_ids: list[int], turnover_cycle_ids: list[int], start_year: int
) -> tuple[str, list]:
    """The organization's active schools with, for each, the level of its latest rated cycle
    (and its version), the level of the one before, its turnover and this year's agreement,
    weakest first (``SchoolRow.sort_key``, written in SQL): a query to which the page's LIMIT
    and OFFSET are added.

    The levels are grouped per school and cycle over the last RECENT_CYCLES cycles for every
    school, and over the older ones only for the schools without two levels there, so the rows
    read grow with the schools, not with the years of history."""
    recent, older = cycle_ids[:RECENT_CYCLES], cycle_ids[RECENT_CYCLES:]
    ctes, params = [], []
    if recent:
        ctes.append(f"recent AS ({_levels_sql(recent)})")
        params += [SITE, FINALIZED, *recent]
        levels = "SELECT * FROM recent"
    else:
        # No cycle yet: no rows, typed for PostgreSQL's joins.
        levels = "SELECT " + ", ".join(
            f"CAST(NULL AS INTEGER) AS {name}"
            for name in ("school_id", "cycle_id", "level", "version")
        )
        levels += " WHERE 1 = 0"
    if older:
        sparse = (
            f" AND links.school_id IN (SELECT s.id FROM {SCHOOLS} s WHERE s.organization_id = %s"
            f" AND s.active AND s.id NOT IN"
            f" (SELECT school_id FROM recent GROUP BY school_id HAVING COUNT(*) >= 2))"
        )
        ctes.append(f"older AS ({_levels_sql(older, only=sparse)})")
        params += [SITE, FINALIZED, *older, organization_id]
        levels += " UNION ALL SELECT * FROM older"
    ctes.append(
        "ranked AS (SELECT l.school_id, l.level, l.version, ROW_NUMBER() OVER"
        " (PARTITION BY l.school_id ORDER BY c.opens_on DESC, c.id DESC) AS n"
        f" FROM ({levels}) l INNER JOIN {CYCLES} c ON c.id = l.cycle_id)"
    )
    ctes.append(
        "latest AS (SELECT school_id, MAX(CASE WHEN n = 1 THEN level END) AS level,"
        " MAX(CASE WHEN n = 1 THEN version END) AS version,"
        " MAX(CASE WHEN n = 2 THEN level END) AS previous"
        " FROM ranked WHERE n <= 2 GROUP BY school_id)"
    )
    # Turnover: the people assessed at the school in the last TURNOVER_YEARS years and those
    # placed there now, each once.
    pairs = (
        f"SELECT placed.school_id, placed.coordinatorprofile_id AS person FROM {PLACEMENTS} placed"
        f" INNER JOIN {PROFILES} p ON p.id = placed.coordinatorprofile_id"
        f" INNER JOIN {SCHOOLS} s ON s.id = placed.school_id"
        f" WHERE p.active AND s.organization_id = %s"
    )
    params.append(organization_id)
    if turnover_cycle_ids:
        pairs += (
            f" UNION SELECT links.school_id, a.coordinator_id FROM {ASSESSMENTS} a"
            f" INNER JOIN {ASSESSMENT_SCHOOLS} links ON links.assessment_id = a.id"
            f" WHERE a.cycle_id IN ({_marks(turnover_cycle_ids)})"
        )
        params += turnover_cycle_ids
    ctes.append(
        f"turnover AS (SELECT school_id, COUNT(*) AS people FROM ({pairs}) pairs"
        " GROUP BY school_id)"
    )
    sql = (
        f"WITH {', '.join(ctes)} "
        "SELECT s.id, s.name, latest.level, latest.version, latest.previous,"
        " COALESCE(turnover.people, 0) AS people, agreement.state"
        f" FROM {SCHOOLS} s"
        " LEFT OUTER JOIN latest ON latest.school_id = s.id"
        " LEFT OUTER JOIN turnover ON turnover.school_id = s.id"
        f" LEFT OUTER JOIN {AGREEMENTS} agreement"
        " ON agreement.school_id = s.id AND agreement.school_year = %s"
        " WHERE s.organization_id = %s AND s.active"
        " ORDER BY CASE WHEN latest.level IS NULL THEN 1 ELSE 0 END,"
        " COALESCE(latest.level, 0), COALESCE(latest.level - latest.previous, 0),"
        " people DESC, LOWER(s.name), s.id"
    )
    return sql, [*params, start_year, organization_id]


def _school_rows(organization: Organization, found: list[tuple]) -> list[SchoolRow]:
    names = version_names(organization) if found else {}
    labels = dict(AgreementState.choices)
    return [
        SchoolRow(
            pk=pk,
            name=name,
            level=level,
            level_name=_names_of(version, names).level(level),
            trend=level - previous if level is not None and previous is not None else None,
            coordinators=people,
            agreement_state=state or "",
            agreement_label=labels.get(state or "", "No agreement"),
        )
        for pk, name, level, version, previous, people, state in found
    ]


def schools_view(*, organization: Organization, today: date | None = None) -> SqlRows:
    """Every active school of the organization with its School site level, trend, turnover
    and this year's agreement, weakest first, to be sliced: a slice is one query that ranks
    the schools in the database and returns only its own, then the version names. A school's
    level in a cycle is the lowest agreed level of the finalized assessments made there in
    it; its level is that of its latest such cycle, its trend the change from the one
    before."""
    today = today or timezone.localdate()
    cycles = organization_cycles(organization)  # newest first
    since = today - timedelta(days=365 * TURNOVER_YEARS)
    sql, params = _ranking_sql(
        organization.pk,
        [cycle.pk for cycle in cycles],
        [cycle.pk for cycle in cycles if cycle.opens_on >= since],
        organization.school_year_of(today).start_year,
    )
    return SqlRows(
        sql,
        params,
        count=School.objects.filter(organization=organization, active=True).count,
        build=lambda found: _school_rows(organization, found),
    )


def schools_page(*, organization: Organization, number):
    """The page ``number`` of the schools view: only its schools are read into rows."""
    return Paginator(schools_view(organization=organization), SCHOOLS_PER_PAGE).get_page(number)


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
