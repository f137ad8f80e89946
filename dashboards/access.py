"""The dashboards app's scoped getters.

The team dashboard and its exports are scoped by the selectors' reach (a director's teams, an
org admin's organization); what is fetched by id here is an export someone asked for.
"""

from django.http import Http404

from coordinators.access import check_role
from coordinators.models import Role
from dashboards.models import ExportJob


def get_export_job_for_user(request, pk) -> ExportJob:
    """An export is the requester's alone, as the dashboard it was made from showed only what
    they may see: anyone else's (a colleague's, another organization's) is a 404, and a person
    who no longer directs a team or administers the organization is refused (403)."""
    check_role(request.user, Role.DIRECTOR, Role.ADMIN)
    job = ExportJob.objects.filter(
        pk=pk, requester=request.user, organization_id=request.user.organization_id
    ).first()
    if job is None:
        raise Http404("No such export.")
    return job
