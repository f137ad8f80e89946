"""Writes about organizations and people that touch more than one row."""

import logging
from dataclasses import dataclass, field
from datetime import date
from functools import partial

from django.db import IntegrityError, transaction

from coordinators.emails import roster_welcome_notify
from coordinators.models import (
    CoordinatorProfile,
    Membership,
    Organization,
    Role,
    RoleFamily,
    School,
    Team,
    User,
)
from coordinators.ratelimits import rate_check, signed_in_user

# Schools and people, one at a time (the org admin's pages) -------------------------------


class PeopleError(Exception):
    """A change to a school or person that cannot be done as asked; the message says why."""


# An email address is one login across the installation. An admin is told only that an
# address of another organization cannot be used here; the reason goes to the log, for a
# superuser, and the refusals count against a limit so that nobody can probe many addresses.
ADDRESS_UNUSABLE = "This email address cannot be used here. Use another address for this person."
ADDRESS_REFUSALS_TOO_MANY = (
    "Too many email addresses were refused in a short time. Check the addresses with the "
    "people concerned, then try again later."
)
security_log = logging.getLogger("growthmatrix.security")


def address_refusals_record(request, refusals: list[tuple[str, str]]) -> None:
    """Log each refused address with its real reason and count it against the admin's limit;
    past the limit, raises RateLimited."""
    for email, reason in refusals:
        security_log.warning(
            "Address %s refused to user %s of organization %s: %s",
            email,
            request.user.pk,
            request.user.organization_id,
            reason,
        )
        rate_check(
            request,
            limit="address-refusals",
            key=signed_in_user,
            message=ADDRESS_REFUSALS_TOO_MANY,
        )


EMAIL_TAKEN = (
    "This email address is already used by another Growth Matrix account. Use another "
    "address for this person, or ask them which one they use here."
)


@transaction.atomic
def school_active_set(*, school: School, active: bool) -> bool:
    """Deactivate or reactivate a school; True when that changed anything. A deactivated
    school keeps its people and assessments (it is never deleted) and is no longer offered
    for new school sites."""
    if school.active == active:
        return False
    school.active = active
    school.save(update_fields=["active"])
    return True


@dataclass
class PersonResult:
    person: User
    # Teams whose director lost the role or was deactivated: they now have no director.
    teams_without_director: list[Team] = field(default_factory=list)


def _check_in_organization(organization: Organization, *, role_family, team, schools) -> None:
    foreign = [
        thing
        for thing in (role_family, team, *schools)
        if thing is not None and thing.organization_id != organization.pk
    ]
    if foreign:
        raise PeopleError("Choose a role family, team and school sites of your organization.")


def _release_teams(person: User) -> list[Team]:
    teams = list(Team.objects.filter(director=person).order_by("name"))
    for team in teams:
        team.director = None
        team.save(update_fields=["director"])
    return teams


@transaction.atomic
def person_create(
    *,
    organization: Organization,
    actor: User,
    email: str,
    first_name: str,
    last_name: str,
    roles: list[str],
    role_family: RoleFamily | None = None,
    team: Team | None = None,
    schools=(),
    role_start_date: date | None = None,
    job_title: str = "",
) -> PersonResult:
    """A new person of the organization with their roles (and, for a coordinator, their
    profile). After the commit they get the roster import's email to set their password."""
    if not roles:
        raise PeopleError("Choose at least one role.")
    _check_in_organization(organization, role_family=role_family, team=team, schools=schools)
    try:
        with transaction.atomic():
            # No password: the person chooses one from the email's link.
            person = User.objects.create_user(
                email=email,
                first_name=first_name,
                last_name=last_name,
                organization=organization,
            )
    except IntegrityError as exc:  # the same address added a moment ago by someone else
        raise PeopleError(EMAIL_TAKEN) from exc
    Membership.objects.bulk_create(Membership(user=person, role=role) for role in sorted(roles))
    if Role.COORDINATOR in roles:
        if role_family is None or role_start_date is None:
            raise PeopleError("A coordinator needs a role family and the first day in their role.")
        profile = CoordinatorProfile.objects.create(
            user=person,
            organization=organization,
            role_family=role_family,
            team=team,
            role_start_date=role_start_date,
            job_title=job_title,
        )
        profile.schools.set(schools)
    transaction.on_commit(
        partial(roster_welcome_notify.enqueue, user_ids=[person.pk], inviter_id=actor.pk)
    )
    return PersonResult(person=person)


@transaction.atomic
def person_update(
    *,
    person: User,
    actor: User,
    email: str,
    first_name: str,
    last_name: str,
    roles: list[str],
    role_family: RoleFamily | None = None,
    team: Team | None = None,
    schools=(),
    role_start_date: date | None = None,
    job_title: str = "",
) -> PersonResult:
    """Change a person's login, name and roles, and their coordinator profile. Taking the
    coordinator role away keeps the profile and its history but makes it inactive (no new
    assessments, off the dashboards); taking the director role away leaves their teams
    without a director."""
    organization = person.organization
    if not roles:
        raise PeopleError("Choose at least one role.")
    if person.pk == actor.pk and Role.ADMIN not in roles:
        raise PeopleError("You cannot remove your own Org admin role. Another org admin can.")
    _check_in_organization(organization, role_family=role_family, team=team, schools=schools)
    person = User.objects.select_for_update().get(pk=person.pk)
    account = {"email": email, "first_name": first_name, "last_name": last_name}
    changed = [name for name, value in account.items() if getattr(person, name) != value]
    for name in changed:
        setattr(person, name, account[name])
    if changed:
        try:
            with transaction.atomic():
                person.save(update_fields=changed)
        except IntegrityError as exc:
            raise PeopleError(EMAIL_TAKEN) from exc

    held = set(person.memberships.values_list("role", flat=True))
    wanted = set(roles)
    Membership.objects.filter(user=person, role__in=held - wanted).delete()
    Membership.objects.bulk_create(Membership(user=person, role=r) for r in sorted(wanted - held))
    released = _release_teams(person) if Role.DIRECTOR in held - wanted else []

    profile = CoordinatorProfile.objects.filter(user=person).first()
    if Role.COORDINATOR in wanted:
        if role_family is None or role_start_date is None:
            raise PeopleError("A coordinator needs a role family and the first day in their role.")
        fields = {
            "role_family": role_family,
            "team": team,
            "role_start_date": role_start_date,
            "job_title": job_title,
            "active": person.is_active,
        }
        if profile is None:
            profile = CoordinatorProfile.objects.create(
                user=person, organization=organization, **fields
            )
            profile.schools.set(schools)
        else:
            _profile_save(profile, fields, schools)
    elif profile is not None and profile.active:
        profile.active = False
        profile.save(update_fields=["active"])
    return PersonResult(person=person, teams_without_director=released)


def _profile_save(profile: CoordinatorProfile, fields: dict, schools) -> None:
    """Save what changed (one history row when anything did) and the school sites."""
    changed = [name for name, value in fields.items() if getattr(profile, name) != value]
    for name in changed:
        setattr(profile, name, fields[name])
    if changed:
        profile.save(update_fields=changed)
    if {s.pk for s in profile.schools.all()} != {s.pk for s in schools}:
        profile.schools.set(schools)


@transaction.atomic
def person_deactivate(*, person: User, actor: User) -> PersonResult:
    """They can no longer log in (their open sessions end too), their profile leaves the
    dashboards and new cycles, and teams they direct are left without a director. Nothing
    of theirs is deleted."""
    if person.pk == actor.pk:
        raise PeopleError("You cannot deactivate your own account. Another org admin can.")
    person = User.objects.select_for_update().get(pk=person.pk)
    if person.is_active:
        person.is_active = False
        person.save(update_fields=["is_active"])
    profile = CoordinatorProfile.objects.filter(user=person, active=True).first()
    if profile is not None:
        profile.active = False
        profile.save(update_fields=["active"])
    return PersonResult(person=person, teams_without_director=_release_teams(person))


@transaction.atomic
def person_reactivate(*, person: User, actor: User) -> PersonResult:
    """They can log in again with their old password (or set one from "Forgot your
    password?"); a coordinator's profile returns to the dashboards."""
    person = User.objects.select_for_update().get(pk=person.pk)
    if not person.is_active:
        person.is_active = True
        person.save(update_fields=["is_active"])
    is_coordinator = person.memberships.filter(role=Role.COORDINATOR).exists()
    profile = CoordinatorProfile.objects.filter(user=person, active=False).first()
    if profile is not None and is_coordinator:
        profile.active = True
        profile.save(update_fields=["active"])
    return PersonResult(person=person)
