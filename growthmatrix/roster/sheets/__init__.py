"""The sheets a roster may have, one module each: its columns, and how its rows are
normalized, checked against the organization and written.

A column is declared once, in its sheet's ``Column`` list: the header (and the other headers
people write for it), whether it is required, its help text and example. Reading, the
templates and the import page's column help all follow that list.
"""

from growthmatrix.roster.columns import Sheet
from growthmatrix.roster.sheets.people import PEOPLE_SHEET
from growthmatrix.roster.sheets.schools import SCHOOLS_SHEET
from growthmatrix.roster.sheets.teams import TEAMS_SHEET

# In the order of KINDS.
SHEETS: dict[str, Sheet] = {
    sheet.kind: sheet for sheet in (SCHOOLS_SHEET, TEAMS_SHEET, PEOPLE_SHEET)
}
KIND_LABELS = {kind: sheet.label for kind, sheet in SHEETS.items()}


def _aliases() -> dict[str, str]:
    aliases: dict[str, str] = {}
    for sheet in SHEETS.values():
        for column in sheet.columns:
            for alias in column.aliases:
                if aliases.setdefault(alias, column.name) != column.name:
                    raise ValueError(f"The header {alias!r} stands for two different columns.")
    return aliases


# Other headers people write for a column → the column's name, whatever the sheet.
ALIASES = _aliases()
