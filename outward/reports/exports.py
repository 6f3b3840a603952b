"""The client's data export as a ZIP (schema: docs/export-schema.md).

What goes in comes from the rooms' own declarations (care/client_data.py): a JSON document with
every kind of record, a CSV per kind, and the files rooms add (the FHIR Bundle of measures).
Each kind is read with its room's privacy rule for the person who asked, so a client's private
entries are in it only when the client asked for their own export.

Memory stays bounded whatever the size of the record: rows are read in chunks, written into
the ZIP as they come, and the ZIP itself is written to a file, not held in memory.
"""

import csv
import io
import json
import zipfile
from collections.abc import Iterator
from typing import IO

from django.utils import timezone

from outward.care.client_data import ClientDataKind, client_data_kinds, export_files
from outward.care.models import Client
from outward.lib.spreadsheet import plain_value, safe_cell

SCHEMA_VERSION = 1
CHUNK_ROWS = 2000  # rows read per database round trip
JSON_NAME = "outward-export.json"
README_NAME = "README.txt"
REPORT_NAME = "progress-report.pdf"

README = """This is everything Outward holds about you, as of the time in outward-export.json.

- outward-export.json: every record, in one document (its layout: "schema_version" says which
  version of Outward's export schema it follows).
- csv/: the same records, one spreadsheet file per kind of record. Text that a spreadsheet
  could mistake for a formula starts with a ' so that it is shown, never run.
- fhir/measures-bundle.json: your questionnaires and their scores in FHIR R4, a format other
  health records can read.
- progress-report.pdf: a progress report of the last three years (or since you started), to
  read or print.
"""


def _rows(kind: ClientDataKind, *, client: Client, viewer) -> Iterator[list]:
    records = kind.queryset(client=client, viewer=viewer).iterator(chunk_size=CHUNK_ROWS)
    for record in records:
        yield list(kind.values(record))


def _client_details(client: Client) -> dict:
    return {
        "id": client.pk,
        "name": client.display_name,
        "email": client.user.email,
        "practice": client.practice.name,
        "status": client.status,
        "created": plain_value(client.created),
    }


def write_zip(
    *, client: Client, viewer, includes_private: bool, report_pdf: bytes, target: IO[bytes]
) -> None:
    """Write the export of `client`, as `viewer` may see it, into `target` (a file opened for
    binary writing), with `report_pdf` (the progress report) beside the records. Two queries
    per kind of record (the JSON pass and the CSV pass) and what the rooms' extra files need,
    whatever the number of records."""
    kinds = client_data_kinds(exported=True)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(README_NAME, README)
        with archive.open(JSON_NAME, "w") as raw, io.TextIOWrapper(raw, "utf-8") as out:
            head = {
                "schema_version": SCHEMA_VERSION,
                "generated": plain_value(timezone.now()),
                "includes_private": includes_private,
                "client": _client_details(client),
            }
            out.write(json.dumps(head, ensure_ascii=False, indent=1)[:-2] + ',\n "records": {')
            for number, kind in enumerate(kinds):
                columns = kind.columns()
                out.write(("," if number else "") + f"\n  {json.dumps(kind.name)}: [")
                for index, values in enumerate(_rows(kind, client=client, viewer=viewer)):
                    row = {
                        name: plain_value(value)
                        for name, value in zip(columns, values, strict=True)
                    }
                    out.write(("," if index else "") + "\n   ")
                    out.write(json.dumps(row, ensure_ascii=False, sort_keys=False))
                out.write("\n  ]")
            out.write("\n }\n}\n")
        for kind in kinds:
            with (
                archive.open(f"csv/{kind.name}.csv", "w") as raw,
                io.TextIOWrapper(raw, "utf-8", newline="") as out,
            ):
                writer = csv.writer(out)
                writer.writerow(kind.columns())
                for values in _rows(kind, client=client, viewer=viewer):
                    writer.writerow([safe_cell(value) for value in values])
        for export_file in export_files():
            with (
                archive.open(export_file.name, "w") as raw,
                io.TextIOWrapper(raw, "utf-8") as out,
            ):
                for piece in export_file.pieces(client, viewer):
                    out.write(piece)
        archive.writestr(REPORT_NAME, report_pdf)
