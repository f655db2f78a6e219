"""An agency's OIT self-check: open in the Django admin to superusers only (with its history).

Agencies work on it in the portal (/oit/), where every object is scoped to the user's agency;
data stewards keep reference data and never see these (ita_portal.admin).
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from ita_portal.admin import SuperuserOnlyMixin
from oit.models import OitFile, OitItem, OitLink, OitRound


@admin.register(OitRound)
class OitRoundAdmin(SuperuserOnlyMixin, SimpleHistoryAdmin):
    list_display = ["agency", "fiscal_year", "state", "approved_by", "approved_at"]
    list_filter = ["agency", "state"]


@admin.register(OitItem)
class OitItemAdmin(SuperuserOnlyMixin, SimpleHistoryAdmin):
    list_display = ["round", "question", "unit", "due_on", "status", "state", "score"]
    list_filter = ["round", "state", "status"]
    filter_horizontal = ["owners", "elements_done"]


@admin.register(OitLink)
class OitLinkAdmin(SuperuserOnlyMixin, SimpleHistoryAdmin):
    list_display = ["item", "url", "verdict", "status_code", "checked_at"]
    list_filter = ["verdict"]


@admin.register(OitFile)
class OitFileAdmin(SuperuserOnlyMixin, SimpleHistoryAdmin):
    list_display = ["item", "original_name", "size", "uploaded_by", "uploaded_at"]
