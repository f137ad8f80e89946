"""Small files of every kind the evidence tests send, built in memory."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40
TEXT = "Agenda: family night, 6 pm. Café, piñata.\n".encode()
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg">'
    b"<script>alert(document.cookie)</script></svg>"
)


def docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def upload(content: bytes, name: str = "agenda.pdf", content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def first_rated(assessment) -> int:
    """The indicator of the assessment's first rating."""
    from assessments.models import Rating

    return Rating.objects.filter(assessment=assessment).order_by("pk").first().indicator_id


def attached_file(assessment, *, by, title="Sign-in sheet", content=PDF, name="sign-in.pdf"):
    """A file already among the evidence of ``assessment`` (in any state), stored and recorded
    as an upload leaves it."""
    from django.utils import timezone

    from assessments.models import Rating
    from evidence import files
    from evidence.models import Attachment
    from evidence.services import private_storage

    found = files.file_type(io.BytesIO(content), name=name)
    stored = private_storage().save(
        f"evidence/{assessment.coordinator.organization_id}/t-{assessment.pk}.{found.extension}",
        io.BytesIO(content),
    )
    return Attachment.objects.create(
        organization_id=assessment.coordinator.organization_id,
        rating=Rating.objects.filter(assessment=assessment).order_by("pk").first(),
        title=title,
        file_name=stored,
        download_name=files.download_name(name, found),
        content_type=found.content_type,
        size=len(content),
        added_by=by,
        added_at=timezone.now(),
    )
