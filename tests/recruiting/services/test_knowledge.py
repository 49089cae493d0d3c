"""Knowledge-base uploads against the in-process sandbox."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from recruiting.models import KnowledgeDocument
from recruiting.services.knowledge import knowledge_document_upload

pytestmark = pytest.mark.django_db

STORE = "7d2f9a1e-1111-4222-8333-944455556666"


def test_upload_stores_the_document(sandbox):
    upload = SimpleUploadedFile("handbook.txt", b"Refunds are processed within 5 days.", content_type="text/plain")
    doc = knowledge_document_upload(store_id=STORE, file=upload)

    remote = sandbox.state.knowledge_docs[doc.mojito_id]
    assert remote["knowledge_base_store_id"] == STORE and remote["name"] == "handbook.txt"
    assert remote["size"] == doc.size == 36
    assert doc.store_id == STORE and doc.name == "handbook.txt" and doc.uploaded_at
    assert doc.content_type == "text/plain"


def test_upload_bytes_with_a_name(sandbox):
    doc = knowledge_document_upload(store_id=STORE, file=b"%PDF-1.4 fake", filename="policy.pdf", name="Policy.pdf")
    assert sandbox.state.knowledge_docs[doc.mojito_id]["name"] == "Policy.pdf"


def test_size_limit_is_checked_before_sending(sandbox, spy, settings):
    settings.KNOWLEDGE_DOCUMENT_MAX_BYTES = 5
    with pytest.raises(ValidationError) as exc:
        knowledge_document_upload(store_id=STORE, file=b"123456", filename="big.txt")
    assert exc.value.code == "too_large"
    with pytest.raises(ValidationError):
        knowledge_document_upload(store_id=STORE, file=SimpleUploadedFile("big.txt", b"123456"))
    assert spy.count("knowledge-base-document-upload") == 0 and KnowledgeDocument.objects.count() == 0


@pytest.mark.parametrize("kwargs, code", [({"store_id": " ", "file": b"x", "filename": "a.txt"}, "store"),
                                          ({"store_id": STORE, "file": b"", "filename": "a.txt"}, "empty"),
                                          ({"store_id": STORE, "file": b"x"}, "name")])
def test_local_validation(sandbox, kwargs, code):
    with pytest.raises(ValidationError) as exc:
        knowledge_document_upload(**kwargs)
    assert exc.value.code == code
