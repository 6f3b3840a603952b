"""Values written out for people to open elsewhere: JSON-ready values and CSV cells that a
spreadsheet will not run.

A cell a spreadsheet reads as a formula (`=`, `+`, `-`, `@`, or a tab or carriage return
before one) can fetch a web page or run a command when the file is opened ("CSV injection",
OWASP). Text that starts so is written with a single quote before it, which spreadsheets
show as text; numbers are left as numbers, so a negative score stays a number."""

import datetime
import decimal
import json
import uuid

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def plain_value(value: object) -> object:
    """A value JSON can hold: dates and times in ISO 8601, decimals as strings (no binary
    rounding), everything else as it is."""
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    return value


def safe_cell(value: object) -> object:
    """One CSV cell: an empty cell for None, JSON text for a list or mapping, and text that a
    spreadsheet would take for a formula behind a single quote."""
    value = plain_value(value)
    if value is None:
        return ""
    if isinstance(value, bool | int | float):
        return value
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False, sort_keys=True)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
