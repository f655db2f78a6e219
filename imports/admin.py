from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from imports.models import ImportBatch


@admin.register(ImportBatch)
class ImportBatchAdmin(SimpleHistoryAdmin):
    list_display = ["file_name", "created_at", "uploaded_by", "fiscal_year", "status", "row_count"]
    list_filter = ["status", "fiscal_year"]
    search_fields = ["file_name", "sha256"]
