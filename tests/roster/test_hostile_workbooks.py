"""Workbooks built to exhaust a server are refused from their archive's directory or while
one row is streamed, before openpyxl parses shared strings or rows."""

import io
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from growthmatrix.roster import reading
from growthmatrix.roster.reading import ImportFileError, roster_read
from tests.roster.import_files import xlsx_file

ROOT = Path(__file__).resolve().parents[2]


def rebuilt(parts: dict[str, bytes], base: bytes | None = None) -> bytes:
    """A copy of a real workbook with ``parts`` replaced or added."""
    base = base or xlsx_file({"People": [["email", "first_name"], ["a@example.org", "A"]]}).read()
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(base)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for item in src.infolist():
            if item.filename not in parts:
                dst.writestr(item, src.read(item.filename))
        for name, data in parts.items():
            dst.writestr(name, data)
    return out.getvalue()


def wide_row_sheet(cells: int, *, varied: bool = False) -> bytes:
    """One row of ``cells`` cells; ``varied`` numbers them so the part compresses like real
    data instead of like a bomb."""
    if varied:
        body = b"".join(b"<c><v>%d</v></c>" % (n * 7919 % 1_000_003) for n in range(cells))
    else:
        body = b'<c t="inlineStr"><is><t>x</t></is></c>' * cells
    return (
        b'<?xml version="1.0" encoding="UTF-8"?><worksheet '
        b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        b'<row r="1">' + body + b"</row></sheetData></worksheet>"
    )


@pytest.fixture
def openpyxl_never_opens(monkeypatch):
    """Counts the workbooks openpyxl is asked to open."""
    import openpyxl

    opened = []
    real = openpyxl.load_workbook

    def counting(*args, **kwargs):
        opened.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(openpyxl, "load_workbook", counting)
    return opened


def upload(data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("roster.xlsx", data)


def test_a_huge_shared_string_is_refused_from_the_directory(openpyxl_never_opens):
    bomb = b"<sst><si><t>" + b"a" * (20 * 1024 * 1024) + b"</t></si></sst>"
    data = rebuilt({"xl/sharedStrings.xml": bomb})
    assert len(data) < reading.MAX_BYTES  # small enough to upload
    with pytest.raises(ImportFileError, match="more than a roster can"):
        roster_read(upload(data))
    assert openpyxl_never_opens == []


def test_a_part_with_a_bomb_s_compression_ratio_is_refused(openpyxl_never_opens):
    data = rebuilt({"xl/media/filler.bin": b"\0" * (3 * 1024 * 1024)})
    with pytest.raises(ImportFileError, match="more than a roster can"):
        roster_read(upload(data))
    assert openpyxl_never_opens == []


def test_too_many_parts_are_refused(openpyxl_never_opens):
    data = rebuilt({f"xl/extra/{n}.xml": b"<x/>" for n in range(reading.MAX_PARTS + 1)})
    with pytest.raises(ImportFileError, match="more than a roster can"):
        roster_read(upload(data))
    assert openpyxl_never_opens == []


def test_a_row_of_a_million_cells_is_refused_unread(openpyxl_never_opens):
    data = rebuilt({"xl/worksheets/sheet1.xml": wide_row_sheet(1_000_000)})
    assert len(data) < reading.MAX_BYTES
    with pytest.raises(ImportFileError, match="more than a roster can"):
        roster_read(upload(data))
    assert openpyxl_never_opens == []


def test_a_wide_row_stops_reading_at_the_cap(openpyxl_never_opens, monkeypatch):
    from xml.etree import ElementTree

    data = rebuilt({"xl/worksheets/sheet1.xml": wide_row_sheet(400_000, varied=True)})
    assert len(data) < reading.MAX_BYTES
    read = []
    real_feed = ElementTree.XMLPullParser.feed

    def counting_feed(self, chunk):
        read.append(len(chunk))
        return real_feed(self, chunk)

    monkeypatch.setattr(ElementTree.XMLPullParser, "feed", counting_feed)
    with pytest.raises(ImportFileError, match=f"more than {reading.MAX_ROW_CELLS} cells"):
        roster_read(upload(data))
    assert openpyxl_never_opens == []
    assert sum(read) < 256 * 1024  # stopped near the start of a row of several megabytes


def test_a_roster_with_formatting_beyond_its_columns_still_reads():
    data = rebuilt(
        {
            "xl/worksheets/sheet1.xml": (
                b'<?xml version="1.0" encoding="UTF-8"?><worksheet '
                b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
                b'<row r="1"><c r="A1" t="inlineStr"><is><t>email</t></is></c>'
                b'<c r="B1" t="inlineStr"><is><t>first_name</t></is></c>'
                b'<c r="C1" t="inlineStr"><is><t>last_name</t></is></c>'
                b'<c r="D1" t="inlineStr"><is><t>roles</t></is></c>'
                + b"".join(f'<c r="{col}1" s="1"/>'.encode() for col in ("E", "F", "G"))
                + b'</row><row r="2"><c r="A2" t="inlineStr"><is><t>a@example.org</t></is></c>'
                b'<c r="B2" t="inlineStr"><is><t>Ana</t></is></c>'
                b'<c r="C2" t="inlineStr"><is><t>Lee</t></is></c>'
                b'<c r="D2" t="inlineStr"><is><t>admin</t></is></c></row>'
                b"</sheetData></worksheet>"
            )
        }
    )
    [table] = roster_read(upload(data))
    assert table.rows[0][1]["email"] == "a@example.org"


MEMORY_PROBE = """
import io, resource, sys, zipfile
import django
django.setup()
from django.core.files.uploadedfile import SimpleUploadedFile
from growthmatrix.roster.reading import ImportFileError, roster_read
from tests.roster.test_hostile_workbooks import rebuilt, wide_row_sheet
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
for parts in (
    {"xl/sharedStrings.xml": b"<sst><si><t>" + b"a" * (20 * 1024 * 1024) + b"</t></si></sst>"},
    {"xl/worksheets/sheet1.xml": wide_row_sheet(1_000_000)},
    {"xl/worksheets/sheet1.xml": wide_row_sheet(400_000, varied=True)},
):
    data = rebuilt(parts)
    del parts
    try:
        roster_read(SimpleUploadedFile("roster.xlsx", data))
    except ImportFileError:
        pass
    else:
        sys.exit("not refused")
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print((after - before) // 1024)
"""


def test_one_hostile_import_keeps_the_worker_small():
    """In a process of its own: the growth of the resident memory peak, in MB, while two
    hostile workbooks are built (about 60 MB of it is the test's own building) and refused."""
    result = subprocess.run(
        [sys.executable, "-c", MEMORY_PROBE],
        cwd=ROOT,
        env={"DJANGO_SETTINGS_MODULE": "tests.settings", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.strip()) < 200
