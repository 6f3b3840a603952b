"""Turn-taking between concurrent transactions that must read-then-write as one."""

import hashlib

from django.db import connection


def _key64(key: str) -> int:
    return int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big", signed=True)


def hold_until_commit(*keys: str) -> None:
    """Inside a transaction: no other transaction holding any of `keys` runs past this point
    until this one ends. PostgreSQL: transaction-level advisory locks, taken in a fixed order
    so two holders of the same keys cannot deadlock. SQLite: every transaction already begins
    IMMEDIATE (settings), so writers take turns from their first statement."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for key in sorted(set(keys)):
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_key64(key)])
