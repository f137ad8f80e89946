"""Adding and removing evidence, and sweeping stored files nobody records.

A file is checked (size, kind by content, the organization's list, room left) and stored
first, outside any transaction; then its row is written in the same transaction as its
owner's version claim (the assessment's, ``assessment_claim_for_evidence``, or the
check-in's, ``check_in_claim_for_evidence``). When the claim (or anything after it) is
refused, the stored file is deleted before the refusal goes on, so neither a half-written file
nor an orphan row is left behind. A file whose request died between the two is swept later
(``evidence_files_sweep``).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.storage import storages
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone

from assessments.access import check_can_edit_self, check_can_review
from assessments.models import Assessment, EvidenceKind, Rating, review_settings_of
from assessments.services import assessment_claim_for_evidence
from coordinators.models import Organization
from evidence import files
from evidence.access import attachment_assessment, can_change_attachment
from evidence.models import Attachment
from growth.access import is_party_to
from growth.check_in_services import check_in_claim_for_evidence
from growth.models import CheckIn
from rubrics.models import Indicator

MB = 1024 * 1024
PREFIX = "evidence"
TITLE_MAX_CHARS = 200


class EvidenceRefused(Exception):
    """The file or link is not accepted; the message says why and what to do."""


@dataclass(frozen=True)
class EvidenceOwner:
    """What the evidence is attached to: the coordinator's rating of one indicator, or the
    reviewer's review (``indicator_id`` None)."""

    indicator_id: int | None = None

    @property
    def reviewing(self) -> bool:
        return self.indicator_id is None


def private_storage():
    """Where evidence files live: never served by URL, only through the download view."""
    return storages["private"]


def evidence_of(assessment: Assessment):
    """Every attachment of the assessment: its ratings' and its review's."""
    return Attachment.objects.filter(Q(rating__assessment=assessment) | Q(review=assessment))


def bytes_used(organization_id: int) -> int:
    return (
        Attachment.objects.filter(organization_id=organization_id).aggregate(total=Sum("size"))[
            "total"
        ]
        or 0
    )


def _check_room(*, assessment: Assessment, organization_id: int, size: int) -> None:
    """Refuse a file that would take the assessment past its limit, or the organization past
    its quota."""
    per_assessment = settings.EVIDENCE_ASSESSMENT_MAX_MB * MB
    here = evidence_of(assessment).aggregate(total=Sum("size"))["total"] or 0
    if here + size > per_assessment:
        raise EvidenceRefused(
            f"This assessment already holds {files.megabytes(here)} of files, and one "
            f"assessment may hold {settings.EVIDENCE_ASSESSMENT_MAX_MB} MB. Remove a file you "
            "no longer need, or add a link to where the file is kept instead."
        )
    _check_quota(organization_id=organization_id, size=size)


def _check_quota(*, organization_id: int, size: int) -> None:
    quota = review_settings_of(organization_id).quota_bytes
    used = bytes_used(organization_id)
    if used + size > quota:
        raise EvidenceRefused(
            f"Your organization's storage for evidence is full ({files.megabytes(used)} of "
            f"{files.megabytes(quota)} used). Add a link instead, or ask your org admin to "
            "make room."
        )


def _check_owner(*, assessment: Assessment, actor, owner: EvidenceOwner) -> None:
    """The actor may change this side of the assessment, and the indicator is one of it."""
    if owner.reviewing:
        check_can_review(actor, assessment)
        return
    check_can_edit_self(actor, assessment)
    if not Indicator.objects.filter(
        pk=owner.indicator_id, category__version_id=assessment.rubric_version_id
    ).exists():
        raise EvidenceRefused("That indicator is not in this assessment's rubric.")


def _check_file(*, upload, organization_id: int) -> files.FileType:
    limit = settings.EVIDENCE_FILE_MAX_MB * MB
    if upload.size == 0:
        raise EvidenceRefused("The file is empty; choose the file again.")
    if upload.size > limit:
        raise EvidenceRefused(
            f"The file is {files.megabytes(upload.size)}; a file may be at most "
            f"{settings.EVIDENCE_FILE_MAX_MB} MB. Make it smaller, or add a link to it instead."
        )
    try:
        found = files.file_type(upload, name=upload.name or "")
    except files.Refused as exc:
        raise EvidenceRefused(str(exc)) from exc
    accepted = review_settings_of(organization_id).evidence_kinds
    if found.kind not in accepted:
        label = EvidenceKind(found.kind).label
        allowed = ", ".join(str(EvidenceKind(kind).label) for kind in accepted) or "none"
        raise EvidenceRefused(
            f"Your organization does not accept {label} as evidence (accepted: {allowed})."
        )
    return found


def clean_link(url: str) -> str:
    """An http or https address with a host, else refused (javascript:, data:, file: …)."""
    url = url.strip()
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        host = None
    if not host or parts.scheme.lower() not in ("http", "https"):
        raise EvidenceRefused("A link must be a web address starting with https:// or http://.")
    if any(ord(ch) < 33 or ord(ch) == 127 for ch in url):
        raise EvidenceRefused("A link cannot contain spaces or control characters.")
    return url


def _owner_row(*, assessment: Assessment, actor, owner: EvidenceOwner) -> dict:
    """The foreign key of the new attachment; a rating is made for an indicator not rated yet."""
    if owner.reviewing:
        return {"review": assessment}
    rating = Rating.objects.filter(assessment=assessment, indicator_id=owner.indicator_id).first()
    if rating is None:
        rating = Rating(assessment=assessment, indicator_id=owner.indicator_id)
        rating._history_user = actor
        rating.save()
    return {"rating": rating}


def _attach(*, organization_id: int, actor, title: str, upload, url: str, room, claim, owner):
    """Check and store a file (or clean a link) outside any transaction, then record it in the
    transaction of the owner's version claim: ``room(claimed)`` checks the owner's limit and
    the quota again, ``claim()`` takes the owner's next version (returning the owner as
    claimed), ``owner(claimed)`` gives the row's foreign key. A refusal after the file was
    stored deletes it before going on."""
    title = " ".join(title.split())[:TITLE_MAX_CHARS]
    if upload is not None:
        found = _check_file(upload=upload, organization_id=organization_id)
        room(None, upload.size)
        download = files.download_name(upload.name or "", found)
        fields = {
            "download_name": download,
            "content_type": found.content_type,
            "size": upload.size,
        }
        title = title or download
        stored = private_storage().save(
            f"{PREFIX}/{organization_id}/{uuid.uuid4().hex}.{found.extension}", upload
        )
        fields["file_name"] = stored
    else:
        url = clean_link(url)
        title = title or files.link_domain(url)
        fields = {"url": url}
        stored = None
    try:
        with transaction.atomic():
            claimed = claim()
            if stored is not None:
                # One upload at a time per organization, so two cannot both fit the last room.
                Organization.objects.select_for_update().filter(pk=organization_id).first()
                room(claimed, fields["size"])
            attachment = Attachment(
                organization_id=organization_id,
                title=title,
                added_by=actor,
                added_at=timezone.now(),
                **owner(claimed),
                **fields,
            )
            attachment._history_user = actor
            attachment.save()
    except BaseException:
        if stored is not None:
            private_storage().delete(stored)
        raise
    return attachment, claimed


def attachment_add(
    *,
    assessment: Assessment,
    actor,
    expected_version: int,
    owner: EvidenceOwner,
    title: str = "",
    upload=None,
    url: str = "",
) -> tuple[Attachment, Assessment]:
    """Attach a file (``upload``) or a link (``url``). Returns the attachment and the
    assessment at its new version. Refusals: ``EvidenceRefused`` (the file or link),
    the workflow's (a stale version, a state that no longer changes), ``PermissionDenied``."""
    organization_id = assessment.coordinator.organization_id
    _check_owner(assessment=assessment, actor=actor, owner=owner)
    return _attach(
        organization_id=organization_id,
        actor=actor,
        title=title,
        upload=upload,
        url=url,
        room=lambda claimed, size: _check_room(
            assessment=claimed or assessment, organization_id=organization_id, size=size
        ),
        claim=lambda: assessment_claim_for_evidence(
            assessment=assessment,
            actor=actor,
            expected_version=expected_version,
            reviewing=owner.reviewing,
        ),
        owner=lambda claimed: _owner_row(assessment=claimed, actor=actor, owner=owner),
    )


def _check_check_in_room(*, check_in: CheckIn, organization_id: int, size: int) -> None:
    """A check-in holds as much as an assessment may, within the organization's quota."""
    limit = settings.EVIDENCE_ASSESSMENT_MAX_MB * MB
    here = Attachment.objects.filter(check_in=check_in).aggregate(total=Sum("size"))["total"] or 0
    if here + size > limit:
        raise EvidenceRefused(
            f"This check-in already holds {files.megabytes(here)} of files, and one check-in "
            f"may hold {settings.EVIDENCE_ASSESSMENT_MAX_MB} MB. Remove a file you no longer "
            "need, or add a link to where the file is kept instead."
        )
    _check_quota(organization_id=organization_id, size=size)


def check_in_attachment_add(
    *,
    check_in: CheckIn,
    actor,
    expected_version: int,
    title: str = "",
    upload=None,
    url: str = "",
) -> tuple[Attachment, CheckIn]:
    """Attach a file or a link to a check-in, as its author or its coordinator. Returns the
    attachment and the check-in at its new version. Refusals: ``EvidenceRefused``,
    ``StaleEdit`` (the check-in changed since the page was read), ``PermissionDenied``."""
    organization_id = check_in.coordinator.organization_id
    if not is_party_to(actor, check_in):
        raise PermissionDenied(
            "Only the coordinator and the person who logged the check-in can attach to it."
        )
    return _attach(
        organization_id=organization_id,
        actor=actor,
        title=title,
        upload=upload,
        url=url,
        room=lambda _claimed, size: _check_check_in_room(
            check_in=check_in, organization_id=organization_id, size=size
        ),
        claim=lambda: check_in_claim_for_evidence(
            check_in=check_in, actor=actor, expected_version=expected_version
        ),
        owner=lambda claimed: {"check_in": claimed},
    )


@transaction.atomic
def attachment_remove(
    *, attachment: Attachment, actor, expected_version: int
) -> Assessment | CheckIn:
    """Remove evidence from a draft, a review in progress or a check-in: the owner's version is
    claimed as when adding, the history records who removed what, and the file is deleted once
    the removal is committed. Returns the owner at its new version."""
    if not can_change_attachment(actor, attachment):
        raise PermissionDenied("Only the person who added this may remove it.")
    if attachment.check_in_id:
        claimed = check_in_claim_for_evidence(
            check_in=attachment.check_in, actor=actor, expected_version=expected_version
        )
    else:
        claimed = assessment_claim_for_evidence(
            assessment=attachment_assessment(attachment),
            actor=actor,
            expected_version=expected_version,
            reviewing=attachment.review_id is not None,
        )
    file_name = attachment.file_name
    attachment._history_user = actor
    attachment.delete()
    if file_name:
        transaction.on_commit(partial(private_storage().delete, file_name))
    return claimed


def evidence_files_sweep(*, older_than: timedelta = timedelta(hours=1), now=None) -> int:
    """Delete stored evidence files that no row records: those of a deleted organization, and
    any left by a request that died between storing and recording. Younger files are left
    alone (their upload may still be recording). Returns how many were deleted."""
    storage = private_storage()
    cutoff = (now or timezone.now()) - older_than
    try:
        folders = storage.listdir(PREFIX)[0]
    except FileNotFoundError:
        return 0
    recorded = set(Attachment.objects.exclude(file_name="").values_list("file_name", flat=True))
    deleted = 0
    for folder in folders:
        for name in storage.listdir(f"{PREFIX}/{folder}")[1]:
            path = f"{PREFIX}/{folder}/{name}"
            if path in recorded or storage.get_modified_time(path) > cutoff:
                continue
            storage.delete(path)
            deleted += 1
    return deleted
