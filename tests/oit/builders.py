"""Builders for OIT tests: a round on the 2563 version, and a local web server for links."""

from __future__ import annotations

import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from accounts.models import Agency, User
from assessments.models import InstrumentVersion
from oit import services
from oit.models import OitItem, OitRound
from tests.assessments.builders import load_version_2563


def make_round(agency: Agency, user: User, year: int = 2563) -> OitRound:
    """Start the agency's OIT round of 2563 (loading the version when absent)."""
    if not InstrumentVersion.objects.filter(fiscal_year=2563).exists():
        load_version_2563()
    return services.round_create(agency=agency, fiscal_year=year, user=user)


def item_of(round_: OitRound, code: str) -> OitItem:
    return round_.items.select_related("round__agency", "round__version", "question").get(
        question__code=code
    )


def accept(item: OitItem, *, writer: User, reviewer: User, score: str = "1", urls=None):
    """Answer an item as writer and have reviewer accept it with a score."""
    from decimal import Decimal

    services.item_answer(
        item=item,
        user=writer,
        status=OitItem.Status.DONE,
        explanation="",
        urls=urls or [f"https://example.org/{item.question.code}"],
    )
    services.item_submit(item=item, user=writer)
    return services.item_review(
        item=item, user=reviewer, accept=True, score=Decimal(score), comment=""
    )


# The local site the link checker is tried against (tests only; OIT_LINKCHECK_ALLOW_PRIVATE on).
PAGES = {
    "/ok": (200, {}, b"<html><body>Organisation chart</body></html>"),
    "/old": (301, {"Location": "/new"}, b""),
    "/new": (200, {}, b"<html><body>The new page</body></html>"),
    "/private": (302, {"Location": "/login?next=/private"}, b""),
    "/login": (200, {}, b'<form><input name="u"><input type="password" name="p"></form>'),
    "/forbidden": (403, {}, b"no"),
    "/loop": (302, {"Location": "/loop"}, b""),
    "/to-metadata": (302, {"Location": "http://169.254.169.254/latest/"}, b""),
}


REQUEST_LINES: list[str] = []  # what the site was asked for, as sent (a proxy gets full URLs)


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        REQUEST_LINES.append(self.path)
        path = urlsplit(self.path).path
        status, headers, body = PAGES.get(path, (404, {}, b"not found"))
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        return None


@contextmanager
def local_site():
    """Serve PAGES on 127.0.0.1 in a thread; yield the base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
