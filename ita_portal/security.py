"""The client address used by the login lockout, trusting only the configured proxies."""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """Return the address of the client, as seen by the outermost trusted proxy.

    With PROXY_COUNT=0 the portal faces clients directly and REMOTE_ADDR is the client:
    X-Forwarded-For is then ignored, since any client can write it. With N trusted proxies
    each appends the address it saw, so the client is the N-th entry from the right; the
    entries left of it were written by the client and are not trusted.
    """
    remote_addr = request.META.get("REMOTE_ADDR", "")
    count = settings.PROXY_COUNT
    if count <= 0:
        return remote_addr
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < count:
        return remote_addr
    return forwarded[-count]
