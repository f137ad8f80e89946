"""The empty roster files an admin starts from: one CSV per sheet, or one workbook with
every sheet and a Help sheet that explains each column with an example."""

from __future__ import annotations

import csv
import io

from growthmatrix.roster.sheets import SHEETS


def template_columns(kind: str) -> list[str]:
    return SHEETS[kind].column_names


def template_csv(kind: str) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerow(template_columns(kind))
    return buffer.getvalue()


def template_xlsx() -> bytes:
    """A workbook with a Schools, Teams and People sheet (headers only) and a Help sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    help_sheet = workbook.active
    help_sheet.title = "Help"
    help_sheet.append(
        ["Fill in any of the Schools, Teams and People sheets; leave the others empty."]
    )
    help_sheet.append(
        [
            "Row 1 of each sheet is the header: keep it as it is. "
            "Nothing is saved until the whole file is valid."
        ]
    )
    help_sheet.append([])
    help_sheet.append(["Sheet", "Column", "Required", "What to write", "Example"])
    help_sheet["A4"].font = help_sheet["B4"].font = help_sheet["C4"].font = Font(bold=True)
    for sheet in SHEETS.values():
        worksheet = workbook.create_sheet(sheet.label)
        worksheet.append(sheet.column_names)
        for cell in worksheet[1]:
            cell.font = Font(bold=True)
        for column in sheet.ordered_columns:
            help_sheet.append(
                [
                    sheet.label,
                    column.name,
                    "yes" if column.required else "no",
                    column.help,
                    column.example,
                ]
            )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
