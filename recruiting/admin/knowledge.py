from django.contrib import admin
from django.template.defaultfilters import filesizeformat

from recruiting.models import KnowledgeDocument

from .base import MojitoModelAdmin


@admin.register(KnowledgeDocument)
class KnowledgeDocumentAdmin(MojitoModelAdmin):
    actions = []
    list_display = ("name", "store_id", "size_display", "content_type", "uploaded_at")
    list_filter = ("content_type",)
    search_fields = ("name", "=store_id", "=mojito_id")
    date_hierarchy = "created_at"

    @admin.display(description="size", ordering="size")
    def size_display(self, obj):
        return filesizeformat(obj.size) if obj.size is not None else "—"
