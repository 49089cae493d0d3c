"""Reads for the knowledge base: uploaded documents (filtered), and the picks for question forms."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet

from recruiting.models import KnowledgeDocument
from recruiting.selectors.filters import TimeWindowMixin, search_filter

SORTS = {"uploaded": "uploaded_at", "name": "name", "size": "size"}
DEFAULT_SORT = "-uploaded"


class KnowledgeDocumentFilter(TimeWindowMixin):
    time_field = "uploaded_at"
    q = search_filter("Search", "Document name")
    store = django_filters.ChoiceFilter(field_name="store_id", label="Store", empty_label="All stores",
                                        choices=[])

    class Meta:
        model = KnowledgeDocument
        fields = ["q", "store", "period"]

    def __init__(self, *args, stores=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["store"].extra["choices"] = [(s, s) for s in stores]
        self.filters.pop("since", None)
        self.filters.pop("until", None)

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value.strip()) | Q(mojito_id=value.strip()))


def known_stores() -> list[str]:
    """Store ids documents were uploaded to (for suggestions and the store filter)."""
    return list(KnowledgeDocument.objects.exclude(store_id="").order_by("store_id")
                .values_list("store_id", flat=True).distinct())


def documents_filtered(params, *, stores) -> KnowledgeDocumentFilter:
    return KnowledgeDocumentFilter(params, queryset=KnowledgeDocument.objects.all(), stores=stores)


def documents_for_choice() -> QuerySet[KnowledgeDocument]:
    """The documents a question form offers (newest first): ``(doc.mojito_id, doc.name, doc.store_id)``."""
    return KnowledgeDocument.objects.exclude(mojito_id__isnull=True).only(
        "id", "mojito_id", "name", "store_id", "uploaded_at").order_by("-uploaded_at", "-id")


def document_choices() -> list[tuple[str, str]]:
    """``(knowledge document id, "name (store …)")`` pairs for a ChoiceField."""
    return [(d.mojito_id, f"{d.name or d.mojito_id} (store {d.store_id})") for d in documents_for_choice()]
