"""Reference data in the Django admin: instrument versions and published results.

Open to data stewards (their group's model permissions) and superusers (ita_portal.admin);
agency admins enter their own assessment's figures in the portal (/assessments/).
"""

from django.contrib import admin
from import_export.admin import ImportExportMixin
from simple_history.admin import SimpleHistoryAdmin

from assessments.models import (
    AnswerOption,
    AnswerScale,
    Assessment,
    GradeBand,
    Indicator,
    IndicatorScore,
    Instrument,
    InstrumentScore,
    InstrumentVersion,
    ItemAnswer,
    OptionLabel,
    Question,
    QuestionLink,
    QuestionScore,
    SubIndicator,
    SubIndicatorScore,
    SubItem,
)
from imports.resources import (
    IndicatorScoreResource,
    ItemAnswerResource,
    OfficialResultResource,
    QuestionScoreResource,
)


class StewardsChange:
    """Reference data shared by every agency: only data stewards (and superusers) change it.

    Agency admins hold the app's model permissions for their own agency's data; these checks
    keep them to reading the instrument versions, in the admin as in the portal's pages.
    """

    def has_add_permission(self, request, *args) -> bool:
        return request.user.is_steward and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.is_steward and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_steward and super().has_delete_permission(request, obj)


class InstrumentInline(StewardsChange, admin.TabularInline):
    model = Instrument
    extra = 0


class GradeBandInline(StewardsChange, admin.TabularInline):
    model = GradeBand
    extra = 0


@admin.register(InstrumentVersion)
class InstrumentVersionAdmin(StewardsChange, SimpleHistoryAdmin):
    list_display = ["fiscal_year", "name_th", "pass_mark", "copied_from"]
    search_fields = ["name_th", "name_en"]
    inlines = [InstrumentInline, GradeBandInline]


@admin.register(Indicator)
class IndicatorAdmin(StewardsChange, SimpleHistoryAdmin):
    list_display = ["number", "name_th", "instrument", "version"]
    list_filter = ["version"]
    list_select_related = ["instrument", "version"]


@admin.register(SubIndicator)
class SubIndicatorAdmin(StewardsChange, SimpleHistoryAdmin):
    list_display = ["key", "name_th", "indicator"]
    list_filter = ["indicator__version"]
    list_select_related = ["indicator"]


class SubItemInline(StewardsChange, admin.TabularInline):
    model = SubItem
    extra = 0


class OptionLabelInline(StewardsChange, admin.TabularInline):
    model = OptionLabel
    extra = 0


@admin.register(Question)
class QuestionAdmin(StewardsChange, SimpleHistoryAdmin):
    list_display = ["code", "kind", "text_th", "indicator", "sub_indicator", "version"]
    list_filter = ["version", "kind"]
    search_fields = ["code", "text_th", "text_en"]
    list_select_related = ["indicator", "sub_indicator", "version"]
    inlines = [SubItemInline, OptionLabelInline]


class AnswerOptionInline(StewardsChange, admin.TabularInline):
    model = AnswerOption
    extra = 0


@admin.register(AnswerScale)
class AnswerScaleAdmin(StewardsChange, SimpleHistoryAdmin):
    list_display = ["code", "kind", "name_th", "version"]
    list_filter = ["version"]
    list_select_related = ["version"]
    inlines = [AnswerOptionInline]


@admin.register(QuestionLink)
class QuestionLinkAdmin(StewardsChange, SimpleHistoryAdmin):
    list_display = ["earlier", "later", "kind"]
    list_filter = ["kind"]
    list_select_related = ["earlier", "later"]


class QuestionScoreInline(admin.TabularInline):
    model = QuestionScore
    extra = 0
    raw_id_fields = ["question", "batch"]


class IndicatorScoreInline(admin.TabularInline):
    model = IndicatorScore
    extra = 0
    raw_id_fields = ["indicator", "batch"]


@admin.register(Assessment)
class AssessmentAdmin(ImportExportMixin, SimpleHistoryAdmin):
    resource_classes = [OfficialResultResource]
    list_display = ["agency", "fiscal_year", "reported_total", "reported_grade", "rank", "rank_of"]
    list_filter = ["fiscal_year", "agency__ministry"]
    search_fields = ["agency__code", "agency__name_th"]
    list_select_related = ["agency"]
    raw_id_fields = ["batch"]
    inlines = [IndicatorScoreInline, QuestionScoreInline]


@admin.register(SubIndicatorScore, InstrumentScore)
class ScoreAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "batch", "source_sheet", "source_row"]
    raw_id_fields = ["assessment", "batch"]


@admin.register(IndicatorScore)
class IndicatorScoreAdmin(ImportExportMixin, ScoreAdmin):
    resource_classes = [IndicatorScoreResource]


@admin.register(QuestionScore)
class QuestionScoreAdmin(ImportExportMixin, ScoreAdmin):
    resource_classes = [QuestionScoreResource]


@admin.register(ItemAnswer)
class ItemAnswerAdmin(ImportExportMixin, ScoreAdmin):
    resource_classes = [ItemAnswerResource]
