"""The portal's URLs plus /bench/bare/, a view doing nothing: the floor of the middleware stack."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from ita_portal.urls import urlpatterns as portal_urlpatterns


def bare(request: HttpRequest) -> HttpResponse:
    """Answer a fixed short page, through the same middleware (session, login, CSP) as any page."""
    return HttpResponse("<!doctype html><title>bare</title><p>ok</p>")


urlpatterns = [path("bench/bare/", bare, name="bench_bare"), *portal_urlpatterns]
