"""One coordinator's timeline: everything that happened to them, newest first, from every app.

Each kind of entry is a ``TimelineSource``: one query lists the (id, day) of all its entries of
the coordinator, cheap rows whatever their number; the page merges and pages those, and each
source then reads the details of only the entries on the page, in one query (two for reviews,
which also read their level names). So the timeline costs a fixed number of queries whatever
its length.

Partnership agreements are one of them: each agreement naming the coordinator, on the first
day of its school year.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from django.core.paginator import Paginator
from django.db.models import Min
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment
from coordinators.models import CoordinatorProfile
from coordinators.tenure import day_words
from dashboards.read_model import CATEGORY_KEYS, assessment_infos
from dashboards.selectors.common import version_names
from growth.models import CheckIn, Goal, MentoringMatch, Promotion, Support, SupportKind
from rubrics.vocabulary import DEFAULT_NAMES
from schoolsites.models import PartnershipAgreement

PER_PAGE = 25


@dataclass(frozen=True)
class TimelineEntry:
    day: date
    kind: str
    kind_label: str
    title: str
    lines: tuple[str, ...] = ()
    url: str = ""


@dataclass(frozen=True)
class TimelineSource:
    """``dates(profile)`` gives (key, day) of every entry; ``details(profile, keys)`` the
    entries of those keys."""

    kind: str
    label: str
    dates: Callable[[CoordinatorProfile], Iterable[tuple[object, date]]]
    details: Callable[[CoordinatorProfile, list], dict[object, TimelineEntry]]


def _day(moment) -> date:
    return timezone.localdate(moment)


# Reviews ----------------------------------------------------------------------------------


def _review_dates(profile):
    for pk, finalized, submitted, opens in Assessment.objects.filter(
        coordinator=profile, state__in=(Assessment.State.SUBMITTED, Assessment.State.FINALIZED)
    ).values_list("pk", "finalized_at", "submitted_at", "cycle__opens_on"):
        moment = finalized or submitted
        yield pk, _day(moment) if moment else opens


def _review_details(profile, keys):
    infos = assessment_infos(Assessment.objects.filter(pk__in=keys))
    names = version_names(profile.organization_id)
    entries = {}
    for info in infos:
        words = names.get(info.rubric_version_id, DEFAULT_NAMES)
        levels = info.category_levels(words)
        reviewed = "finalized" if info.finalized else "submitted, not yet reviewed"
        entries[info.pk] = TimelineEntry(
            day=date.min,
            kind="cycle",
            kind_label="Review",
            title=f"{info.cycle_name}: {reviewed}",
            lines=(
                "; ".join(
                    f"{words.category(key)} {words.level(levels.level(key))}"
                    for key in CATEGORY_KEYS
                ),
            ),
            url=reverse("assessments:assessment-detail", args=[info.pk]),
        )
    return entries


# Check-ins, goals, supports, mentoring, promotions -------------------------------------------


def _check_in_dates(profile):
    return CheckIn.objects.filter(coordinator=profile).values_list("pk", "held_on")


def _check_in_details(profile, keys):
    entries = {}
    rows = CheckIn.objects.filter(pk__in=keys).select_related("author")
    for check_in in rows.prefetch_related("coaching_actions", "goal_notes__goal"):
        lines = []
        touched = [str(note.goal) for note in check_in.goal_notes.all()]
        if touched:
            lines.append("Goals: " + "; ".join(touched))
        actions = [a.name for a in check_in.coaching_actions.all()]
        if actions:
            lines.append("Coaching: " + ", ".join(actions))
        entries[check_in.pk] = TimelineEntry(
            day=check_in.held_on,
            kind="check_in",
            kind_label="Check-in",
            title=f"Check-in with {check_in.author.display_name}",
            lines=tuple(lines),
            url=reverse("growth:check-in-detail", args=[check_in.pk]),
        )
    return entries


def _goal_set_dates(profile):
    for pk, created in Goal.objects.filter(coordinator=profile).values_list("pk", "created_at"):
        yield ("set", pk), _day(created)


def _goal_met_dates(profile):
    """The first day each goal was marked met, from its history (a goal met, reopened and met
    again counts from the first time)."""
    for pk, first in (
        Goal.history.filter(coordinator_id=profile.pk, status=Goal.Status.MET)
        .values("id")
        .annotate(first=Min("history_date"))
        .values_list("id", "first")
        .order_by()
    ):
        yield ("met", pk), _day(first)


def _goal_details(profile, keys):
    goals = {g.pk: g for g in Goal.objects.filter(pk__in=[pk for _, pk in keys])}
    entries = {}
    for what, pk in keys:
        goal = goals.get(pk)
        if goal is None:
            continue
        entries[(what, pk)] = TimelineEntry(
            day=date.min,
            kind=f"goal_{what}",
            kind_label="Goal met" if what == "met" else "Goal set",
            title=f"{goal.get_category_key_display()} to level {goal.target_level} by "
            f"{day_words(goal.target_date)}",
            lines=(goal.notes[:200],) if goal.notes else (),
        )
    return entries


def _support_dates(profile):
    for pk, starts, created in (
        Support.objects.filter(coordinator=profile)
        .exclude(kind=SupportKind.MENTORING)
        .values_list("pk", "starts_on", "created_at")
    ):
        yield pk, starts or _day(created)


def _support_details(profile, keys):
    return {
        support.pk: TimelineEntry(
            day=date.min,
            kind="support",
            kind_label="Support",
            title=f"{support.get_kind_display()}: {support.title}",
            lines=(f"{support.hours} hours",) if support.hours else (),
        )
        for support in Support.objects.filter(pk__in=keys)
    }


def _match_dates(profile):
    today = timezone.localdate()
    for pk, starts, ends in MentoringMatch.objects.filter(mentee=profile).values_list(
        "pk", "starts_on", "ends_on"
    ):
        yield ("start", pk), starts
        if ends is not None and ends <= today:
            yield ("end", pk), ends


def _match_details(profile, keys):
    matches = {
        m.pk: m
        for m in MentoringMatch.objects.filter(pk__in=[pk for _, pk in keys]).select_related(
            "mentor"
        )
    }
    entries = {}
    for what, pk in keys:
        match = matches.get(pk)
        if match is None:
            continue
        entries[(what, pk)] = TimelineEntry(
            day=date.min,
            kind="match",
            kind_label="Mentoring",
            title=(
                f"Mentoring with {match.mentor.display_name} began"
                if what == "start"
                else f"Mentoring with {match.mentor.display_name} ended"
            ),
        )
    return entries


def _promotion_dates(profile):
    return Promotion.objects.filter(profile=profile).values_list("pk", "effective_on")


def _promotion_details(profile, keys):
    return {
        p.pk: TimelineEntry(
            day=date.min,
            kind="promotion",
            kind_label="Promotion",
            title=f"{p.from_stage.title + ' → ' if p.from_stage else ''}{p.to_stage.title}",
            lines=(p.note[:200],) if p.note else (),
        )
        for p in Promotion.objects.filter(pk__in=keys).select_related("from_stage", "to_stage")
    }


def _agreement_dates(profile):
    organization = profile.organization
    return [
        (pk, organization.school_year(year).starts)
        for pk, year in PartnershipAgreement.objects.filter(coordinator=profile).values_list(
            "pk", "school_year"
        )
    ]


def _agreement_details(profile, keys):
    organization = profile.organization
    entries = {}
    for agreement in PartnershipAgreement.objects.filter(pk__in=keys).select_related("school"):
        year = organization.school_year(agreement.school_year)
        entries[agreement.pk] = TimelineEntry(
            day=year.starts,
            kind="agreement",
            kind_label="Partnership agreement",
            title=f"Partnership agreement {year.label} at {agreement.school.name}",
            lines=(agreement.get_state_display(),),
            url=reverse("schoolsites:agreement-detail", args=[agreement.pk]),
        )
    return entries


SOURCES: tuple[TimelineSource, ...] = (
    TimelineSource("cycle", "Reviews", _review_dates, _review_details),
    TimelineSource("check_in", "Check-ins", _check_in_dates, _check_in_details),
    TimelineSource("goal_set", "Goals set", _goal_set_dates, _goal_details),
    TimelineSource("goal_met", "Goals met", _goal_met_dates, _goal_details),
    TimelineSource("support", "Supports", _support_dates, _support_details),
    TimelineSource("match", "Mentoring", _match_dates, _match_details),
    TimelineSource("promotion", "Promotions", _promotion_dates, _promotion_details),
    TimelineSource("agreement", "Partnership agreements", _agreement_dates, _agreement_details),
)
KINDS = {source.kind: source.label for source in SOURCES}


@dataclass
class Timeline:
    kind: str  # the kind shown, "" for all
    page: object  # a Paginator page of TimelineEntry
    counts: dict[str, int] = field(default_factory=dict)


def coordinator_timeline(
    *, profile: CoordinatorProfile, kind: str = "", page: object = 1, per_page: int = PER_PAGE
) -> Timeline:
    """The coordinator's timeline, newest first, of one kind or all, one page of it (about
    two queries per kind whatever the length)."""
    kind = kind if kind in KINDS else ""
    chosen = [s for s in SOURCES if not kind or s.kind == kind]
    keyed: list[tuple[date, int, object, TimelineSource]] = []
    counts: dict[str, int] = {}
    for order, source in enumerate(SOURCES):
        if source not in chosen:
            continue
        found = list(source.dates(profile))
        counts[source.kind] = len(found)
        keyed.extend((day, order, key, source) for key, day in found)
    # Newest first; on one day, in the order of SOURCES (a review before a check-in).
    keyed.sort(key=lambda item: (-item[0].toordinal(), item[1], str(item[2])))
    paged = Paginator(keyed, per_page).get_page(page)
    wanted: dict[str, list] = {}
    for _, _, key, source in paged.object_list:
        wanted.setdefault(source.kind, []).append(key)
    details: dict[tuple[str, object], TimelineEntry] = {}
    for source in chosen:
        if source.kind in wanted:
            for key, entry in source.details(profile, wanted[source.kind]).items():
                details[(source.kind, key)] = entry
    entries = []
    for day, _, key, source in paged.object_list:
        entry = details.get((source.kind, key))
        if entry is not None:
            entries.append(
                TimelineEntry(
                    day, entry.kind, entry.kind_label, entry.title, entry.lines, entry.url
                )
            )
    paged.object_list = entries
    return Timeline(kind=kind, page=paged, counts=counts)
