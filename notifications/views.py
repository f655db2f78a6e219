"""Pages of notifications: the list, opening one, marking all read, and each user's settings."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ita_portal.access import get_notification_for_user
from notifications import selectors, services
from notifications.channels import preference_of
from notifications.forms import PreferenceForm


@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    """List the user's notifications, newest first, unread ones marked."""
    context = {"listing": selectors.notification_page(request.user, request.GET.get("page"))}
    context["unread"] = context["listing"].unread
    return render(request, "notifications/list.html", context)


@require_POST
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark a notification read and go to what it is about."""
    notification = get_notification_for_user(request.user, pk)
    services.notification_mark_read(notification=notification)
    return redirect(notification.link)


@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    """Mark every notification of the user read."""
    services.notifications_mark_all_read(user=request.user)
    messages.success(request, _("Every notification is marked read."))
    return redirect("notifications:list")


@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    """Let the user choose e-mails at once, a daily digest or none, and their language."""
    form = PreferenceForm(request.POST or None, instance=preference_of(request.user))
    if request.method == "POST" and form.is_valid():
        services.preference_save(user=request.user, **form.cleaned_data)
        messages.success(request, _("Your notification settings were saved."))
        return redirect("notifications:preferences")
    status = 400 if form.is_bound else 200
    return render(request, "notifications/preferences.html", {"form": form}, status=status)
