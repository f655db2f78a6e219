"""Middleware Django 5.2 lacks: security headers, and a limit on request bodies.

SecurityHeadersMiddleware sends Content-Security-Policy and Permissions-Policy, read from
settings (SECURE_CSP, PERMISSIONS_POLICY) once, at start-up. SECURE_CSP uses the shape of
Django 6.0's setting of the same name, so the upgrade can swap this middleware for
django.middleware.csp.ContentSecurityPolicyMiddleware without editing it.

RequestBodyLimitMiddleware refuses a body larger than its view accepts from its declared
Content-Length, before anything reads it (Django bounds only the form fields of a multipart
body, not its files).

ThaiFirstLanguageMiddleware replaces Django's LocaleMiddleware: the portal speaks Thai whatever
the browser's Accept-Language says; only the language switch (its cookie) changes that.
"""

from collections.abc import Callable, Mapping, Sequence
from fnmatch import fnmatch

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.template.loader import render_to_string
from django.utils import translation


def csp_header(policy: Mapping[str, Sequence[str] | bool]) -> str:
    """Serialise {directive: [sources]} to a header value; True marks a valueless directive."""
    parts = []
    for directive, sources in policy.items():
        if sources is True:
            parts.append(directive)
        elif sources:
            parts.append(f"{directive} {' '.join(sources)}")
    return "; ".join(parts)


def permissions_policy_header(policy: Mapping[str, Sequence[str]]) -> str:
    """Serialise {feature: [origins]} to a header value; an empty list disables the feature."""
    return ", ".join(f"{feature}=({' '.join(origins)})" for feature, origins in policy.items())


class SecurityHeadersMiddleware:
    """Add the CSP and Permissions-Policy headers to every response that lacks them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.headers = {
            "Content-Security-Policy": csp_header(settings.SECURE_CSP),
            "Permissions-Policy": permissions_policy_header(settings.PERMISSIONS_POLICY),
        }

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        for name, value in self.headers.items():
            if value:
                response.headers.setdefault(name, value)
        return response


class RequestBodyLimitMiddleware:
    """Answer 413 to a body larger than its view's limit, without reading it.

    REQUEST_BODY_MAX_BYTES bounds every view; REQUEST_BODY_LIMITS raises the bound for the
    upload views, by URL name pattern ("imports:upload", "admin:*_import"). A body above
    every bound is refused before the URL is even resolved.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.default = settings.REQUEST_BODY_MAX_BYTES
        self.limits = dict(settings.REQUEST_BODY_LIMITS)
        self.ceiling = max([self.default, *self.limits.values()])

    def __call__(self, request: HttpRequest) -> HttpResponse:
        length = self._length(request)
        if length is None:
            return HttpResponseBadRequest(render_to_string("400.html", request=request))
        if length > self.ceiling:
            return self._too_large(request, self.ceiling)
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view, args, kwargs) -> HttpResponse | None:
        limit = self.limit_for(request.resolver_match.view_name)
        if (self._length(request) or 0) > limit:
            return self._too_large(request, limit)
        return None

    def limit_for(self, view_name: str) -> int:
        """Return the largest body (bytes) the named view accepts."""
        matching = [v for pattern, v in self.limits.items() if fnmatch(view_name, pattern)]
        return max(matching, default=self.default)

    @staticmethod
    def _length(request: HttpRequest) -> int | None:
        raw = request.META.get("CONTENT_LENGTH") or "0"
        try:
            length = int(raw)
        except ValueError:
            return None
        return length if length >= 0 else None

    @staticmethod
    def _too_large(request: HttpRequest, limit: int) -> HttpResponse:
        megabytes = max(1, limit // (1024 * 1024))
        body = render_to_string("413.html", {"limit_mb": megabytes}, request=request)
        response = HttpResponse(body, status=413)
        # The client may still be sending: tell it not to reuse this connection.
        response["Connection"] = "close"
        return response


def language_of(request: HttpRequest) -> str:
    """Return the UI language: the one chosen with the language switch, else Thai."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    if chosen in dict(settings.LANGUAGES):
        return chosen
    return settings.LANGUAGE_CODE


class ThaiFirstLanguageMiddleware:
    """Activate the language the user chose with the switch, or Thai; never Accept-Language."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = language_of(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
