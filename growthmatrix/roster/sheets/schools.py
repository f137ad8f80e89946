"""The Schools sheet: one school site per row, created or given a new level and setting."""

from __future__ import annotations

from coordinators.models import Organization, School, SchoolLevel, SchoolSetting
from growthmatrix.roster.cells import SheetRows, cell_choice, cell_text, name_normalize
from growthmatrix.roster.columns import SCHOOLS, Column, Sheet
from growthmatrix.roster.lookup import RosterLookup
from growthmatrix.roster.plan import Change, RosterPlan

SCHOOLS_SHEET = Sheet(
    kind=SCHOOLS,
    label="Schools",
    columns=(
        Column(
            "name",
            "School name, unique in your organization",
            "Lincoln Elementary",
            required=True,
            aliases=("school_name",),
        ),
        Column("level", "elementary, middle, high, k8 or other", "elementary", required=True),
        Column("setting", "urban, suburban or rural", "urban", required=True),
    ),
)
CHOICES = {"level": SchoolLevel.choices, "setting": SchoolSetting.choices}


def school_row_normalize(item: dict, cells: dict, rows: SheetRows) -> None:
    name_normalize(item, cells, rows)
    for column, choices in CHOICES.items():
        raw = cell_text(cells.get(column))
        item[column] = cell_choice(raw, choices) or ""
        if not item[column]:
            allowed = ", ".join(k for k, _ in choices)
            rows.error(item, column, raw, f"Unknown {column} (use {allowed}).")


def schools_plan(plan: RosterPlan, items: list[dict], lookup: RosterLookup) -> None:
    for item in items:
        existing = lookup.schools.get(item["name"].lower())
        if existing is None:
            level = SchoolLevel(item["level"]).label if item["level"] else "?"
            setting = SchoolSetting(item["setting"]).label if item["setting"] else "?"
            plan.changes.append(
                Change(SCHOOLS, "create", item["name"], item["row"], [f"{level}, {setting}"])
            )
            continue
        details = [
            f"{column}: {getattr(existing, column)} → {item[column]}"
            for column in CHOICES
            if item[column] and getattr(existing, column) != item[column]
        ]
        plan.changes.append(
            Change(
                SCHOOLS, "update" if details else "unchanged", existing.name, item["row"], details
            )
        )


def schools_write(*, organization: Organization, items: list[dict]) -> dict[str, School]:
    """Create and update the schools of the file; returns every school by lower-case name."""
    schools = {s.name.lower(): s for s in School.objects.filter(organization_id=organization.pk)}
    for item in items:
        school = schools.get(item["name"].lower())
        if school is None:
            schools[item["name"].lower()] = School.objects.create(
                organization=organization,
                name=item["name"],
                level=item["level"],
                setting=item["setting"],
            )
        elif (school.level, school.setting) != (item["level"], item["setting"]):
            school.level, school.setting = item["level"], item["setting"]
            school.save(update_fields=["level", "setting"])
    return schools
