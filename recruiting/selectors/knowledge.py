"""Reads for the knowledge base: uploaded documents (filtered) and the stores they went to.

The question form (``forms.questions``) picks from the same ``KnowledgeDocument`` rows through
``selectors.interviews.knowledge_documents``."""

from __future__ import annotations

import django_filters
from django.db.models import Q

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
