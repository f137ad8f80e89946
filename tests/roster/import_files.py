"""Roster files for the import tests, built in memory."""

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

PEOPLE_HEADER = ["email", "first_name", "last_name", "roles", "team", "schools", "role_start_date"]


def csv_file(rows, name="people.csv", header=PEOPLE_HEADER) -> SimpleUploadedFile:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode("utf-8"), content_type="text/csv")


def xlsx_file(sheets: dict[str, list[list]], name="roster.xlsx") -> SimpleUploadedFile:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())
