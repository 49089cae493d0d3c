"""Knowledge-base documents: upload a file to a JobMojito knowledge-base store.

Stores are created in JobMojito's admin (there is no API for them); we keep the id of each
uploaded document. Size is limited by ``settings.KNOWLEDGE_DOCUMENT_MAX_BYTES``.
"""

from __future__ import annotations

import mimetypes
import os

from django.conf import settings
from django.core.exceptions import ValidationError

from mojito.errors import MojitoAPIError
from recruiting.models import KnowledgeDocument
from recruiting.services.client import get_client
from recruiting.services.upserts import knowledge_document_upsert_from_payload


def knowledge_document_upload(*, store_id: str, file, filename: str | None = None,
                              name: str | None = None) -> KnowledgeDocument:
    """knowledge-base-document-upload (multipart) -> KnowledgeDocument. ``file``: bytes or a file."""
    if not (store_id or "").strip():
        raise ValidationError("Choose the knowledge base store to upload to.", code="store")
    filename = os.path.basename(filename or getattr(file, "name", "") or name or "")
    if not filename:
        raise ValidationError("The document needs a file name (with its extension).", code="name")
    limit = int(settings.KNOWLEDGE_DOCUMENT_MAX_BYTES)
    declared = getattr(file, "size", None)
    if declared is not None and declared > limit:
        raise ValidationError(f"The document is {declared} bytes; the limit is {limit} bytes.", code="too_large")
    if isinstance(file, (bytes, bytearray)):
        data = bytes(file)
    else:
        if hasattr(file, "seek"):
            file.seek(0)
        data = file.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(f"The document is larger than the limit of {limit} bytes.", code="too_large")
    if not data:
        raise ValidationError("The document is empty.", code="empty")
    answer = get_client().upload_knowledge_base_document(
        knowledge_base_store_id=store_id.strip(), file=data, filename=filename, name=name or filename)
    if not answer.get("knowledge_base_id"):
        raise MojitoAPIError("JobMojito returned no knowledge_base_id.", status_code=200,
                             endpoint="knowledge-base-document-upload")
    return knowledge_document_upsert_from_payload(
        answer, store_id=store_id.strip(), name=name or filename, size=len(data),
        content_type=mimetypes.guess_type(filename)[0] or "application/octet-stream")
