"""What the dashboard pages share: the plain data they render (an assessment with its
category scores, a coordinator and a heatmap cell, defined beside the read model that
computes its rows from them; a heatmap row), the facts every row of one page reads (names per
rubric version, career stages, flag thresholds, the chosen cycle), and the small reads behind
them. Each read issues a fixed number of queries and reads the stored
CategoryScore rows, never the ratings.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import connection
from django.db.models import F, IntegerField, Min, Value
from django.utils import timezone

from assessments.models import Assessment, AssessmentCycle
from coordinators.models import Organization
from coordinators.prepared import read_sql
from dashboards import flags as flag_rules
from dashboards.models import DashboardVersion, FlagThresholds

# What a row is computed from lives with the read model, which computes the stored rows from
# the same facts; the pages import it from here as before.
from dashboards.read_model import (
    ASSESSMENT_COLUMNS,  # noqa: F401
    CATEGORY_KEYS,  # noqa: F401
    FINALIZED,  # noqa: F401
    NOT_STARTED,  # noqa: F401
    SCORE_COLUMNS,  # noqa: F401
    SUBMITTED,  # noqa: F401
    AssessmentInfo,  # noqa: F401
    Cell,  # noqa: F401
    PageFacts,  # noqa: F401
    Person,  # noqa: F401
    Ref,  # noqa: F401
    acknowledgement_days,
    assessment_infos,  # noqa: F401
    assessment_infos_with_scores,  # noqa: F401
    signed_agreements,
    version_names,
)
from growth.models import CareerStage

STATUS_LABELS = {
    NOT_STARTED: "Not started",
    Assessment.State.DRAFT: "Draft",
    Assessment.State.RETURNED: "Returned",
    Assessment.State.SUBMITTED: "Submitted",
    Assessment.State.FINALIZED: "Finalized",
}


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


# Small reads -----------------------------------------------------------------------------


def organization_rows(model, organization: Organization | int, *, order_by: str) -> list:
    """Every instance of ``model`` of one organization in the order of the column
    ``order_by`` (``-`` first for descending), one query written as SQL: for the small tables
    a dashboard reads on every request, cache hits included (its cycles, its career stages),
    building the query through the ORM cost several times reading it. Each value goes through
    the converters the ORM applies, and each instance is made as the ORM makes it."""
    return _organization_rows(model, organization, order_by=order_by, version=False)[0]


def _organization_rows(
    model, organization: Organization | int, *, order_by: str, version: bool
) -> tuple[list, int]:
    """``organization_rows``, and with ``version`` the organization's dashboard version read
    in the same query (else 0)."""
    table = model._meta.db_table
    fields = model._meta.concrete_fields
    columns = [field.get_col(table) for field in fields]
    converters = [
        [*connection.ops.get_db_converters(column), *column.get_db_converters(connection)]
        for column in columns
    ]
    name = connection.ops.quote_name
    direction = "DESC" if order_by.startswith("-") else "ASC"
    selected = ", ".join(f"c.{name(field.column)}" for field in fields)
    if version:
        # One row at least, for the version, when the organization has no rows of the model.
        sql = (
            f"SELECT v.{name('version')}, {selected} FROM (SELECT %s AS organization_id) o "
            f"LEFT OUTER JOIN {DashboardVersion._meta.db_table} v "
            "ON v.organization_id = o.organization_id "
            f"LEFT OUTER JOIN {table} c ON c.organization_id = o.organization_id "
        )
    else:
        sql = f"SELECT {selected} FROM {table} c WHERE c.organization_id = %s "
    with connection.cursor() as cursor:
        read_sql(
            cursor,
            sql + f"ORDER BY c.{name(order_by.lstrip('-'))} {direction}",
            [getattr(organization, "pk", organization)],
        )
        fetched = cursor.fetchall()
    names = [field.attname for field in fields]
    found_version = (fetched[0][0] if fetched and version else None) or 0
    pk_at = list(fields).index(model._meta.pk)
    instances = []
    for row in fetched:
        values = row[1:] if version else row
        if values[pk_at] is None:  # the version's row of an organization without any
            continue
        converted = []
        for value, column, column_converters in zip(values, columns, converters, strict=True):
            for convert in column_converters:
                value = convert(value, column, connection)
            converted.append(value)
        instances.append(model.from_db(connection.alias, names, converted))
    return instances, found_version


def organization_cycles(organization: Organization | int) -> list[AssessmentCycle]:
    """The organization's cycles, newest first (one query, written as SQL: every dashboard
    request reads them, cache hits included)."""
    return organization_rows(AssessmentCycle, organization, order_by="-opens_on")


def cycles_and_version(organization: Organization | int) -> tuple[list[AssessmentCycle], int]:
    """The organization's cycles, newest first, and its dashboard version (which the fragment
    cache keys on): what every request of the team dashboard and the overview reads first,
    cache hits included, in one round trip."""
    return _organization_rows(AssessmentCycle, organization, order_by="-opens_on", version=True)


def default_cycle(cycles: list[AssessmentCycle]) -> AssessmentCycle | None:
    """The latest cycle that has opened; a planned one only when nothing has opened yet."""
    started = [c for c in cycles if c.state != AssessmentCycle.State.PLANNED]
    return (started or cycles or [None])[0]


def chosen_cycle(cycles: list[AssessmentCycle], cycle_id: str) -> AssessmentCycle | None:
    """The cycle whose id is ``cycle_id``, else the default one."""
    return next((c for c in cycles if str(c.pk) == cycle_id), None) or default_cycle(cycles)


def flags_as_of(cycle: AssessmentCycle | None, today: date | None = None) -> date:
    """The day a page judges flags on: today, or the day a past cycle closed."""
    today = today or timezone.localdate()
    return min(today, cycle.closes_on) if cycle is not None else today


def stored_rows_facts(organization: Organization | int, cycle: AssessmentCycle | None) -> PageFacts:
    """What a page that shows the read model's stored rows reads of ``page_facts``: the
    cycle, the day flags are judged on, the names per rubric version and the career stages
    (three queries). The rules' inputs (thresholds, agreements, acknowledgement) are not
    read, and ``thresholds`` is None: the stored rows carry their flags, so nothing here
    computes one (and any attempt fails rather than judge by defaults)."""
    return PageFacts(
        cycle=cycle,
        as_of=flags_as_of(cycle),
        thresholds=None,
        stages=organization_rows(CareerStage, organization, order_by="order"),
        names_by_version=version_names(organization),
    )


def page_facts(
    organization: Organization | int,
    cycle: AssessmentCycle | None,
    today: date | None = None,
    *,
    signed_schools: bool = True,
) -> PageFacts:
    """Names, stages and thresholds for one page (four queries). Flags of a past cycle are
    judged as of the day it closed. Without ``signed_schools`` (for a page that works no flag
    out again, but reads them stored), neither the organization's schools with a signed
    agreement nor its first school year with agreements (``agreements_since`` None): three
    queries that do not read every agreement of the organization."""
    today = today or timezone.localdate()
    as_of = flags_as_of(cycle, today)
    # The thresholds, the organization's school-year start and its first school year with
    # agreements, in one query (two for an organization without a thresholds row).
    since = Min("organization__schools__agreements__school_year")
    if not signed_schools:
        since = Value(None, output_field=IntegerField())
    thresholds = (
        FlagThresholds.objects.filter(organization=organization)
        .select_related("organization")
        .annotate(
            agreements_since=since,
            ack_on=F("organization__review_settings__acknowledgement_on"),
            ack_days=F("organization__review_settings__acknowledgement_overdue_days"),
        )
        .first()
    )
    if thresholds is not None:
        org, first_year = thresholds.organization, thresholds.agreements_since
        ack = (thresholds.ack_on, thresholds.ack_days)
    else:
        org = Organization.objects.annotate(
            agreements_since=Min("schools__agreements__school_year")
            if signed_schools
            else Value(None, output_field=IntegerField()),
            ack_on=F("review_settings__acknowledgement_on"),
            ack_days=F("review_settings__acknowledgement_overdue_days"),
        ).get(pk=getattr(organization, "pk", organization))
        first_year = org.agreements_since
        ack = (org.ack_on, org.ack_days)
    school_year = org.school_year_of(cycle.opens_on if cycle is not None else today)
    signed = frozenset()
    if first_year is not None and school_year.start_year >= first_year:
        signed = signed_agreements(org.pk, school_year.start_year).get(
            school_year.start_year, frozenset()
        )
    return PageFacts(
        cycle=cycle,
        as_of=as_of,
        thresholds=flag_rules.Thresholds.from_row(thresholds),
        stages=organization_rows(CareerStage, organization, order_by="order"),
        names_by_version=version_names(organization),
        school_year=school_year,
        agreements_since=first_year,
        signed_schools=signed,
        acknowledgement_days=acknowledgement_days(*ack),
    )
