"""Response headers Django 5.2 does not set itself: Content-Security-Policy and Permissions-Policy.

Both policies are read from settings (SECURE_CSP, PERMISSIONS_POLICY) once, at start-up.
SECURE_CSP uses the shape of Django 6.0's setting of the same name, so the upgrade can swap
this middleware for django.middleware.csp.ContentSecurityPolicyMiddleware without editing it.
"""

from collections.abc import Callable, Mapping, Sequence

from django.conf import settings
from django.http import HttpRequest, HttpResponse


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
