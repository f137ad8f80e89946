"""Who reaches a school, its principal contacts and its partnership agreements.

An org admin reaches every school of the organization; a director the schools of the
coordinators on their teams; a coordinator their own schools. The principal contact is edited
by the org admin and the school's directors; an agreement is drafted and edited by them and by
its coordinator, shared for signature by the org admin or a director, and signed by each of
its signatories.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from coordinators.access import (
    ROLE_SHAPES,
    get_in_scope_or_404,
    profiles_directed_by,
    user_roles,
    user_standing_in,
)
from coordinators.models import CoordinatorProfile, Role, School
from coordinators.prepared import Prepared
from schoolsites.models import PartnershipAgreement


def schools_in_reach(user) -> QuerySet[School]:
    """The schools whose page, contacts and agreements the user may read."""
    roles = user_roles(user)
    schools = School.objects.filter(organization_id=user.organization_id)
    if not roles:
        return schools.none()
    if Role.ADMIN in roles:
        return schools
    own = CoordinatorProfile.objects.filter(user=user).values("schools")
    if Role.DIRECTOR in roles:
        directed = CoordinatorProfile.objects.filter(team__director=user).values("schools")
        return schools.filter(Q(pk__in=own) | Q(pk__in=directed))
    return schools.filter(pk__in=own)


def schools_directed_by(user) -> QuerySet[School]:
    """The schools whose contacts and agreements the user runs: every school for an org
    admin, their teams' coordinators' schools for a director."""
    roles = user_roles(user)
    schools = School.objects.filter(organization_id=user.organization_id)
    if Role.ADMIN in roles:
        return schools
    if Role.DIRECTOR in roles:
        return schools.filter(
            pk__in=CoordinatorProfile.objects.filter(team__director=user).values("schools")
        )
    return schools.none()


def can_direct_school(user, school: School) -> bool:
    """The org admin, or a director of a coordinator at the school."""
    return schools_directed_by(user).filter(pk=school.pk).exists()


def _reach_of(user) -> QuerySet[School]:
    """The schools in the user's reach, each with ``directed``: whether they run its contacts
    and agreements too (:func:`can_direct_school`), and its organization."""
    directed = schools_directed_by(user).filter(pk=OuterRef("pk"))
    return schools_in_reach(user).select_related("organization").annotate(directed=Exists(directed))


# The lookup of every school page and agreement form: its SQL built once per shape of reach.
_school_in_reach = Prepared(
    lambda roles, pk, user, organization: _reach_of(
        user_standing_in(user, organization, roles)
    ).filter(pk=pk),
    "pk",
    "user",
    "organization",
    shapes=ROLE_SHAPES,
)


def get_school_in_reach(request, pk) -> School:
    """A school the user may read (404 outside their reach, or a malformed id), with
    ``directed``: whether they run its contacts and agreements too."""
    user = request.user
    roles = user_roles(user)
    try:
        school = roles and _school_in_reach.first(
            roles, pk=pk, user=user.pk, organization=user.organization_id
        )
    except (TypeError, ValueError):
        school = None
    if not school:
        raise Http404("No such school.")
    return school


def get_school_to_direct(request, pk) -> School:
    """A school whose principal contact and agreements the user runs: 404 outside their reach,
    403 for a coordinator who may only look."""
    school = get_school_in_reach(request, pk)
    if not can_direct_school(request.user, school):
        raise PermissionDenied("Only the org admin and the school's directors may do this.")
    return school


def coordinators_choosable_for(
    user, school: School, *, keeping: int | None = None
) -> QuerySet[CoordinatorProfile]:
    """The coordinators an agreement at ``school`` may be with, for this user: those working
    at the school now (active, with an active account) whom the user directs (every one for
    the org admin, their teams' for a director), by name; and ``keeping``, the one an
    agreement is with already, which an edit may leave as it is."""
    working_here = CoordinatorProfile.objects.filter(schools=school).values("pk")
    chosen = Q(pk__in=working_here, active=True, user__is_active=True) & Q(
        pk__in=profiles_directed_by(user).values("pk")
    )
    if keeping is not None:
        chosen |= Q(pk=keeping)
    return (
        CoordinatorProfile.objects.filter(organization_id=user.organization_id)
        .filter(chosen)
        .select_related("user", "team__director")
        .order_by("user__last_name", "user__first_name", "pk")
    )


def is_agreement_coordinator(user, agreement: PartnershipAgreement) -> bool:
    return agreement.coordinator is not None and agreement.coordinator.user_id == user.pk


def can_edit_agreement(user, agreement: PartnershipAgreement) -> bool:
    """The org admin, the school's directors and the agreement's coordinator."""
    return is_agreement_coordinator(user, agreement) or can_direct_school(user, agreement.school)


def signatory_role_of(user, agreement: PartnershipAgreement) -> str | None:
    """The signatory the user is on this agreement (in-app: the coordinator or the director)."""
    if is_agreement_coordinator(user, agreement):
        return "coordinator"
    if agreement.director_id is not None and agreement.director_id == user.pk:
        return "director"
    return None


def get_agreement_for_user(request, pk, *, edit=False, direct=False) -> PartnershipAgreement:
    """An agreement of a school in reach (else 404); ``edit`` asks for the right to change it,
    ``direct`` for the org admin's or a director's (else 403)."""
    agreements = PartnershipAgreement.objects.filter(
        school__in=schools_in_reach(request.user)
    ).select_related("school", "school__organization", "coordinator__user", "director")
    agreement = get_in_scope_or_404(agreements, pk, label="agreement")
    if direct and not can_direct_school(request.user, agreement.school):
        raise PermissionDenied("Only the org admin and the school's directors may do this.")
    if edit and not can_edit_agreement(request.user, agreement):
        raise PermissionDenied("You may read this agreement but not change it.")
    return agreement
