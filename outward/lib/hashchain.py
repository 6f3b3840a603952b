"""Tamper evidence for append-only tables: each row's hash covers its own fields and the hash
of the row before it, so editing or removing a row breaks every link after it."""

import datetime
import hashlib
import ipaddress
import json

GENESIS = "0" * 64  # the "previous hash" of a chain's first row


def _canonical(value: object) -> object:
    if isinstance(value, datetime.datetime):
        # Databases hand back the same instant in different zones; hash the UTC form.
        return value.astimezone(datetime.UTC).isoformat(timespec="microseconds")
    return value


def canonical_ip(value: str | None) -> str | None:
    """The form a database gives back (PostgreSQL's inet compresses IPv6 its own way)."""
    return ipaddress.ip_address(value).compressed if value else None


def link_hash(*, prev_hash: str, fields: dict[str, object]) -> str:
    """sha256 over the previous row's hash and a canonical JSON of this row's fields."""
    body = json.dumps(
        {name: _canonical(value) for name, value in fields.items()},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(f"{prev_hash}\n{body}".encode()).hexdigest()
