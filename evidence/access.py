"""Who reaches an attachment: exactly those who see the thing it is attached to.

One rule per owner kind, each the owner's own rule from its app: a rating's files go with
the coordinator's evidence (``can_see_self_side``), a review's with its coaching notes
(``can_read_coaching_notes``), a check-in's with the check-in (``check_ins_visible_to``: the
coordinator, their director, an org admin and their mentors) and, when its notes are private,
with its notes (``can_read_private_notes``: its author and the coordinator). A new owner kind
adds its foreign key to ``OWNER_RELATIONS`` and one branch to ``can_see_attachment`` and
``can_change_attachment``.
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from assessments.access import (
    assessments_visible_to,
    can_edit_self,
    can_read_coaching_notes,
    can_review,
    can_see_self_side,
)
from assessments.models import Assessment
from evidence.models import Attachment
from growth.access import (
    can_read_private_notes,
    can_see_check_in,
    check_ins_visible_to,
    is_party_to,
)

# What a rule reads of each owner kind, in the getter's one query.
OWNER_RELATIONS = (
    "rating__assessment__coordinator__user",
    "rating__assessment__coordinator__team",
    "review__coordinator__user",
    "review__coordinator__team",
    "check_in__coordinator__user",
)


def attachments_visible_to(user) -> QuerySet[Attachment]:
    """The attachments of the user's organization whose owner the user reaches at all (the
    owner's own rule then decides, ``can_see_attachment``)."""
    reachable = assessments_visible_to(user)
    return Attachment.objects.filter(organization_id=user.organization_id).filter(
        Q(rating__assessment__in=reachable)
        | Q(review__in=reachable)
        | Q(check_in__in=check_ins_visible_to(user))
    )


def attachment_assessment(attachment: Attachment) -> Assessment | None:
    """The assessment the attachment's owner belongs to (None for a check-in's)."""
    if attachment.check_in_id:
        return None
    return attachment.rating.assessment if attachment.rating_id else attachment.review


def can_see_attachment(user, attachment: Attachment) -> bool:
    if attachment.check_in_id:
        check_in = attachment.check_in
        return can_see_check_in(user, check_in) and (
            not check_in.notes_private or can_read_private_notes(user, check_in)
        )
    assessment = attachment_assessment(attachment)
    if attachment.rating_id:
        return can_see_self_side(user, assessment)
    return can_read_coaching_notes(user, assessment)


def can_change_attachment(user, attachment: Attachment) -> bool:
    """Who may remove it (the workflow then says whether the assessment still changes). On a
    check-in, where both of its people add, each removes what they added."""
    if attachment.check_in_id:
        return attachment.added_by_id == user.pk and is_party_to(user, attachment.check_in)
    assessment = attachment_assessment(attachment)
    if attachment.rating_id:
        return can_edit_self(user, assessment)
    return can_review(user, assessment)


def get_attachment_for_user(request, pk) -> Attachment:
    """An attachment the user may open, else 404: another organization or team, a draft's
    evidence its director does not see yet, a review's files kept from a director who
    inherited the coordinator, a check-in the user does not see (a mentor sees only their
    mentees'), a private check-in's files to anyone but its two people."""
    try:
        attachment = (
            attachments_visible_to(request.user)
            .select_related("added_by", *OWNER_RELATIONS)
            .get(pk=pk)
        )
    except (Attachment.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such attachment.") from exc
    if not can_see_attachment(request.user, attachment):
        raise Http404("No such attachment.")
    return attachment
