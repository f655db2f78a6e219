from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from imports.models import ImportBatch


@admin.register(ImportBatch)
class ImportBatchAdmin(SimpleHistoryAdmin):
    list_display = [
        "file_name",
        "agency",
        "created_at",
        "uploaded_by",
        "fiscal_year",
        "status",
        "row_count",
    ]
    list_filter = ["status", "fiscal_year"]
    search_fields = ["file_name", "sha256"]

    def get_queryset(self, request):
        """Show an agency admin their agency's batches only (a steward sees every batch)."""
        return super().get_queryset(request).for_user(request.user)

    def has_add_permission(self, request) -> bool:
        # A batch is what an import writes; it is never typed in.
        return False
