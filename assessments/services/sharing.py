"""Sharing the coaching notes of a finalized review with the coordinator's new director.

The notes of a finalized review are read by the coordinator, an org admin and the director
who wrote them (``can_read_coaching_notes``). When the coordinator moves to another team,
they or an admin may let the new director read them too, and stop that again; the history of
``CoachingNotesShare`` keeps who did which, and when.
"""

from functools import partial

from django.db import IntegrityError, transaction
from django.utils import timezone

from assessments import emails
from assessments.access import can_read_coaching_notes, check_can_share_coaching_notes
from assessments.models import Assessment, CoachingNotesShare
from assessments.selectors.coaching_notes import current_director_of
from assessments.services.errors import WorkflowError
from coordinators.models import User


@transaction.atomic
def coaching_notes_share(
    *, assessment: Assessment, actor: User, director: User
) -> CoachingNotesShare | None:
    """Let ``director``, who directs the coordinator now, read the coaching notes (an email
    tells them after the commit). Sharing twice changes nothing and returns None."""
    check_can_share_coaching_notes(actor, assessment)
    if assessment.state != Assessment.State.FINALIZED:
        raise WorkflowError(
            "The review is not finalized yet: its director is still writing the coaching notes."
        )
    if director != current_director_of(assessment):
        raise WorkflowError(
            f"{director.display_name} is not {assessment.coordinator.user.display_name}'s "
            "director now, so the coaching notes were not shared. Reload the page to see who "
            "is."
        )
    if CoachingNotesShare.objects.filter(assessment=assessment, director=director).exists():
        return None
    if can_read_coaching_notes(director, assessment):
        raise WorkflowError(
            f"{director.display_name} wrote these coaching notes and already reads them."
        )
    share = CoachingNotesShare(
        assessment=assessment, director=director, shared_by=actor, shared_at=timezone.now()
    )
    share._history_user = actor
    try:
        with transaction.atomic():
            share.save()
    except IntegrityError:  # shared at the same moment in another tab
        return None
    transaction.on_commit(partial(emails.coaching_notes_shared_notify.enqueue, share_id=share.pk))
    return share


@transaction.atomic
def coaching_notes_unshare(*, assessment: Assessment, actor: User, director: User) -> bool:
    """Stop sharing the coaching notes with ``director``; False when they were not shared
    with them (already stopped, perhaps in another tab)."""
    check_can_share_coaching_notes(actor, assessment)
    share = (
        CoachingNotesShare.objects.select_for_update()
        .filter(assessment=assessment, director=director)
        .first()
    )
    if share is None:
        return False
    share._history_user = actor
    share.delete()
    return True
