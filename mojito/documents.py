"""Documents people upload (résumés, knowledge-base files): type by content, text out, clear errors.

One module for the app's upload forms and for the sandbox, so both say the same thing about the
same file: "this is not a PDF", "this PDF has no readable text", "this PDF is password-protected".

- ``detect_kind(data)`` looks at the bytes only (``filetype``'s magic numbers, the DOCX zip layout,
  a plain-text check) and answers ``"pdf"``, ``"docx"``, ``"txt"`` or ``None``.
- ``extract_text(data, filename=..., max_bytes=...)`` checks the size, detects the kind, cross-checks
  the filename's extension (a ``.pdf`` or ``.docx`` name must hold that kind of content), extracts
  the text with pypdf / python-docx / a UTF-8 decode (UTF-16 by BOM, Windows-1252 fallback) and
  raises a ``DocumentError`` subclass whose ``message`` a person can act on and whose ``code`` a
  program can branch on.
"""

from __future__ import annotations

import io
import logging
import os
import unicodedata
import zipfile
from dataclasses import dataclass

import filetype

logger = logging.getLogger(__name__)

KINDS = ("pdf", "docx", "txt")
KIND_LABELS = {"pdf": "a PDF", "docx": "a Word (.docx) document", "txt": "a plain text file"}
EXTENSION_KINDS = {".pdf": "pdf", ".docx": "docx", ".txt": "txt", ".text": "txt", ".md": "txt"}
ACCEPTED = "a PDF, a Word (.docx) document or a plain text file"

DOCX_PART = "word/document.xml"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
TEXT_SAMPLE = 64 * 1024
MAX_CONTROL_RATIO = 0.01


class DocumentError(ValueError):
    """A file we cannot take. ``message`` says what to do; ``code`` is a short slug."""

    code = "document_error"

    def __init__(self, message: str, *, code: str | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code

    def __str__(self) -> str:
        return self.message


class UnsupportedDocumentType(DocumentError):
    code = "unsupported_type"


class DocumentTypeMismatch(DocumentError):
    code = "type_mismatch"


class EncryptedDocument(DocumentError):
    code = "encrypted"


class NoReadableText(DocumentError):
    code = "no_text"


class DocumentTooLarge(DocumentError):
    code = "too_large"


@dataclass(frozen=True)
class ExtractedDocument:
    kind: str
    text: str


# --- detection ----------------------------------------------------------------------------------

def _is_docx(data: bytes) -> bool:
    if not data.startswith(b"PK\x03\x04"):
        return False
    guess = filetype.guess(data)
    if guess is not None and guess.extension == "docx":
        return True
    try:  # filetype only looks at the first entries; python-docx and some editors order them differently
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return DOCX_PART in archive.namelist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return False


def _decode_text(data: bytes) -> str | None:
    """The text of ``data`` if it is plain text (UTF-8, UTF-16 with BOM, or Windows-1252), else None."""
    if data.startswith(UTF16_BOMS):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            return None
    if b"\x00" in data[:TEXT_SAMPLE]:
        return None
    text = None
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):  # latin-1 decodes any byte
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    sample = text[:TEXT_SAMPLE]
    controls = sum(1 for ch in sample if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f\v")
    if sample and controls / len(sample) > MAX_CONTROL_RATIO:
        return None
    return text


def detect_kind(data: bytes) -> str | None:
    """``"pdf"``, ``"docx"``, ``"txt"`` or None, from the content alone (never the name)."""
    if not data:
        return None
    if data[:1024].lstrip()[:5] == b"%PDF-":  # readers tolerate leading whitespace before the header
        return "pdf"
    if _is_docx(data):
        return "docx"
    if filetype.guess(data) is not None:  # an image, archive, .doc, audio...: known, and not ours
        return None
    return "txt" if _decode_text(data) is not None else None


def _describe(data: bytes) -> str:
    kind = detect_kind(data)
    if kind:
        return KIND_LABELS[kind]
    guess = filetype.guess(data)
    if guess is not None:
        return f"a .{guess.extension} file"
    return "not a document we can read"


# --- extraction ---------------------------------------------------------------------------------

def _pdf_text(data: bytes, label: str) -> str:
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):  # an owner password alone still opens
            raise EncryptedDocument(f"{label} is password-protected. Remove the password (print or "
                                    "save it as a new PDF) and upload it again.")
        pages = [page.extract_text() or "" for page in reader.pages]
    except EncryptedDocument:
        raise
    except FileNotDecryptedError:
        raise EncryptedDocument(f"{label} is password-protected. Remove the password and upload it again.") from None
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError) as exc:
        logger.info("unreadable PDF: %s", type(exc).__name__)
        raise DocumentError(f"{label} looks like a PDF but is damaged and cannot be read. Export it "
                            "again from the program that made it.", code="damaged") from None
    return "\n".join(page.strip("\n") for page in pages if page.strip())


def _docx_text(data: bytes, label: str) -> str:
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises a zoo (KeyError, BadZipFile, lxml errors, ValueError)
        logger.info("unreadable DOCX: %s", type(exc).__name__)
        raise DocumentError(f"{label} looks like a Word document but is damaged and cannot be read. "
                            "Save it again as .docx or as a PDF.", code="damaged") from None
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            cells = []
            for cell in row.cells:
                if cell.text not in cells:  # merged cells repeat their text
                    cells.append(cell.text)
            lines.append("\t".join(cells))
    return "\n".join(line for line in lines if line.strip())


def _label(filename: str) -> str:
    name = os.path.basename(filename or "")
    return f"“{name}”" if name else "The file"


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB" if n >= 1024 * 1024 else f"{max(1, round(n / 1024))} KB"


def extract_text(data: bytes, *, filename: str = "", max_bytes: int | None = None) -> ExtractedDocument:
    """The text of an uploaded document, or a ``DocumentError`` that says what is wrong with it."""
    label = _label(filename)
    if not data:
        raise NoReadableText(f"{label} is empty. Choose the file again.")
    if max_bytes is not None and len(data) > max_bytes:
        raise DocumentTooLarge(f"{label} is {_size(len(data))}; the limit is {_size(max_bytes)}. "
                               "Upload a smaller file.")
    kind = detect_kind(data)
    expected = EXTENSION_KINDS.get(os.path.splitext(filename or "")[1].lower())
    if expected in ("pdf", "docx") and kind != expected:
        raise DocumentTypeMismatch(f"{label} is named like {KIND_LABELS[expected]} but is {_describe(data)}. "
                                   f"Upload {ACCEPTED}.")
    if kind is None:
        what = _describe(data)
        hint = " Old Word (.doc) files: save them as .docx or PDF first." if what == "a .doc file" else ""
        raise UnsupportedDocumentType(f"{label} is {what}. Upload {ACCEPTED}.{hint}")
    if kind == "pdf":
        text = _pdf_text(data, label)
        if not text.strip():
            raise NoReadableText(f"{label} has no readable text: it looks like a scanned image. Upload a PDF "
                                 "with selectable text, a .docx, or paste the text.")
    elif kind == "docx":
        text = _docx_text(data, label)
        if not text.strip():
            raise NoReadableText(f"{label} has no text in it. Check that it is the right document.")
    else:
        text = _decode_text(data) or ""
        if not text.strip():
            raise NoReadableText(f"{label} has no text in it (only blank space).")
    return ExtractedDocument(kind=kind, text=text.strip())
