"""Rendered pages kept in the shared cache, keyed on the data generations they show.

Two layers, both keyed on `ita_portal.generations` tokens, the language and the day (pages
count overdue activities and days left):

- `shared_fragment`: the expensive part of a page (the assessment's tables, the summary, the
  dashboard), rendered once for every viewer who sees the same thing: the key names the page,
  its parameters and the viewer's kind (role, steward, superuser), never the person. Rendering
  it holds no CSRF token or per-user text.
- `cached_page`: a whole page as one user received it, navigation bar and all, so that reading
  it again costs one cache read: the page, compressed, is stored under a key naming the user
  and the path, beside the tokens it was rendered with, and that read fetches the page and the
  current tokens together. The tokens include the user's own, which every change to the
  account, its roles and units replaces: the page was stored after the view's permission
  checks passed, and it is served only while nothing those checks read has changed (the
  user's token, the agency's token for its rows). The CSRF tokens of the page's forms are
  taken out before storing and a fresh one is put in for each request. A request with
  messages to show, or a render that showed some, is neither served from nor stored in the
  cache.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections.abc import Callable, Iterable
from functools import wraps
from typing import TypeVar

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language

from ita_portal.cache import single_flight
from ita_portal.generations import ALL, METHOD, ministry_scope, tokens, tokens_with

# A day: pages hold the date in their key, and agency names (scope `all`) change rarely.
T = TypeVar("T")
Scopes = Iterable[str] | Callable[[], Iterable[str]]
PAGE_SECONDS = 24 * 60 * 60
CSRF_MARK = b"\x00csrf\x00"
_CSRF_VALUE = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')


def viewer_kind(user) -> str:
    """Return what of the viewer a shared fragment may depend on: role, steward, superuser."""
    role = user.role.value if user.role else "-"
    return f"{role}.{int(user.is_steward)}.{int(user.is_superuser)}"


def _name(kind: str, parts: Iterable) -> str:
    head = ":".join(str(part) for part in parts)
    digest = hashlib.sha256(head.encode()).hexdigest()[:32]
    return f"{kind}:{get_language()}:{timezone.localdate():%Y%m%d}:{digest}"


def _key(kind: str, parts: Iterable, scopes: Iterable[str]) -> str:
    return f"{_name(kind, parts)}:{'.'.join(tokens([ALL, *scopes]))}"


def shared_fragment(parts: Iterable, scopes: Iterable[str], render: Callable[[], T]) -> T:
    """Return what render() makes, from the shared cache or made once for everyone asking."""
    return single_flight(_key("fragment", parts, scopes), render, PAGE_SECONDS)


def fragment(request: HttpRequest, template: str, scopes: Scopes, build: Callable[[], dict]) -> str:
    """Return template rendered with build()'s context, shared by viewers of the same kind.

    The key holds the template, the viewer's kind and the full path (its query string picks
    years, filters and pages), and the scopes' tokens.
    """
    return status_fragment(request, template, scopes, build)[1]


def status_fragment(
    request: HttpRequest, template: str, scopes: Scopes, build: Callable[[], dict]
) -> tuple[int, str]:
    """As fragment, with the page's status: build()'s "status" (a refused filter: 400), or 200.

    scopes may be a function returning them, called only when the cache is used.
    """

    def render() -> tuple[int, str]:
        context = build()
        return context.get("status", 200), render_to_string(template, context, request)

    if not settings.PAGE_CACHE:
        return render()
    parts = [template, viewer_kind(request.user), request.get_full_path()]
    return shared_fragment(parts, scopes() if callable(scopes) else scopes, render)


def _pending_messages(request: HttpRequest) -> bool:
    storage = messages.get_messages(request)
    return bool(len(storage) or getattr(storage, "used", False))


def _page_scopes(request: HttpRequest, scopes: Callable, fresh: bool, kwargs: dict) -> list[str]:
    # The navigation bar counts the user's notifications and the work the agency's plans give
    # them; every page shows agency names (`all`).
    user = request.user
    names = scopes(request, fresh=fresh, **kwargs)
    return [ALL, f"user:{user.pk}", f"plans-id:{user.agency_id}", *names]


def cached_page(scopes: Callable[..., Iterable[str]]) -> Callable:
    """Serve a GET page from the user's cached copy while the data it shows is unchanged.

    scopes(request, fresh=..., **view_kwargs) names the data generations the page shows; the
    user's own is always added. It may answer from a memo (fresh=False, the hit path) if every
    change to what the memo holds replaces the `all` token: a miss asks again with fresh=True
    and stores the page with what that answer names. Put it outside the view's permission
    decorators: a miss runs them all.
    """

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            user = request.user
            if (
                not settings.PAGE_CACHE
                or request.method != "GET"
                or not user.is_authenticated
                or _pending_messages(request)
            ):
                return view(request, *args, **kwargs)
            key = _name("page", [user.pk, request.get_full_path()])
            names = _page_scopes(request, scopes, False, kwargs)
            current, found = tokens_with(names, [key])
            stamp = ".".join(current)
            stored = found.get(key)
            if stored is not None and stored[0] == stamp:
                body = zlib.decompress(stored[1])
                return HttpResponse(body.replace(CSRF_MARK, get_token(request).encode()))
            fresh = _page_scopes(request, scopes, True, kwargs)
            if fresh != names:  # a memo was out of date: the page shows other scopes
                stamp = ".".join(tokens(fresh))
            response = view(request, *args, **kwargs)
            if (
                response.status_code == 200
                and not response.streaming
                and response.get("Content-Type", "").startswith("text/html")
                and not _pending_messages(request)
            ):
                page = _CSRF_VALUE.sub(rb"\g<1>" + CSRF_MARK + rb"\g<2>", response.content)
                # Level 1: a fourth to a sixth of the bytes to store and read, for 0.2–0.4 ms.
                cache.set(key, (stamp, zlib.compress(page, 1)), PAGE_SECONDS)
            return response

        return wrapper

    return decorator


def dashboard_scopes(request: HttpRequest, **kwargs) -> list[str]:
    """The scopes of a plan's page: the plans of ?agency=, else of the user's own agency."""
    chosen = request.GET.get("agency")
    return [f"plans:{chosen}" if chosen else f"plans-id:{request.user.agency_id}", METHOD]


# agency code -> the scope of its ministry. An agency's change replaces `all`, so a page stored
# under an older ministry is not served; the miss that follows asks the database again.
_ministries: dict[str, str] = {}


def ministry_scopes(request: HttpRequest, agency: str, fresh: bool = True, **kwargs) -> list[str]:
    """The scopes of a ministry ranking: every agency of the agency's ministry."""
    from accounts.models import Agency

    scope = None if fresh else _ministries.get(agency)
    if scope is None:
        ministry = Agency.objects.filter(code=agency).values_list("ministry", flat=True).first()
        scope = f"results:{agency}" if ministry is None else ministry_scope(ministry)
        if len(_ministries) > 10_000:
            _ministries.clear()
        _ministries[agency] = scope
    return [scope, METHOD]


def results_scopes(request: HttpRequest, agency: str, **kwargs) -> list[str]:
    """The scopes of a page of one agency's results (the agency named by its code)."""
    return [f"results:{agency}", METHOD]


def agency_scopes(request: HttpRequest, agency: str, **kwargs) -> list[str]:
    """The scopes of a page of one agency's results and plans (the executive summary)."""
    return [f"results:{agency}", f"plans:{agency}", METHOD]
