"""What a file is, by its content; the name it is sent back with; what opens inline. No
Django, no database."""

import io
import zipfile

import pytest

from evidence import files

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def kind_of(content: bytes, name: str = "") -> files.FileType:
    return files.file_type(io.BytesIO(content), name=name)


def archive(**members: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zipped:
        for name, text in members.items():
            zipped.writestr(name.replace("__", "/"), text)
    return out.getvalue()


@pytest.mark.parametrize(
    ("content", "name", "kind", "content_type", "extension"),
    [
        (PDF, "agenda.pdf", "pdf", "application/pdf", "pdf"),
        (PNG, "photo.png", "image", "image/png", "png"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "x.jpg", "image", "image/jpeg", "jpg"),
        (b"GIF89a\x01\x00", "x.gif", "image", "image/gif", "gif"),
        (b"RIFF\x10\x00\x00\x00WEBPVP8 ", "x.webp", "image", "image/webp", "webp"),
        ("Agenda\nCafé 6 pm\n".encode(), "notes.txt", "text", "text/plain", "txt"),
        (b"name,count\nA,1\n", "sign-in.csv", "text", "text/csv", "csv"),
        (OLE + b"\x00" * 20, "old.doc", "office", "application/msword", "doc"),
    ],
)  # fmt: skip
def test_each_accepted_kind_is_told_by_its_content(content, name, kind, content_type, extension):
    assert kind_of(content, name) == files.FileType(kind, content_type, extension)


def test_office_documents_are_told_by_their_archives_directory():
    assert (
        kind_of(archive(**{"[Content_Types].xml": "", "word__document.xml": ""})).extension
        == "docx"
    )
    assert (
        kind_of(archive(**{"[Content_Types].xml": "", "xl__workbook.xml": ""})).extension == "xlsx"
    )
    assert (
        kind_of(archive(**{"[Content_Types].xml": "", "ppt__slides.xml": ""})).extension == "pptx"
    )
    odt = archive(mimetype="application/vnd.oasis.opendocument.text", **{"content.xml": ""})
    assert kind_of(odt) == files.FileType(
        "office", "application/vnd.oasis.opendocument.text", "odt"
    )


def test_a_lying_extension_does_not_change_what_a_file_is():
    assert kind_of(PNG, "report.pdf").kind == "image"
    assert kind_of(PDF, "photo.png").content_type == "application/pdf"


@pytest.mark.parametrize(
    ("content", "name", "says"),
    [
        (b"", "empty.pdf", "empty"),
        (b"<!DOCTYPE html><html><script>alert(1)</script></html>", "page.pdf", "markup"),
        (SVG, "logo.png", "markup"),
        (b'<?xml version="1.0"?><svg/>', "logo.svg", "markup"),
        (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00", "setup.pdf", "not one of the kinds"),
        (b"MZ\x90\x00", "setup.exe", "not one of the kinds"),  # short: \x90\x00 looks cut
        (archive(**{"evil.exe": "MZ"}), "x.docx", "not an office document"),
        (b"PK\x03\x04 broken", "x.docx", "not an office document"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "macro.exe", "not one of the kinds"),
        (b"text with a NUL \x00 byte", "x.txt", "not one of the kinds"),
        (b"\x1b[31mterminal escapes\x07", "x.txt", "not one of the kinds"),
        (b"one escape \x1b only", "x.txt", "not one of the kinds"),
        (b"latin-1 caf\xe9 in the middle of a longer text", "x.txt", "not one of the kinds"),
    ],
)
def test_anything_else_is_refused_saying_why(content, name, says):
    with pytest.raises(files.Refused, match=says):
        kind_of(content, name)


def test_text_cut_inside_a_character_at_the_end_of_the_sample_is_still_text():
    content = b"a" * (files.SAMPLE_BYTES - 1) + "é".encode()
    assert kind_of(content, "long.txt").kind == "text"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("agenda.pdf", "agenda.pdf"),
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\me\\Desktop\\plan.pdf", "plan.pdf"),
        ("evil\r\nSet-Cookie: x.pdf", "evilSet-Cookie x.pdf"),
        ('quote".pdf', "quote.pdf"),
        ("\u202egnp.pdf", "gnp.pdf"),
        ("photo.exe", "photo.pdf"),
        ("...", "evidence.pdf"),
        ("", "evidence.pdf"),
        ("a" * 300 + ".pdf", "a" * 96 + ".pdf"),
        ("X" * 300 + ".pdf", "X" * 96 + ".pdf"),
        ("a" * 95 + ".b.pdf", "a" * 95 + ".pdf"),  # the cut ends on a dot: it goes
        ("plan.v2.pdf", "plan.v2.pdf"),
        ("my \t  plan.pdf", "my plan.pdf"),
        ("..hidden.pdf", "hidden.pdf"),
        (".pdf", "pdf.pdf"),
        (". .X" + "a" * 200 + ".pdf", "X" + "a" * 95 + ".pdf"),  # cut after the dots go
    ],
)
def test_download_names_are_safe_and_end_in_what_the_file_is(name, expected):
    pdf = files.FileType("pdf", "application/pdf", "pdf")
    assert files.download_name(name, pdf) == expected


def test_only_pdf_and_raster_images_open_inline():
    assert files.shown_inline("application/pdf")
    assert files.shown_inline("image/png")
    assert not files.shown_inline("image/svg+xml")
    assert not files.shown_inline("text/html")
    assert not files.shown_inline("text/plain")


@pytest.mark.parametrize(
    ("url", "domain"),
    [
        ("https://www.Drive.example.org/folder?x=1", "drive.example.org"),
        ("http://user:pw@host.example:8080/x", "host.example"),
        ("javascript:alert(1)", ""),
        ("https://Drive.Example.org:8443/x", "drive.example.org"),
        ("http://[2001:db8::1]:80/", "2001:db8::1"),
        ("https://a@b@host.example/", "host.example"),
        ("http://[broken/", ""),
    ],
)
def test_a_links_domain(url, domain):
    assert files.link_domain(url) == domain


def test_sizes_in_words():
    assert files.megabytes(2_500_000) == "2.4 MB"
    assert files.megabytes(300) == "1 KB"
    assert files.megabytes(1024 * 1024) == "1.0 MB"
    assert files.megabytes(1024 * 1024 - 1) == "1024 KB"
    assert files.megabytes(10 * 1024 * 1024 - 60_000) == "9.9 MB"
    assert files.megabytes(1024 * 600) == "600 KB"
    assert files.megabytes(100 * 1024 * 1024) == "100.0 MB"


def test_the_refusals_people_read_in_full():
    with pytest.raises(files.Refused) as empty:
        kind_of(b"", "empty.pdf")
    assert str(empty.value) == "The file is empty."
    with pytest.raises(files.Refused) as markup:
        kind_of(b"<!DOCTYPE html><html></html>", "page.pdf")
    assert str(markup.value) == (
        "Web pages, SVG and other markup cannot be attached; save it as a PDF."
    )


@pytest.mark.parametrize(
    ("name", "extension"),
    [
        ("a/b.c/archive.tar.GZ", "gz"),
        ("folder.d/README", ""),
        ("folder.d\\notes", ""),
        ("x", ""),
        ("plan.v2.DOC", "doc"),
    ],
)
def test_the_extension_a_name_claims(name, extension):
    assert files.extension_of(name) == extension


def test_the_kind_is_read_from_the_start_of_the_file_and_the_file_is_left_at_its_start():
    stream = io.BytesIO(b"%PDF-1.7 rest of the file")
    stream.read(5)
    assert files.file_type(stream, name="x.pdf").kind == "pdf"
    assert stream.tell() == 0
    office = io.BytesIO(archive(**{"[Content_Types].xml": "x", "word__document.xml": "x"}))
    assert files.file_type(office, name="x.docx").extension == "docx"
    assert office.tell() == 0


def test_only_the_sample_decides_whether_a_file_is_text():
    assert kind_of(b"a" * files.SAMPLE_BYTES + b"\x00 later", "long.txt").kind == "text"


def test_a_riff_file_that_is_not_webp_is_refused():
    with pytest.raises(files.Refused, match="not one of the kinds"):
        kind_of(b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 20, "sound.webp")


def test_a_character_cut_by_the_sample_is_text_but_a_bad_byte_before_it_is_not():
    cut = b"a" * (files.SAMPLE_BYTES - 3) + "\N{GRINNING FACE}".encode()  # 3 of its 4 bytes kept
    assert kind_of(cut, "long.txt").kind == "text"
    bad = b"a" * (files.SAMPLE_BYTES - 4) + b"\xffaaa"
    with pytest.raises(files.Refused, match="not one of the kinds"):
        kind_of(bad, "long.txt")


ODT = "application/vnd.oasis.opendocument.text"


def test_an_open_document_s_declared_type_is_read_only_when_short_and_well_formed():
    assert kind_of(archive(mimetype=ODT), "x.odt").extension == "odt"
    padded = ODT + " " * (99 - len(ODT))
    assert kind_of(archive(mimetype=padded), "x.odt").extension == "odt"  # 99 bytes
    for refused in (padded + " ", ODT + "\udcff"):  # 100 bytes; a byte that is not UTF-8
        content = io.BytesIO()
        with zipfile.ZipFile(content, "w") as zipped:
            zipped.writestr("mimetype", refused.encode(errors="surrogateescape"))
        with pytest.raises(files.Refused, match="not an office document"):
            kind_of(content.getvalue(), "x.odt")


def test_an_archive_of_up_to_5000_members_is_read():
    members = {"[Content_Types].xml": "x", "word__document.xml": "x"}
    members |= {f"m{n}": "" for n in range(files._ZIP_MEMBERS_MAX - 2)}
    assert kind_of(archive(**members), "x.docx").extension == "docx"
    members["one_more"] = ""
    with pytest.raises(files.Refused, match="not an office document"):
        kind_of(archive(**members), "x.docx")
