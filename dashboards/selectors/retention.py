"""Retention and careers: of the people in the role on each school year's first day, who was
still in it one, two and three years later, split by mentored or not, school level, setting
or career stage; and the median years from the first day in the role to each career stage,
by the school year people started in.

The database counts: the people are grouped by the values of the split (for a split that
changes from year to year, mentored or career stage, its value on each year's first day), with
a conditional count per school year and number of years later; promotions are counted per
stage, first day in the role and day of the promotion. The arithmetic on the counts is in
dashboards/report_rules.py. A fixed number of queries.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Mod
from django.utils import timezone

from coordinators.form_helpers import int_or_none
from coordinators.models import CoordinatorProfile, Organization, SchoolLevel, SchoolSetting
from coordinators.school_years import SchoolYear
from coordinators.tenure import add_years
from dashboards import report_rules as rules
from dashboards.report_filters import ReportScope
from dashboards.selectors.impact import mentored
from growth.models import CareerStage, Promotion

SCHOOL_YEARS_SHOWN = 6
MENTORED, NOT_MENTORED = "Mentored", "Not mentored"
NO_SCHOOL, NO_STAGE = "No school site", "No stage"
ProfileSchool = CoordinatorProfile.schools.through

# A person who left on a day nobody recorded (inactive, or a reason given, with no day).
LEFT_UNKNOWN = Q(left_on=None) & (~Q(leaving_reason="") | Q(active=False))


def active_on(day: date) -> Q:
    """In the role on ``day``: started by then and not yet left."""
    return Q(role_start_date__lte=day) & (Q(left_on=None) | Q(left_on__gt=day))


def _stage_on(day: date):
    """The career stage a person held on ``day``: the last promotion's up to then, else the
    stage the next promotion started from, else the stage they hold now (``No stage`` where
    there is none)."""
    moves = Promotion.objects.filter(profile=OuterRef("pk"))
    last = moves.filter(effective_on__lte=day).order_by("-effective_on", "-pk")
    following = moves.filter(effective_on__gt=day).order_by("effective_on", "pk")
    return Coalesce(
        Subquery(last.values("to_stage__title")[:1]),
        Subquery(
            following.annotate(was=Coalesce("from_stage__title", Value(NO_STAGE))).values("was")[:1]
        ),
        F("career_position__stage__title"),
        Value(NO_STAGE),
    )


@dataclass
class Split:
    """How the people are split: the columns the database groups them by, and the words of a
    group's value in each school year."""

    name: str
    years: Sequence[SchoolYear]

    def columns(self) -> dict:
        if self.name == "mentored":
            return {
                f"split_{index}": mentored(OuterRef("pk"), year.starts, year.ends + timedelta(1))
                for index, year in enumerate(self.years)
            }
        if self.name == "stage":
            return {
                f"split_{index}": _stage_on(year.starts) for index, year in enumerate(self.years)
            }
        if self.name in ("school_level", "setting"):
            field_name, _choices = self._school_field()
            return {
                f"split_{value}": Exists(
                    ProfileSchool.objects.filter(
                        coordinatorprofile=OuterRef("pk"), **{f"school__{field_name}": value}
                    )
                )
                for value in _choices.values
            }
        return {}

    def _school_field(self):
        return ("level", SchoolLevel) if self.name == "school_level" else ("setting", SchoolSetting)

    def words(self, index: int, values: dict) -> str:
        """The value of the split in the ``index``-th year, from a group's columns."""
        if self.name == "mentored":
            return MENTORED if values[f"split_{index}"] else NOT_MENTORED
        if self.name == "stage":
            return values[f"split_{index}"]
        if self.name in ("school_level", "setting"):
            _field, choices = self._school_field()
            labels = sorted(choices(v).label for v in choices.values if values[f"split_{v}"])
            return ", ".join(labels) or NO_SCHOOL
        return ""


LATER = rules.YEARS_LATER
GROUPS_READ_AT_ONCE = 200  # the groups are added up as they come: as many as people, at worst


def _checkpoints(years: Sequence[SchoolYear]) -> list[date]:
    """Every day a person is counted on: each school year's first day and one, two and three
    years later, in order."""
    return sorted(
        {add_years(year.starts, later) for year in years for later in (0, *rules.YEARS_LATER)}
    )


def _span(days: list[date]) -> dict:
    """Per person, which of ``days`` they were in the role on, as two numbers the database
    groups by: ``started``, the index of the first of the days on or after their first day
    (``len(days)`` when none, or no first day), and ``until``, that of the first day on or
    after the day they left (``len(days)`` when they have not left, or left after the last).
    In the role on ``days[i]`` (``active_on``) exactly when ``started <= i < until``; and
    whether they left on a day nobody recorded."""
    never = Value(len(days))
    return {
        "started": Case(
            *(When(role_start_date__lte=day, then=Value(i)) for i, day in enumerate(days)),
            default=never,
        ),
        "until": Case(
            When(left_on=None, then=never),
            *(When(left_on__lte=day, then=Value(i)) for i, day in enumerate(days)),
            default=never,
        ),
        "unknown": Case(When(LEFT_UNKNOWN, then=Value(True)), default=Value(False)),
    }


def retention_counts(profiles: QuerySet, split: Split) -> tuple[dict, int]:
    """(a school year's first day, a value of the split) -> [active that day, still one, two,
    three years later], and the people who left on a day nobody recorded (one query: the
    people counted per value of the split and span of the counted days they were in the
    role, ``_span``)."""
    columns = split.columns()
    days = _checkpoints(split.years)
    span = _span(days)
    groups = (
        profiles.annotate(**columns, **span)
        .order_by()
        .values(*columns, *span)
        .annotate(people=Count("pk"))
    )
    # Per school year and number of years later: the indexes of its first day and that day.
    checked = [
        (index, year, [days.index(add_years(year.starts, later)) for later in (0, *LATER)])
        for index, year in enumerate(split.years)
    ]
    found: dict[tuple[date, str], list[int]] = {}
    left_unknown = 0
    for group in groups.iterator(chunk_size=GROUPS_READ_AT_ONCE):
        people, unknown = group["people"], group["unknown"]
        left_unknown += people if unknown else 0
        started, until = group["started"], group["until"]
        for index, year, at in checked:
            key = (year.starts, split.words(index, group))
            numbers = found.setdefault(key, [0] * (1 + len(rules.YEARS_LATER)))
            if not unknown and started <= at[0]:
                for later, day in zip((0, *LATER), at, strict=True):
                    if day < until:
                        numbers[later] += people
    return found, left_unknown


def first_promotions(ids) -> QuerySet[Promotion]:
    """Each person's first promotion to each stage, on or after their first day in the role."""
    counted = Promotion.objects.filter(effective_on__gte=F("profile__role_start_date"))
    earlier = counted.filter(
        profile=OuterRef("profile"), to_stage__title=OuterRef("to_stage__title")
    ).filter(
        Q(effective_on__lt=OuterRef("effective_on"))
        | Q(effective_on=OuterRef("effective_on"), pk__lt=OuterRef("pk"))
    )
    return counted.filter(profile__in=ids).exclude(Exists(earlier))


class DaysBetween(Func):
    """The whole days from the date ``start`` to the date ``end``."""

    output_field = IntegerField()

    def __init__(self, end, start):
        super().__init__(end, start)

    def as_sql(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, template="(%(expressions)s)", arg_joiner=" - ")

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
        )


class YearOf(Func):
    """A date's year. On SQLite, from the date's text (``YYYY-MM-DD``) with its own
    functions: Django's ``ExtractYear`` calls Python once a row there."""

    output_field = IntegerField()
    template = "CAST(EXTRACT(YEAR FROM %(expressions)s) AS INTEGER)"

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(
            compiler, connection, template="CAST(substr(%(expressions)s, 1, 4) AS INTEGER)"
        )


class MonthDayOf(Func):
    """A date column's month and day as one number, 100 × month + day (``1231`` for 31
    December), as ``YearOf`` reads it (the column is named twice)."""

    output_field = IntegerField()
    template = (
        "CAST(EXTRACT(MONTH FROM %(expressions)s) * 100 + EXTRACT(DAY FROM %(expressions)s) "
        "AS INTEGER)"
    )

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(
            compiler,
            connection,
            template="CAST(substr(%(expressions)s, 6, 2) || substr(%(expressions)s, 9, 2) "
            "AS INTEGER)",
        )


def tenths_of_years_between(end, start):
    """``rules.years_between`` in tenths, for dates with ``start`` on or before ``end``: the
    days over 365.25, to the nearest tenth (days × 40 / 1461 is never a half)."""
    return (DaysBetween(end, start) * Value(80) + Value(1461)) / Value(2922)


def school_year_started(day: str, organization: Organization):
    """The year the school year the date ``day`` falls in began, as
    ``organization.school_year_of`` finds it: the day's year, or the one before when the day
    comes before that year's first school day (a first day past a month's end falls on its
    last day, as ``coordinators.school_years`` has it)."""
    month, first = organization.school_year_start_month, organization.school_year_start_day
    year, month_day = YearOf(day), MonthDayOf(day)
    if month == 2 and first >= 29:
        # The 29th in a leap year, the 28th in a common one (where no date is the 29th).
        common = ~Q(leap_4=0) | (Q(leap_100=0) & ~Q(leap_400=0))
        on_or_after = Q(month_day__gte=229) | (Q(month_day=228) & common)
        extra = {
            "leap_4": Mod(year, Value(4)),
            "leap_100": Mod(year, Value(100)),
            "leap_400": Mod(year, Value(400)),
        }
    else:
        last = calendar.monthrange(2001, month)[1]  # any common year: February is the case above
        on_or_after, extra = Q(month_day__gte=month * 100 + min(first, last)), {}
    started = Case(
        When(on_or_after, then=year),
        default=year - Value(1),
        output_field=IntegerField(),
    )
    return {"month_day": month_day, **extra}, started


def promotion_counts(organization: Organization, ids) -> dict[tuple[str, str, float], int]:
    """(stage, cohort, years from the first day in the role) -> people (one query, grouped by
    stage, the school year the people started in and the tenths of years they took: as many
    rows as those groups, whatever the number of people)."""
    parts, started = school_year_started("profile__role_start_date", organization)
    counts: dict[tuple[str, str, float], int] = {}
    for stage, cohort, tenths, people in (
        first_promotions(ids)
        .order_by()
        .annotate(**parts)
        .annotate(
            cohort=started,
            tenths=tenths_of_years_between("effective_on", "profile__role_start_date"),
        )
        .values_list("to_stage__title", "cohort", "tenths")
        .annotate(n=Count("pk"))
    ):
        key = (stage, organization.school_year(cohort).label, tenths / 10)
        counts[key] = counts.get(key, 0) + people
    return counts


@dataclass
class RetentionReport:
    split: str
    rows: list[rules.RetentionLine]
    year_labels: dict[date, str]
    promotions: list[rules.PromotionLine]
    left_unknown: int  # people who left on a day nobody recorded, left out of the counts
    # What the people behind a number are drawn from.
    profiles: QuerySet | None = None
    splitter: Split | None = None
    organization: Organization | None = None
    ids: QuerySet | None = field(default=None)

    def people_of(self, key: str) -> tuple[str, set[int]] | None:
        """``<row key>|start`` or ``<row key>|<years later>``; None when hidden or unknown
        (one query)."""
        row_key, _, which = key.rpartition("|")
        for row in self.rows:
            if row.key != row_key or row.cells[0].hidden:
                continue
            label = f"{self.year_labels[row.year_start]}{', ' + row.split if row.split else ''}"
            if which == "start":
                return f"In the role on the first day of {label}", self._people(row, 0)
            later = int_or_none(which)
            if later is not None and 1 <= later <= len(row.cells):
                cell = row.cells[later - 1]
                if cell.still is not None:
                    return (
                        f"{label}: still in the role {later} year(s) later",
                        self._people(row, later),
                    )
        for row in self.promotions:
            if f"{row.key}|promoted" == key and not row.hidden:
                return f"Reached {row.stage} (started in {row.cohort})", self._promoted(row)
        return None

    def _people(self, row: rules.RetentionLine, later: int) -> set[int]:
        index = [year.starts for year in self.splitter.years].index(row.year_start)
        columns = self.splitter.columns()
        people = self.profiles.filter(
            ~LEFT_UNKNOWN,
            active_on(row.year_start),
            active_on(add_years(row.year_start, later)),
        ).annotate(**columns)
        return {
            values["pk"]
            for values in people.values("pk", *columns)
            if self.splitter.words(index, values) == row.split
        }

    def _promoted(self, row: rules.PromotionLine) -> set[int]:
        return {
            person
            for person, started in first_promotions(self.ids)
            .filter(to_stage__title=row.stage)
            .values_list("profile_id", "profile__role_start_date")
            if row.cohort in (rules.ALL_COHORTS, self.organization.school_year_of(started).label)
        }


def retention_report(*, organization: Organization, scope: ReportScope) -> RetentionReport:
    """Three queries: the people counted per school year and split, promotions, stages."""
    profiles = scope.profiles(CoordinatorProfile.objects.filter(organization=organization))
    ids = profiles.order_by().values("pk")
    today = timezone.localdate()
    years = [organization.school_year_of(today)]
    for _ in range(SCHOOL_YEARS_SHOWN - 1):
        years.insert(0, years[0].previous())
    splitter = Split(scope.split, years)
    counts, left_unknown = retention_counts(profiles, splitter)
    stage_order = list(
        CareerStage.objects.filter(organization=organization)
        .order_by("order")
        .values_list("title", flat=True)
    )
    return RetentionReport(
        split=scope.split,
        rows=rules.retention_lines([y.starts for y in years], counts, today),
        year_labels={year.starts: year.label for year in years},
        promotions=rules.promotion_lines(promotion_counts(organization, ids), stage_order),
        left_unknown=left_unknown,
        profiles=profiles,
        splitter=splitter,
        organization=organization,
        ids=ids,
    )
