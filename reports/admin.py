"""Orders, their signed documents and exports in the admin: read-only (they change through
services; a signed document never changes)."""

from django.contrib import admin

from reports.models import Order, OrderDocument
from vprplan.models import ExportFile


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Order)
class OrderAdmin(ReadOnlyAdmin):
    list_display = ["date", "number", "organization", "title", "status", "signed_at"]
    list_filter = ["status"]
    search_fields = ["number", "title", "organization__name"]
    list_select_related = ["organization"]


@admin.register(OrderDocument)
class OrderDocumentAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "order", "status", "method", "certificate_owner", "sha256"]
    list_filter = ["status", "method"]
    search_fields = ["sha256", "certificate_serial", "order__number", "signature_sha256", "scan_sha256"]
    list_select_related = ["order"]
    exclude = ["certificate_der"]


@admin.register(ExportFile)
class ExportFileAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "kind_title", "organization", "requested_by", "status", "size"]
    list_filter = ["kind", "status"]
    list_select_related = ["organization", "requested_by"]

    @admin.display(description="что")
    def kind_title(self, export: ExportFile) -> str:
        return export.kind_title
