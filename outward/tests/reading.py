"""Reading what Outward hands out, for tests: a PDF's text, and every file of a ZIP as text."""

import io
import zipfile

from pypdf import PdfReader


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def archive_text(archive: zipfile.ZipFile) -> str:
    """Every file of the archive as text, a PDF as the text on its pages."""
    return "\n".join(
        pdf_text(archive.read(name)) if name.endswith(".pdf") else archive.read(name).decode()
        for name in archive.namelist()
    )
