"""Calibration across directors: per director (or per team), the supervisor levels given in
finalized reviews beside the organization's, the mean supervisor-minus-self difference, the
share of ratings finalized with neither evidence nor a supervisor note, and the share of
reviews finalized within the review window. Counts and sums are aggregated in the database
(a fixed number of queries); the arithmetic is in dashboards/report_rules.py."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, F, Q, QuerySet, Sum

from assessments.models import Assessment
from coordinators.models import CoordinatorProfile, Organization
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


def calibration_report(
    *, organization: Organization, scope: ReportScope, cycles: list, viewer=None, directing=()
) -> CalibrationReport:
    """Two queries, over the read model's rows of the finalized reviews. ``viewer`` is a
    director who sees their own figures (the teams they direct, ``directing``) and the others
    anonymised; None for an org admin, who sees all. ``cycles``: the organization's opened
    cycles, oldest first."""
    chosen = [cycle.pk for cycle in scope.cycles_between(cycles)]
    profiles = scope.profiles(CoordinatorProfile.objects.filter(organization=organization))
    assessments = Assessment.objects.filter(
        coordinator__in=profiles.order_by().values("pk"), cycle__in=chosen, state=FINALIZED
    )
    # The read model's rows of those reviews: each holds its review's supervisor and self
    # levels and its rating counts, and joins its assessment for the team and the days.
    rows = CoordinatorCycleRow.objects.filter(
        organization=organization,
        cycle__in=chosen,
        status=FINALIZED,
        coordinator__in=profiles.order_by().values("pk"),
    )
    by_team = scope.group == "team"
    key_field = "team_id" if by_team else "team__director_id"
    raters: dict = {}
    organization_figures = rules.RaterFigures(ORGANIZATION, "Organization")

    def rater(key) -> rules.RaterFigures:
        return raters.setdefault(key, rules.RaterFigures(key, NO_DIRECTOR))

    # A review is finalized within the window when at most that many days passed after it
    # was submitted (the row keeps how long it took, exactly, in microseconds).
    in_window = Q(review_microseconds__lte=F("cycle__review_window_days") * MICROSECONDS_A_DAY)
    # Per rater and category: the ratings per supervisor level, and of those with a self
    # level too, the sum of the differences and how many.
    per_category = {}
    for key in CATEGORY_KEYS:
        supervisor, own = f"supervisor_level_{key}", f"self_level_{key}"
        both = Q(**{f"{supervisor}__isnull": False, f"{own}__isnull": False})
        for level in LEVEL_VALUES:
            per_category[f"{key}_{level}"] = Count("pk", filter=Q(**{supervisor: level}))
        per_category[f"{key}_total"] = Sum(F(supervisor) - F(own), filter=both)
        per_category[f"{key}_compared"] = Count("pk", filter=both)
    names = (
        ["assessment__team__name"] * 3
        if by_team
        else [
            f"assessment__team__director__{name}" for name in ("first_name", "last_name", "email")
        ]
    )
    for values in (
        rows.values(f"assessment__{key_field}", *names)
        .annotate(
            people=Count("coordinator", distinct=True),
            reviews=Count("pk"),
            in_window=Count("pk", filter=in_window),
            total=Sum("ratings"),
            bare=Sum("ratings_bare"),
            **per_category,
        )
        .order_by()
    ):
        key = values[f"assessment__{key_field}"]
        name_a, name_b, name_c = (values[name] for name in names)
        figures = rater(key)
        if key is not None:
            figures.name = name_a if by_team else (f"{name_a} {name_b}".strip() or name_c)
        figures.people += values["people"]  # one row per rater: the names are the rater's
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
