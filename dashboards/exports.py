"""CSV and XLSX files of the dashboards: the same rows, filters and flags as the screen.

Every text cell that a spreadsheet could read as a formula (it begins with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return) is written with a leading apostrophe, so a name such as
``=HYPERLINK(...)`` stays text (OWASP, CSV injection).
"""

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from typing import BinaryIO

import xlsxwriter
from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify

from dashboards.selectors.common import CATEGORY_KEYS, DashboardRow
from dashboards.selectors.coordinator import CoordinatorHistory, acknowledgements_by_assessment
from rubrics.models import CategoryKey

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value):
    """A cell value safe to open in a spreadsheet program."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


# Tables ----------------------------------------------------------------------------------


MATRIX_HEADER_START = [
    "Name",
    "Email",
    "Team",
    "School sites",
    "Career stage",
    "In role since",
    "Cycle",
    "This cycle",
]


def matrix_header() -> list[str]:
    header = list(MATRIX_HEADER_START)
    for key in CATEGORY_KEYS:
        label = CategoryKey(key).label
        header += [label, f"{label} (1-3)"]
    return header + [
        "Levels from",
        "Flags",
        "Flag explanations",
        *ACKNOWLEDGEMENT_HEADER,
    ]


ACKNOWLEDGEMENT_HEADER = ["Acknowledged on", "Coordinator's response"]
# Rows whose acknowledgements are read in one query.
ACKNOWLEDGEMENT_BATCH = 1000


def matrix_line(row: DashboardRow, cycle, acknowledgement=None) -> list:
    """One coordinator's line, as their row on the screen, with their acknowledgement of the
    cycle's review (when they gave it)."""
    person = row.person
    first = row.cells[0]
    if first.from_cycle:
        source = f"finalized in {first.from_cycle}"
    elif first.submitted_only:
        source = "submitted, not yet reviewed"
    elif any(cell.value for cell in row.cells):
        source = "finalized"
    else:
        source = ""
    line = [
        person.display_name,
        person.email,
        person.team.name if person.team else "",
        "; ".join(school.name for school in row.schools),
        person.career_stage_title,
        person.role_start_date.isoformat() if person.role_start_date else "",
        cycle.name if cycle else "",
        row.status_label,
    ]
    for cell in row.cells:
        line += [cell.level_name if cell.value else "", cell.value]
    return line + [
        source,
        "; ".join(flag.label for flag in row.flags),
        "\n".join(f"{flag.label}: {flag.explanation}" for flag in row.flags),
        *_acknowledgement_cells(acknowledgement),
    ]


def matrix_lines(rows: Iterable[DashboardRow], cycle) -> Iterator[list]:
    """The lines of ``rows``, reading the acknowledgements of each batch of them at once."""
    batch: list[DashboardRow] = []
    for row in rows:
        batch.append(row)
        if len(batch) == ACKNOWLEDGEMENT_BATCH:
            yield from _lines_of(batch, cycle)
            batch = []
    if batch:
        yield from _lines_of(batch, cycle)


def _lines_of(rows: list[DashboardRow], cycle) -> list[list]:
    acknowledged = acknowledgements_by_assessment(
        row.assessment_id for row in rows if row.assessment_id is not None
    )
    return [matrix_line(row, cycle, acknowledged.get(row.assessment_id)) for row in rows]


def matrix_table(rows: Sequence[DashboardRow], cycle) -> tuple[list[str], list[list]]:
    """The dashboard as a table: one line per coordinator, as on the screen."""
    return matrix_header(), list(matrix_lines(rows, cycle))


def history_table(history: CoordinatorHistory) -> tuple[list[str], list[list]]:
    """A coordinator's full history: one line per cycle and category."""
    header = [
        "Cycle",
        "State",
        "Category",
        "Self level",
        "Self (1-3)",
        "Supervisor level",
        "Supervisor (1-3)",
        "Acknowledged on",
        "Coordinator's response",
    ]
    acknowledged = {
        info.cycle_name: history.acknowledgements.get(info.pk) for info in history.cycles
    }
    lines = [
        [
            point.cycle_name,
            point.state,
            point.category_name,
            point.self_name if point.self_level else "",
            point.self_level,
            point.supervisor_name if point.supervisor_level else "",
            point.supervisor_level,
            *_acknowledgement_cells(acknowledged.get(point.cycle_name)),
        ]
        for point in history.points
    ]
    return header, lines


def _acknowledgement_cells(acknowledgement) -> list[str]:
    if acknowledgement is None:
        return ["", ""]
    return [timezone.localdate(acknowledgement.at).isoformat(), acknowledgement.response]


# Files -----------------------------------------------------------------------------------


def export_filename(*parts: str, extension: str) -> str:
    name = "-".join(slugify(part) for part in parts if part) or "export"
    return f"{name}.{extension}"


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def write_csv(out: BinaryIO, header: list[str], lines: Iterable[list]) -> None:
    """UTF-8 with a byte-order mark, so spreadsheet programs read accents right; written a
    line at a time, so a whole organization never sits in memory as text."""
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
    writer = csv.writer(text)
    writer.writerow([neutralise(value) for value in header])
    for line in lines:
        writer.writerow(["" if value is None else neutralise(value) for value in line])
    text.flush()
    text.detach()  # leave ``out`` open for the caller


def csv_response(filename: str, header: list[str], lines: Iterable[list]) -> HttpResponse:
    buffer = io.BytesIO()
    write_csv(buffer, header, lines)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    return _attachment(response, filename)


def sheet_title(text: str) -> str:
    """A worksheet name spreadsheets accept: at most 31 characters, none of : \\ / ? * [ ]."""
    cleaned = "".join(" " if char in ":\\/?*[]" else char for char in text).strip(" '")
    return cleaned[:31] or "Export"


def write_xlsx(out: BinaryIO, header: list[str], lines: Iterable[list], *, title: str) -> None:
    """One sheet, bold frozen header, wrapped flag explanations. Every value is written as
    what it is (text stays text even when it looks like a formula, a number or a link).

    In constant-memory mode: each row goes to a temporary file as soon as it is written, so
    memory stays flat whatever the number of rows (rows must come in order, as they do)."""
    workbook = xlsxwriter.Workbook(
        out,
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        },
    )
    sheet = workbook.add_worksheet(sheet_title(title))
    sheet.freeze_panes(1, 0)
    for index, label in enumerate(header):
        sheet.set_column(index, index, 60 if label == "Flag explanations" else 18)
    sheet.write_row(
        0, 0, [neutralise(label) for label in header], workbook.add_format({"bold": True})
    )
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    for row, line in enumerate(lines, start=1):
        for column, value in enumerate(line):
            value = neutralise(value)
            if value is None or value == "":
                continue
            if isinstance(value, bool) or not isinstance(value, int | float):
                text = str(value)
                sheet.write_string(row, column, text, wrap if "\n" in text else None)
            else:
                sheet.write_number(row, column, value)
    workbook.close()


def xlsx_response(
    filename: str, header: list[str], lines: Iterable[list], *, title: str
) -> HttpResponse:
    buffer = io.BytesIO()
    write_xlsx(buffer, header, lines, title=title)
    return _attachment(HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE), filename)
