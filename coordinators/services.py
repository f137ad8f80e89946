"""Writes about organizations and people that touch more than one row."""

import logging
from dataclasses import dataclass, field
from datetime import date
from functools import partial

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from coordinators import events
from coordinators.emails import roster_welcome_notify
from coordinators.models import (
    CoordinatorProfile,
    LeavingReason,
    Membership,
    Organization,
    Role,
    RoleFamily,
    School,
    Team,
    User,
)
from coordinators.ratelimits import RateLimited, rate_check, rate_exceeded, signed_in_user
from coordinators.versioning import version_claim, versioned_save, versions_bump

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


def address_refusals_check(request) -> None:
    """Past the limit nothing tells which addresses are refused: every attempt is refused
    until the wait is over, whatever its addresses."""
    wait = rate_exceeded(request, limit="address-refusals", key=signed_in_user)
    if wait is not None:
        raise RateLimited(ADDRESS_REFUSALS_TOO_MANY, retry_after=wait)


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


def _announce(person: User) -> None:
    """Tell the apps above that a person changed: their coordinator profile when they have
    one (the dashboards' rows), else the organization's structure (who directs what)."""
    profile_id = CoordinatorProfile.objects.filter(user=person).values_list("pk", flat=True).first()
    if profile_id is not None:
        events.publish(
            events.CoordinatorProfileChanged(
                organization_id=person.organization_id, coordinator_id=profile_id
            )
        )
    else:
        events.publish(events.OrganizationStructureChanged(organization_id=person.organization_id))


def school_active_set(*, school: School, active: bool) -> bool:
    """Deactivate or reactivate a school; True when that changed anything, False when it was
    so already (of two admins doing it at once, one changes it). A deactivated school keeps
    its people and assessments (it is never deleted) and is no longer offered for new school
    sites."""
    changed = School.objects.filter(pk=school.pk, active=not active).update(
        active=active, updated_at=timezone.now()
    )
    school.active = active
    if changed:
        events.publish(events.OrganizationStructureChanged(organization_id=school.organization_id))
    return bool(changed)


@dataclass(frozen=True, kw_only=True)
class PersonDetails:
    """What the person page says about someone: their login and name and, for a coordinator,
    their profile."""

    email: str
    first_name: str
    last_name: str
    role_family: RoleFamily | None = None
    team: Team | None = None
    schools: tuple[School, ...] = ()
    role_start_date: date | None = None
    job_title: str = ""
    # The day they left the organization and why ("" while they are here).
    left_on: date | None = None
    leaving_reason: str = ""

    @property
    def account(self) -> dict:
        return {"email": self.email, "first_name": self.first_name, "last_name": self.last_name}

    @property
    def profile_fields(self) -> dict:
        return {
            "role_family": self.role_family,
            "team": self.team,
            "role_start_date": self.role_start_date,
            "job_title": self.job_title,
            "left_on": self.left_on,
            "leaving_reason": self.leaving_reason,
        }


@dataclass
class PersonResult:
    person: User
    # Teams whose director lost the role or was deactivated: they now have no director.
    teams_without_director: list[Team] = field(default_factory=list)
    # False when the person already was as asked (a transition done twice, or by two admins).
    changed: bool = True


NEEDS_PROFILE = "A coordinator needs a role family and the first day in their role."


def _check_in_organization(organization: Organization, details: PersonDetails) -> None:
    foreign = [
        thing
        for thing in (details.role_family, details.team, *details.schools)
        if thing is not None and thing.organization_id != organization.pk
    ]
    if foreign:
        raise PeopleError("Choose a role family, team and school sites of your organization.")


def _release_teams(person: User) -> list[Team]:
    """The teams ``person`` directs are left without a director; a team form opened before
    is stale (it would name them again)."""
    teams = list(Team.objects.filter(director=person).order_by("name"))
    Team.objects.filter(pk__in=[team.pk for team in teams]).update(
        director=None, version=F("version") + 1, updated_at=timezone.now()
    )
    return teams


def _profile_create(person: User, details: PersonDetails) -> CoordinatorProfile:
    if details.role_family is None or details.role_start_date is None:
        raise PeopleError(NEEDS_PROFILE)
    profile = CoordinatorProfile.objects.create(
        user=person,
        organization_id=person.organization_id,
        active=person.is_active,
        **details.profile_fields,
    )
    profile.schools.set(details.schools)
    return profile


@transaction.atomic
def person_create(
    *, organization: Organization, actor: User, details: PersonDetails, roles: list[str]
) -> PersonResult:
    """A new person of the organization with their roles (and, for a coordinator, their
    profile). After the commit they get the roster import's email to set their password."""
    if not roles:
        raise PeopleError("Choose at least one role.")
    _check_in_organization(organization, details)
    try:
        with transaction.atomic():
            # No password: the person chooses one from the email's link.
            person = User.objects.create_user(organization=organization, **details.account)
    except IntegrityError as exc:  # the same address added a moment ago by someone else
        raise PeopleError(ADDRESS_UNUSABLE) from exc
    Membership.objects.bulk_create(Membership(user=person, role=role) for role in sorted(roles))
    if Role.COORDINATOR in roles:
        _profile_create(person, details)
    transaction.on_commit(
        partial(roster_welcome_notify.enqueue, user_ids=[person.pk], inviter_id=actor.pk)
    )
    _announce(person)
    return PersonResult(person=person)


@transaction.atomic
def person_update(
    *, person: User, actor: User, details: PersonDetails, expected_version: int
) -> PersonResult:
    """Change a person's login and name and, while they hold the Coordinator role, their
    profile, if nobody changed the person since the form was read at ``expected_version``
    (else ``StaleEdit``, and nothing is written). Roles change one at a time, through
    ``person_role_add`` and ``person_role_remove``."""
    _check_in_organization(person.organization, details)
    version_claim(person, expected=expected_version)
    person = User.objects.get(pk=person.pk)  # held by the claim until the commit
    changed = [name for name, value in details.account.items() if getattr(person, name) != value]
    for name in changed:
        setattr(person, name, details.account[name])
    if changed:
        try:
            with transaction.atomic():
                person.save(update_fields=changed)
        except IntegrityError as exc:
            raise PeopleError(ADDRESS_UNUSABLE) from exc
    if person.memberships.filter(role=Role.COORDINATOR).exists():
        profile = CoordinatorProfile.objects.filter(user=person).first()
        if profile is None:
            _profile_create(person, details)
        else:
            if details.role_family is None or details.role_start_date is None:
                raise PeopleError(NEEDS_PROFILE)
            # A person recorded as having left leaves the dashboards and new cycles.
            here = person.is_active and not details.leaving_reason
            fields = details.profile_fields | {"active": here}
            _profile_save(profile, fields, details.schools)
    _announce(person)
    return PersonResult(person=person)


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
def person_role_add(
    *,
    person: User,
    actor: User,
    role: str,
    role_family: RoleFamily | None = None,
    role_start_date: date | None = None,
) -> PersonResult:
    """Give a person one more role (``changed`` False when they already held it). The
    Coordinator role brings back the profile kept from before, or starts one with
    ``role_family`` and ``role_start_date``. Their edit form opened before is then stale."""
    if role not in Role.values:
        raise PeopleError("Choose one of the roles.")
    person = User.objects.select_for_update().get(pk=person.pk)
    if person.memberships.filter(role=role).exists():
        return PersonResult(person=person, changed=False)
    Membership.objects.create(user=person, role=role)
    if role == Role.COORDINATOR:
        profile = CoordinatorProfile.objects.filter(user=person).first()
        if profile is None:
            details = PersonDetails(
                email=person.email,
                first_name=person.first_name,
                last_name=person.last_name,
                role_family=role_family,
                role_start_date=role_start_date,
            )
            _check_in_organization(person.organization, details)
            _profile_create(person, details)
        else:
            _profile_active_set(person, active=person.is_active)
    versions_bump(User.objects.filter(pk=person.pk))
    _announce(person)
    return PersonResult(person=person)


@transaction.atomic
def person_role_remove(*, person: User, actor: User, role: str) -> PersonResult:
    """Take one role away (``changed`` False when they did not hold it). Without the
    Coordinator role the profile and its history stay but the profile is inactive (no new
    assessments, off the dashboards); without the Director role their teams have no director.
    Everyone keeps at least one role, and an admin their own Org admin role."""
    if person.pk == actor.pk and role == Role.ADMIN:
        raise PeopleError(
            "You cannot remove your own Org admin role (you would lose this page). Another org "
            "admin can."
        )
    person = User.objects.select_for_update().get(pk=person.pk)
    held = set(person.memberships.values_list("role", flat=True))
    if role not in held:
        return PersonResult(person=person, changed=False)
    if held == {role}:
        raise PeopleError(
            f"{Role(role).label} is {person.display_name}'s only role: give them another role "
            "first, or deactivate them."
        )
    Membership.objects.filter(user=person, role=role).delete()
    released = _release_teams(person) if role == Role.DIRECTOR else []
    if role == Role.COORDINATOR:
        _profile_active_set(person, active=False)
    versions_bump(User.objects.filter(pk=person.pk))
    _announce(person)
    return PersonResult(person=person, teams_without_director=released)


def _profile_active_set(person: User, *, active: bool, leaving: bool = False) -> None:
    """The person's profile, if any, in or out of the dashboards and new cycles (one history
    row when that changes). Out because they are ``leaving`` the organization, they left today
    for a reason not recorded unless the person form recorded a day and reason already; back
    in, they are here again."""
    profile = CoordinatorProfile.objects.filter(user=person, active=not active).first()
    if profile is None:
        return
    profile.active = active
    fields = ["active"]
    if active and profile.leaving_reason:
        profile.left_on, profile.leaving_reason = None, ""
        fields += ["left_on", "leaving_reason"]
    elif leaving and not profile.leaving_reason:
        profile.left_on, profile.leaving_reason = timezone.localdate(), LeavingReason.NOT_RECORDED
        fields += ["left_on", "leaving_reason"]
    profile.save(update_fields=fields)


@transaction.atomic
def person_deactivate(*, person: User, actor: User) -> PersonResult:
    """They can no longer log in (their open sessions end too), their profile leaves the
    dashboards and new cycles, and teams they direct are left without a director. Nothing
    of theirs is deleted. ``changed`` is False when they already were deactivated."""
    if person.pk == actor.pk:
        raise PeopleError("You cannot deactivate your own account. Another org admin can.")
    person = User.objects.select_for_update().get(pk=person.pk)
    changed = person.is_active
    if changed:
        person.is_active = False
        person.save(update_fields=["is_active"])
    _profile_active_set(person, active=False, leaving=True)
    released = _release_teams(person)
    _announce(person)
    return PersonResult(person=person, teams_without_director=released, changed=changed)


@transaction.atomic
def person_reactivate(*, person: User, actor: User) -> PersonResult:
    """They can log in again with their old password (or set one from "Forgot your
    password?"); a coordinator's profile returns to the dashboards. ``changed`` is False when
    they already were active."""
    person = User.objects.select_for_update().get(pk=person.pk)
    changed = not person.is_active
    if changed:
        person.is_active = True
        person.save(update_fields=["is_active"])
    if person.memberships.filter(role=Role.COORDINATOR).exists():
        _profile_active_set(person, active=True)
    _announce(person)
    return PersonResult(person=person, changed=changed)


@transaction.atomic
def organization_school_year_set(
    *, organization: Organization, month: int, day: int, expected_version: int | None
) -> Organization:
    """Move the day the organization's school year starts (from a form read at
    ``expected_version``); the flags that count days into the school year follow."""
    organization.school_year_start_month, organization.school_year_start_day = month, day
    versioned_save(
        organization,
        fields=["school_year_start_month", "school_year_start_day"],
        expected=expected_version,
    )
    events.publish(events.SchoolYearStartChanged(organization_id=organization.pk))
    return organization
