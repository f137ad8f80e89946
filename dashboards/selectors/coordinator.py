"""A coordinator's page: their matrix over time, their heatmap row and flags as of the
latest opened cycle, and the latest matrix indicator by indicator for the printed page."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce

from assessments.models import Assessment, Rating
from coordinators.models import CoordinatorProfile
from dashboards.selectors.common import (
    CATEGORY_KEYS,
    FINALIZED,
    SUBMITTED,
    AssessmentInfo,
    DashboardRow,
    PageFacts,
    Person,
    Ref,
    assessment_infos,
    default_cycle,
    organization_cycles,
    page_facts,
)
from dashboards.selectors.team import dashboard_row
from dashboards.selectors.trends import version_labels, version_marks
from rubrics.models import Descriptor
from rubrics.vocabulary import DEFAULT_LEVEL_NAMES, Names


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


@dataclass(frozen=True, slots=True)
class Acknowledgement:
    """The coordinator said they read a finalized review, when, and what they answered."""

    at: object  # aware datetime
    response: str


def acknowledgements_by_assessment(assessment_ids) -> dict[int, Acknowledgement]:
    """The acknowledgements of those of ``assessment_ids`` that the coordinator acknowledged
    (one query)."""
    return {
        pk: Acknowledgement(at, response)
        for pk, at, response in Assessment.objects.filter(
            pk__in=list(assessment_ids), acknowledged_at__isnull=False
        ).values_list("pk", "acknowledged_at", "acknowledgement_response")
    }


@dataclass
class CoordinatorHistory:
    cycles: list[AssessmentInfo]  # submitted or finalized, oldest first
    points: list[HistoryPoint]  # one per cycle and category
    row: DashboardRow  # as of the latest cycle: current levels and flags
    latest: AssessmentInfo | None
    latest_lines: list[MatrixLine]
    names: Names
    rubric_versions: list[str] = field(default_factory=list)  # per cycle: "v1"
    version_marks: list[str] = field(
        default_factory=list
    )  # per cycle: "Rubric v2" where it changed
    acknowledgements: dict[int, Acknowledgement] = field(default_factory=dict)  # by assessment

    @property
    def finalized(self) -> list[AssessmentInfo]:
        """Every finalized assessment, oldest first."""
        return [info for info in self.cycles if info.finalized]

    def by_cycle(self) -> list[tuple]:
        """The table under the charts: each cycle with its four category points, its rubric
        version, where the version changed from the cycle before the marker's words, and the
        coordinator's acknowledgement of its review (None when not given)."""
        width = len(CATEGORY_KEYS)
        return [
            (
                info,
                self.points[index * width : (index + 1) * width],
                self.rubric_versions[index] if self.rubric_versions else "",
                self.version_marks[index] if self.version_marks else "",
                self.acknowledgements.get(info.pk),
            )
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
            "marks": list(self.version_marks) or [""] * len(labels),
            "levels": {str(v): n for v, n in sorted(self.names.levels.items())}
            or {str(v): n for v, n in DEFAULT_LEVEL_NAMES.items()},
            "categories": series,
        }


def coordinator_history(*, profile: CoordinatorProfile, context: PageFacts) -> CoordinatorHistory:
    """The matrix over time of one coordinator (three queries, plus one for the latest matrix).

    Only submitted and finalized assessments make the history; supervisor levels show once
    finalized (the coordinator sees them only then).
    """
    infos = assessment_infos(
        Assessment.objects.filter(coordinator=profile).order_by("cycle__opens_on", "pk")
    )
    shown = [info for info in infos if info.state in (SUBMITTED, FINALIZED)]
    cycle = context.cycle
    this_cycle = next((i for i in infos if cycle and i.cycle_id == cycle.pk), None)
    finalized = [
        i for i in infos if i.finalized and (cycle is None or i.opens_on <= cycle.opens_on)
    ]
    schools = [Ref(school.pk, school.name) for school in profile.schools.order_by("name")]
    row = dashboard_row(
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
    labels = version_labels({info.rubric_version_id for info in shown}) if shown else {}
    families = len({label.family for label in labels.values()}) > 1
    used = [
        [labels[info.rubric_version_id]] if info.rubric_version_id in labels else []
        for info in shown
    ]
    acknowledgements = {
        pk: Acknowledgement(at, response)
        for pk, at, response in Assessment.objects.filter(
            coordinator=profile, acknowledged_at__isnull=False
        ).values_list("pk", "acknowledged_at", "acknowledgement_response")
    }
    return CoordinatorHistory(
        acknowledgements=acknowledgements,
        rubric_versions=[", ".join(v.words(families) for v in versions) for versions in used],
        version_marks=version_marks(used, families),
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


# The page --------------------------------------------------------------------------------


@dataclass
class CoordinatorPage:
    """A coordinator's history, and the page facts it was read with (the growth panel reuses
    their stages, thresholds and names)."""

    profile: CoordinatorProfile
    facts: PageFacts
    history: CoordinatorHistory


def coordinator_page(*, profile: CoordinatorProfile) -> CoordinatorPage:
    """The coordinator's page as of their organization's latest opened cycle."""
    organization = profile.organization_id
    facts = page_facts(organization, default_cycle(organization_cycles(organization)))
    return CoordinatorPage(
        profile=profile,
        facts=facts,
        history=coordinator_history(profile=profile, context=facts),
    )
