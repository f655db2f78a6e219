"""Fetch an OIT link the way NACC's consultants will, and say whether it works, moved or is walled.

The URLs are typed by users, so the checker is a server-side request forgery risk: it only
speaks http and https, resolves every host itself, refuses any address that is private,
loopback, link-local, reserved or multicast (unless OIT_LINKCHECK_ALLOW_PRIVATE is on, for
tests and intranet-only portals), connects to the very address it checked (no second DNS
lookup an attacker could answer differently), and checks every redirect hop again. With
OIT_LINKCHECK_PROXY set, it goes through that proxy (the operator's, trusted); the target's
address is still checked first. Standard library only: nothing of the checker's depends on a
third-party HTTP stack's idea of redirects or proxies.
"""

from __future__ import annotations

import http.client
import ipaddress
import re
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from django.conf import settings

USER_AGENT = "ITA-Portal-linkcheck/1.0"
BODY_LIMIT = 64 * 1024
REDIRECTS = {301, 302, 303, 307, 308}
# A page asking for a password, or a redirect to a sign-in address, is a login wall: NACC's
# consultants will not get past it.
_LOGIN_PATH = re.compile(r"(login|log-in|signin|sign-in|auth|sso|cas/)", re.IGNORECASE)
_PASSWORD_INPUT = re.compile(rb"<input[^>]+type\s*=\s*[\"']?password", re.IGNORECASE)


class Refused(Exception):
    """A URL the checker will not fetch (scheme, host or address)."""


@dataclass(frozen=True)
class Outcome:
    verdict: str  # one of OitLink.Verdict's values
    status_code: int | None
    final_url: str
    elapsed_ms: int
    detail: str = ""


def _public(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def resolve(host: str, port: int) -> str:
    """Return the address to connect to for host; refuse non-public ones unless allowed."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise ConnectionError(f"name not resolved: {host}") from error
    addresses = [info[4][0] for info in infos]
    if not settings.OIT_LINKCHECK_ALLOW_PRIVATE:
        # Every address the name has must be public: a name with one private address among
        # public ones is refused rather than raced.
        private = [a for a in addresses if not _public(a)]
        if private:
            raise Refused(f"{host} resolves to a non-public address ({private[0]})")
    return addresses[0]


def check_url_shape(url: str) -> tuple[str, str, int, str]:
    """Return (scheme, host, port, path with query) of an http(s) URL; refuse anything else."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise Refused(f"scheme not allowed: {parts.scheme or '(none)'}")
    if not parts.hostname or parts.username or parts.password:
        raise Refused("no host, or credentials in the URL")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise Refused("bad port") from error
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return parts.scheme, parts.hostname, port, path


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def _connection(scheme: str, host: str, port: int, timeout: float) -> tuple:
    """Return (connection, target of the request line) for one hop, direct or by the proxy."""
    address = resolve(host, port)
    proxy = settings.OIT_LINKCHECK_PROXY
    if not proxy:
        cls = _PinnedHTTPSConnection if scheme == "https" else _PinnedHTTPConnection
        return cls(host, port, address, timeout), None
    proxy_parts = urlsplit(proxy)
    proxy_host, proxy_port = proxy_parts.hostname, proxy_parts.port or 3128
    if scheme == "https":
        connection = http.client.HTTPSConnection(
            proxy_host, proxy_port, timeout=timeout, context=ssl.create_default_context()
        )
        connection.set_tunnel(host, port)
        return connection, None
    # Plain http through a proxy: the request line carries the absolute URL.
    return http.client.HTTPConnection(proxy_host, proxy_port, timeout=timeout), (
        f"http://{host}:{port}"
    )


def _fetch(url: str, timeout: float) -> tuple[int, dict[str, str], bytes]:
    scheme, host, port, path = check_url_shape(url)
    connection, prefix = _connection(scheme, host, port, timeout)
    try:
        target = (prefix + path) if prefix else path
        connection.request(
            "GET",
            target,
            headers={"Host": host, "User-Agent": USER_AGENT, "Accept": "*/*"},
        )
        response = connection.getresponse()
        headers = {k.lower(): v for k, v in response.getheaders()}
        body = response.read(BODY_LIMIT) if response.status < 300 else b""
        return response.status, headers, body
    finally:
        connection.close()


def check(url: str) -> Outcome:
    """Fetch url following redirects; return what a visitor would find there."""
    timeout = settings.OIT_LINKCHECK_TIMEOUT
    started = time.monotonic()
    current, redirected, status = url, False, None

    def done(verdict: str, detail: str = "") -> Outcome:
        elapsed = int((time.monotonic() - started) * 1000)
        return Outcome(verdict, status, current if status is not None else "", elapsed, detail)

    try:
        for _hop in range(settings.OIT_LINKCHECK_MAX_REDIRECTS + 1):
            status, headers, body = _fetch(current, timeout)
            if status in REDIRECTS and headers.get("location"):
                current = urljoin(current, headers["location"])
                redirected = True
                continue
            break
        else:
            return done("broken", "too many redirects")
    except Refused as error:
        return done("refused", str(error)[:300])
    except (OSError, http.client.HTTPException, ValueError) as error:
        return done("broken", f"{type(error).__name__}: {error}"[:300])
    if status in (401, 407) or status == 403:
        return done("login", f"HTTP {status}")
    if status >= 400 or status in REDIRECTS:
        return done("broken", f"HTTP {status}")
    if (redirected and _LOGIN_PATH.search(urlsplit(current).path)) or _PASSWORD_INPUT.search(body):
        return done("login", "the page asks for a password")
    if redirected and current != url:
        return done("moved", "")
    return done("ok")
