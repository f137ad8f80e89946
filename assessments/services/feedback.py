"""The principal's feedback: asking a school's principal for their view of the School site
indicators of one assessment, through a link that needs no account, and their answer.

A request moves sent → opened → answered, and can be revoked; it is "expired" while its link
no longer works (30 days after sending, or the assessment finalized) and it was not answered.
The link's token is minted when the email is written (``feedback_link_mint``), so it never
waits in the task queue; only its digest is stored. Sending again mints a new link and the
old one stops working. The principal may revise their answer until the review is finalized.
"""

from collections.abc import Mapping
from datetime import timedelta
from functools import partial
from typing import NamedTuple

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from assessments import emails
from assessments import events as assessment_events
from assessments.access import check_can_ask_principal
from assessments.models import Assessment, FeedbackRequest, PrincipalRating
from assessments.scoring import category_level
from assessments.services.errors import WorkflowError
from coordinators import events
from coordinators.models import School
from rubrics.text import rubric_text
from rubrics.vocabulary import SITE

FINALIZED_REFUSAL = (
    "This review is finalized, so its principals can no longer be asked or change their answer."
)


class PrincipalRatingInput(NamedTuple):
    """One School site indicator as the principal rates it."""

    level: int
    comment: str = ""


def site_indicator_ids(assessment: Assessment) -> list[int]:
    """The School site indicators of the assessment's rubric version, in page order."""
    words = rubric_text(assessment.rubric_version)
    return [
        indicator.pk
        for category, indicators in words.categories
        if category.key == SITE
        for indicator, _descriptors in indicators
    ]


def _announce(event_type, request: FeedbackRequest) -> None:
    assessment = request.assessment
    events.publish(
        event_type(
            organization_id=assessment.cycle.organization_id,
            assessment_id=assessment.pk,
            coordinator_id=assessment.coordinator_id,
            cycle_id=assessment.cycle_id,
            feedback_request_id=request.pk,
        )
    )


def _save(request: FeedbackRequest, actor, fields: list[str]) -> None:
    request._history_user = actor
    request.save(update_fields=fields)


def _check_open(assessment: Assessment) -> None:
    if assessment.state == Assessment.State.FINALIZED:
        raise WorkflowError(FINALIZED_REFUSAL)


@transaction.atomic
def feedback_request_send(
    *,
    assessment: Assessment,
    school: School,
    actor,
    principal_name: str,
    principal_email: str,
    email: bool = True,
) -> FeedbackRequest:
    """Ask the principal of one of the assessment's schools for their view (emailed after the
    commit, with a new link; ``email=False`` when the link is printed instead). Asking a
    school again replaces its earlier link and recipient; an answer already given stays, and
    the principal may revise it."""
    check_can_ask_principal(actor, assessment)
    assessment = (
        Assessment.objects.select_for_update().select_related("cycle").get(pk=assessment.pk)
    )
    _check_open(assessment)
    if not assessment.schools.filter(pk=school.pk).exists():
        raise WorkflowError(f"{school.name} is not one of this assessment's school sites.")
    name, email = principal_name.strip(), principal_email.strip()
    if not name or not email:
        raise WorkflowError("Give the principal's name and email address.")
    now = timezone.now()
    request = FeedbackRequest.objects.filter(assessment=assessment, school=school).first()
    if request is None:
        request = FeedbackRequest(assessment=assessment, school=school, sent_at=now)
    request.assessment = assessment
    request.principal_name, request.principal_email = name, email
    request.sent_by, request.sent_at = actor, now
    request.expires_at = now + timedelta(days=FeedbackRequest.VALID_DAYS)
    request.token_digest = None  # the email's new link replaces any earlier one
    request.revoked_at = None
    request.state = (
        FeedbackRequest.State.ANSWERED if request.answered_at else FeedbackRequest.State.SENT
    )
    request._history_user = actor
    request.save()
    _announce(assessment_events.PrincipalFeedbackRequested, request)
    if email:
        transaction.on_commit(
            partial(emails.feedback_request_email.enqueue, feedback_request_id=request.pk)
        )
    return request


def feedback_request_resend(*, request: FeedbackRequest, actor) -> FeedbackRequest:
    """Send the same request again, to the same principal, with a new link."""
    return feedback_request_send(
        assessment=request.assessment,
        school=request.school,
        actor=actor,
        principal_name=request.principal_name,
        principal_email=request.principal_email,
    )


@transaction.atomic
def feedback_request_revoke(*, request: FeedbackRequest, actor) -> FeedbackRequest:
    """Stop the request's link from working. An answer already given stays with the review."""
    check_can_ask_principal(actor, request.assessment)
    request = (
        FeedbackRequest.objects.select_for_update()
        .select_related("assessment__cycle")
        .get(pk=request.pk)
    )
    if request.state == FeedbackRequest.State.REVOKED:
        return request
    request.state = FeedbackRequest.State.REVOKED
    request.revoked_at = timezone.now()
    request.token_digest = None
    _save(request, actor, ["state", "revoked_at", "token_digest"])
    _announce(assessment_events.PrincipalFeedbackRevoked, request)
    return request


@transaction.atomic
def feedback_link_mint(*, request: FeedbackRequest) -> str:
    """A new link for a request of an open assessment, working for the next 30 days (the
    earlier link stops working), as an absolute URL; nothing is emailed. Only its token's
    digest is kept. Refused for a revoked request or a finalized review."""
    request = (
        FeedbackRequest.objects.select_for_update().select_related("assessment").get(pk=request.pk)
    )
    _check_open(request.assessment)
    if request.state == FeedbackRequest.State.REVOKED:
        raise WorkflowError("This request was revoked: send it again from the request page.")
    request.expires_at = timezone.now() + timedelta(days=FeedbackRequest.VALID_DAYS)
    request.save(update_fields=["expires_at"])
    return emails.principal_link(request)


@transaction.atomic
def feedback_opened(*, request: FeedbackRequest) -> None:
    """The principal opened the link for the first time."""
    if request.state == FeedbackRequest.State.SENT:
        request.state = FeedbackRequest.State.OPENED
        request.opened_at = timezone.now()
        _save(request, None, ["state", "opened_at"])


def _principal_ratings_write(
    *, request: FeedbackRequest, ratings: Mapping[int, PrincipalRatingInput]
) -> list[int]:
    existing = {rating.indicator_id: rating for rating in request.ratings.all()}
    created, changed = [], []
    for indicator_id, entry in ratings.items():
        comment = entry.comment.strip()
        rating = existing.get(indicator_id)
        if rating is None:
            created.append(
                PrincipalRating(
                    request=request, indicator_id=indicator_id, level=entry.level, comment=comment
                )
            )
        elif (rating.level, rating.comment) != (entry.level, comment):
            rating.level, rating.comment = entry.level, comment
            changed.append(rating)
    for rating in (*created, *changed):
        # The principal has no account: their history rows name nobody, never whoever is
        # signed in on the browser that opened the link.
        rating._history_user = None
    if created:
        bulk_create_with_history(created, PrincipalRating)
    if changed:
        bulk_update_with_history(changed, PrincipalRating, ["level", "comment"])
    return [entry.level for entry in ratings.values()]


@transaction.atomic
def feedback_answer_save(
    *,
    request: FeedbackRequest,
    ratings: Mapping[int, PrincipalRatingInput],
    overall_comment: str,
    collaboration: str = "",
) -> FeedbackRequest:
    """The principal's levels for every School site indicator, their comments and, when the
    organization asks, their words on the coordinator's collaboration. Refused once the link
    no longer works."""
    request = (
        FeedbackRequest.objects.select_for_update()
        .select_related("assessment__cycle", "assessment__rubric_version")
        .get(pk=request.pk)
    )
    if not request.link_works(timezone.now()):
        raise WorkflowError("This link no longer works.")
    wanted = site_indicator_ids(request.assessment)
    if set(ratings) != set(wanted):
        raise WorkflowError("Choose a level for every indicator.")
    levels = {level.value for level in rubric_text(request.assessment.rubric_version).levels}
    if any(entry.level not in levels for entry in ratings.values()):
        raise WorkflowError("Some levels are not levels of this rubric.")
    given = _principal_ratings_write(request=request, ratings=ratings)
    request.site_level = category_level(given)
    request.overall_comment = overall_comment.strip()
    request.collaboration = collaboration.strip()
    fields = ["site_level", "overall_comment", "collaboration", "state", "answered_at"]
    request.state = FeedbackRequest.State.ANSWERED
    request.answered_at = timezone.now()
    _save(request, None, fields)
    _announce(assessment_events.PrincipalFeedbackAnswered, request)
    return request
