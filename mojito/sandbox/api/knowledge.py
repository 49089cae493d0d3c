"""Knowledge base: document upload (multipart, or JSON with the file base64-encoded).

There is no store-create endpoint in the reference: any non-empty store id is accepted.
"""

from __future__ import annotations

import base64
import binascii

from mojito import documents
from mojito.sandbox.api import common as c
from mojito.sandbox.state import new_id, now_iso
from mojito.sandbox.validation import F, ApiError, validate

UPLOAD = {
    "knowledge_base_store_id": F("string", required=True, min_length=1),
    "name": F("string"),
    "merchant_id": F("string"),
}


def _missing_file(sandbox, message: str):
    status = 500 if sandbox.state.config.quirks_500_for_authorization else 422
    return ApiError(status, message, "file")


def handle_knowledge_base_document_upload(sandbox, request):
    if request.content_type == "multipart/form-data":
        fields, files = request.form()
        data = validate(fields, UPLOAD)
        upload = files.get("file")
        if upload is None or not upload.data:
            raise _missing_file(sandbox, "file is required (a non-empty file part).")
        content, name, content_type = upload.data, data.get("name") or upload.filename, upload.content_type
    else:
        raw = c.json_body(request)
        data = validate(raw, {**UPLOAD, "file": F("string")})
        if not (data.get("file") or "").strip():
            raise _missing_file(sandbox, "file is required (the document, base64-encoded).")
        try:
            content = base64.b64decode(data["file"], validate=True)
        except (binascii.Error, ValueError):
            raise _missing_file(sandbox, "file must be base64-encoded.") from None
        name, content_type = data.get("name") or "document", "application/octet-stream"
    # Processing is asynchronous after the 200 and the allowed types are not documented, so a file
    # the parser cannot read is still accepted; its processing outcome is kept for the overview.
    try:
        text, error = documents.extract_text(content, filename=name).text, None
    except documents.DocumentError as exc:
        text, error = "", exc.message
    doc = {"id": new_id(), "knowledge_base_store_id": data["knowledge_base_store_id"], "name": name,
           "content_type": content_type, "size": len(content), "text": text, "processing_error": error,
           "status": "queued", "created_at": now_iso()}
    with sandbox.state.lock:
        sandbox.state.knowledge_docs[doc["id"]] = doc
    return c.ok({"knowledge_base_id": doc["id"]})
