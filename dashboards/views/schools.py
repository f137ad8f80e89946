"""A school's page and the organization's schools view."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from coordinators.access import has_role, role_required
from coordinators.models import Role
from dashboards.selectors.schools import SchoolPageNumbers, school_page, schools_page
from schoolsites.access import get_school_in_reach


@require_GET
def school_detail(request, pk):
    """The org admin every school; a director the schools of their teams; a coordinator
    their own schools."""
    school = get_school_in_reach(request, pk)
    page = school_page(
        school=school,
        pages=SchoolPageNumbers(
            levels=request.GET.get("levels_page"),
            coordinators=request.GET.get("coordinators_page"),
            agreements=request.GET.get("agreements_page"),
        ),
    )
    return render(
        request,
        "dashboards/school_detail.html",
        {
            "page": page,
            "school": school,
            "can_direct": school.directed,
            "is_admin": has_role(request.user, Role.ADMIN),
        },
    )


@require_GET
@role_required(Role.ADMIN)
def org_schools(request):
    """Every school of the organization, weakest School site first, with its trend and
    turnover, a page at a time."""
    page = schools_page(organization=request.user.organization, number=request.GET.get("page"))
    return render(
        request,
        "dashboards/schools.html",
        {"page_obj": page, "rows": page.object_list, "total": page.paginator.count},
    )
