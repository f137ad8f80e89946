"""The growth panel of a coordinator's pages: goals, supports, where they stand on the career
trajectory, and the supports the catalogue suggests for their flags."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from assessments.models import Assessment, CategoryScore
from coordinators.access import can_direct
from coordinators.models import CoordinatorProfile
from coordinators.prepared import Call, Prepared, attach, grouped
from coordinators.tenure import day_words
from dashboards import flags as flag_rules
from dashboards.models import FlagThresholds
from dashboards.read_model import PRINCIPAL_SITE, stages_read
from dashboards.selectors.common import AssessmentInfo
from growth.access import can_edit_growth
from growth.careers import (
    Readiness,
    as_stage,
    next_stage,
    stage_readiness,
    stage_span_words,
    time_in_words,
)
from growth.models import (
    CareerPosition,
    CareerStage,
    Goal,
    Support,
    SupportCatalogEntry,
    SupportKind,
)
from growth.selectors import goal_due_state
from rubrics.models import Category, CategoryKey, Level
from rubrics.text import pinned_rubric_text
from rubrics.vocabulary import DEFAULT_CATEGORY_NAMES, DEFAULT_LEVEL_NAMES, MIN_LEVEL, Names

MAX_SUGGESTIONS = 6
# For these flags the first category named is the weaker one, the one a support should serve.
WEAKER_FIRST = {flag_rules.SITE_GAP, flag_rules.SITE_AHEAD, flag_rules.SUPPORT_GAP}
NOT_FOR_SUPPORT = {
    flag_rules.READY_FOR_PROMOTION,
    flag_rules.LONG_TENURE,
    flag_rules.OVERDUE,
    flag_rules.NO_CHECK_IN,
}


@dataclass
class GoalRow:
    goal: Goal
    category_name: str
    target_level_name: str
    due: str | None  # "overdue", "due_soon" or None

    @property
    def due_label(self) -> str:
        return {"overdue": "Overdue", "due_soon": "Due soon"}.get(self.due or "", "")


@dataclass
class Suggestion:
    entry: SupportCatalogEntry
    category_name: str
    level_name: str
    reasons: list[str] = field(default_factory=list)  # short: the flag's name, not its sentence
    goal_id: int | None = None  # a goal this support would serve
    flag_codes: tuple[str, ...] = ()  # the flags it answers, explained once above the list

    @property
    def one_click(self) -> bool:
        return self.entry.kind != SupportKind.MENTORING


@dataclass
class GrowthPanel:
    profile: CoordinatorProfile
    today: date
    names: Names
    stage: CareerStage | None
    stage_since: date | None
    stage_time: str
    stage_span: str
    next_stage: CareerStage | None
    readiness: Readiness | None
    latest_cycle_name: str | None
    levels: dict[str, int | None]
    flags: list[flag_rules.Flag]
    open_goals: list[GoalRow]
    closed_goals: list[GoalRow]
    supports: list[Support]
    suggestions: list[Suggestion]
    can_edit: bool  # the coordinator themself, their director or an org admin
    can_direct: bool  # their director or an org admin: attach, promote

    @property
    def suggestion_flags(self) -> list[flag_rules.Flag]:
        """The flags the suggested supports answer, each explained once above them (several
        suggestions often answer the same flag)."""
        answered = {code for s in self.suggestions for code in s.flag_codes}
        return [flag for flag in self.flags if flag.code in answered]

    @property
    def overdue_goals(self) -> list[GoalRow]:
        return [g for g in self.open_goals if g.due == "overdue"]

    @property
    def due_soon_goals(self) -> list[GoalRow]:
        return [g for g in self.open_goals if g.due == "due_soon"]


def _named(categories: dict[str, str], levels: dict[int, str]) -> Names:
    """A version's category and level names, the default words filling any gap."""
    return Names(
        categories={**DEFAULT_CATEGORY_NAMES, **categories},
        levels={**DEFAULT_LEVEL_NAMES, **levels},
    )


def _names(version_filter: Q) -> Names:
    """Category and level names of one rubric version (two queries)."""
    return _named(
        categories=dict(Category.objects.filter(version_filter).values_list("key", "name")),
        levels=dict(Level.objects.filter(version_filter).values_list("value", "name")),
    )


def with_scores(assessments: QuerySet[Assessment]) -> QuerySet[Assessment]:
    """``assessments`` as the growth panel reads them: with their cycle, the principal's view
    of the school site and their category levels (one query more, for the levels)."""
    return (
        assessments.select_related("cycle")
        .annotate(principal_site=PRINCIPAL_SITE)
        .prefetch_related(Prefetch("category_scores", queryset=CategoryScore.objects.all()))
    )


def assessment_infos(assessments: Iterable[Assessment]) -> list[AssessmentInfo]:
    """What the growth panel needs of each assessment read through ``with_scores``: given
    newest first, returned oldest first (as ``growth_panel``'s ``finalized`` takes them)."""
    return [
        AssessmentInfo(
            pk=a.pk,
            coordinator_id=a.coordinator_id,
            cycle_id=a.cycle_id,
            cycle_name=a.cycle.name,
            opens_on=a.cycle.opens_on,
            state=a.state,
            submitted_at=a.submitted_at,
            rubric_version_id=a.rubric_version_id,
            principal_site=a.principal_site,
            scores={
                s.category_key: (s.self_level, s.supervisor_level) for s in a.category_scores.all()
            },
        )
        for a in reversed(list(assessments))
    ]


@dataclass(frozen=True)
class PanelReads:
    """What the growth panel reads of one coordinator besides the catalogue, when the page
    has read it in its own round trip (``own_growth_calls``)."""

    stages: list[CareerStage]
    thresholds: flag_rules.Thresholds
    goals: list[Goal]  # with their supports
    supports: list[Support]


# A coordinator's own growth page (the page coordinators come back to most) reads its
# history and its panel by the user's id, with the profile, in one round trip.
_OWN_ASSESSMENTS = Prepared(
    lambda _shape, user: (
        Assessment.objects.filter(coordinator__user_id=user)
        .select_related("cycle")
        .annotate(principal_site=PRINCIPAL_SITE)
        .order_by("-cycle__opens_on")
    ),
    "user",
)
_OWN_SCORES = Prepared(
    lambda _shape, user: CategoryScore.objects.filter(assessment__coordinator__user_id=user),
    "user",
)
_THRESHOLDS = Prepared(
    lambda _shape, organization: FlagThresholds.objects.filter(organization_id=organization),
    "organization",
)
_OWN_GOALS = Prepared(
    lambda _shape, user: (
        Goal.objects.filter(coordinator__user_id=user)
        .select_related("indicator")
        .order_by("target_date", "pk")
    ),
    "user",
)
_OWN_GOAL_SUPPORTS = Prepared(
    lambda _shape, user: (
        Goal.supports.through.objects.filter(goal__coordinator__user_id=user)
        .select_related("support")
        .order_by("support__title", "support_id")
    ),
    "user",
)
_OWN_SUPPORTS = Prepared(
    lambda _shape, user: (
        Support.objects.filter(coordinator__user_id=user)
        .select_related("mentor", "catalog_entry")
        .order_by("-starts_on", "-created_at")
    ),
    "user",
)


def own_growth_calls(*, user_id: int, organization_id: int) -> list[Call]:
    """The reads of a coordinator's own growth page besides the profile: their assessments
    newest first (as ``with_scores`` reads them) and the growth panel's (``own_growth``
    takes their answers, in this order)."""
    return [
        _OWN_ASSESSMENTS.call(user=user_id),
        _OWN_SCORES.call(user=user_id),
        stages_read.call(organization=organization_id),
        _THRESHOLDS.call(first=True, organization=organization_id),
        _OWN_GOALS.call(user=user_id),
        _OWN_GOAL_SUPPORTS.call(user=user_id),
        _OWN_SUPPORTS.call(user=user_id),
    ]


def own_growth(answers: list) -> tuple[list[Assessment], PanelReads]:
    """The answers of ``own_growth_calls``: the assessments with their category levels, and
    the panel's reads (for ``growth_panel``'s ``reads``)."""
    assessments, scores, stages, thresholds, goals, goal_supports, supports = answers
    attach(assessments, "category_scores", grouped(scores, "assessment_id"))
    attach(goals, "supports", grouped(goal_supports, "goal_id", "support"))
    return assessments, PanelReads(
        stages=stages,
        thresholds=flag_rules.Thresholds.from_row(thresholds),
        goals=goals,
        supports=supports,
    )


def _finalized_infos(profile: CoordinatorProfile, window: int) -> list[AssessmentInfo]:
    """The coordinator's last ``window`` finalized assessments with their category scores,
    oldest first (two queries)."""
    finalized = Assessment.objects.filter(coordinator=profile, state=Assessment.State.FINALIZED)
    return assessment_infos(with_scores(finalized).order_by("-cycle__opens_on")[:window])


def _panel_names(
    profile: CoordinatorProfile,
    finalized: list[AssessmentInfo],
    names_by_version: dict[int, Names] | None,
) -> Names:
    """The words of the latest finalized assessment's rubric version (given, else from the
    cache of published text), else those of the coordinator's published rubric."""
    latest_version = finalized[-1].rubric_version_id if finalized else None
    if latest_version is not None and names_by_version and latest_version in names_by_version:
        known = names_by_version[latest_version]
        return _named(known.categories, known.levels)
    if latest_version is not None:
        text = pinned_rubric_text(latest_version)
        return _named(
            categories={category.key: category.name for category, _ in text.categories},
            levels={level.value: level.name for level in text.levels},
        )
    return _names(
        Q(version__rubric__role_family_id=profile.role_family_id, version__state="published")
    )


def _goal_rows(
    profile: CoordinatorProfile, names: Names, today: date, goals: list[Goal] | None
) -> list[GoalRow]:
    """Every goal of the coordinator with its supports, soonest first (two queries, unless
    ``goals`` were read with them)."""
    if goals is None:
        goals = list(
            Goal.objects.filter(coordinator=profile)
            .select_related("indicator")
            .prefetch_related(
                Prefetch("supports", queryset=Support.objects.order_by("title", "pk"))
            )
            .order_by("target_date", "pk")
        )
    return [
        GoalRow(
            goal=g,
            category_name=names.category(g.category_key),
            target_level_name=names.level(g.target_level),
            due=goal_due_state(g, today),
        )
        for g in goals
    ]


def _stages_and_position(
    profile: CoordinatorProfile, stages: list[CareerStage] | None
) -> tuple[list[CareerStage], CareerPosition]:
    """The organization's career stages and the profile's career position, in one query at
    most: the position comes with the profile when it was read with ``career_position``,
    otherwise with the stages."""
    if stages is not None or CoordinatorProfile.career_position.is_cached(profile):
        position = CareerPosition.of(profile)
        if stages is None:
            stages = list(CareerStage.objects.filter(organization_id=profile.organization_id))
        return stages, position
    held = CareerPosition.objects.filter(profile_id=profile.pk, stage=OuterRef("pk"))
    stages = list(
        CareerStage.objects.filter(organization_id=profile.organization_id).annotate(
            held=Exists(held), held_since=Subquery(held.values("since")[:1])
        )
    )
    stage = next((s for s in stages if s.held), None)
    since = stage.held_since if stage else None
    return stages, CareerPosition(profile_id=profile.pk, stage=stage, since=since)


def growth_panel(
    *,
    profile: CoordinatorProfile,
    viewer,
    today: date | None = None,
    flags=None,
    stages: list[CareerStage] | None = None,
    thresholds: flag_rules.Thresholds | None = None,
    finalized: list[AssessmentInfo] | None = None,
    names_by_version: dict[int, Names] | None = None,
    reads: PanelReads | None = None,
) -> GrowthPanel:
    """Everything the growth panel shows for one coordinator, in at most nine queries whatever
    the number of goals, supports, assessments or catalogue entries (seven once the latest
    finalized version's words are in the cache, where its names come from).

    A page that has already loaded some of it passes it in rather than have it read twice
    (the coordinator page, from its page context and history); whatever is left out is loaded
    here. ``flags``: the coordinator's current flags (otherwise the category flags are computed
    from the finalized history); ``stages``: the organization's career stages; ``thresholds``:
    its flag thresholds; ``finalized``: the coordinator's assessments with their category
    scores, oldest first (only the finalized ones count); ``names_by_version``: the category
    and level names of the organization's rubric versions; ``reads``: the stages, thresholds,
    goals and supports, read by the page (``own_growth``), leaving only the catalogue's query.
    """
    today = today or timezone.localdate()
    if reads is not None:
        stages, thresholds = reads.stages, reads.thresholds
    stages, position = _stages_and_position(profile, stages)
    stage = next((s for s in stages if s.pk == position.stage_id), None)
    upcoming = next_stage(stages, stage) if stages else None
    if thresholds is None:
        thresholds = flag_rules.Thresholds.from_row(
            FlagThresholds.objects.filter(organization_id=profile.organization_id).first()
        )
    window = max(thresholds.stalled_cycles, 2)

    if finalized is None:
        finalized = _finalized_infos(profile, window)
    finalized = [info for info in finalized if info.finalized][-window:]
    names = _panel_names(profile, finalized, names_by_version)
    history = [info.category_levels(names) for info in finalized]
    latest = history[-1] if history else None
    levels = dict(latest.levels) if latest else dict.fromkeys(CategoryKey.values)

    if flags is None:
        facts = flag_rules.CoordinatorFacts(
            today=today,
            role_start_date=profile.role_start_date,
            current=latest,
            finalized_history=history,
            stage=as_stage(stage),
            next_stage=as_stage(upcoming),
        )
        flags = flag_rules.flags_for(facts, thresholds)

    readiness = stage_readiness(
        stage=as_stage(upcoming),
        levels=latest.levels if latest else None,
        role_start_date=profile.role_start_date,
        today=today,
        names=names,
        based_on=f"the {latest.cycle_name} review" if latest else None,
    )

    rows = _goal_rows(profile, names, today, reads.goals if reads else None)
    supports = (
        reads.supports
        if reads is not None
        else list(
            Support.objects.filter(coordinator=profile)
            .select_related("mentor", "catalog_entry")
            .order_by("-starts_on", "-created_at")
        )
    )
    open_rows = [r for r in rows if r.goal.status == Goal.Status.OPEN]
    suggestions = _suggestions(
        profile=profile,
        names=names,
        levels=levels,
        goals=[r.goal for r in open_rows],
        flags=flags,
        readiness=readiness,
        attached={s.catalog_entry_id for s in supports if s.catalog_entry_id},
    )
    directs = can_direct(viewer, profile)
    return GrowthPanel(
        profile=profile,
        today=today,
        names=names,
        stage=stage,
        stage_since=position.since if stage else None,
        stage_time=time_in_words(position.since, today) if stage else "",
        stage_span=stage_span_words(stage) if stage else "",
        next_stage=upcoming,
        readiness=readiness,
        latest_cycle_name=latest.cycle_name if latest else None,
        levels=levels,
        flags=list(flags),
        open_goals=open_rows,
        closed_goals=[r for r in rows if r.goal.status != Goal.Status.OPEN],
        supports=supports,
        suggestions=suggestions,
        can_edit=can_edit_growth(viewer, profile),
        can_direct=directs,
    )


def _suggestions(*, profile, names, levels, goals, flags, readiness, attached) -> list[Suggestion]:
    """Catalogue entries for the categories where the coordinator has an open goal, a flag or
    an unmet requirement of the next stage, at their current level there (one query)."""
    reasons: dict[str, list[tuple[str, int | None]]] = {}
    flag_codes: dict[str, list[str]] = {}
    for goal in goals:
        reasons.setdefault(goal.category_key, []).append(
            (
                f"Goal: {names.category(goal.category_key)} to {names.level(goal.target_level)} "
                f"by {day_words(goal.target_date)}",
                goal.pk,
            )
        )
    for flag in flags:
        if flag.code in NOT_FOR_SUPPORT or not flag.categories:
            continue
        keys = flag.categories[:1] if flag.code in WEAKER_FIRST else flag.categories
        for key in keys:
            reasons.setdefault(key, []).append((f"Flag: {flag.label}", None))
            flag_codes.setdefault(key, []).append(flag.code)
    if readiness is not None:
        for requirement in readiness.unmet:
            if requirement.category_key:
                reasons.setdefault(requirement.category_key, []).append(
                    (
                        f"Next stage: {readiness.stage_title} needs {requirement.needed} in "
                        f"{requirement.label}",
                        None,
                    )
                )
    if not reasons:
        return []
    wanted = Q()
    for key in reasons:
        wanted |= Q(category_key=key, level=levels.get(key) or MIN_LEVEL)
    entries = SupportCatalogEntry.objects.filter(wanted, organization_id=profile.organization_id)
    suggestions = []
    for entry in entries.exclude(pk__in=attached).order_by("category_key", "title"):
        why = reasons[entry.category_key]
        suggestions.append(
            Suggestion(
                entry=entry,
                category_name=names.category(entry.category_key),
                level_name=names.level(entry.level),
                reasons=list(dict.fromkeys(text for text, _goal in why)),
                goal_id=next((goal for _text, goal in why if goal), None),
                flag_codes=tuple(dict.fromkeys(flag_codes.get(entry.category_key, ()))),
            )
        )
    suggestions.sort(key=lambda s: (-len(s.reasons), s.entry.category_key, s.entry.title))
    return suggestions[:MAX_SUGGESTIONS]
