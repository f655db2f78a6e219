"""Project-wide pages: the role-aware home page and the health check."""

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_safe

from ita_portal.thai import fiscal_year
from measures.selectors import inbox


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Show the signed-in user what their role can do, and their work waiting (the inbox)."""
    today = timezone.localdate()
    context = {"role": request.user.role, "current_fiscal_year": fiscal_year(today)}
    context["inbox"] = inbox(request.user, today)
    return render(request, "home.html", context)


@login_not_required
@never_cache
@require_safe  # load balancers probe with HEAD as well as GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Answer 200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
