"""Upload checks every form that takes a document shares (pre-screening, knowledge base, the public
apply page): size, type by content (never by name) and readable text, as field errors.

    from recruiting.forms.uploads import DocumentField

    resume_file = DocumentField(max_bytes_setting="RESUME_MAX_BYTES", required=False)
    ...
    doc = form.cleaned_data["resume_file"]     # an UploadedDocument or None
    doc.data, doc.filename, doc.kind, doc.text, doc.content_type

Or, outside a form: ``check_document(upload, max_bytes=...) -> UploadedDocument`` raising a
``ValidationError`` whose ``code`` is the ``mojito.documents`` code (``too_large``,
``unsupported_type``, ``type_mismatch``, ``encrypted``, ``no_text``, ``damaged``).

The file is read at most ``max_bytes + 1`` bytes far, so an oversized upload is refused without
holding all of it; ``filename`` ends with the extension of the detected kind (a PDF called
``cv.png`` is sent as ``cv.pdf``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from mojito import documents

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "txt": "text/plain",
}
ACCEPT = ".pdf,.docx,.txt,application/pdf,text/plain," + CONTENT_TYPES["docx"]


@dataclass(frozen=True)
class UploadedDocument:
    filename: str
    data: bytes
    kind: str
    text: str

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.kind]

    @property
    def size(self) -> int:
        return len(self.data)


def size_text(n: int) -> str:
    """Bytes as people read them: "850 KB", "2.5 MB"."""
    return f"{n / (1024 * 1024):.1f} MB" if n >= 1024 * 1024 else f"{max(1, round(n / 1024))} KB"


def _named_for(filename: str, kind: str) -> str:
    stem, ext = os.path.splitext(os.path.basename(filename or ""))
    if documents.EXTENSION_KINDS.get(ext.lower()) == kind:
        return os.path.basename(filename)
    return f"{stem or 'document'}.{kind}"


def check_document(upload, *, max_bytes: int) -> UploadedDocument:
    """The checked document of ``upload`` (a Django UploadedFile), or a ValidationError saying why not."""
    filename = os.path.basename(getattr(upload, "name", "") or "")
    label = f"“{filename}”" if filename else "The file"
    declared = getattr(upload, "size", None)
    if declared is not None and declared > max_bytes:
        raise ValidationError(f"{label} is {size_text(declared)}; the limit is {size_text(max_bytes)}. "
                              "Upload a smaller file.", code=documents.DocumentTooLarge.code)
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(max_bytes + 1)
    try:
        extracted = documents.extract_text(data, filename=filename, max_bytes=max_bytes)
    except documents.DocumentError as exc:
        raise ValidationError(exc.message, code=exc.code) from None
    return UploadedDocument(filename=_named_for(filename, extracted.kind), data=data, kind=extracted.kind,
                            text=extracted.text)


class DocumentField(forms.FileField):
    """A file field that accepts a PDF, DOCX or plain-text document within a size limit.

    ``max_bytes_setting`` names the Django setting that holds the limit (read at validation time,
    so tests can change it); ``max_bytes`` fixes it instead.
    """

    def __init__(self, *, max_bytes_setting: str | None = None, max_bytes: int | None = None, **kwargs):
        self.max_bytes_setting, self._max_bytes = max_bytes_setting, max_bytes
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": ACCEPT}))
        super().__init__(**kwargs)
        if not self.help_text:
            self.help_text = f"A PDF, Word (.docx) or text file, up to {size_text(self.max_bytes)}."

    @property
    def max_bytes(self) -> int:
        if self._max_bytes is not None:
            return int(self._max_bytes)
        return int(getattr(settings, self.max_bytes_setting or "RESUME_MAX_BYTES"))

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if not upload:
            return None
        return check_document(upload, max_bytes=self.max_bytes)
