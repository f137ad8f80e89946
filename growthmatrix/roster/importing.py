"""Roster import: schools, teams and people from CSV or XLSX, all or nothing.

Three steps, each a plain function:

1. :func:`roster_read` turns an uploaded file into tables (one per CSV file, or one per
   sheet named Schools, Teams or People of a workbook) and refuses, with a message a person
   can act on, a file that is not CSV/XLSX, too large, or has the wrong columns.
2. :func:`roster_plan` normalizes every row, checks it against the file and the database and
   returns what would be created or updated, with every bad row reported by sheet, row
   number and column. Its ``payload`` is plain JSON, kept between preview and confirmation.
3. :func:`roster_import_apply` re-plans the payload inside one transaction and, only when
   the whole file is valid, writes it. Rows that would change nothing are not written, so
   importing the same file again changes nothing. New people get an email to set their
   password (queued after the commit).

Roles are only ever added by an import, never taken away; an empty team or schools cell
keeps what is there.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from functools import partial

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from coordinators.models import (
    CoordinatorProfile,
    Membership,
    Organization,
    Role,
    RoleFamily,
    School,
    SchoolLevel,
    SchoolSetting,
    Team,
    User,
)
from growth.models import CareerPosition, CareerStage
from growth.services import career_position_set

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
MAX_COLUMNS = 30

SCHOOLS, TEAMS, PEOPLE = "schools", "teams", "people"
KIND_LABELS = {SCHOOLS: "Schools", TEAMS: "Teams", PEOPLE: "People"}
# Columns of each kind: required first, then optional. Templates use this order.
COLUMNS = {
    SCHOOLS: (["name", "level", "setting"], []),
    TEAMS: (["name"], ["director_email"]),
    PEOPLE: (
        ["email", "first_name", "last_name", "roles"],
        ["team", "schools", "role_start_date", "role_family", "job_title", "career_stage"],
    ),
}
COLUMN_HELP = {
    SCHOOLS: {
        "name": "School name, unique in your organization",
        "level": "elementary, middle, high, k8 or other",
        "setting": "urban, suburban or rural",
    },
    TEAMS: {
        "name": "Team name",
        "director_email": "Email of the team's director (a person with the director role)",
    },
    PEOPLE: {
        "email": "Their login; one row per person",
        "first_name": "First name",
        "last_name": "Last name",
        "roles": "coordinator, director and/or admin, separated by ; (roles are only added)",
        "team": "For coordinators: their team's name",
        "schools": "For coordinators: school site names separated by ;",
        "role_start_date": "For coordinators: first day in the role, YYYY-MM-DD",
        "role_family": "For coordinators: role family name; blank keeps theirs or uses the first",
        "job_title": "For coordinators: job title shown on their page",
        "career_stage": "For coordinators: title of one of your career stages; blank keeps theirs",
    },
}
ALIASES = {
    "school": "schools",
    "school_sites": "schools",
    "sites": "schools",
    "school_name": "name",
    "team_name": "name",
    "director": "director_email",
    "start_date": "role_start_date",
    "role_start": "role_start_date",
    "family": "role_family",
    "role": "roles",
    "e_mail": "email",
    "email_address": "email",
    "first": "first_name",
    "last": "last_name",
    "title": "job_title",
    "stage": "career_stage",
}
ROLE_WORDS = {
    "coordinator": Role.COORDINATOR,
    "coach": Role.COORDINATOR,
    "director": Role.DIRECTOR,
    "admin": Role.ADMIN,
    "org admin": Role.ADMIN,
    "org_admin": Role.ADMIN,
    "organization admin": Role.ADMIN,
}
LIST_SPLIT = re.compile(r"\s*[;|\n]\s*")
ROLE_SPLIT = re.compile(r"\s*[;,|/\n]\s*")
DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%d.%m.%Y")


class ImportFileError(Exception):
    """The file cannot be read as a roster; the message says what to do."""


class RosterInvalid(Exception):
    """Applying was refused: the file (or the database since the preview) has problems."""

    def __init__(self, errors):
        super().__init__(f"{len(errors)} problem(s) in the roster.")
        self.errors = errors


# 1. Reading -------------------------------------------------------------------------------


@dataclass
class Table:
    kind: str
    sheet: str  # "Schools" sheet, or the CSV file's name
    columns: list[str]
    rows: list[tuple[int, dict[str, object]]]  # (row number as the spreadsheet shows it, cells)


def _column_name(value) -> str:
    text = re.sub(r"[\s\-]+", "_", str(value or "").strip().lower())
    return ALIASES.get(text, text)


def _is_blank(cells) -> bool:
    return all(c is None or str(c).strip() == "" for c in cells)


def roster_read(upload) -> list[Table]:
    """The tables of an uploaded CSV or XLSX file; ImportFileError when it cannot be used."""
    name = getattr(upload, "name", "") or "the file"
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
    repeated = [KIND_LABELS[k] for k, n in kinds.items() if n > 1]
    if repeated:
        raise ImportFileError(f"The file has more than one {repeated[0].lower()} sheet.")
    return sorted(tables, key=lambda t: list(COLUMNS).index(t.kind))


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


def _xlsx_sheets(data: bytes, name: str) -> list[tuple[str, list[list]]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

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
        named = [ws for ws in workbook.worksheets if ws.title.strip().lower() in KIND_LABELS]
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
    required, optional = COLUMNS[kind]
    missing = [c for c in required if c not in columns]
    known = set(required) | set(optional)
    if kind == PEOPLE and "name" in columns:
        missing = [c for c in missing if c not in ("first_name", "last_name")]
        known.add("name")
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
            f"{sheet} looks like a {KIND_LABELS[kind].lower()} list but has "
            f"{'; '.join(problems)}. Its columns are: {expected} "
            f"(the first {len(required)} required). Download the template to start from."
        )
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
    if title in KIND_LABELS:
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


# 2. Planning ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    sheet: str
    row: int
    column: str
    value: str
    message: str


@dataclass
class Change:
    kind: str  # schools, teams, people
    action: str  # create, update, unchanged
    label: str
    row: int
    details: list[str] = field(default_factory=list)


@dataclass
class RosterPlan:
    payload: dict
    errors: list[RowError] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.errors

    @property
    def counts(self) -> dict[str, dict[str, int]]:
        counts = {kind: {"create": 0, "update": 0, "unchanged": 0} for kind in COLUMNS}
        for change in self.changes:
            counts[change.kind][change.action] += 1
        return counts

    @property
    def has_work(self) -> bool:
        return any(c.action != "unchanged" for c in self.changes)

    def changed(self, kind: str) -> list[Change]:
        return [c for c in self.changes if c.kind == kind and c.action != "unchanged"]


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _choice(value: str, choices) -> str | None:
    wanted = value.strip().lower().replace("-", "")
    for key, label in choices:
        if wanted in (key, label.lower().replace("-", "")):
            return key
    return None


def _date(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


FORMULA_MESSAGE = (
    "This is a spreadsheet formula; nothing is imported from formulas. Type the value "
    "itself (copy the cells and paste them as values only)."
)


def _is_formula(value) -> bool:
    """A cell a spreadsheet computes: a workbook formula, or text that begins with "=" (or
    with "+", "-" or "@" followed by more), as a spreadsheet reads a CSV cell."""
    if type(value).__name__ in ("ArrayFormula", "DataTableFormula"):
        return True
    if not isinstance(value, str):
        return False
    text = value.strip()
    return text.startswith("=") or (len(text) > 1 and text[0] in "+-@")


def roster_normalize(tables: list[Table]) -> dict:
    """Plain, JSON-able rows, with the errors that need only the file itself to find."""
    payload = {SCHOOLS: [], TEAMS: [], PEOPLE: []}
    errors: list[RowError] = []
    today = timezone.localdate()
    for table in tables:
        seen: dict[str, int] = {}

        def err(number, column, value, message, table=table):
            errors.append(RowError(table.sheet, number, column, _text(value)[:80], message))

        for number, cells in table.rows:
            item = {"row": number, "sheet": table.sheet}
            for column, value in cells.items():
                if _is_formula(value):
                    err(number, column, getattr(value, "text", value), FORMULA_MESSAGE)
            if table.kind in (SCHOOLS, TEAMS):
                item["name"] = _text(cells.get("name"))
                if not item["name"]:
                    err(number, "name", "", "A name is needed.")
                key = item["name"].lower()
                if key and key in seen:
                    err(
                        number,
                        "name",
                        item["name"],
                        f"Duplicate name in the file (also row {seen[key]}).",
                    )
                seen.setdefault(key, number)
            if table.kind == SCHOOLS:
                for column, choices in (
                    ("level", SchoolLevel.choices),
                    ("setting", SchoolSetting.choices),
                ):
                    raw = _text(cells.get(column))
                    item[column] = _choice(raw, choices) or ""
                    if not item[column]:
                        allowed = ", ".join(k for k, _ in choices)
                        err(number, column, raw, f"Unknown {column} (use {allowed}).")
            elif table.kind == TEAMS:
                item["director_email"] = _text(cells.get("director_email")).lower()
                if item["director_email"]:
                    try:
                        validate_email(item["director_email"])
                    except ValidationError:
                        err(
                            number,
                            "director_email",
                            item["director_email"],
                            "Invalid email address.",
                        )
            else:
                _normalize_person(item, cells, number, seen, err, today)
            payload[table.kind].append(item)
    payload["errors"] = [asdict(error) for error in errors]
    return payload


def _normalize_person(item, cells, number, seen, err, today):
    email = _text(cells.get("email")).lower()
    item["email"] = email
    if not email:
        err(number, "email", "", "An email address is needed.")
    else:
        try:
            validate_email(email)
        except ValidationError:
            err(number, "email", email, "Invalid email address.")
        else:
            if email in seen:
                err(
                    number, "email", email, f"Duplicate email in the file (also row {seen[email]})."
                )
            seen.setdefault(email, number)
    first, last = _text(cells.get("first_name")), _text(cells.get("last_name"))
    if not first and not last and cells.get("name"):
        full = _text(cells.get("name"))
        first, _, last = full.rpartition(" ") if " " in full else (full, "", "")
    item["first_name"], item["last_name"] = first[:150], last[:150]
    if not first and not last:
        err(number, "first_name", "", "A name is needed.")
    roles = []
    raw_roles = _text(cells.get("roles"))
    for word in ROLE_SPLIT.split(raw_roles.lower()) if raw_roles else []:
        role = ROLE_WORDS.get(word.strip())
        if role is None:
            err(number, "roles", word, "Unknown role (use coordinator, director or admin).")
        elif role not in roles:
            roles.append(str(role))
    if not raw_roles:
        err(number, "roles", "", "At least one role is needed: coordinator, director or admin.")
    item["roles"] = roles
    item["team"] = _text(cells.get("team"))
    raw_schools = _text(cells.get("schools"))
    item["schools"] = [s for s in LIST_SPLIT.split(raw_schools) if s] if raw_schools else []
    item["role_family"] = _text(cells.get("role_family"))
    item["job_title"] = _text(cells.get("job_title"))[:200]
    item["career_stage"] = _text(cells.get("career_stage"))
    item["role_start_date"] = ""
    raw_date = cells.get("role_start_date")
    if _text(raw_date):
        try:
            start = _date(raw_date)
        except ValueError:
            err(number, "role_start_date", raw_date, "Not a date; write it as YYYY-MM-DD.")
        else:
            if start > today:
                err(number, "role_start_date", start.isoformat(), "The date is in the future.")
            item["role_start_date"] = start.isoformat()


def roster_plan(*, organization: Organization, payload: dict) -> RosterPlan:
    """Check the normalized rows against each other and the database; say what would change.

    The errors found while normalizing travel in the payload, so a payload with any of them
    can never be applied. A fixed number of queries, whatever the number of rows.
    """
    plan = RosterPlan(payload=payload, errors=[RowError(**e) for e in payload.get("errors", [])])
    org_id = organization.pk

    def err(item, column, value, message):
        plan.errors.append(RowError(item["sheet"], item["row"], column, str(value)[:80], message))

    schools = {s.name.lower(): s for s in School.objects.filter(organization_id=org_id)}
    teams = {
        t.name.lower(): t
        for t in Team.objects.filter(organization_id=org_id).select_related("director")
    }
    families = {
        f.name.lower(): f for f in RoleFamily.objects.filter(organization_id=org_id).order_by("pk")
    }
    emails = {p["email"] for p in payload[PEOPLE] if p.get("email")} | {
        t["director_email"] for t in payload[TEAMS] if t.get("director_email")
    }
    users = {u.email: u for u in User.objects.filter(email__in=emails)}
    user_ids = [u.pk for u in users.values() if u.organization_id == org_id]
    roles: dict[int, set[str]] = {}
    for user_id, role in Membership.objects.filter(user_id__in=user_ids).values_list(
        "user_id", "role"
    ):
        roles.setdefault(user_id, set()).add(role)
    profiles = {
        p.user_id: p
        for p in CoordinatorProfile.objects.filter(user_id__in=user_ids)
        .select_related("team", "role_family", "career_position")
        .prefetch_related("schools")
    }
    stages = {s.title.lower(): s for s in CareerStage.objects.filter(organization_id=org_id)}
    file_schools = {s["name"].lower() for s in payload[SCHOOLS] if s.get("name")}
    file_teams = {t["name"].lower() for t in payload[TEAMS] if t.get("name")}
    file_people = {p["email"]: p for p in payload[PEOPLE] if p.get("email")}

    for item in payload[SCHOOLS]:
        existing = schools.get(item["name"].lower())
        if existing is None:
            plan.changes.append(
                Change(
                    SCHOOLS,
                    "create",
                    item["name"],
                    item["row"],
                    [
                        f"{SchoolLevel(item['level']).label if item['level'] else '?'}, "
                        f"{SchoolSetting(item['setting']).label if item['setting'] else '?'}"
                    ],
                )
            )
            continue
        details = [
            f"{column}: {getattr(existing, column)} → {item[column]}"
            for column in ("level", "setting")
            if item[column] and getattr(existing, column) != item[column]
        ]
        plan.changes.append(
            Change(
                SCHOOLS, "update" if details else "unchanged", existing.name, item["row"], details
            )
        )

    for item in payload[TEAMS]:
        director = item.get("director_email", "")
        if director:
            user = users.get(director)
            person = file_people.get(director)
            if user is not None and user.organization_id != org_id:
                err(
                    item,
                    "director_email",
                    director,
                    "This email belongs to an account outside your organization.",
                )
            elif user is None and person is None:
                err(
                    item, "director_email", director, "Unknown person: add them to the people list."
                )
            else:
                has_role = (user is not None and Role.DIRECTOR in roles.get(user.pk, set())) or (
                    person is not None and Role.DIRECTOR in person.get("roles", [])
                )
                if not has_role:
                    err(
                        item,
                        "director_email",
                        director,
                        "Not a director: add “director” to their roles in the people list.",
                    )
        existing = teams.get(item["name"].lower())
        if existing is None:
            plan.changes.append(
                Change(
                    TEAMS,
                    "create",
                    item["name"],
                    item["row"],
                    [f"director {director}" if director else "no director"],
                )
            )
        else:
            current = existing.director.email if existing.director else ""
            changed = bool(director) and director != current
            details = [f"director: {current or 'none'} → {director}"] if changed else []
            plan.changes.append(
                Change(
                    TEAMS, "update" if changed else "unchanged", existing.name, item["row"], details
                )
            )

    for item in payload[PEOPLE]:
        email = item.get("email", "")
        if not email:
            continue
        user = users.get(email)
        if user is not None and user.organization_id != org_id:
            err(
                item,
                "email",
                email,
                "This email address belongs to an account outside your organization.",
            )
            continue
        wanted_roles = set(item["roles"])
        is_coordinator = Role.COORDINATOR in wanted_roles or (
            user is not None and Role.COORDINATOR in roles.get(user.pk, set())
        )
        profile = profiles.get(user.pk) if user else None
        coordinator_fields = [c for c in COLUMNS[PEOPLE][1] if item.get(c)]
        if coordinator_fields and not is_coordinator and profile is None:
            err(
                item,
                coordinator_fields[0],
                item[coordinator_fields[0]],
                "Only coordinators have a team, school sites, start date, role family or career "
                "stage here: "
                "add “coordinator” to their roles or leave these cells empty.",
            )
        if (
            item["team"]
            and item["team"].lower() not in teams
            and item["team"].lower() not in file_teams
        ):
            err(
                item,
                "team",
                item["team"],
                "Unknown team: add it to the teams list or fix the name.",
            )
        for name in item["schools"]:
            if name.lower() not in schools and name.lower() not in file_schools:
                err(
                    item,
                    "schools",
                    name,
                    "Unknown school: add it to the schools list or fix the name.",
                )
        family = None
        if item["role_family"]:
            family = families.get(item["role_family"].lower())
            if family is None:
                err(item, "role_family", item["role_family"], "Unknown role family.")
        stage = None
        if item.get("career_stage"):
            stage = stages.get(item["career_stage"].lower())
            if stage is None:
                known = ", ".join(sorted((s.title for s in stages.values()), key=str.lower))
                err(
                    item,
                    "career_stage",
                    item["career_stage"],
                    f"Unknown career stage; your organization's are: {known or 'none yet'}.",
                )
        if Role.COORDINATOR in wanted_roles and profile is None and not item["role_start_date"]:
            err(item, "role_start_date", "", "A new coordinator needs the first day in their role.")

        details = []
        if user is None:
            action = "create"
            details.append(", ".join(Role(r).label for r in item["roles"]) or "no role")
        else:
            if (user.first_name, user.last_name) != (item["first_name"], item["last_name"]):
                details.append(f"name → {item['first_name']} {item['last_name']}".rstrip())
            added = wanted_roles - roles.get(user.pk, set())
            if added:
                details.append("adds role " + ", ".join(Role(r).label for r in sorted(added)))
            if profile is not None:
                if item["team"] and (
                    profile.team is None or profile.team.name.lower() != item["team"].lower()
                ):
                    details.append(f"team → {item['team']}")
                if item["schools"]:
                    now = sorted(s.name.lower() for s in profile.schools.all())
                    if now != sorted(n.lower() for n in item["schools"]):
                        details.append("school sites → " + "; ".join(item["schools"]))
                if (
                    item["role_start_date"]
                    and profile.role_start_date.isoformat() != item["role_start_date"]
                ):
                    details.append(f"start date → {item['role_start_date']}")
                if family is not None and profile.role_family_id != family.pk:
                    details.append(f"role family → {family.name}")
                if item["job_title"] and profile.job_title != item["job_title"]:
                    details.append(f"job title → {item['job_title']}")
                if stage is not None and CareerPosition.of(profile).stage_id != stage.pk:
                    details.append(f"career stage → {stage.title}")
            elif Role.COORDINATOR in wanted_roles:
                details.append("gets a coordinator profile")
            action = "update" if details else "unchanged"
        label = f"{item['first_name']} {item['last_name']}".strip() + f" <{email}>"
        plan.changes.append(Change(PEOPLE, action, label, item["row"], details))
    sheet_order = {}
    for kind in COLUMNS:
        for item in payload[kind]:
            sheet_order.setdefault(item["sheet"], len(sheet_order))
    plan.errors.sort(key=lambda e: (sheet_order.get(e.sheet, 0), e.row))
    return plan


def roster_check(*, organization: Organization, tables: list[Table]) -> RosterPlan:
    return roster_plan(organization=organization, payload=roster_normalize(tables))


# 3. Applying ------------------------------------------------------------------------------


@transaction.atomic
def roster_import_apply(
    *, organization: Organization, payload: dict, actor=None
) -> dict[str, dict[str, int]]:
    """Write a roster, all or nothing. Re-plans first: if anything is wrong now (the database
    changed since the preview) nothing is written and RosterInvalid lists why."""
    plan = roster_plan(organization=organization, payload=payload)
    if not plan.is_valid:
        raise RosterInvalid(plan.errors)
    org_id = organization.pk

    schools = {s.name.lower(): s for s in School.objects.filter(organization_id=org_id)}
    for item in payload[SCHOOLS]:
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

    teams = {t.name.lower(): t for t in Team.objects.filter(organization_id=org_id)}
    for item in payload[TEAMS]:
        if item["name"].lower() not in teams:
            teams[item["name"].lower()] = Team.objects.create(
                organization=organization, name=item["name"]
            )

    families = {
        f.name.lower(): f for f in RoleFamily.objects.filter(organization_id=org_id).order_by("pk")
    }
    default_family = next(iter(families.values()), None)
    stages = {s.title.lower(): s for s in CareerStage.objects.filter(organization_id=org_id)}
    created_users = []
    emails = [p["email"] for p in payload[PEOPLE]]
    users = {u.email: u for u in User.objects.filter(organization_id=org_id, email__in=emails)}
    for item in payload[PEOPLE]:
        user = users.get(item["email"])
        if user is None:
            user = User.objects.create_user(
                email=item["email"],
                first_name=item["first_name"],
                last_name=item["last_name"],
                organization=organization,
            )
            user.set_unusable_password()
            user.save(update_fields=["password"])
            users[user.email] = user
            created_users.append(user.pk)
        elif (user.first_name, user.last_name) != (item["first_name"], item["last_name"]):
            user.first_name, user.last_name = item["first_name"], item["last_name"]
            user.save(update_fields=["first_name", "last_name"])
        held = set(user.memberships.values_list("role", flat=True))
        for role in item["roles"]:
            if role not in held:
                Membership.objects.create(user=user, role=role)
        _profile_apply(user, item, teams, schools, families, default_family, organization)
        if item.get("career_stage"):
            _stage_apply(user, stages[item["career_stage"].lower()], actor)

    for item in payload[TEAMS]:
        director = users.get(item.get("director_email")) if item.get("director_email") else None
        if director is None and item.get("director_email"):
            director = User.objects.get(email=item["director_email"], organization_id=org_id)
        team = teams[item["name"].lower()]
        if director is not None and team.director_id != director.pk:
            team.director = director
            team.save(update_fields=["director"])

    if created_users:
        from coordinators.emails import roster_welcome_notify

        transaction.on_commit(
            partial(
                roster_welcome_notify.enqueue,
                user_ids=created_users,
                inviter_id=actor.pk if actor else None,
            )
        )
    return plan.counts


def _profile_apply(user, item, teams, schools, families, default_family, organization) -> None:
    profile = CoordinatorProfile.objects.filter(user=user).first()
    if profile is None and Role.COORDINATOR not in item["roles"]:
        return
    team = teams.get(item["team"].lower()) if item["team"] else None
    family = families.get(item["role_family"].lower()) if item["role_family"] else None
    wanted_schools = [schools[n.lower()] for n in item["schools"]]
    if profile is None:
        profile = CoordinatorProfile.objects.create(
            user=user,
            organization=organization,
            role_family=family or default_family,
            team=team,
            role_start_date=date.fromisoformat(item["role_start_date"]),
            job_title=item["job_title"],
        )
        profile.schools.set(wanted_schools)
        return
    changed = []
    if team is not None and profile.team_id != team.pk:
        profile.team = team
        changed.append("team")
    if family is not None and profile.role_family_id != family.pk:
        profile.role_family = family
        changed.append("role_family")
    if item["role_start_date"] and profile.role_start_date.isoformat() != item["role_start_date"]:
        profile.role_start_date = date.fromisoformat(item["role_start_date"])
        changed.append("role_start_date")
    if item["job_title"] and profile.job_title != item["job_title"]:
        profile.job_title = item["job_title"]
        changed.append("job_title")
    if changed:
        profile.save(update_fields=changed)
    if wanted_schools and {s.pk for s in profile.schools.all()} != {s.pk for s in wanted_schools}:
        profile.schools.set(wanted_schools)


def _stage_apply(user, stage: CareerStage, actor) -> None:
    """Put the person's profile at ``stage`` unless it is there; the roster does not say
    since when, so the date is left blank."""
    profile = CoordinatorProfile.objects.filter(user=user).select_related("career_position").first()
    if profile is not None and CareerPosition.of(profile).stage_id != stage.pk:
        career_position_set(profile=profile, stage=stage, since=None, actor=actor)


# Templates --------------------------------------------------------------------------------

EXAMPLES = {
    SCHOOLS: ["Lincoln Elementary", "elementary", "urban"],
    TEAMS: ["East Bay", "director@example.org"],
    PEOPLE: [
        "maria.lopez@example.org",
        "Maria",
        "Lopez",
        "coordinator",
        "East Bay",
        "Lincoln Elementary",
        "2024-08-15",
        "",
        "Community School Coordinator",
        "Coordinator II",
    ],
}


def template_columns(kind: str) -> list[str]:
    required, optional = COLUMNS[kind]
    return required + optional


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
    for kind in COLUMNS:
        required, _optional = COLUMNS[kind]
        sheet = workbook.create_sheet(KIND_LABELS[kind])
        sheet.append(template_columns(kind))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for column, example in zip(template_columns(kind), EXAMPLES[kind], strict=True):
            help_sheet.append(
                [
                    KIND_LABELS[kind],
                    column,
                    "yes" if column in required else "no",
                    COLUMN_HELP[kind][column],
                    example,
                ]
            )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# The import as background work ----------------------------------------------------------------


@task()
def roster_import_run(*, organization_id: int, actor_id: int | None, payload: dict) -> dict:
    """Apply a previewed roster outside the request (DESIGN.md, Scale). Returns what changed,
    or the problems found when the database changed since the preview (nothing is saved)."""
    organization = Organization.objects.get(pk=organization_id)
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    try:
        counts = roster_import_apply(organization=organization, payload=payload, actor=actor)
    except RosterInvalid as invalid:
        return {"ok": False, "errors": [asdict(error) for error in invalid.errors]}
    return {"ok": True, "counts": counts}
