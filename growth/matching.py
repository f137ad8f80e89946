"""Mentor suggestions, as a pure function of plain data (no database).

The score of a suggested mentor for a mentee, each part said in words:

- 3 points for every category where the mentor is Expert and the mentee Novice (the
  categories are named);
- 2 points when they work at schools of the same level, 2 more for the same setting;
- 2 points for the same role family.

Never suggested: the mentee themself, the mentee's director, a mentor already matched with
the mentee, and anyone at capacity. Equal scores keep the order of names (then ids), so the
list is stable.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from rubrics.vocabulary import CATEGORY_KEYS, DEFAULT_NAMES, MAX_LEVEL, MIN_LEVEL, Names

EXPERT_WHERE_NOVICE = 3
SAME_SCHOOL_LEVEL = 2
SAME_SETTING = 2
SAME_ROLE_FAMILY = 2


@dataclass(frozen=True, slots=True)
class MentorCandidate:
    """Someone who may mentor: their latest agreed levels (empty when they have none), the
    levels and settings of their schools, role family, mentees now and how many they take."""

    user_id: int
    name: str
    levels: Mapping[str, int | None] = field(default_factory=dict)
    school_levels: frozenset[str] = frozenset()
    settings: frozenset[str] = frozenset()
    role_family_id: int | None = None
    mentees: int = 0
    capacity: int = 2


@dataclass(frozen=True, slots=True)
class MenteeFacts:
    user_id: int
    levels: Mapping[str, int | None] = field(default_factory=dict)
    school_levels: frozenset[str] = frozenset()
    settings: frozenset[str] = frozenset()
    role_family_id: int | None = None
    director_id: int | None = None
    current_mentor_ids: frozenset[int] = frozenset()


@dataclass(frozen=True, slots=True)
class MentorSuggestion:
    user_id: int
    name: str
    score: int
    reasons: tuple[str, ...]
    places_left: int


def _words(items: Sequence[str]) -> str:
    """``"a, b and c"``; never called with no items."""
    if len(items) == 1:
        return items[0]
    return f"{', '.join(items[:-1])} and {items[-1]}"


def score_mentor(
    mentee: MenteeFacts, mentor: MentorCandidate, names: Names = DEFAULT_NAMES
) -> tuple[int, tuple[str, ...]]:
    """The documented score of ``mentor`` for ``mentee`` and its reasons in words."""
    strong = [
        key
        for key in CATEGORY_KEYS
        if mentor.levels.get(key) == MAX_LEVEL and mentee.levels.get(key) == MIN_LEVEL
    ]
    score, reasons = EXPERT_WHERE_NOVICE * len(strong), []
    if strong:
        categories = _words([names.category(key) for key in strong])
        reasons.append(
            f"{names.level(MAX_LEVEL)} where the mentee is {names.level(MIN_LEVEL)}: {categories}"
        )
    levels = sorted(mentee.school_levels & mentor.school_levels)
    if levels:
        score += SAME_SCHOOL_LEVEL
        reasons.append(f"Works at {_words(levels)} schools too")
    settings = sorted(mentee.settings & mentor.settings)
    if settings:
        score += SAME_SETTING
        reasons.append(f"Also at {_words(settings)} schools")
    if mentee.role_family_id is not None and mentor.role_family_id == mentee.role_family_id:
        score += SAME_ROLE_FAMILY
        reasons.append("Same role family")
    places = mentor.capacity - mentor.mentees
    reasons.append(f"Not their director; can take {places} more mentee{'s' if places != 1 else ''}")
    return score, tuple(reasons)


def suggest_mentors(
    mentee: MenteeFacts, candidates: Iterable[MentorCandidate], names: Names = DEFAULT_NAMES
) -> list[MentorSuggestion]:
    """The candidates who may mentor ``mentee``, best score first."""
    found = []
    for mentor in candidates:
        if (
            mentor.user_id == mentee.user_id
            or mentor.user_id == mentee.director_id
            or mentor.user_id in mentee.current_mentor_ids
            or mentor.mentees >= mentor.capacity
        ):
            continue
        score, reasons = score_mentor(mentee, mentor, names)
        found.append(
            MentorSuggestion(
                mentor.user_id, mentor.name, score, reasons, mentor.capacity - mentor.mentees
            )
        )
    return sorted(found, key=lambda s: (-s.score, s.name.casefold(), s.user_id))
