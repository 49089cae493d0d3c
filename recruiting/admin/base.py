"""Shared pieces of the operations console: the fast-changelist base and the raw-payload display."""

from __future__ import annotations

import json

from django.contrib import admin
from django.db import models
from django.utils.html import format_html

from recruiting.selectors.pagination import EstimatedCountPaginator
from recruiting.services.upserts import strip_secrets


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
    """No full COUNT(*) on filtered pages, and an estimated count on big unfiltered tables.

    Tables that grow with use (results, candidates, invitations, pre-screenings, webhook deliveries,
    API calls) filter by date in the sidebar ("Past 7 days", "This month", ...) instead of a
    ``date_hierarchy``: the hierarchy's year/month links are a SELECT DISTINCT over every row's
    truncated date on each page view (2.3 s on 200,000 results on SQLite); the filter costs nothing
    until it is used, and then uses the date's index."""

    show_full_result_count = False
    paginator = EstimatedCountPaginator
    list_per_page = 50


class RecruitingModelAdmin(FastChangelistMixin, admin.ModelAdmin):
    actions = []  # each admin declares its actions (recruiting.admin.actions)
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class MirrorReadOnlyMixin:
    """A JobMojito mirror: every field is read-only here and nothing is added by hand.

    The upserts overwrite mirrored fields at the next sync and a hand edit never reaches JobMojito,
    so changes go through the admin actions (services). ``local_fields`` names the app's own fields
    that stay editable (notes, local settings)."""

    local_fields: tuple[str, ...] = ()

    def get_readonly_fields(self, request, obj=None):
        declared = list(super().get_readonly_fields(request, obj))
        excluded = set(self.get_exclude(request, obj) or ())
        mirrored = [f.name for f in self.model._meta.concrete_fields
                    if f.editable and not f.primary_key and f.name not in excluded and f.name not in self.local_fields]
        return tuple(dict.fromkeys(declared + mirrored))

    def has_add_permission(self, request, *args):
        return False


class MojitoModelAdmin(MirrorReadOnlyMixin, RecruitingModelAdmin):
    """Admin for a JobMojito mirror: read-only fields, raw payload shown pretty, no "add"."""

    exclude = ("raw",)
    readonly_fields = ("mojito_id", "synced_at", "created_at", "updated_at", "raw_payload")

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
