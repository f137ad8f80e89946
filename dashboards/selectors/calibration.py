"""Calibration across directors: per director (or per team), the supervisor levels given in
finalized reviews beside the organization's, the mean supervisor-minus-self difference, the
share of ratings finalized with neither evidence nor a supervisor note, and the share of
reviews finalized within the review window. Counts and sums are aggregated in the database
(a fixed number of queries); the arithmetic is in dashboards/report_rules.py."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page, Paginator
from django.db import connections
from django.db.models import F, QuerySet

from assessments.models import Assessment
from coordinators.models import CoordinatorProfile, Organization, Team, User
from dashboards import report_rules as rules
from dashboards.models import CoordinatorCycleRow
from dashboards.report_filters import ReportScope
from rubrics.vocabulary import CATEGORY_KEYS, DEFAULT_NAMES, MAX_LEVEL, MIN_LEVEL

FINALIZED = Assessment.State.FINALIZED
ORGANIZATION = "organization"
NO_DIRECTOR = "No director"
LEVEL_VALUES = range(MIN_LEVEL, MAX_LEVEL + 1)


RATERS_SHOWN = 25  # directors or teams on a page of the report (the export holds them all)
MICROSECONDS_A_DAY = 86_400_000_000
COUNT_BITS = 20  # a rater's reviews at one level, as bits of a sum: fewer than a million
WIDEST = MAX_LEVEL - MIN_LEVEL  # the widest difference between a supervisor and a self level


@dataclass
class CalibrationReport:
    group: str  # "director" or "team"
    organization: rules.RaterFigures
    ranked: list[tuple[rules.RaterFigures, float | None, str | None]]
    labels: dict  # rater key -> the name shown (others anonymised for a director)
    own: set = field(default_factory=set)  # the keys whose people the viewer may see
    category_names: dict[str, str] = field(default_factory=dict)
    level_names: dict[int, str] = field(default_factory=dict)

    assessments: QuerySet | None = None  # the finalized reviews counted
    key_field: str = "team__director_id"
    raters_page: Page | None = None  # which raters of the order ``ranked`` holds; None: all

    def people_of(self, key: str) -> tuple[str, set[int]] | None:
        """``<rater key>|people``: the people whose finalized reviews a rater's figures count
        (one query)."""
        wanted, _, which = key.rpartition("|")
        for rater, _gap, _category in self.ranked:
            if str(rater.key) == wanted and which == "people" and not rater.hidden:
                if rater.key in self.own:
                    people = self.assessments.filter(**{self.key_field: rater.key})
                    ids = set(people.values_list("coordinator_id", flat=True).distinct())
                    return f"Reviewed by {self.labels[rater.key]}", ids
        return None


REVIEWED_COLUMNS = [
    "coordinator_id",
    "cycle_id",
    "review_microseconds",
    "ratings",
    "ratings_bare",
    *(f"{who}_level_{key}" for who in ("supervisor", "self") for key in CATEGORY_KEYS),
]


def rater_counts(
    rows: QuerySet[CoordinatorCycleRow], cycles: list, by_team: bool
) -> tuple[list[str], list[tuple]]:
    """Per rater (the rows' review team, or its director), the people, the reviews, those
    within the window, the ratings per supervisor level, the supervisor-minus-self sums and
    the rating counts, with the rater's names and the distinct people of all the rows
    (``everyone``, on every row): the columns and one row per rater (``rater_figures`` reads
    one). One query: the rows grouped by the rater they keep, only the groups joined to the team or
    director for the names. The counts are written as SQL over the rows' query: built from
    ``Q`` filters, its thirty aggregates took Django longer to compile than the database to
    count."""
    kept = "review_team_id" if by_team else "review_director_id"
    try:
        reviewed, params = rows.values(*REVIEWED_COLUMNS, rater=F(kept)).query.sql_with_params()
    except EmptyResultSet:  # no cycle opened yet
        return [], []
    connection = connections[rows.db]
    name = connection.ops.quote_name
    # A review is finalized within the window when at most that many days passed after it
    # was submitted (the row keeps how long it took, exactly, in microseconds).
    window = " ".join(
        f"WHEN {int(cycle.pk)} THEN {int(cycle.review_window_days) * MICROSECONDS_A_DAY}"
        for cycle in cycles
    )
    counts = [
        f"{name('rater')}",
        f"COUNT(DISTINCT {name('coordinator_id')}) AS {name('people')}",
        f"COUNT(*) AS {name('reviews')}",
        f"COUNT(CASE WHEN {name('review_microseconds')} <= CASE {name('cycle_id')} {window} END "
        f"THEN 1 END) AS {name('in_window')}",
        f"SUM({name('ratings')}) AS {name('total')}",
        f"SUM({name('ratings_bare')}) AS {name('bare')}",
    ]
    # Per category, in the bits of two sums (``COUNT_BITS`` each: fewer aggregates per row,
    # the most of the query's time): the ratings per supervisor level, and of those with a
    # self level too, how many and the sum of their differences (each moved up by the widest
    # difference, so never below zero, then moved back).
    for key in CATEGORY_KEYS:
        supervisor, own = name(f"supervisor_level_{key}"), name(f"self_level_{key}")
        levels = " ".join(
            f"WHEN {level} THEN {1 << (COUNT_BITS * index)}"
            for index, level in enumerate(LEVEL_VALUES)
        )
        counts.append(f"SUM(CASE {supervisor} {levels} ELSE 0 END) AS {name(f'{key}_levels')}")
        counts.append(
            f"SUM(CASE WHEN {supervisor} IS NOT NULL AND {own} IS NOT NULL "
            f"THEN {1 << (2 * COUNT_BITS)} + {supervisor} - {own} + {WIDEST} ELSE 0 END) "
            f"AS {name(f'{key}_compared')}"
        )
    if by_team:
        names, table = ["name", "name", "name"], Team._meta.db_table
    else:
        names, table = ["first_name", "last_name", "email"], User._meta.db_table
    named = ", ".join(
        f"{name('named')}.{name(column)} AS {name(alias)}"
        for column, alias in zip(names, ("name_a", "name_b", "name_c"), strict=True)
    )
    everyone = (
        f"(SELECT COUNT(DISTINCT {name('coordinator_id')}) FROM ({reviewed}) {name('all_rows')})"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {name('counted')}.*, {named}, {everyone} AS {name('everyone')} "
            f"FROM (SELECT {', '.join(counts)} FROM ({reviewed}) {name('reviewed')} "
            f"GROUP BY {name('rater')}) {name('counted')} "
            f"LEFT JOIN {name(table)} {name('named')} "
            f"ON {name('named')}.{name('id')} = {name('counted')}.{name('rater')}",
            (*params, *params),
        )
        columns = [column[0] for column in cursor.description]
        return columns, cursor.fetchall()


def rater_figures(columns: list[str], counted: tuple, by_team: bool) -> rules.RaterFigures:
    """One rater's figures from their row of ``rater_counts`` (the sums' bits unpacked)."""
    values = dict(zip(columns, counted, strict=True))
    key = values["rater"]
    figures = rules.RaterFigures(key, NO_DIRECTOR)
    if key is not None:
        name_a, name_b, name_c = values["name_a"], values["name_b"], values["name_c"]
        figures.name = name_a if by_team else (f"{name_a} {name_b}".strip() or name_c)
    figures.people = values["people"]
    figures.reviews = values["reviews"]
    figures.reviews_in_window = values["in_window"]
    figures.ratings = values["total"] or 0
    figures.ratings_bare = values["bare"] or 0
    each, low = (1 << COUNT_BITS) - 1, (1 << (2 * COUNT_BITS)) - 1
    for category in CATEGORY_KEYS:
        levels = int(values[f"{category}_levels"] or 0)
        for index, level in enumerate(LEVEL_VALUES):
            count = levels >> (COUNT_BITS * index) & each
            if count:
                figures.levels.setdefault(category, {})[level] = count
        compared_sum = int(values[f"{category}_compared"] or 0)
        compared = compared_sum >> (2 * COUNT_BITS)
        if compared:
            figures.difference_count[category] = compared
            figures.difference_sum[category] = (compared_sum & low) - WIDEST * compared
    return figures


def _add(target: rules.RaterFigures, figures: rules.RaterFigures) -> None:
    """Adds a rater's reviews, ratings and levels (not their people) to ``target``."""
    target.reviews += figures.reviews
    target.reviews_in_window += figures.reviews_in_window
    target.ratings += figures.ratings
    target.ratings_bare += figures.ratings_bare
    for category, counts in figures.levels.items():
        totals = target.levels.setdefault(category, {})
        for level, count in counts.items():
            totals[level] = totals.get(level, 0) + count
    for category, compared in figures.difference_count.items():
        sums, numbers = target.difference_sum, target.difference_count
        sums[category] = sums.get(category, 0) + figures.difference_sum[category]
        numbers[category] = numbers.get(category, 0) + compared


def calibration_report(
    *,
    organization: Organization,
    scope: ReportScope,
    cycles: list,
    viewer=None,
    directing=(),
    page: str | int | None = None,
) -> CalibrationReport:
    """Two queries, over the read model's rows of the finalized reviews. ``viewer`` is a
    director who sees their own figures (the teams they direct, ``directing``) and the others
    anonymised; None for an org admin, who sees all. ``cycles``: the organization's opened
    cycles, oldest first. ``page``: which ``RATERS_SHOWN`` raters of the order to show (the
    page's number, as its address gives it); None for all of them."""
    chosen = scope.cycles_between(cycles)
    profiles = scope.profiles(CoordinatorProfile.objects.filter(organization=organization))
    assessments = Assessment.objects.filter(
        coordinator__in=profiles.order_by().values("pk"),
        cycle__in=[cycle.pk for cycle in chosen],
        state=FINALIZED,
    )
    # The read model's rows of those reviews: each holds its review's supervisor and self
    # levels, its rating counts, how long it took, and its team and that team's director.
    rows = CoordinatorCycleRow.objects.filter(
        organization=organization, cycle__in=[cycle.pk for cycle in chosen], status=FINALIZED
    )
    if scope.narrows_people:
        rows = rows.filter(coordinator__in=profiles.order_by().values("pk"))
    by_team = scope.group == "team"
    key_field = "team_id" if by_team else "team__director_id"
    columns, counted = rater_counts(rows, chosen, by_team)
    organization_figures = rules.RaterFigures(ORGANIZATION, "Organization")
    for row in counted:  # one row per rater, those without a director too
        _add(organization_figures, rater_figures(columns, row, by_team))
    organization_figures.people = counted[0][columns.index("everyone")] if counted else 0
    # Every rater's place, but the figures of the page's raters only: a rater's figures are
    # made again from its row when it is shown.
    key_at = columns.index("rater") if counted else 0  # no column at all before a cycle opens
    places = sorted(
        (
            (
                rules.rater_place(
                    rater_figures(columns, row, by_team), organization_figures, CATEGORY_KEYS
                ),
                index,
            )
            for index, row in enumerate(counted)
            if row[key_at] is not None
        ),
        key=lambda entry: entry[0].order,
    )
    shown = places if page is None else Paginator(places, RATERS_SHOWN).get_page(page)
    ranked = [
        (rater_figures(columns, counted[index], by_team), place.gap, place.category)
        for place, index in shown
    ]
    directing = set(directing)
    if viewer is None:
        labels = {figures.key: figures.name for figures, _g, _c in ranked}
        own = set(labels)
    else:
        mine = directing if by_team else {viewer.pk}
        every = rules.anonymised(
            [place for place, _index in places], mine, "Team" if by_team else "Director"
        )
        labels = {figures.key: every[figures.key] for figures, _g, _c in ranked}
        own = mine
    # Across role families (each rubric may word its categories its own way): the defaults.
    names = DEFAULT_NAMES
    return CalibrationReport(
        group=scope.group,
        organization=organization_figures,
        ranked=ranked,
        labels=labels,
        own=own,
        category_names={key: names.category(key) for key in CATEGORY_KEYS},
        level_names={value: names.level(value) for value in (1, 2, 3)},
        assessments=assessments,
        key_field=key_field,
        raters_page=None if page is None else shown,
    )
