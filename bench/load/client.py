"""A small HTTP client for the load test: cookies, CSRF, timings; one per virtual user.

Plain http.client on the loopback, so the load test needs nothing beyond the standard library.
Each request goes as nginx would forward it (X-Forwarded-Proto: https, an Origin header), to a
gunicorn started with BEHIND_PROXY=1 and DEBUG=0.
"""

import html
import http.client
import re
import time
import urllib.parse
from dataclasses import dataclass, field
from http.cookies import SimpleCookie

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Sample:
    """One request's outcome: what it was, how long it took, whether it went as expected."""

    name: str
    seconds: float
    status: int
    ok: bool
    started: float


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: str

    def input_value(self, name: str) -> str:
        match = re.search(rf'name="{re.escape(name)}"[^>]*value="([^"]*)"', self.body)
        if match is None:
            match = re.search(rf'value="([^"]*)"[^>]*name="{re.escape(name)}"', self.body)
        if match is None:
            raise LookupError(f"no input {name!r} in the page")
        return html.unescape(match.group(1))


@dataclass
class Session:
    """A browser-like session against one host: keeps cookies, sends the CSRF token."""

    port: int
    host: str = "ita.example.go.th"
    cookies: dict[str, str] = field(default_factory=dict)
    samples: list[Sample] = field(default_factory=list)
    timeout: float = 60.0

    def request(self, method: str, path: str, form: dict | list | None = None) -> Response:
        headers = {
            "Host": self.host,
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": "127.0.0.1",
            "Accept-Language": "th",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"https://{self.host}"
            headers["Referer"] = f"https://{self.host}{path}"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        try:
            connection.request(method, path, body=body, headers=headers)
            raw = connection.getresponse()
            payload = raw.read()
            for value in raw.headers.get_all("Set-Cookie") or []:
                cookie = SimpleCookie()
                cookie.load(value)
                for name, morsel in cookie.items():
                    self.cookies[name] = morsel.value
            return Response(raw.status, dict(raw.getheaders()), payload.decode("utf-8", "replace"))
        finally:
            connection.close()

    def timed(self, name: str, method: str, path: str, expect: int, form=None) -> Response | None:
        """Send a request and record a sample; an unexpected status or an error is not ok."""
        started = time.monotonic()
        try:
            response = self.request(method, path, form)
        except OSError:
            self.samples.append(Sample(name, time.monotonic() - started, 0, False, started))
            return None
        ok = response.status == expect
        self.samples.append(Sample(name, time.monotonic() - started, response.status, ok, started))
        return response

    def csrf(self, page: Response) -> str:
        match = CSRF_INPUT.search(page.body)
        if match is None:
            raise LookupError("no CSRF token in the page")
        return match.group(1)

    def login(self, username: str, password: str) -> None:
        page = self.request("GET", "/accounts/login/")
        form = {"csrfmiddlewaretoken": self.csrf(page), "username": username, "password": password}
        response = self.request("POST", "/accounts/login/", form)
        if response.status != 302:
            raise RuntimeError(f"login of {username} failed: HTTP {response.status}")
