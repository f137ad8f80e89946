"""Who may configure sign-in and reset a member's second factor."""

from django.http import Http404

from coordinators.access import has_role, user_roles
from coordinators.models import Role, User
from signin.models import IdentityProvider, SignInPolicy

STAFF_ROLES = (Role.ADMIN, Role.DIRECTOR)


def policy_of(organization_id) -> SignInPolicy | None:
    if organization_id is None:
        return None
    return SignInPolicy.objects.filter(organization_id=organization_id).first()


def password_login_allowed(user) -> bool:
    """Superusers and people outside any organization always may."""
    if user.is_superuser:
        return True
    policy = policy_of(user.organization_id)
    return policy is None or policy.password_login_allowed


def two_factor_required(user) -> bool:
    """Superusers always; org admins and directors where their organization requires it."""
    if user.is_superuser:
        return True
    if not has_role(user, *STAFF_ROLES):
        return False
    policy = policy_of(user.organization_id)
    return policy is not None and policy.two_factor_required_for_staff


def get_provider_for_user(request, pk) -> IdentityProvider:
    try:
        return IdentityProvider.objects.get(pk=pk, organization_id=request.user.organization_id)
    except (IdentityProvider.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such sign-in provider.") from exc


def may_reset_two_factor(actor, member: User) -> bool:
    """A superuser for anyone; an org admin for a member of their organization who is not an
    org admin (an admin's second factor is reset by a superuser)."""
    if actor.is_superuser:
        return True
    if Role.ADMIN not in user_roles(actor) or member.organization_id != actor.organization_id:
        return False
    return not member.is_superuser and not member.memberships.filter(role=Role.ADMIN).exists()


def get_member_for_reset(request, pk) -> User:
    """A member of the admin's organization (404 for anyone else's)."""
    members = User.objects.all()
    if not request.user.is_superuser:
        members = members.filter(organization_id=request.user.organization_id)
    try:
        return members.get(pk=pk)
    except (User.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such person.") from exc
