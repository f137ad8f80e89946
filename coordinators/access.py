"""Role checks and scoping shared by every app, and the coordinators app's own getters.

Every app fetches the objects of a URL through a ``get_<thing>_for_user(request, pk)`` in its
own ``access.py``: anything outside the user's organization or reach is a 404, a role that may
look but not act a 403. The object rules those getters and the services apply are named
predicates (``can_direct`` here), each written once.
"""

from functools import wraps
from itertools import combinations

from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from coordinators.models import (
    CoordinatorProfile,
    Membership,
    Organization,
    Role,
    School,
    Team,
    User,
)
from coordinators.prepared import Prepared

# Whether a user read through users_with_roles holds each role, by attribute name.
HOLDS = {role: f"holds_{role}" for role in Role.values}


def users_with_roles(users: QuerySet[User]) -> QuerySet[User]:
    """``users``, each with their roles read in the same query: the request's user comes this
    way (growthmatrix/backends.py), so a page asks the database once less."""
    return users.annotate(
        **{
            name: Exists(Membership.objects.filter(user=OuterRef("pk"), role=role))
            for role, name in HOLDS.items()
        }
    )


# The request's user with their organization and roles: growthmatrix/backends.py reads it on
# every request, so its SQL is built once per connection.
request_user = Prepared(
    lambda _shape, pk: users_with_roles(
        User._default_manager.select_related("organization").filter(pk=pk)
    ),
    "pk",
)


def user_roles(user) -> frozenset[str]:
    """The roles of a user in their organization, read once per request (with the user
    when it came through users_with_roles)."""
    if not user.is_authenticated or user.organization_id is None:
        return frozenset()
    cached = getattr(user, "_growthmatrix_roles", None)
    if cached is None:
        if all(hasattr(user, name) for name in HOLDS.values()):
            cached = frozenset(role for role, name in HOLDS.items() if getattr(user, name))
        else:
            cached = frozenset(user.memberships.values_list("role", flat=True))
        user._growthmatrix_roles = cached
    return cached


# Every set of roles someone may hold: the shapes of a ``Prepared`` read scoped by roles.
ROLE_SHAPES = tuple(
    frozenset(roles)
    for size in range(1, len(Role.values) + 1)
    for roles in combinations(Role.values, size)
)


def user_standing_in(pk: int, organization_id: int, roles: frozenset[str]) -> User:
    """A user with this id, organization and roles, for building a ``Prepared``'s queryset
    through the same scoping functions a real user's goes through."""
    user = User(pk=pk, organization_id=organization_id)
    user._growthmatrix_roles = roles
    return user


def has_role(user, *roles: str) -> bool:
    return bool(user_roles(user).intersection(roles))


def check_role(user, *roles: str) -> None:
    if not has_role(user, *roles):
        raise PermissionDenied("Your role does not give access to this page.")


def role_required(*roles: str):
    """View decorator: the user must hold one of ``roles`` in their organization."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            check_role(request.user, *roles)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class RoleRequiredMixin(AccessMixin):
    """Class-view twin of :func:`role_required`; set ``required_roles``."""

    required_roles: tuple[str, ...] = ()

    def dispatch(self, request, *args, **kwargs):
        check_role(request.user, *self.required_roles)
        return super().dispatch(request, *args, **kwargs)


def get_in_scope_or_404(queryset: QuerySet, pk, *, label: str):
    """The row ``pk`` of a queryset already scoped to the user; anything else (another
    organization, out of reach, a malformed id) is a 404 that says no such ``label``."""
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404(f"No such {label}.") from exc


# Coordinator profiles: who reaches whom ----------------------------------------------------


def is_own_profile(user, profile: CoordinatorProfile) -> bool:
    """The profile is the user's own: they are the coordinator it describes."""
    return profile.user_id == user.pk


def profile_reach(user, path: str = "") -> Q | None:
    """The profiles the user may look at as a condition on the profile at ``path`` ("" for a
    profile itself, "coordinator__" for what belongs to one): their own, their teams', every
    one of their organization for an admin; None when they may look at none. A condition
    rather than a subquery, so that a page's one-row lookup joins the profile it reads anyway
    instead of asking the database to plan a subquery as well."""
    roles = user_roles(user)
    if not roles:
        return None
    reach = Q(**{f"{path}organization_id": user.organization_id})
    if Role.ADMIN in roles:
        return reach
    mine = Q(**{f"{path}user": user})
    if Role.DIRECTOR in roles:
        mine |= Q(**{f"{path}team__director": user})
    return reach & mine


def profiles_visible_to(user) -> QuerySet[CoordinatorProfile]:
    """Coordinator profiles the user may look at: self, their teams', everyone for an admin."""
    reach = profile_reach(user)
    if reach is None:
        return CoordinatorProfile.objects.none()
    return CoordinatorProfile.objects.filter(reach)


def profiles_directed_by(user) -> QuerySet[CoordinatorProfile]:
    """Profiles a user may review or coach: their teams' for a director, all for an admin."""
    roles = user_roles(user)
    base = CoordinatorProfile.objects.filter(organization_id=user.organization_id)
    if Role.ADMIN in roles:
        return base
    if Role.DIRECTOR in roles:
        return base.filter(team__director=user)
    return base.none()


def can_direct(user, profile: CoordinatorProfile) -> bool:
    """True when the user supervises this coordinator: their team's director or an org admin."""
    if profile.organization_id != user.organization_id:
        return False
    roles = user_roles(user)
    if Role.ADMIN in roles:
        return True
    return (
        Role.DIRECTOR in roles
        and profile.team_id is not None
        and (profile.team.director_id == user.pk)
    )


def get_profile_for_user(request, pk, *, related: tuple[str, ...] = ()) -> CoordinatorProfile:
    """A coordinator profile within the user's reach, else 404; ``related`` names more
    relations for the page to read in the same query (those of apps above this one)."""
    profiles = profiles_visible_to(request.user).select_related(
        "user", "team", "team__director", "role_family", *related
    )
    return get_in_scope_or_404(profiles, pk, label="coordinator")


# What only the org admin manages: schools, teams, people ------------------------------------


def get_for_admin_or_404(queryset: QuerySet, request, pk, *, label: str):
    """A row of the admin's organization: the role first (403 whatever the id), then the
    organization (404)."""
    check_role(request.user, Role.ADMIN)
    scoped = queryset.filter(organization_id=request.user.organization_id)
    return get_in_scope_or_404(scoped, pk, label=label)


def get_organization_for_admin(request) -> Organization:
    """The admin's own organization (403 for anyone else)."""
    check_role(request.user, Role.ADMIN)
    return Organization.objects.get(pk=request.user.organization_id)


def get_school_for_user(request, pk) -> School:
    return get_for_admin_or_404(School.objects.all(), request, pk, label="school")


def get_team_for_user(request, pk) -> Team:
    return get_for_admin_or_404(Team.objects.select_related("director"), request, pk, label="team")


def get_person_for_user(request, pk) -> User:
    """A person of the admin's organization, with their profile if they have one."""
    return get_for_admin_or_404(User.objects.select_related("profile"), request, pk, label="person")


# What a person may choose in a picker ------------------------------------------------------
# Each answers with the rows one person may pick in a form or filter, so a picker's search
# (coordinators/pickers.py) never lists anything outside them, and a form checks a choice
# against the same rows.


def schools_choosable_by(user) -> QuerySet[School]:
    """Active schools of the organization, for an org admin (who alone assigns them)."""
    if Role.ADMIN not in user_roles(user):
        return School.objects.none()
    return School.objects.filter(organization_id=user.organization_id, active=True)


def teams_choosable_by(user) -> QuerySet[Team]:
    """Every team of the organization for an org admin; the teams they direct for a director."""
    roles = user_roles(user)
    teams = Team.objects.filter(organization_id=user.organization_id)
    if Role.ADMIN in roles:
        return teams
    if Role.DIRECTOR in roles:
        return teams.filter(director=user)
    return teams.none()


def directors_choosable_by(user) -> QuerySet[User]:
    """Active people of the organization holding the Director role, for an org admin."""
    if Role.ADMIN not in user_roles(user):
        return User.objects.none()
    return User.objects.filter(
        organization_id=user.organization_id,
        is_active=True,
        memberships__role=Role.DIRECTOR,
    )


def people_choosable_by(user) -> QuerySet[User]:
    """Active people of the user's organization (a mentor is anyone there), for anyone who
    holds a role in it."""
    if not user_roles(user):
        return User.objects.none()
    return User.objects.filter(organization_id=user.organization_id, is_active=True)
