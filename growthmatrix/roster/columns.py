"""The kinds of sheet a roster has and how a sheet declares its columns."""

from __future__ import annotations

from dataclasses import dataclass, field

SCHOOLS, TEAMS, PEOPLE = "schools", "teams", "people"
# The order sheets are read, checked and written in: a person's team and school sites may
# be rows of the same file.
KINDS = (SCHOOLS, TEAMS, PEOPLE)


@dataclass(frozen=True)
class Column:
    """One column of a sheet, as its header names it. ``help`` and ``example`` fill the help
    sheet of the template workbook and the import page; ``aliases`` are other headers people
    write for it (lower case, words joined by ``_``)."""

    name: str
    help: str
    example: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    # Only a coordinator's row may fill it (a person without the role has no profile).
    coordinators_only: bool = False


@dataclass(frozen=True)
class Sheet:
    """A kind of sheet: its label (the workbook sheet's name) and its columns."""

    kind: str
    label: str
    columns: tuple[Column, ...]
    # A column accepted in place of required ones, e.g. one ``name`` for first and last.
    stand_ins: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def ordered_columns(self) -> list[Column]:
        """Required columns first, then the optional ones: the order of the templates."""
        return [c for c in self.columns if c.required] + [c for c in self.columns if not c.required]

    @property
    def required(self) -> list[str]:
        return [column.name for column in self.columns if column.required]

    @property
    def optional(self) -> list[str]:
        return [column.name for column in self.columns if not column.required]

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.ordered_columns]
