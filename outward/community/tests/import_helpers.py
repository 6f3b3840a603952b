"""Building import files for the import tests."""

import io
import textwrap
import zipfile
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

FIXTURES = Path(__file__).resolve().parent / "fixtures"
CSV_HEADER = (
    "id,name,description,kind,interests,online,address,latitude,longitude,weekday,start_time,"
    "end_time,cost,accessibility,group_size,contact_url,last_verified,social_intensity"
)


def upload(data: bytes | str, name: str = "groups.csv") -> SimpleUploadedFile:
    if isinstance(data, str):
        data = data.encode()
    return SimpleUploadedFile(name, data)


def csv_file(*lines: str, header: str = CSV_HEADER) -> bytes:
    return ("\r\n".join([header, *lines]) + "\r\n").encode()


def zip_folder(folder: str, *, replace: dict[str, str] | None = None, prefix: str = "") -> bytes:
    """A fixture folder's CSV tables as a ZIP; `replace` swaps in other contents by name."""
    replace = replace or {}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted((FIXTURES / folder).glob("*.csv")):
            if path.name in replace:
                if replace[path.name] is not None:
                    archive.writestr(prefix + path.name, replace[path.name])
                continue
            archive.write(path, prefix + path.name)
    return buffer.getvalue()


def zip_of(files: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def calendar(*events: str, header: str = "") -> bytes:
    """An iCalendar file of VEVENT bodies (lines without BEGIN/END), CRLF line ends."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Outward tests//EN"]
    lines += [line for line in header.splitlines() if line.strip()]
    for event in events:
        body = textwrap.dedent(event).strip("\n").splitlines()  # a folded line keeps its space
        lines += ["BEGIN:VEVENT", *[line.rstrip() for line in body if line.strip()]]
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode()
