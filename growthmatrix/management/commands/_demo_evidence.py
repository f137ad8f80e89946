"""The demo's evidence: a small PDF agenda, a photo and links on past assessments, and every
finalized review acknowledged a few days later but one, left for its coordinator to read."""

import struct
import zlib
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db.models import F

from assessments.models import Assessment, Rating
from evidence.models import Attachment
from evidence.services import private_storage


def agenda_pdf(title: str, lines: list[str]) -> bytes:
    """A one-page PDF with a title and a few lines of text, written by hand."""
    text = [f"BT /F1 18 Tf 72 720 Td ({title}) Tj ET"]
    for n, line in enumerate(lines):
        text.append(f"BT /F1 12 Tf 72 {680 - 22 * n} Td ({line}) Tj ET")
    stream = "\n".join(text).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def photo_png(width: int = 160, height: int = 100) -> bytes:
    """A small picture: an evening sky over a row of lit windows."""
    rows = []
    for y in range(height):
        row = bytearray([0])
        for x in range(width):
            if y > 60 and (x // 16) % 2 == 0 and 70 < y < 90:
                row += bytes((250, 210, 90))
            elif y > 60:
                row += bytes((70, 60, 80))
            else:
                row += bytes((40 + y, 60 + y, 140 + y // 2))
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"".join(rows)))
        + chunk(b"IEND", b"")
    )


def _store(org_id: int, name: str, content: bytes) -> str:
    return private_storage().save(f"evidence/{org_id}/demo-{name}", ContentFile(content))


def evidence_build(org, *, count: int = 3) -> None:
    """Files and links on the latest finalized assessments of the first few coordinators."""
    finalized = list(
        Assessment.objects.filter(coordinator__organization=org, state=Assessment.State.FINALIZED)
        .select_related("coordinator__user", "cycle", "finalized_by")
        .order_by("coordinator__user_id", "-cycle__opens_on")
    )
    latest, seen = [], set()
    for assessment in finalized:
        if assessment.coordinator_id not in seen:
            seen.add(assessment.coordinator_id)
            latest.append(assessment)
    pdf = agenda_pdf(
        "Family night agenda",
        ["6:00 Welcome and dinner", "6:30 Reading corner with teachers", "7:15 Sign-ups"],
    )
    png = photo_png()
    attachments = []
    for assessment in latest[:count]:
        ratings = list(
            Rating.objects.filter(assessment=assessment).order_by("indicator__order", "pk")[:2]
        )
        if not ratings:
            continue
        person = assessment.coordinator.user
        when = assessment.submitted_at or assessment.finalized_at
        common = {"organization": org, "added_by": person, "added_at": when}
        attachments += [
            Attachment(
                rating=ratings[0],
                title="Family night agenda",
                file_name=_store(org.pk, f"{assessment.pk}-agenda.pdf", pdf),
                download_name="family-night-agenda.pdf",
                content_type="application/pdf",
                size=len(pdf),
                **common,
            ),
            Attachment(
                rating=ratings[0],
                title="Photo of the family night",
                file_name=_store(org.pk, f"{assessment.pk}-photo.png", png),
                download_name="family-night.png",
                content_type="image/png",
                size=len(png),
                **common,
            ),
            Attachment(
                rating=ratings[-1],
                title="Shared folder of sign-in sheets",
                url="https://drive.example.org/community-school/sign-in-sheets",
                **common,
            ),
        ]
        if assessment.finalized_by is not None:
            attachments.append(
                Attachment(
                    review=assessment,
                    title="Observation notes from the site visit",
                    url="https://docs.example.org/site-visit-notes",
                    organization=org,
                    added_by=assessment.finalized_by,
                    added_at=assessment.finalized_at,
                )
            )
    Attachment.objects.bulk_create(attachments)
    # Every finalized review was acknowledged two days later, but the newest of the first
    # coordinator's, which waits for them.
    waiting = latest[0].pk if latest else None
    Assessment.objects.filter(
        coordinator__organization=org, state=Assessment.State.FINALIZED
    ).exclude(pk=waiting).update(acknowledged_at=F("finalized_at") + timedelta(days=2))
    Assessment.objects.filter(
        coordinator__organization=org,
        state=Assessment.State.FINALIZED,
        pk__in=[a.pk for a in latest[1:2]],
    ).update(acknowledgement_response="Thank you. The sign-in sheets are in the shared folder.")
