"""Calibration across directors: per director (or per team), the supervisor levels given in
finalized reviews beside the organization's, the mean supervisor-minus-self difference, the
share of ratings finalized with neither evidence nor a supervisor note, and the share of
reviews finalized within the review window. Counts and sums are aggregated in the database
(a fixed number of queries); the arithmetic is in dashboards/report_rules.py."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Count, F, Q, QuerySet, Sum

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


MICROSECONDS_A_DAY = 86_400_000_000


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


def rater_counts(rows: QuerySet[CoordinatorCycleRow], cycles: list, by_team: bool) -> list[dict]:
    """Per rater (the rows' review team, or its director), the people, the reviews, those
    within the window, the ratings per supervisor level, the supervisor-minus-self sums and
    the rating counts, with the rater's names (one query: the rows grouped by the rater they
    keep, and only the groups joined to the team or director for the names)."""
    # A review is finalized within the window when at most that many days passed after it
    # was submitted (the row keeps how long it took, exactly, in microseconds): one
    # comparison per cycle, so no row joins its cycle.
    in_window = Q(pk__isnull=True)  # never: or'ed with each cycle's window
    for cycle in cycles:
        in_window |= Q(
            cycle_id=cycle.pk,
            review_microseconds__lte=cycle.review_window_days * MICROSECONDS_A_DAY,
        )
    # Per category: the ratings per supervisor level, and of those with a self level too,
    # the sum of the differences and how many.
    per_category = {}
    for key in CATEGORY_KEYS:
        supervisor, own = f"supervisor_level_{key}", f"self_level_{key}"
        both = Q(**{f"{supervisor}__isnull": False, f"{own}__isnull": False})
        for level in LEVEL_VALUES:
            per_category[f"{key}_{level}"] = Count("pk", filter=Q(**{supervisor: level}))
        per_category[f"{key}_total"] = Sum(F(supervisor) - F(own), filter=both)
        per_category[f"{key}_compared"] = Count("pk", filter=both)
    kept = "review_team_id" if by_team else "review_director_id"
    grouped = (
        rows.values(rater=F(kept))
        .annotate(
            people=Count("coordinator", distinct=True),
            reviews=Count("pk"),
            in_window=Count("pk", filter=in_window),
            total=Sum("ratings"),
            bare=Sum("ratings_bare"),
            **per_category,
        )
        .order_by()
    )
    connection = connections[rows.db]
    name = connection.ops.quote_name
    if by_team:
        names, table = ["name", "name", "name"], Team._meta.db_table
    else:
        names, table = ["first_name", "last_name", "email"], User._meta.db_table
    named = ", ".join(
        f"{name('named')}.{name(column)} AS {name(alias)}"
        for column, alias in zip(names, ("name_a", "name_b", "name_c"), strict=True)
    )
    try:
        inner, params = grouped.query.sql_with_params()
    except EmptyResultSet:  # no cycle opened yet
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {name('counted')}.*, {named} FROM ({inner}) {name('counted')} "
            f"LEFT JOIN {name(table)} {name('named')} "
            f"ON {name('named')}.{name('id')} = {name('counted')}.{name('rater')}",
            params,
        )
        columns = [column[0] for column in cursor.description]
        return [dict(zip(columns, values, strict=True)) for values in cursor.fetchall()]


def calibration_report(
    *, organization: Organization, scope: ReportScope, cycles: list, viewer=None, directing=()
) -> CalibrationReport:
    """Two queries, over the read model's rows of the finalized reviews. ``viewer`` is a
    director who sees their own figures (the teams they direct, ``directing``) and the others
    anonymised; None for an org admin, who sees all. ``cycles``: the organization's opened
    cycles, oldest first."""
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
        organization=organization,
        cycle__in=[cycle.pk for cycle in chosen],
        status=FINALIZED,
        coordinator__in=profiles.order_by().values("pk"),
    )
    by_team = scope.group == "team"
    key_field = "team_id" if by_team else "team__director_id"
    raters: dict = {}
    organization_figures = rules.RaterFigures(ORGANIZATION, "Organization")

    def rater(key) -> rules.RaterFigures:
        return raters.setdefault(key, rules.RaterFigures(key, NO_DIRECTOR))

    for values in rater_counts(rows, chosen, by_team):
        key = values["rater"]
        figures = rater(key)
        if key is not None:
            name_a, name_b, name_c = values["name_a"], values["name_b"], values["name_c"]
            figures.name = name_a if by_team else (f"{name_a} {name_b}".strip() or name_c)
        figures.people += values["people"]  # one row per rater
        for target in (figures, organization_figures):
            target.reviews += values["reviews"]
            target.reviews_in_window += values["in_window"]
            target.ratings += values["total"]
            target.ratings_bare += values["bare"]
            for category in CATEGORY_KEYS:
                for level in LEVEL_VALUES:
                    count = values[f"{category}_{level}"]
                    if count:
                        counts = target.levels.setdefault(category, {})
                        counts[level] = counts.get(level, 0) + count
                compared = values[f"{category}_compared"]
                if compared:
                    sums, numbers = target.difference_sum, target.difference_count
                    sums[category] = sums.get(category, 0) + values[f"{category}_total"]
                    numbers[category] = numbers.get(category, 0) + compared
    organization_figures.people = rows.aggregate(n=Count("coordinator", distinct=True))["n"]
    ranked = rules.calibration_order(
        [figures for key, figures in raters.items() if key is not None],
        organization_figures,
        CATEGORY_KEYS,
    )
    directing = set(directing)
    if viewer is None:
        labels = {figures.key: figures.name for figures, _g, _c in ranked}
        own = set(labels)
    else:
        mine = directing if by_team else {viewer.pk}
        labels = rules.anonymised(
            [figures for figures, _g, _c in ranked], mine, "Team" if by_team else "Director"
        )
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
    )
