"""Who reaches the rubric editor's objects: the org admin, within their organization."""

from django.http import Http404

from coordinators.access import check_role, get_for_admin_or_404, get_in_scope_or_404
from coordinators.models import Role, RoleFamily
from rubrics.models import RubricVersion


def get_role_family_for_user(request, pk) -> RoleFamily:
    """A role family of the admin's organization, else 404 (403 for other roles)."""
    families = RoleFamily.objects.select_related("rubric")
    return get_for_admin_or_404(families, request, pk, label="role family")


def get_rubric_version_for_user(request, pk, *, draft: bool = False) -> RubricVersion:
    """A rubric version of the admin's organization, else 404; ``draft`` also requires it
    to be editable (a published or retired version is a 404 for the editor)."""
    check_role(request.user, Role.ADMIN)
    versions = RubricVersion.objects.select_related(
        "rubric", "rubric__role_family", "created_by", "published_by"
    ).filter(rubric__organization_id=request.user.organization_id)
    version = get_in_scope_or_404(versions, pk, label="rubric version")
    if draft and not version.is_editable:
        raise Http404("Only a draft can be edited.")
    return version
