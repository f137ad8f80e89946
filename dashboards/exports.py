"""CSV and XLSX files of the dashboards: the same rows, filters and flags as the screen.

Every text cell that a spreadsheet could read as a formula (it begins with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return) is written with a leading apostrophe, so a name such as
``=HYPERLINK(...)`` stays text (OWASP, CSV injection).
"""

import csv
import io
from collections.abc import Iterable, Sequence

import xlsxwriter
from django.http import HttpResponse
from django.utils.text import slugify

from dashboards.selectors.common import CATEGORY_KEYS, DashboardRow
from dashboards.selectors.coordinator import CoordinatorHistory
from rubrics.models import CategoryKey

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value):
    """A cell value safe to open in a spreadsheet program."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


# Tables ----------------------------------------------------------------------------------


def matrix_table(rows: Sequence[DashboardRow], cycle) -> tuple[list[str], list[list]]:
    """The dashboard as a table: one line per coordinator, as on the screen."""
    header = [
        "Name",
        "Email",
        "Team",
        "School sites",
        "Career stage",
        "In role since",
        "Cycle",
        "This cycle",
    ]
    for key in CATEGORY_KEYS:
        label = CategoryKey(key).label
        header += [label, f"{label} (1-3)"]
    header += ["Levels from", "Flags", "Flag explanations"]
    lines = []
    for row in rows:
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
        line += [
            source,
            "; ".join(flag.label for flag in row.flags),
            "\n".join(f"{flag.label}: {flag.explanation}" for flag in row.flags),
        ]
        lines.append(line)
    return header, lines


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
    ]
    lines = [
        [
            point.cycle_name,
            point.state,
            point.category_name,
            point.self_name if point.self_level else "",
            point.self_level,
            point.supervisor_name if point.supervisor_level else "",
            point.supervisor_level,
        ]
        for point in history.points
    ]
    return header, lines


# Files -----------------------------------------------------------------------------------


def export_filename(*parts: str, extension: str) -> str:
    name = "-".join(slugify(part) for part in parts if part) or "export"
    return f"{name}.{extension}"


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def csv_response(filename: str, header: list[str], lines: Iterable[list]) -> HttpResponse:
    """UTF-8 with a byte-order mark, so spreadsheet programs read accents right."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([neutralise(value) for value in header])
    for line in lines:
        writer.writerow(["" if value is None else neutralise(value) for value in line])
    response = HttpResponse(
        buffer.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8"
    )
    return _attachment(response, filename)


def sheet_title(text: str) -> str:
    """A worksheet name spreadsheets accept: at most 31 characters, none of : \\ / ? * [ ]."""
    cleaned = "".join(" " if char in ":\\/?*[]" else char for char in text).strip(" '")
    return cleaned[:31] or "Export"


def xlsx_response(
    filename: str, header: list[str], lines: Iterable[list], *, title: str
) -> HttpResponse:
    """One sheet, bold frozen header, wrapped flag explanations. Every value is written as
    what it is (text stays text even when it looks like a formula, a number or a link)."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
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
    return _attachment(HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE), filename)
