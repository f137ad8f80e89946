"""Helpers for .ci/migrate_forward: a throwaway PostgreSQL database, snapshots, the verdict.

    migrate_forward.py createdb URL        create a fresh uniquely named database on URL's server,
                                           print its URL
    migrate_forward.py dropdb URL          drop that database again
    migrate_forward.py redact URL          URL without its password, for printing
    migrate_forward.py snapshot OUT.json   row count of every table, content types, permissions
                                           and applied migrations of settings.DATABASES["default"]
    migrate_forward.py compare BEFORE.json AFTER.json [--problem TEXT ...]
                                           print the comparison and the final verdict line; exit 1
                                           on any problem

Snapshots count rows with raw SQL on the tables the database itself lists, so they do not
depend on which models the code that takes them defines.
"""

import argparse
import json
import os
import secrets
import sys
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_SCHEMES = {"postgres", "postgresql", "pgsql"}

# Tables that a migration deliberately renames or drops, or empties in part, are listed here
# with the reason; any other table that disappears or loses rows fails the check.
ALLOWED_TABLE_CHANGES: dict[str, str] = {
    # "old_table_name": "why it may disappear or lose rows",
    "growth_support": "mentoring supports become mentoring matches, with their dates and notes "
    "(growth 0006_mentoring_supports_become_matches): a mentoring match is the one record of "
    "mentoring",
}

# Models deliberately renamed or deleted, by their (app_label, model) before the migrations;
# any other content type that disappears, changes its model name or no longer matches an
# installed model fails the check.
ALLOWED_CONTENT_TYPE_CHANGES: dict[tuple[str, str], str] = {
    # ("app_label", "model"): "why its content type may go or change",
}


# --- PostgreSQL database of the run -------------------------------------------------------------


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


def _libpq(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(("postgresql", parts.netloc, parts.path, parts.query, parts.fragment))


def _server_connection(url: str):
    """A connection to the server of ``url`` outside the database the run uses."""
    import psycopg2

    given = urlsplit(url).path.lstrip("/")
    last_error = None
    for name in dict.fromkeys(["postgres", "template1", given]):
        if not name:
            continue
        try:
            conn = psycopg2.connect(_libpq(_with_database(url, name)), connect_timeout=10)
        except psycopg2.OperationalError as exc:
            last_error = exc
            continue
        conn.autocommit = True
        return conn
    sys.exit(f"PostgreSQL is unreachable at {redact(url)}: {last_error}")


def createdb(url: str) -> str:
    if urlsplit(url).scheme not in POSTGRES_SCHEMES:
        sys.exit(f"MIGRATE_FORWARD_DATABASE_URL must be a PostgreSQL URL, not {redact(url)}")
    name = f"migrate_forward_{os.getpid()}_{secrets.token_hex(4)}"
    conn = _server_connection(url)
    with conn.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    conn.close()
    return _with_database(url, name)


def dropdb(url: str) -> None:
    name = urlsplit(url).path.lstrip("/")
    if not name.startswith("migrate_forward_"):
        sys.exit(f"refusing to drop {name!r}: not a database this check created")
    conn = _server_connection(url)
    with conn.cursor() as cursor:
        if conn.server_version >= 130000:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        else:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                [name],
            )
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
    conn.close()


def redact(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


# --- snapshot -----------------------------------------------------------------------------------


def snapshot(out: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "growthmatrix.settings")
    import django

    django.setup()
    from django.apps import apps
    from django.db import connection

    tables = sorted(connection.introspection.table_names())
    quote = connection.ops.quote_name
    data: dict = {"vendor": connection.vendor, "tables": {}}
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")
            data["tables"][table] = cursor.fetchone()[0]
        if "django_content_type" in tables:
            cursor.execute("SELECT id, app_label, model FROM django_content_type ORDER BY id")
            data["content_types"] = [list(row) for row in cursor.fetchall()]
        if "auth_permission" in tables:
            cursor.execute("SELECT id, content_type_id, codename FROM auth_permission ORDER BY id")
            data["permissions"] = [list(row) for row in cursor.fetchall()]
        if "django_migrations" in tables:
            cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
            data["migrations"] = [list(row) for row in cursor.fetchall()]
    # The models of the code taking the snapshot, the way contenttypes names them.
    data["installed_models"] = sorted(
        [model._meta.app_label, model._meta.model_name] for model in apps.get_models()
    )
    Path(out).write_text(json.dumps(data, indent=1))


# --- comparison ---------------------------------------------------------------------------------


def compare(before_path: str, after_path: str, extra_problems: list[str]) -> int:
    before = json.loads(Path(before_path).read_text())
    after = json.loads(Path(after_path).read_text())
    problems: list[str] = []  # short reasons for the final line
    details: list[str] = []  # one line each, printed above it

    def problem(short: str, detail: str) -> None:
        problems.append(short)
        details.append(detail)

    # Tables and their rows.
    rows_before, rows_after = before["tables"], after["tables"]
    names = sorted(set(rows_before) | set(rows_after))
    width = max([len(name) for name in names] + [5])
    print(f"\n{'table':<{width}}  {'before':>7}  {'after':>7}  status")
    print(f"{'-' * width}  {'-' * 7}  {'-' * 7}  {'-' * 6}")
    for name in names:
        old, new = rows_before.get(name), rows_after.get(name)
        if old is None:
            status = "new"
        elif new is None:
            status = "GONE"
        elif new < old:
            status = "FEWER ROWS"
        else:
            status = "ok"
        if status in {"GONE", "FEWER ROWS"}:
            if name in ALLOWED_TABLE_CHANGES:
                status += f" (allowed: {ALLOWED_TABLE_CHANGES[name]})"
            else:
                what = "is gone" if new is None else f"lost {old - new} of {old} rows"
                problem(f"table {name} {what}", f"table {name} {what}")
        shown_old = "-" if old is None else str(old)
        shown_new = "-" if new is None else str(new)
        print(f"{name:<{width}}  {shown_old:>7}  {shown_new:>7}  {status}")
    print(f"{len(rows_before)} tables before, {len(rows_after)} after")

    # Migrations the current code applied.
    applied_before = {tuple(row) for row in before.get("migrations", [])}
    applied_now = [
        tuple(row) for row in after.get("migrations", []) if tuple(row) not in applied_before
    ]
    print(f"\nmigrations applied by the current code: {len(applied_now)}")
    for app, name in applied_now:
        print(f"  {app}.{name}")

    # Content types: matched by id, so a model moved to another app keeps its row (and with it
    # the permissions, admin log entries and generic relations that point at that id).
    ct_before = {row[0]: (row[1], row[2]) for row in before.get("content_types", [])}
    ct_after = {row[0]: (row[1], row[2]) for row in after.get("content_types", [])}
    installed = {tuple(row) for row in after["installed_models"]}
    moved = []
    for ct_id, (app, model) in sorted(ct_before.items()):
        allowed = ALLOWED_CONTENT_TYPE_CHANGES.get((app, model))
        if ct_id not in ct_after:
            if not allowed:
                problem(
                    f"content type {app}.{model} deleted",
                    f"content type {ct_id} ({app}.{model}) no longer exists",
                )
            continue
        new_app, new_model = ct_after[ct_id]
        if new_model != model:
            if not allowed:
                problem(
                    f"content type {app}.{model} renamed",
                    f"content type {ct_id} was {app}.{model} and is now {new_app}.{new_model}",
                )
            continue
        if (new_app, new_model) in installed:
            if new_app != app:
                moved.append((ct_id, app, new_app, model))
        elif not allowed:
            problem(
                f"stale content type {new_app}.{new_model}",
                f"content type {ct_id} ({new_app}.{new_model}) matches no installed model: "
                f"the model moved or went without its content type following it",
            )
    print(f"\ncontent types: {len(ct_before)} before, {len(ct_after)} after")
    for ct_id, app, new_app, model in moved:
        print(f"  moved: {ct_id} {app}.{model} -> {new_app}.{model}")

    # A model name held by more content types than before: a leftover next to a fresh one.
    by_name_before: dict[str, list[int]] = defaultdict(list)
    by_name_after: dict[str, list[int]] = defaultdict(list)
    for ct_id, (_app, model) in ct_before.items():
        by_name_before[model].append(ct_id)
    for ct_id, (_app, model) in ct_after.items():
        by_name_after[model].append(ct_id)
    for model, ids in sorted(by_name_before.items()):
        if any(ct_before[i] in ALLOWED_CONTENT_TYPE_CHANGES for i in ids):
            continue
        now = by_name_after.get(model, [])
        if len(now) > len(ids):
            rows = ", ".join(f"{i} {ct_after[i][0]}.{model}" for i in sorted(now))
            problem(
                f"duplicate content types for {model}",
                f"model name {model!r} has {len(now)} content types (before: {len(ids)}): {rows}",
            )

    # Permissions: every one keeps its id, content type and codename.
    perms_before = {row[0]: (row[1], row[2]) for row in before.get("permissions", [])}
    perms_after = {row[0]: (row[1], row[2]) for row in after.get("permissions", [])}
    lost = [
        perm_id
        for perm_id, (ct_id, codename) in perms_before.items()
        if perms_after.get(perm_id) != (ct_id, codename)
        and ct_before.get(ct_id) not in ALLOWED_CONTENT_TYPE_CHANGES
    ]
    print(f"permissions: {len(perms_before)} before, {len(perms_after)} after")
    if lost:
        sample = ", ".join(f"{perms_before[i][1]} (id {i})" for i in sorted(lost)[:5])
        if len(lost) > 5:
            sample += " …"
        problem(
            f"{len(lost)} permissions lost or changed",
            f"{len(lost)} permissions no longer exist with their id, content type and codename: "
            f"{sample}",
        )

    for text in extra_problems:
        problem(text, text)

    if problems:
        print("\nproblems:")
        for line in details:
            print(f"  - {line}")
        shown = "; ".join(problems[:4])
        if len(problems) > 4:
            shown += f"; and {len(problems) - 4} more"
        print(f"\nmigrate-forward: FAILED ({shown})")
        return 1
    print("\nmigrate-forward: OK")
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ("createdb", "dropdb", "redact"):
        commands.add_parser(name).add_argument("url")
    commands.add_parser("snapshot").add_argument("out")
    compare_parser = commands.add_parser("compare")
    compare_parser.add_argument("before")
    compare_parser.add_argument("after")
    compare_parser.add_argument("--problem", action="append", default=[])
    args = parser.parse_args()

    if args.command == "createdb":
        print(createdb(args.url))
    elif args.command == "dropdb":
        dropdb(args.url)
    elif args.command == "redact":
        print(redact(args.url))
    elif args.command == "snapshot":
        snapshot(args.out)
    else:
        sys.exit(compare(args.before, args.after, args.problem))


if __name__ == "__main__":
    main()
