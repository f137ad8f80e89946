"""The sheet declarations: a column declared once reaches the templates, the help and reading."""

import dataclasses
import io

from django.urls import reverse
from openpyxl import load_workbook

from growthmatrix.roster import sheets
from growthmatrix.roster.columns import KINDS, Column
from growthmatrix.roster.reading import roster_read
from growthmatrix.roster.template_files import template_csv, template_xlsx
from tests.roster.import_files import PEOPLE_HEADER, csv_file


def test_every_kind_has_one_sheet_and_every_alias_names_a_declared_column():
    assert list(sheets.SHEETS) == list(KINDS)
    declared = {c.name for sheet in sheets.SHEETS.values() for c in sheet.columns}
    assert set(sheets.ALIASES.values()) <= declared
    assert sheets.ALIASES["school_sites"] == "schools"


def test_a_column_declared_on_its_sheet_is_in_the_templates_the_help_and_the_reading(
    monkeypatch, client_for, admin_user
):
    people = sheets.SHEETS["people"]
    stage = Column("career_stage", "For coordinators: their career stage", "Coordinator II")
    monkeypatch.setitem(
        sheets.SHEETS, "people", dataclasses.replace(people, columns=(*people.columns, stage))
    )

    assert template_csv("people").strip().endswith(",career_stage")
    help_rows = load_workbook(io.BytesIO(template_xlsx()))["Help"].iter_rows(values_only=True)
    assert ("People", "career_stage", "no", stage.help, stage.example) in list(help_rows)
    page = client_for(admin_user).get(reverse("roster:roster-import")).content.decode()
    assert stage.help in page
    [table] = roster_read(
        csv_file(
            [["ana@example.org", "Ana", "Diaz", "coordinator", "", "", "2024-08-15", "Coach II"]],
            header=[*PEOPLE_HEADER, "Career stage"],
        )
    )
    assert table.rows[0][1]["career_stage"] == "Coach II"
