"""Reads of the mentoring programme: who needs a mentor, the suggested mentors for one of them
(the pure score of growth/matching.py over plain data), and the matches. Each is a fixed
number of queries whatever the size of the organization."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from assessments.models import Assessment, CategoryScore
from coordinators.models import CoordinatorProfile, User
from coordinators.tenure import day_words
from growth.matching import MenteeFacts, MentorCandidate, MentorSuggestion, suggest_mentors
from growth.models import MentoringMatch, MentoringProgramme, MentorNeed, MentorOffer
from rubrics.models import Level
from rubrics.vocabulary import DEFAULT_LEVEL_NAMES, DEVELOPMENT, MIN_LEVEL, Names

FIRST_YEAR_DAYS = 365


def _active(day: date) -> Q:
    return Q(ends_on__isnull=True) | Q(ends_on__gte=day)


def _latest_development(profile_ref) -> Subquery:
    return Subquery(
        CategoryScore.objects.filter(
            assessment__coordinator=profile_ref,
            assessment__state=Assessment.State.FINALIZED,
            category_key=DEVELOPMENT,
        )
        .order_by("-assessment__cycle__opens_on", "-assessment_id")
        .values("supervisor_level")[:1]
    )


def needing_a_mentor(profiles: QuerySet[CoordinatorProfile], today: date | None = None):
    """The active coordinators of ``profiles`` without an active match who need a mentor:
    chosen by their director, new in role (their first year), or flagged with a development
    gap (Development at Novice in their latest review, after the first year). A queryset, to
    page; each row carries ``chosen``, ``dev_level`` and ``role_start_date`` for the reasons."""
    today = today or timezone.localdate()
    year_ago = today - timedelta(days=FIRST_YEAR_DAYS)
    return (
        profiles.filter(active=True)
        .annotate(
            chosen=Exists(MentorNeed.objects.filter(profile=OuterRef("pk"))),
            matched=Exists(
                MentoringMatch.objects.filter(
                    _active(today), mentee=OuterRef("pk"), starts_on__lte=today
                )
            ),
            dev_level=_latest_development(OuterRef("pk")),
        )
        .filter(
            Q(chosen=True)
            | Q(role_start_date__gt=year_ago)
            | Q(dev_level=MIN_LEVEL, role_start_date__lte=year_ago),
            matched=False,
        )
        .select_related("user", "team")
        .order_by("user__last_name", "user__first_name", "pk")
    )


def need_reasons(profile, today: date | None = None) -> list[str]:
    """Why a row of ``needing_a_mentor`` needs a mentor, in words."""
    today = today or timezone.localdate()
    reasons = []
    if profile.chosen:
        reasons.append("Chosen by their director")
    if profile.role_start_date > today - timedelta(days=FIRST_YEAR_DAYS):
        reasons.append(f"New in role (since {day_words(profile.role_start_date)})")
    elif profile.dev_level == MIN_LEVEL:
        reasons.append("Development gap: Development at Novice after the first year")
    return reasons


def _latest_levels(profile_ids) -> dict[int, dict[str, int | None]]:
    """The agreed levels of each coordinator's latest finalized review (one query)."""
    latest = (
        Assessment.objects.filter(coordinator__in=profile_ids, state=Assessment.State.FINALIZED)
        .annotate(
            recency=Window(
                RowNumber(),
                partition_by=[F("coordinator_id")],
                order_by=[F("cycle__opens_on").desc(), F("pk").desc()],
            )
        )
        .filter(recency=1)
    )
    levels: dict[int, dict[str, int | None]] = defaultdict(dict)
    for coordinator_id, key, own, supervisor in CategoryScore.objects.filter(
        assessment__in=latest.values("pk")
    ).values_list("assessment__coordinator_id", "category_key", "self_level", "supervisor_level"):
        levels[coordinator_id][key] = supervisor if supervisor is not None else own
    return levels


def _school_kinds(profile_ids) -> dict[int, tuple[set[str], set[str]]]:
    kinds: dict[int, tuple[set[str], set[str]]] = defaultdict(lambda: (set(), set()))
    for profile_id, level, setting in CoordinatorProfile.schools.through.objects.filter(
        coordinatorprofile_id__in=profile_ids
    ).values_list("coordinatorprofile_id", "school__level", "school__setting"):
        kinds[profile_id][0].add(level)
        kinds[profile_id][1].add(setting)
    return kinds


def may_mentor(programme: MentoringProgramme) -> QuerySet[User]:
    """People the programme lets mentor: at one of its career stages, or who offered."""
    return User.objects.filter(
        Q(profile__career_position__stage__in=programme.mentor_stages.all())
        | Q(pk__in=MentorOffer.objects.values("user_id")),
        organization_id=programme.organization_id,
        is_active=True,
    ).distinct()


@dataclass
class SuggestionsPage:
    programme: MentoringProgramme
    suggestions: list[MentorSuggestion]
    mentee: MenteeFacts
    names: Names


def mentor_suggestions(
    *, profile: CoordinatorProfile, programme: MentoringProgramme, today: date | None = None
) -> SuggestionsPage:
    """The mentors suggested for ``profile``, best first, with the score's reasons (seven
    queries, whatever the number of people)."""
    today = today or timezone.localdate()
    candidates = list(
        may_mentor(programme).values_list(
            "pk", "first_name", "last_name", "email", "profile__pk", "profile__role_family_id"
        )
    )
    profile_ids = [row[4] for row in candidates if row[4]] + [profile.pk]
    levels = _latest_levels(profile_ids)
    kinds = _school_kinds(profile_ids)
    counts: dict[int, int] = defaultdict(int)
    for mentor_id in MentoringMatch.objects.filter(
        _active(today), starts_on__lte=today, mentor_id__in=[row[0] for row in candidates]
    ).values_list("mentor_id", flat=True):
        counts[mentor_id] += 1
    current = set(
        MentoringMatch.objects.filter(_active(today), mentee=profile).values_list(
            "mentor_id", flat=True
        )
    )
    own_levels, own_settings = kinds[profile.pk]
    mentee = MenteeFacts(
        user_id=profile.user_id,
        levels=levels.get(profile.pk, {}),
        school_levels=frozenset(own_levels),
        settings=frozenset(own_settings),
        role_family_id=profile.role_family_id,
        director_id=profile.team.director_id if profile.team_id else None,
        current_mentor_ids=frozenset(current),
    )
    pool = []
    for pk, first, last, email, profile_id, family_id in candidates:
        school_levels, settings = kinds[profile_id] if profile_id else (set(), set())
        pool.append(
            MentorCandidate(
                user_id=pk,
                name=f"{first} {last}".strip() or email,
                levels=levels.get(profile_id, {}) if profile_id else {},
                school_levels=frozenset(school_levels),
                settings=frozenset(settings),
                role_family_id=family_id,
                mentees=counts[pk],
                capacity=programme.capacity,
            )
        )
    level_names = dict(
        Level.objects.filter(
            version__rubric__role_family_id=profile.role_family_id, version__state="published"
        ).values_list("value", "name")
    )
    names = Names(levels={**DEFAULT_LEVEL_NAMES, **level_names})
    return SuggestionsPage(
        programme=programme,
        suggestions=suggest_mentors(mentee, pool, names),
        mentee=mentee,
        names=names,
    )
