"""An agency's own plans, reports and evidence: open in the Django admin to superusers only.

Agencies work on them in the portal (/measures/), where every object is scoped to the user's
agency; data stewards keep reference data and never see these (ita_portal.admin).
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from ita_portal.admin import SuperuserOnlyMixin
from measures.models import (
    Activity,
    Evidence,
    Measure,
    Plan,
    ProgressReport,
    ReminderLog,
    Round,
    Step,
    SuccessIndicator,
)


class RoundInline(admin.TabularInline):
    model = Round
    extra = 0
    fields = ["number", "name_th", "period_start", "period_end", "opens_on", "due_on", "locked_at"]


class StepInline(admin.TabularInline):
    model = Step
    extra = 0


class SuccessIndicatorInline(admin.TabularInline):
    model = SuccessIndicator
    extra = 0


@admin.register(Plan)
class PlanAdmin(SuperuserOnlyMixin, SimpleHistoryAdmin):
    list_display = ["agency", "fiscal_year", "title_th", "is_published"]
    list_filter = ["agency", "is_published"]
    inlines = [RoundInline]


@admin.register(Measure)
class MeasureAdmin(SuperuserOnlyMixin, SimpleHistoryAdmin):
    list_display = ["plan", "number", "title_th"]
    list_filter = ["plan"]
    filter_horizontal = ["questions"]


@admin.register(Activity)
class ActivityAdmin(SuperuserOnlyMixin, SimpleHistoryAdmin):
    list_display = ["number", "title_th", "lead_unit", "deadline"]
    list_filter = ["measure__plan"]
    filter_horizontal = ["units", "owners", "questions"]
    inlines = [StepInline, SuccessIndicatorInline]


@admin.register(ProgressReport)
class ProgressReportAdmin(SuperuserOnlyMixin, SimpleHistoryAdmin):
    list_display = ["activity", "round", "status", "percent", "state"]
    list_filter = ["state", "status", "round__plan"]


@admin.register(Evidence)
class EvidenceAdmin(SuperuserOnlyMixin, SimpleHistoryAdmin):
    list_display = ["report", "original_name", "url", "size", "uploaded_by", "uploaded_at"]


@admin.register(ReminderLog)
class ReminderLogAdmin(SuperuserOnlyMixin, admin.ModelAdmin):
    list_display = ["sent_on", "user", "activity", "round"]
