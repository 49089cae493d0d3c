"""Shared pieces of the operations console: the fast-changelist base and the raw-payload display."""

from __future__ import annotations

import json

from django.contrib import admin
from django.db import models
from django.utils.html import format_html

from recruiting.services.upserts import strip_secrets

from .paginator import EstimatedCountPaginator


def pretty_json(value) -> str:
    """Escaped, indented JSON in a <pre> (secrets stripped)."""
    if value in (None, "", {}, []):
        return "—"
    if isinstance(value, (str, bytes)):
        try:
            value = json.loads(value)
        except ValueError:
            return format_html('<pre class="raw-payload">{}</pre>', value)
    text = json.dumps(strip_secrets(value), indent=2, sort_keys=True, ensure_ascii=False, default=str)
    return format_html('<pre class="raw-payload" style="white-space: pre-wrap">{}</pre>', text)


def set_or_not(value) -> str:
    return "set" if value else "not set"


class FastChangelistMixin:
    """No full COUNT(*) on filtered pages, and an estimated count on big unfiltered tables."""

    show_full_result_count = False
    paginator = EstimatedCountPaginator
    list_per_page = 50


class RecruitingModelAdmin(FastChangelistMixin, admin.ModelAdmin):
    actions = []  # admin actions are added by the services modules
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class MojitoModelAdmin(RecruitingModelAdmin):
    """Admin for a JobMojito mirror: raw payload shown pretty and read-only, sync columns read-only."""

    exclude = ("raw",)
    readonly_fields = ("mojito_id", "synced_at", "created_at", "updated_at", "raw_payload")
    # Mirrors are created from JobMojito answers (services), not typed in here.
    allow_add = False

    def has_add_permission(self, request):
        return self.allow_add and super().has_add_permission(request)

    @admin.display(description="Raw payload (last from JobMojito)")
    def raw_payload(self, obj) -> str:
        return pretty_json(obj.raw)


class ReadOnlyInline:
    """An inline that only shows rows."""

    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
