from django.db import models

from .base import MojitoModel


class KnowledgeDocument(MojitoModel):
    """A document uploaded to a knowledge-base store. mojito_id = knowledge_base_id (the document record)."""

    store_id = models.CharField("knowledge base store id", max_length=64, db_index=True)
    name = models.CharField(max_length=255, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True, help_text="Bytes.")
    content_type = models.CharField(max_length=120, blank=True)
    uploaded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return self.name or f"Document {self.mojito_id}"
