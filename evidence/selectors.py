"""What the matrix, review and history pages show of an assessment's evidence, read in a
fixed number of queries whatever the number of indicators or files."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q, QuerySet

from assessments.access import (
    can_edit_self,
    can_read_coaching_notes,
    can_review,
    can_see_self_side,
)
from assessments.models import (
    Assessment,
    EvidenceKind,
    review_settings_call,
    review_settings_from,
    review_settings_of,
)
from assessments.services import cycle_accepts_changes
from coordinators.prepared import Prepared, together
from evidence import files
from evidence.models import Attachment
from evidence.services import bytes_used
from growth.access import can_read_private_notes, is_party_to
from growth.models import CheckIn


@dataclass
class EvidenceOnPage:
    """The attachments a person sees on one assessment's page, by owner, and what they may add."""

    by_indicator: dict[int, list[Attachment]] = field(default_factory=dict)
    review: list[Attachment] = field(default_factory=list)
    can_add_self: bool = False
    can_add_review: bool = False
    accepted: str = ""
    file_max_mb: int = 0
    assessment_max_mb: int = 0

    @property
    def can_add(self) -> bool:
        return self.can_add_self or self.can_add_review


def evidence_on_page(*, assessment: Assessment, user) -> EvidenceOnPage:
    """The attachments, and the organization's accepted kinds when the person may add some,
    in one round trip on PostgreSQL."""
    show_self = can_see_self_side(user, assessment)
    show_review = can_read_coaching_notes(user, assessment)
    page = EvidenceOnPage(
        can_add_self=can_edit_self(user, assessment)
        and assessment.is_editable_by_coordinator
        and cycle_accepts_changes(assessment.cycle),
        can_add_review=can_review(user, assessment)
        and assessment.state == Assessment.State.SUBMITTED,
        file_max_mb=settings.EVIDENCE_FILE_MAX_MB,
        assessment_max_mb=settings.EVIDENCE_ASSESSMENT_MAX_MB,
    )
    organization_id = assessment.coordinator.organization_id
    calls = []
    if show_self or show_review:
        calls.append(_attachments.call(shape=(show_self, show_review), assessment=assessment.pk))
    if page.can_add:
        calls.append(review_settings_call(organization_id))
    answers = together(*calls)
    if show_self or show_review:
        by_indicator = defaultdict(list)
        for attachment in answers.pop(0):
            if attachment.rating_id:
                by_indicator[attachment.rating.indicator_id].append(attachment)
            else:
                page.review.append(attachment)
        page.by_indicator = dict(by_indicator)
    if page.can_add:
        kinds = review_settings_from(answers.pop(0), organization_id).evidence_kinds
        page.accepted = ", ".join(str(EvidenceKind(kind).label) for kind in kinds)
    return page


def _attachments_of(shown: tuple[bool, bool], assessment: int) -> QuerySet[Attachment]:
    """The attachments of ``assessment``'s ratings (``shown[0]``) and of its review
    (``shown[1]``)."""
    show_self, show_review = shown
    wanted = Q(pk__in=[])
    if show_self:
        wanted |= Q(rating__assessment_id=assessment)
    if show_review:
        wanted |= Q(review_id=assessment)
    return Attachment.objects.filter(wanted).select_related("added_by", "rating")


_attachments = Prepared(
    _attachments_of, "assessment", shapes=((True, False), (False, True), (True, True))
)


@dataclass
class CheckInEvidence:
    """The files and links a person sees on a check-in's page, and whether they may add."""

    items: list[Attachment] = field(default_factory=list)
    can_add: bool = False
    accepted: str = ""
    file_max_mb: int = 0
    assessment_max_mb: int = 0
    whole: str = "check-in"


def check_in_evidence_on_page(*, check_in: CheckIn, user) -> CheckInEvidence:
    """For someone who sees the check-in (its page checked that): its attachments, unless its
    notes are private and the person is not one of its two people (one query, and one for the
    accepted kinds when they may add)."""
    page = CheckInEvidence(
        can_add=is_party_to(user, check_in),
        file_max_mb=settings.EVIDENCE_FILE_MAX_MB,
        assessment_max_mb=settings.EVIDENCE_ASSESSMENT_MAX_MB,
    )
    if not check_in.notes_private or can_read_private_notes(user, check_in):
        page.items = list(Attachment.objects.filter(check_in=check_in).select_related("added_by"))
    if page.can_add:
        kinds = review_settings_of(check_in.coordinator.organization_id).evidence_kinds
        page.accepted = ", ".join(str(EvidenceKind(kind).label) for kind in kinds)
    return page


def check_in_evidence_history(*, check_in: CheckIn, user) -> list:
    """Files and links added to or removed from the check-in, newest first, for those who see
    them (one query)."""
    if check_in.notes_private and not can_read_private_notes(user, check_in):
        return []
    return _changes(Q(check_in_id=check_in.pk), where=lambda record: "the check-in")


@dataclass(frozen=True)
class EvidenceChange:
    """One attachment added or removed, as the assessment's history tells it."""

    when: object
    who: str
    added: bool
    title: str
    where: str


def _changes(wanted: Q, *, where) -> list[EvidenceChange]:
    """The additions and removals of the attachments ``wanted`` selects, newest first, each
    placed by ``where(record)`` (one query)."""
    records = (
        Attachment.history.filter(wanted)
        .exclude(history_type="~")
        .select_related("history_user", "rating")
        .order_by("-history_date", "-history_id")
    )
    return [
        EvidenceChange(
            when=record.history_date,
            who=record.history_user.display_name if record.history_user else "Someone",
            added=record.history_type == "+",
            title=record.title,
            where=where(record),
        )
        for record in records
    ]


def evidence_history(*, assessment: Assessment, user, indicator_names: dict[int, str]):
    """Every attachment added to or removed from the assessment, newest first, of the sides
    the person sees (two queries)."""
    wanted = Q(pk__in=[])
    if can_see_self_side(user, assessment):
        wanted |= Q(rating__assessment_id=assessment.pk)
    if can_read_coaching_notes(user, assessment):
        wanted |= Q(review_id=assessment.pk)
    return _changes(
        wanted,
        where=lambda record: (
            indicator_names.get(record.rating.indicator_id, "an indicator")
            if record.rating_id and record.rating
            else "the review"
        ),
    )


@dataclass(frozen=True)
class StorageUse:
    used: str
    quota: str
    percent: int
    full: bool


def storage_use(organization_id: int) -> StorageUse:
    quota = review_settings_of(organization_id).quota_bytes
    used = bytes_used(organization_id)
    return StorageUse(
        used=files.megabytes(used) if used else "nothing",
        quota=files.megabytes(quota),
        percent=min(100, round(100 * used / quota)),
        full=used >= quota,
    )
