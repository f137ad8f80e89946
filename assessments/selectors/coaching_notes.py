"""Who the coaching notes of a finalized review are shared with, for the sharing box on the
coordinator's own page and the admin's view of the review."""

from dataclasses import dataclass

from assessments.access import can_read_coaching_notes
from assessments.models import Assessment, CoachingNotesShare
from coordinators.models import User


def current_director_of(assessment: Assessment) -> User | None:
    """The active director of the coordinator's team now, if the team has one."""
    team = assessment.coordinator.team
    if team is None or team.director is None or not team.director.is_active:
        return None
    return team.director


@dataclass(frozen=True)
class CoachingNotesSharing:
    shares: list[CoachingNotesShare]  # each with its director and who shared
    current_director: User | None
    # The coordinator's director now cannot read the notes yet: the page offers to share.
    can_offer: bool


def coaching_notes_sharing(*, assessment: Assessment) -> CoachingNotesSharing:
    shares = list(
        assessment.coaching_notes_shares.select_related("director", "shared_by").order_by(
            "shared_at", "pk"
        )
    )
    director = current_director_of(assessment)
    return CoachingNotesSharing(
        shares=shares,
        current_director=director,
        can_offer=director is not None
        and director.pk not in {share.director_id for share in shares}
        and not can_read_coaching_notes(director, assessment),
    )
