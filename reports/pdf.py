"""PDF rendering in one place: a Django template rendered to HTML, then laid out by WeasyPrint.

The renderer fetches nothing but the project's own static files. Templates link their CSS, fonts
and images with `{% static %}`; those paths resolve against a sentinel origin (`PDF_BASE_URL`, on
the reserved `.invalid` domain, so it can never reach a network) and `StaticFilesFetcher` maps
that origin's STATIC_URL paths to files found by the staticfiles finders, or collected under
STATIC_ROOT in production. Every other URL (http, https, file, data, ftp, another origin, a path
outside STATIC_URL) is refused, so a link or image reference inside user-entered text can never
make the renderer read the network or the server's disk.
"""

from __future__ import annotations

import logging
import mimetypes
import posixpath
import threading
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpRequest
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

PDF_ORIGIN = "https://pdf-static.invalid"
PDF_BASE_URL = f"{PDF_ORIGIN}/"


class RefusedURL(ValueError):
    """A URL the PDF renderer will not fetch."""


def _static_prefix() -> str:
    # STATIC_URL is "static/" or "/static/" or a full URL; only its path matters here.
    path = urlsplit(settings.STATIC_URL).path
    return "/" + path.strip("/") + "/"


def static_path_for(url: str) -> Path:
    """Return the static file a sentinel-origin URL names; refuse every other URL."""
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}" != PDF_ORIGIN:
        raise RefusedURL(f"not a project static file: {url[:200]}")
    prefix = _static_prefix()
    path = unquote(parts.path)
    if not path.startswith(prefix):
        raise RefusedURL(f"outside STATIC_URL: {url[:200]}")
    relative = path[len(prefix) :]
    normalised = posixpath.normpath(relative)
    if normalised != relative or normalised.startswith(("/", "..")) or "\\" in relative:
        raise RefusedURL(f"not a plain static path: {url[:200]}")
    found = finders.find(relative)
    if found:
        return Path(found)
    # In production the templates name collected (hashed) files that only STATIC_ROOT holds.
    if settings.STATIC_ROOT and staticfiles_storage.exists(relative):
        return Path(staticfiles_storage.path(relative))
    raise RefusedURL(f"no such static file: {url[:200]}")


class StaticFilesFetcher(URLFetcher):
    """Serve the project's static files to WeasyPrint and refuse everything else."""

    def __init__(self) -> None:
        # A refused reference is skipped with a warning, never a failed download; the tests check
        # with pdffonts that the fonts the templates need do arrive.
        super().__init__(allowed_protocols=(), fail_on_errors=False)

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        try:
            path = static_path_for(url)
        except RefusedURL:
            logger.warning("PDF renderer refused to fetch %s", url[:200])
            raise
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            url, body=path.read_bytes(), headers={"Content-Type": content_type}
        )


def render_html(template_name: str, context: dict, *, request: HttpRequest | None = None) -> str:
    """Render the HTML a PDF is made from (also what the tests and the benchmark look at)."""
    return render_to_string(template_name, {**context, "pdf": True}, request=request)


_local = threading.local()


def _font_config() -> FontConfiguration:
    # Building a configuration scans the system fonts and loads the @font-face files; one per
    # thread is reused (WeasyPrint keeps one font file per @font-face rule, so nothing grows).
    if not hasattr(_local, "font_config"):
        _local.font_config = FontConfiguration()
    return _local.font_config


def html_to_pdf(html: str) -> bytes:
    """Lay out HTML as PDF with the static-only fetcher and embedded fonts."""
    document = HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=StaticFilesFetcher())
    return document.write_pdf(font_config=_font_config())


def render_pdf(template_name: str, context: dict, *, request: HttpRequest | None = None) -> bytes:
    """Render a template to PDF bytes; the one way the portal makes a PDF."""
    return html_to_pdf(render_html(template_name, context, request=request))


WARM_UP_HTML = (
    '<link rel="stylesheet" href="{css}"><div class="report-body"><h1>ผลการประเมิน ITA</h1>'
    "<p>หน่วยงาน <b>ตัวหนา</b> <i>ตัวเอียง</i> <b><i>ทั้งสอง</i></b> ๒๕๖๓ 0123456789</p></div>"
)


def warm_up() -> float:
    """Lay out a short Thai page with the reports' stylesheet; return the seconds it took.

    What a worker's first PDF would otherwise pay: WeasyPrint's own start, fontconfig, this
    thread's font configuration and the four Sarabun faces (deploy/gunicorn.conf.py runs it
    when a worker starts, before it takes requests).
    """
    started = time.monotonic()
    html_to_pdf(WARM_UP_HTML.format(css=staticfiles_storage.url("css/pdf.css")))
    return time.monotonic() - started


def html_to_pdf_and_pages(html: str) -> tuple[bytes, dict[str, int]]:
    """Lay out HTML as PDF, and say on which page (0-based) each element id landed."""
    document = HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=StaticFilesFetcher()).render(
        font_config=_font_config()
    )
    pages = {anchor: index for index, page in enumerate(document.pages) for anchor in page.anchors}
    return document.write_pdf(), pages
