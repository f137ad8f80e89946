"""Sharing the coaching notes of a finalized review with the coordinator's director now, and
stopping it: the coordinator does it on their own page, an org admin on the review."""

from django.contrib import messages
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from assessments import services
from assessments.access import check_can_share_coaching_notes, get_assessment_for_user, is_owner
from assessments.models import Assessment
from assessments.services import WorkflowError
from coordinators.form_helpers import int_or_none
from coordinators.models import User

NO_SUCH_DIRECTOR = "Choose a director of your organization; nothing was changed."


def _back(request, assessment: Assessment):
    """The page the box is on: the coordinator's own sheet, or the review for an admin."""
    if is_owner(request.user, assessment):
        return redirect("assessments:assessment-detail", pk=assessment.pk)
    return redirect("assessments:assessment-review", pk=assessment.pk)


def _sharing_request(request, pk) -> tuple[Assessment, User | None]:
    """The assessment (404 out of reach, 403 for those who may not share its notes) and the
    posted director, when they are a person of the organization."""
    assessment = get_assessment_for_user(request, pk)
    check_can_share_coaching_notes(request.user, assessment)
    director_pk = int_or_none(request.POST.get("director"))
    if director_pk is None:
        return assessment, None
    director = User.objects.filter(
        organization_id=request.user.organization_id, pk=director_pk
    ).first()
    return assessment, director


@require_POST
def coaching_notes_share(request, pk):
    assessment, director = _sharing_request(request, pk)
    if director is None:
        messages.error(request, NO_SUCH_DIRECTOR)
        return _back(request, assessment)
    try:
        share = services.coaching_notes_share(
            assessment=assessment, actor=request.user, director=director
        )
    except WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        if share is None:
            messages.info(
                request, f"The coaching notes were already shared with {director.display_name}."
            )
        else:
            messages.success(
                request,
                f"Shared: {director.display_name} can now read the coaching notes of this "
                "review, and has been told by email.",
            )
    return _back(request, assessment)


@require_POST
def coaching_notes_unshare(request, pk):
    assessment, director = _sharing_request(request, pk)
    if director is None:
        messages.error(request, NO_SUCH_DIRECTOR)
        return _back(request, assessment)
    if services.coaching_notes_unshare(
        assessment=assessment, actor=request.user, director=director
    ):
        messages.success(
            request,
            f"Stopped sharing: {director.display_name} no longer reads the coaching notes of "
            "this review.",
        )
    else:
        messages.info(request, f"The coaching notes were not shared with {director.display_name}.")
    return _back(request, assessment)
