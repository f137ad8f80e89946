"""The coordinator's timeline: everything that happened to them, newest first."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from dashboards.selectors.timeline import KINDS, coordinator_timeline
from growth.access import get_growth_profile_for_user

PRINT_PAGE = 1000  # the printable timeline shows this many entries on one page


@require_GET
def coordinator_timeline_view(request, pk):
    """For whoever may see the coordinator's growth plan: themself, their director, an org
    admin, their mentor."""
    profile = get_growth_profile_for_user(request, pk)
    printable = request.GET.get("print") == "1"
    timeline = coordinator_timeline(
        profile=profile,
        kind=request.GET.get("kind", ""),
        page=request.GET.get("page", 1),
        per_page=PRINT_PAGE if printable else 25,
    )
    return render(
        request,
        "dashboards/timeline.html",
        {
            "profile": profile,
            "timeline": timeline,
            "page_obj": timeline.page,
            "kinds": list(KINDS.items()),
            "printable": printable,
        },
    )
