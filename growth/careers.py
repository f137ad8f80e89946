"""Where a coordinator stands on the career trajectory, as pure functions of plain data.

The next stage's requirements are the same ones the "Ready for promotion" flag checks
(the ready-for-promotion flag): every category of the latest finalized matrix at or
above the stage's minimum, and the years in role at or beyond the stage's expected start.
Here each requirement is spelled out, met or not met, for the coordinator and their director.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from coordinators.tenure import add_years, whole_years, years_words
from rubrics.vocabulary import CATEGORY_KEYS, DEFAULT_NAMES, MIN_LEVEL, Names


@dataclass(frozen=True, slots=True)
class Stage:
    """A career stage as plain data (growth.models.CareerStage)."""

    title: str
    order: int
    expected_years_from: int = 0
    expected_years_to: int | None = None
    minimums: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Requirement:
    """One thing the next stage asks for, and whether it is met."""

    label: str  # "School site" or "Years in role"
    needed: str  # "Proficient" or "4 years"
    now: str  # "Novice", "Not rated yet" or "3 years"
    met: bool
    category_key: str | None = None

    @property
    def sentence(self) -> str:
        """``"School site: needs Proficient, now Novice — not met"``."""
        verdict = "met" if self.met else "not met"
        return f"{self.label}: needs {self.needed}, now {self.now} — {verdict}"


@dataclass(frozen=True)
class Readiness:
    """The next stage and each of its requirements for one coordinator."""

    stage_title: str
    requirements: tuple[Requirement, ...]
    based_on: str  # "the 2025–26 Fall review" or "no finalized assessment yet"

    @property
    def all_met(self) -> bool:
        return all(r.met for r in self.requirements)

    @property
    def unmet(self) -> tuple[Requirement, ...]:
        return tuple(r for r in self.requirements if not r.met)

    @property
    def summary(self) -> str:
        if self.all_met:
            return f"Meets every requirement of {self.stage_title}."
        total = len(self.requirements)
        plural = "s" if total != 1 else ""
        return (
            f"{len(self.unmet)} of {total} requirement{plural} of {self.stage_title} not met yet."
        )


def next_stage(stages: Sequence, current) -> object | None:
    """The stage after ``current`` by order (the first stage when there is none yet)."""
    ordered = sorted(stages, key=lambda s: s.order)
    if current is None:
        return ordered[0] if ordered else None
    return next((s for s in ordered if s.order > current.order), None)


def stage_readiness(
    *,
    stage: Stage | None,
    levels: Mapping[str, int | None] | None,
    role_start_date: date | None,
    today: date,
    names: Names = DEFAULT_NAMES,
    based_on: str | None = None,
) -> Readiness | None:
    """Each requirement of ``stage`` (the next one) against the latest finalized ``levels``.

    ``levels`` None means no finalized assessment yet: every category requirement is then not
    met ("Not rated yet"). Returns None when there is no next stage.
    """
    if stage is None:
        return None
    levels = levels or {}
    requirements = []
    for key in CATEGORY_KEYS:
        needed = stage.minimums.get(key, MIN_LEVEL)
        level = levels.get(key)
        requirements.append(
            Requirement(
                label=names.category(key),
                needed=names.level(needed),
                now=names.level(level) if level is not None else "Not rated yet",
                met=level is not None and level >= needed,
                category_key=key,
            )
        )
    years_needed = stage.expected_years_from
    if role_start_date is None:
        requirements.append(
            Requirement("Years in role", years_words(years_needed), "unknown", False)
        )
    else:
        requirements.append(
            Requirement(
                label="Years in role",
                needed=years_words(years_needed),
                now=years_words(whole_years(role_start_date, today)),
                met=today >= add_years(role_start_date, years_needed),
            )
        )
    return Readiness(
        stage_title=stage.title,
        requirements=tuple(requirements),
        based_on=based_on or "no finalized assessment yet",
    )


def time_in_words(since: date | None, today: date) -> str:
    """``"2 years, 3 months"``, ``"5 months"`` or ``"less than a month"``."""
    if since is None:
        return "unknown"
    if since > today:
        return "not started yet"
    months = (today.year - since.year) * 12 + (today.month - since.month)
    if today.day < since.day:
        months -= 1
    years, months = divmod(months, 12)
    parts = []
    if years:
        parts.append(f"{years} year{'s' if years != 1 else ''}")
    if months:
        parts.append(f"{months} month{'s' if months != 1 else ''}")
    return ", ".join(parts) or "less than a month"


def stage_span_words(stage) -> str:
    """``"usually years 2–4 in role"`` or ``"from year 7 in role"``."""
    if stage.expected_years_to is None:
        return f"from year {stage.expected_years_from} in role"
    return f"usually years {stage.expected_years_from}–{stage.expected_years_to} in role"


def as_stage(stage) -> Stage | None:
    """A CareerStage row as the plain Stage the flags and this module read."""
    if stage is None:
        return None
    return Stage(
        title=stage.title,
        order=stage.order,
        expected_years_from=stage.expected_years_from,
        expected_years_to=stage.expected_years_to,
        minimums=stage.minimums,
    )
