"""Writes of the mentoring programme: its settings, who offers to mentor, who needs a mentor,
and the matches a director or org admin confirms."""

from __future__ import annotations

from datetime import date
from functools import partial

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from coordinators import events
from coordinators.models import CoordinatorProfile, Organization, User
from growth import emails
from growth import events as growth_events
from growth.models import MentoringMatch, MentoringProgramme, MentorNeed, MentorOffer
from growth.services import GrowthError


def programme_of(organization: Organization | int) -> MentoringProgramme:
    """The organization's programme, made with the defaults the first time it is asked for."""
    organization_id = getattr(organization, "pk", organization)
    programme, _ = MentoringProgramme.objects.get_or_create(organization_id=organization_id)
    return programme


def active_matches(day: date | None = None):
    day = day or timezone.localdate()
    return MentoringMatch.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=day), starts_on__lte=day
    )


def _announce(match: MentoringMatch) -> None:
    events.publish(
        growth_events.MentoringChanged(
            organization_id=match.mentee.organization_id, coordinator_id=match.mentee_id
        )
    )


@transaction.atomic
def match_create(
    *,
    mentee: CoordinatorProfile,
    mentor: User,
    actor,
    starts_on: date,
    ends_on: date | None = None,
    goals=(),
    notes: str = "",
) -> MentoringMatch:
    """Confirm ``mentor`` for ``mentee``; the two are emailed once it commits. Refused for
    someone outside the organization, the mentee or their director, a mentor already matched
    with them, or one at the programme's capacity."""
    if mentor.organization_id != mentee.organization_id or not mentor.is_active:
        raise GrowthError("The mentor must be an active person of the same organization.")
    if mentor.pk == mentee.user_id:
        raise GrowthError("A coordinator cannot be their own mentor.")
    if mentee.team_id is not None and mentee.team.director_id == mentor.pk:
        raise GrowthError("Their director already supervises them; choose another mentor.")
    if ends_on is not None and ends_on < starts_on:
        raise GrowthError("The match ends before it starts.")
    programme = programme_of(mentee.organization_id)
    # Lock the mentor so two confirmations at once cannot go over their capacity.
    User.objects.select_for_update().get(pk=mentor.pk)
    current = active_matches(starts_on).filter(mentor=mentor)
    if current.filter(mentee=mentee).exists():
        raise GrowthError(f"{mentor.display_name} already mentors {mentee}.")
    if current.count() >= programme.capacity:
        raise GrowthError(
            f"{mentor.display_name} already has {programme.capacity} mentees, the programme's "
            "capacity."
        )
    match = MentoringMatch(
        mentor=mentor,
        mentee=mentee,
        starts_on=starts_on,
        ends_on=ends_on,
        notes=notes,
        confirmed_by=actor,
    )
    match._history_user = actor
    match.save(force_insert=True)
    match.goals.set([goal for goal in goals if goal.coordinator_id == mentee.pk])
    MentorNeed.objects.filter(profile=mentee).delete()
    _announce(match)
    transaction.on_commit(partial(emails.match_confirmed_notify.enqueue, match_id=match.pk))
    return match


@transaction.atomic
def match_end(*, match: MentoringMatch, ends_on: date, actor) -> MentoringMatch:
    if ends_on < match.starts_on:
        raise GrowthError("A match cannot end before it started.")
    match = MentoringMatch.objects.select_for_update().select_related("mentee").get(pk=match.pk)
    match.ends_on = ends_on
    match._history_user = actor
    match.save(update_fields=["ends_on"])
    _announce(match)
    return match


@transaction.atomic
def mentor_offer_set(*, user: User, willing: bool) -> None:
    if willing:
        MentorOffer.objects.get_or_create(user=user)
    else:
        MentorOffer.objects.filter(user=user).delete()


@transaction.atomic
def mentor_need_set(*, profile: CoordinatorProfile, needed: bool, actor) -> None:
    if needed:
        MentorNeed.objects.get_or_create(
            profile=profile, defaults={"noted_by": actor, "noted_on": timezone.localdate()}
        )
    else:
        MentorNeed.objects.filter(profile=profile).delete()
