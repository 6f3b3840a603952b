"""HTML to PDF with WeasyPrint, with nothing fetched: the report's HTML and CSS are made here,
its charts are inline SVG, and a link or image that slipped in must not reach the network or
the server's files while the task worker renders it."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    pages: int


def html_to_pdf(*, html: str, css: str) -> Rendered:
    # Imported here: WeasyPrint loads Pango and its default stylesheets, which only the task
    # worker (and an export) needs, not every web process at start-up.
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols=frozenset())  # every URL refused
    document = HTML(string=html, url_fetcher=fetcher).render(
        stylesheets=[CSS(string=css, url_fetcher=fetcher)]
    )
    # Tagged: headings, tables and reading order reach a screen reader (PDF/UA's structure).
    return Rendered(pdf=document.write_pdf(pdf_tags=True), pages=len(document.pages))
