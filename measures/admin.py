from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from measures.models import (
    Activity,
    Evidence,
    Measure,
    Plan,
    ProgressReport,
    ReminderLog,
    Round,
    Step,
)


class RoundInline(admin.TabularInline):
    model = Round
    extra = 0
    fields = ["number", "name_th", "period_start", "period_end", "opens_on", "due_on", "locked_at"]


class StepInline(admin.TabularInline):
    model = Step
    extra = 0


@admin.register(Plan)
class PlanAdmin(SimpleHistoryAdmin):
    list_display = ["agency", "fiscal_year", "title_th", "is_published"]
    list_filter = ["agency", "is_published"]
    inlines = [RoundInline]


@admin.register(Measure)
class MeasureAdmin(SimpleHistoryAdmin):
    list_display = ["plan", "number", "title_th"]
    list_filter = ["plan"]
    filter_horizontal = ["questions"]


@admin.register(Activity)
class ActivityAdmin(SimpleHistoryAdmin):
    list_display = ["number", "title_th", "lead_unit", "deadline"]
    list_filter = ["measure__plan"]
    filter_horizontal = ["units", "questions"]
    inlines = [StepInline]


@admin.register(ProgressReport)
class ProgressReportAdmin(SimpleHistoryAdmin):
    list_display = ["activity", "round", "status", "percent", "state"]
    list_filter = ["state", "status", "round__plan"]


@admin.register(Evidence)
class EvidenceAdmin(SimpleHistoryAdmin):
    list_display = ["report", "original_name", "url", "size", "uploaded_by", "uploaded_at"]


@admin.register(ReminderLog)
class ReminderLogAdmin(admin.ModelAdmin):
    list_display = ["sent_on", "user", "activity", "round"]
