"""Reading an uploaded roster: a CSV file or an XLSX workbook into tables of cells.

A file that cannot be used is refused with a message a person can act on: not CSV/XLSX,
too large, too many rows, not UTF-8, a damaged workbook, or columns that are not those of
a schools, teams or people list.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections import Counter
from dataclasses import dataclass

from growthmatrix.roster.columns import KINDS, PEOPLE, SCHOOLS, TEAMS
from growthmatrix.roster.sheets import ALIASES, SHEETS

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
MAX_COLUMNS = 30
# What an .xlsx roster can hold, checked on the archive before any part is decompressed: a
# 5,000-row roster is a few megabytes of XML, so anything far beyond is not a roster.
MAX_PARTS = 300
MAX_PART_BYTES = 32 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 64 * 1024 * 1024
MAX_SHARED_STRINGS_BYTES = 16 * 1024 * 1024
MAX_RATIO = 100  # uncompressed ÷ compressed, for parts over a megabyte
# Cells in one row of a worksheet's XML, counted while streaming it before openpyxl reads
# it: formatting can reach past the roster's columns, a million cells cannot.
MAX_ROW_CELLS = 1000


class ImportFileError(Exception):
    """The file cannot be read as a roster; the message says what to do."""


@dataclass
class Table:
    kind: str
    sheet: str  # "Schools" sheet, or the CSV file's name
    columns: list[str]
    rows: list[tuple[int, dict[str, object]]]  # (row number as the spreadsheet shows it, cells)


def roster_read(upload) -> list[Table]:
    """The tables of an uploaded CSV or XLSX file; ImportFileError when it cannot be used."""
    name = getattr(upload, "name", "") or "the file"
    data = _upload_bytes(upload, name)
    lower = name.lower()
    if lower.endswith(".csv"):
        sheets = [(name, _csv_rows(data, name))]
    elif lower.endswith(".xlsx"):
        sheets = _xlsx_sheets(data, name)
    else:
        raise ImportFileError(
            f"{name} is not a CSV or XLSX file. Save the roster from your spreadsheet as "
            "“CSV UTF-8” or as an Excel workbook (.xlsx), or start from a template below."
        )
    tables = [_table(sheet, rows) for sheet, rows in sheets]
    tables = [t for t in tables if t is not None]
    if not tables:
        raise ImportFileError(f"{name} has no rows to import under its header row.")
    kinds = Counter(t.kind for t in tables)
    repeated = [SHEETS[k].label for k, n in kinds.items() if n > 1]
    if repeated:
        raise ImportFileError(f"The file has more than one {repeated[0].lower()} sheet.")
    return sorted(tables, key=lambda t: KINDS.index(t.kind))


def _upload_bytes(upload, name: str) -> bytes:
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_BYTES:
        raise ImportFileError(
            f"{name} is {size / 1024 / 1024:.1f} MB; the limit is {MAX_BYTES // 1024 // 1024} MB. "
            "Split the roster into several files (for example one per sheet)."
        )
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ImportFileError(f"{name} is larger than {MAX_BYTES // 1024 // 1024} MB.")
    if not data.strip():
        raise ImportFileError(f"{name} is empty.")
    return data


def _csv_rows(data: bytes, name: str) -> list[list]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            f"{name} is not UTF-8 text. In your spreadsheet choose “Save as… CSV UTF-8”, or "
            "upload the workbook as .xlsx."
        ) from exc
    if "\x00" in text:
        raise ImportFileError(f"{name} does not look like a CSV text file.")
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample.splitlines()[0] if sample else "", delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        rows = []
        for row in csv.reader(io.StringIO(text), dialect):
            rows.append(row[:MAX_COLUMNS])
            if len(rows) > MAX_ROWS + 1:
                raise ImportFileError(f"{name} has more than {MAX_ROWS} rows; split it.")
        return rows
    except csv.Error as exc:
        raise ImportFileError(f"{name} could not be read as CSV: {exc}.") from exc


def _too_big(name: str) -> ImportFileError:
    return ImportFileError(
        f"{name} holds far more than a roster can (its contents unpack to more than a "
        "roster's size). Save only the schools, teams and people sheets in a new workbook, or "
        "save them as CSV UTF-8."
    )


def xlsx_archive_check(data: bytes, name: str) -> None:
    """Refuse a workbook whose archive could not be a roster, from its directory alone: too
    many parts, a part or the whole too large once unpacked, a suspicious compression ratio,
    or a shared-strings part beyond any roster's text. Nothing is decompressed here, and a
    part never unpacks to more than the size its directory declares."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ImportFileError(
            f"{name} is not a readable Excel workbook (.xlsx). Open it in your spreadsheet and "
            "save it again as .xlsx, or as CSV UTF-8."
        ) from exc
    if len(parts) > MAX_PARTS:
        raise _too_big(name)
    if sum(part.file_size for part in parts) > MAX_UNCOMPRESSED_BYTES:
        raise _too_big(name)
    for part in parts:
        if part.file_size > MAX_PART_BYTES:
            raise _too_big(name)
        if part.filename.lower().endswith("sharedstrings.xml") and (
            part.file_size > MAX_SHARED_STRINGS_BYTES
        ):
            raise _too_big(name)
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size > 1024 * 1024 and ratio > MAX_RATIO:
            raise _too_big(name)


def xlsx_rows_check(data: bytes, name: str) -> None:
    """Stream each worksheet's XML (bounded by the archive check) and stop at the first row
    with more than MAX_ROW_CELLS cells or the first row past MAX_ROWS: openpyxl would parse
    every cell of a row before cutting it at the roster's columns."""
    from xml.etree.ElementTree import XMLPullParser

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [
            p for p in archive.namelist() if p.startswith("xl/worksheets/") and p.endswith(".xml")
        ]
        for sheet in sheets:
            parser = XMLPullParser(events=("start", "end"))
            rows = cells = 0
            with archive.open(sheet) as stream:
                while chunk := stream.read(64 * 1024):
                    parser.feed(chunk)
                    for event, element in parser.read_events():
                        tag = element.tag.rpartition("}")[2]
                        if event == "end":
                            if tag == "row":
                                element.clear()  # keep memory to one row at a time
                        elif tag == "row":
                            rows, cells = rows + 1, 0
                            if rows > MAX_ROWS + 1:
                                raise ImportFileError(
                                    f"A sheet of {name} has more than {MAX_ROWS} rows; split it."
                                )
                        elif tag == "c":
                            cells += 1
                            if cells > MAX_ROW_CELLS:
                                raise ImportFileError(
                                    f"Row {rows} of a sheet of {name} has more than "
                                    f"{MAX_ROW_CELLS} cells; a roster has at most "
                                    f"{MAX_COLUMNS} columns. Delete the columns after the "
                                    "roster's and save again."
                                )


def _xlsx_sheets(data: bytes, name: str) -> list[tuple[str, list[list]]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    xlsx_archive_check(data, name)
    try:
        xlsx_rows_check(data, name)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, SyntaxError) as exc:
        raise ImportFileError(f"{name} could not be read: the workbook seems damaged.") from exc
    try:
        # Formulas come through as formulas (not their cached results) so that they are
        # refused by name instead of imported as whatever the spreadsheet last computed.
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise ImportFileError(
            f"{name} is not a readable Excel workbook (.xlsx). Open it in your spreadsheet and "
            "save it again as .xlsx, or as CSV UTF-8."
        ) from exc
    try:
        named = [ws for ws in workbook.worksheets if ws.title.strip().lower() in SHEETS]
        chosen = named or workbook.worksheets[:1]
        sheets = []
        for ws in chosen:
            rows = []
            for row in ws.iter_rows(values_only=True, max_col=MAX_COLUMNS):
                rows.append(list(row))
                if len(rows) > MAX_ROWS + 1:
                    raise ImportFileError(f"Sheet {ws.title} has more than {MAX_ROWS} rows.")
            sheets.append((ws.title, rows))
        return sheets
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ImportFileError(f"{name} could not be read: the workbook seems damaged.") from exc
    finally:
        workbook.close()


def _column_name(value) -> str:
    text = re.sub(r"[\s\-]+", "_", str(value or "").strip().lower())
    return ALIASES.get(text, text)


def _is_blank(cells) -> bool:
    return all(c is None or str(c).strip() == "" for c in cells)


def _table(sheet: str, rows: list[list]) -> Table | None:
    """Find the header row (the first non-empty one), the kind, and check the columns."""
    numbered = [(n, row) for n, row in enumerate(rows, start=1)]
    while numbered and _is_blank(numbered[0][1]):
        numbered.pop(0)
    if not numbered:
        return None
    header = numbered[0][1]
    columns = [_column_name(c) for c in header]
    while columns and columns[-1] == "":
        columns.pop()
    kind = _kind(sheet, columns)
    _columns_check(sheet, kind, columns)
    body = []
    for number, row in numbered[1:]:
        if _is_blank(row):
            continue
        cells = {col: (row[i] if i < len(row) else None) for i, col in enumerate(columns) if col}
        body.append((number, cells))
    if not body:
        return None
    return Table(kind=kind, sheet=sheet, columns=columns, rows=body)


def _kind(sheet: str, columns: list[str]) -> str:
    title = sheet.strip().lower()
    if title in SHEETS:
        return title
    if "email" in columns:
        return PEOPLE
    if "director_email" in columns:
        return TEAMS
    if "level" in columns or "setting" in columns:
        return SCHOOLS
    raise ImportFileError(
        f"The columns of {sheet} ({', '.join(c for c in columns if c) or 'none'}) are not those "
        "of a schools, teams or people list. Download a template to see the expected columns."
    )


def _columns_check(sheet: str, kind: str, columns: list[str]) -> None:
    """Every required column once, no unknown or nameless one; else say what to change."""
    spec = SHEETS[kind]
    required, optional = spec.required, spec.optional
    missing = [c for c in required if c not in columns]
    known = set(required) | set(optional)
    for stand_in, replaced in spec.stand_ins.items():
        if stand_in in columns:
            missing = [c for c in missing if c not in replaced]
            known.add(stand_in)
    unknown = [c for c in columns if c and c not in known]
    duplicated = [c for c, n in Counter(c for c in columns if c).items() if n > 1]
    problems = []
    if missing:
        problems.append(f"missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}")
    if unknown:
        problems.append(f"unknown column{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}")
    if duplicated:
        problems.append(f"repeated column {', '.join(duplicated)}")
    if "" in columns:
        problems.append("a column without a name in the header row")
    if problems:
        expected = ", ".join(required + optional)
        raise ImportFileError(
            f"{sheet} looks like a {spec.label.lower()} list but has "
            f"{'; '.join(problems)}. Its columns are: {expected} "
            f"(the first {len(required)} required). Download the template to start from."
        )
