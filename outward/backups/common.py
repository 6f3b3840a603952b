"""What both engines read from a database the same way, through a plain DB-API cursor: its
tables' row counts, the migrations it records, and whether anybody's data is in it."""

from dataclasses import dataclass


class BackupError(Exception):
    """A backup, a check or a restore that cannot go on; the message says why and what to do."""


@dataclass(frozen=True)
class Contents:
    """What a database holds, as a manifest records it and a check compares it."""

    tables: dict[str, int]  # table name -> rows
    migrations: list[str]  # "app.name", sorted


def quote(name: str) -> str:
    """An SQL identifier, quoted the standard way (SQLite and PostgreSQL both follow it)."""
    return '"' + name.replace('"', '""') + '"'


def contents(cursor, tables: list[str]) -> Contents:
    """Every table's row count in one query, and the applied migrations, as the cursor's
    transaction sees them (a snapshot, when the caller holds one)."""
    counts = {}
    if tables:
        cursor.execute(
            " UNION ALL ".join(
                f"SELECT {index}, COUNT(*) FROM {quote(table)}"  # noqa: S608  (catalog names)
                for index, table in enumerate(tables)
            )
        )
        counts = {tables[index]: rows for index, rows in cursor.fetchall()}
    migrations = []
    if "django_migrations" in tables:
        cursor.execute("SELECT app, name FROM django_migrations")
        migrations = sorted(f"{app}.{name}" for app, name in cursor.fetchall())
    return Contents(tables=dict(sorted(counts.items())), migrations=migrations)


def holds_people(cursor, tables: list[str]) -> bool:
    """True when the database has an account in it. Everything Outward keeps hangs off a
    person (staff, clients, their records), while a freshly migrated database already has rows
    in the tables migrations fill (content types, the interest taxonomy): so "no accounts" is
    what "empty" means for a restore."""
    from django.contrib.auth import get_user_model

    table = get_user_model()._meta.db_table
    if table not in tables:
        return False
    cursor.execute(f"SELECT 1 FROM {quote(table)} LIMIT 1")  # noqa: S608  (a model's table)
    return cursor.fetchone() is not None
