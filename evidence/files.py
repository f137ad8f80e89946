"""What an uploaded file is, judged by its content and never by its name, and how it may be
sent back: a pure module (no Django), tested on its own.

A file is accepted only when its first bytes (and, for office documents, the directory of
its archive) say it is one of the kinds below. Markup (HTML, SVG, XML) is never plain text:
a browser could run its scripts. Whatever is stored, only PDF and raster images are ever
shown inline; everything else is downloaded.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import BinaryIO
from urllib.parse import urlsplit

SAMPLE_BYTES = 64 * 1024
# Shown inline in the browser; everything else (SVG included) is an attachment.
INLINE_TYPES = frozenset({"application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp"})
MAX_NAME_CHARS = 100

PDF, IMAGE, OFFICE, TEXT = "pdf", "image", "office", "text"


@dataclass(frozen=True)
class FileType:
    """What a file is: its kind (one of the organization's accepted kinds), the content type it
    is sent with and the extension its download name gets."""

    kind: str
    content_type: str
    extension: str


class Refused(ValueError):
    """The file is not accepted; the message says why, in words the person can act on."""


_IMAGES = (
    (b"\x89PNG\r\n\x1a\n", FileType(IMAGE, "image/png", "png")),
    (b"\xff\xd8\xff", FileType(IMAGE, "image/jpeg", "jpg")),
    (b"GIF87a", FileType(IMAGE, "image/gif", "gif")),
    (b"GIF89a", FileType(IMAGE, "image/gif", "gif")),
)
_OPENXML = "application/vnd.openxmlformats-officedocument."
_OOXML = (
    ("word/", FileType(OFFICE, _OPENXML + "wordprocessingml.document", "docx")),
    ("xl/", FileType(OFFICE, _OPENXML + "spreadsheetml.sheet", "xlsx")),
    ("ppt/", FileType(OFFICE, _OPENXML + "presentationml.presentation", "pptx")),
)
_ODF = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
}
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OLD_OFFICE = {
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "ppt": "application/vnd.ms-powerpoint",
}
_MARKUP = re.compile(
    rb"<\s*(!doctype|html|head|body|script|svg|iframe|object|embed|\?xml|meta)\b", re.I
)
_ZIP_MEMBERS_MAX = 5000
# The control characters a plain text may hold.
_TEXT_CONTROLS = frozenset("\t\n\r\f")

WHAT_IS_ACCEPTED = "PDF, images (PNG, JPEG, GIF, WebP), office documents and plain text"


def file_type(stream: BinaryIO, *, name: str) -> FileType:
    """What ``stream`` holds, from its content; ``name`` only tells apart the three old
    Office formats, which share one container. Raises ``Refused`` for anything else."""
    stream.seek(0)
    head = stream.read(SAMPLE_BYTES)
    stream.seek(0)
    if not head:
        raise Refused("The file is empty.")
    if head.startswith(b"%PDF-"):
        return FileType(PDF, "application/pdf", "pdf")
    for magic, found in _IMAGES:
        if head.startswith(magic):
            return found
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return FileType(IMAGE, "image/webp", "webp")
    if head.startswith(b"PK\x03\x04"):
        return _office_archive(stream)
    if head.startswith(_OLE):
        extension = extension_of(name)
        if extension in _OLD_OFFICE:
            return FileType(OFFICE, _OLD_OFFICE[extension], extension)
        raise Refused(f"This file is not one of the kinds accepted here ({WHAT_IS_ACCEPTED}).")
    if _is_plain_text(head):
        if extension_of(name) == "csv":
            return FileType(TEXT, "text/csv", "csv")
        return FileType(TEXT, "text/plain", "txt")
    if _MARKUP.search(head):
        raise Refused("Web pages, SVG and other markup cannot be attached; save it as a PDF.")
    raise Refused(f"This file is not one of the kinds accepted here ({WHAT_IS_ACCEPTED}).")


def _office_archive(stream: BinaryIO) -> FileType:
    """An Office Open XML or OpenDocument file, from its archive's directory (never unpacked
    beyond the tiny ``mimetype`` entry)."""
    refused = Refused(f"This archive is not an office document ({WHAT_IS_ACCEPTED} are accepted).")
    try:
        with zipfile.ZipFile(stream) as archive:
            members = archive.infolist()
            if len(members) > _ZIP_MEMBERS_MAX:
                raise refused
            names = [member.filename for member in members]
            if "[Content_Types].xml" in names:
                for prefix, found in _OOXML:
                    if any(n.startswith(prefix) for n in names):
                        return found
            mimetype = next((m for m in members if m.filename == "mimetype"), None)
            if mimetype is not None and mimetype.file_size < 100:
                declared = archive.read(mimetype).decode(errors="replace").strip()
                if declared in _ODF:
                    return FileType(OFFICE, declared, _ODF[declared])
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError) as exc:
        raise refused from exc
    finally:
        stream.seek(0)
    raise refused


def _is_plain_text(head: bytes) -> bool:
    # A NUL byte anywhere, even where the end of a short file passes for a cut character.
    if b"\x00" in head or _MARKUP.search(head):
        return False
    try:
        text = head.decode()
    except UnicodeDecodeError as exc:
        # A character cut by the end of the sample is still text.
        if exc.start < len(head) - 3:
            return False
        text = head[: exc.start].decode()
    return not any(unicodedata.category(ch) == "Cc" and ch not in _TEXT_CONTROLS for ch in text)


def extension_of(name: str) -> str:
    tail = re.split(r"[/\\]", name)[-1]
    return tail.rpartition(".")[2].lower() if "." in tail else ""


def download_name(name: str, file_type: FileType) -> str:
    """A name safe to send in ``Content-Disposition``: no folders, no control or format
    characters, no quotes, at most MAX_NAME_CHARS, ending in the extension of what the
    file really is (a lying extension is replaced)."""
    tail = re.split(r"[/\\]", name)[-1]
    cleaned = "".join(
        ch for ch in unicodedata.normalize("NFC", tail) if unicodedata.category(ch)[0] != "C"
    )
    cleaned = re.sub(r"[\"'`<>|:*?;%]", "", cleaned)
    cleaned = re.sub(r"\s+", " ", cleaned).strip().lstrip(".").strip()
    stem = cleaned.rsplit(".", 1)[0]
    stem = stem.strip(" .")[: MAX_NAME_CHARS - len(file_type.extension) - 1].strip(" .")
    return f"{stem or 'evidence'}.{file_type.extension}"


def shown_inline(content_type: str) -> bool:
    """Whether the browser may show the file itself (PDF and raster images only)."""
    return content_type in INLINE_TYPES


def link_domain(url: str) -> str:
    """The host a link goes to, as the page shows it beside the title."""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return host.removeprefix("www.")


def megabytes(size: int) -> str:
    """``"2.4 MB"``, ``"310 KB"``: sizes as people read them."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    return f"{max(1, round(size / 1024))} KB"
