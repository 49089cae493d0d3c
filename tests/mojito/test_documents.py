"""mojito.documents: content-based type detection and text extraction on real files."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from mojito import documents
from mojito.documents import (
    DocumentError,
    DocumentTooLarge,
    DocumentTypeMismatch,
    EncryptedDocument,
    ExtractedDocument,
    NoReadableText,
    UnsupportedDocumentType,
    detect_kind,
    extract_text,
)

LINES = ("Senior Python developer, 8 years (Django)", "MSc Computer Science")


def reportlab_pdf(*lines: str, compression: int = 1, encrypt: str | None = None) -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pageCompression=compression, encrypt=encrypt)
    for i, line in enumerate(lines):
        pdf.drawString(72, 720 - 20 * i, line)
    pdf.save()
    return buffer.getvalue()


def scanned_pdf() -> bytes:
    """A page that is only a picture (what a scanner makes): no text layer at all."""
    picture = Image.new("RGB", (200, 80), "white")
    for x in range(20, 180):
        picture.putpixel((x, 40), (0, 0, 0))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.drawImage(ImageReader(picture), 72, 600, width=400, height=160)
    pdf.save()
    return buffer.getvalue()


def word_docx(*paragraphs: str, table: list[list[str]] | None = None) -> bytes:
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for col, value in enumerate(row):
                grid.cell(r, col).text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    return buffer.getvalue()


# --- detect_kind --------------------------------------------------------------------------------

def test_it_detects_kinds_by_content_not_name():
    assert detect_kind(reportlab_pdf("x")) == "pdf"
    assert detect_kind(word_docx("x")) == "docx"
    assert detect_kind("Plain résumé text\n".encode()) == "txt"
    assert detect_kind("žlica".encode("utf-16")) == "txt"
    assert detect_kind(png()) is None
    assert detect_kind(b"") is None
    assert documents.KINDS == ("pdf", "docx", "txt")


def test_it_does_not_take_a_plain_zip_or_binary_for_a_document():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")
    assert detect_kind(buffer.getvalue()) is None
    assert detect_kind(bytes(range(256)) * 4) is None


# --- extraction of good files -------------------------------------------------------------------

@pytest.mark.parametrize("compression", [0, 1])
def test_it_reads_a_reportlab_pdf(compression):
    result = extract_text(reportlab_pdf(*LINES, compression=compression), filename="cv.pdf")
    assert result == ExtractedDocument(kind="pdf", text="\n".join(LINES))


def test_it_reads_paragraphs_and_tables_of_a_docx():
    data = word_docx("Jane Doe", "Python developer", table=[["Skill", "Years"], ["Django", "8"]])
    result = extract_text(data, filename="cv.docx")
    assert result.kind == "docx"
    assert result.text == "Jane Doe\nPython developer\nSkill\tYears\nDjango\t8"


def test_it_reads_text_in_utf8_utf16_and_windows_1252():
    assert extract_text("Café\n".encode(), filename="cv.txt") == ExtractedDocument("txt", "Café")
    assert extract_text("žlica".encode("utf-16")).text == "žlica"
    assert extract_text(b"caf\xe9 latte \x96 8 years").text == "café latte – 8 years"


def test_it_opens_a_pdf_with_only_an_owner_password():
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(reportlab_pdf(*LINES))))
    writer.encrypt(user_password="", owner_password="owner-only", algorithm="AES-256")
    buffer = io.BytesIO()
    writer.write(buffer)
    assert extract_text(buffer.getvalue(), filename="cv.pdf").text == "\n".join(LINES)


# --- refusals, each with a message a person can act on ------------------------------------------

def test_it_refuses_a_scanned_image_pdf_with_no_text_layer():
    with pytest.raises(NoReadableText) as caught:
        extract_text(scanned_pdf(), filename="scan.pdf")
    assert caught.value.code == "no_text"
    assert "“scan.pdf” has no readable text" in caught.value.message and "scanned image" in caught.value.message


@pytest.mark.parametrize("how", ["reportlab", "pypdf-aes"])
def test_it_refuses_a_password_protected_pdf(how):
    if how == "reportlab":
        data = reportlab_pdf(*LINES, encrypt="s3cret")
    else:
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(reportlab_pdf(*LINES))))
        writer.encrypt(user_password="s3cret", algorithm="AES-256")
        buffer = io.BytesIO()
        writer.write(buffer)
        data = buffer.getvalue()
    with pytest.raises(EncryptedDocument) as caught:
        extract_text(data, filename="locked.pdf")
    assert caught.value.code == "encrypted"
    assert "password-protected" in caught.value.message and "s3cret" not in caught.value.message


@pytest.mark.parametrize("content, described", [
    (b"Just some text, renamed.", "a plain text file"),
    (png(), "a .png file"),
    (word_docx("A Word file"), "a Word (.docx) document"),
])
def test_it_refuses_a_renamed_non_pdf(content, described):
    with pytest.raises(DocumentTypeMismatch) as caught:
        extract_text(content, filename="resume.PDF")
    assert caught.value.code == "type_mismatch"
    assert caught.value.message.startswith(f"“resume.PDF” is named like a PDF but is {described}.")


def test_it_refuses_a_pdf_renamed_to_docx():
    with pytest.raises(DocumentTypeMismatch, match="named like a Word"):
        extract_text(reportlab_pdf("x"), filename="cv.docx")


def test_it_refuses_an_empty_docx():
    with pytest.raises(NoReadableText) as caught:
        extract_text(word_docx(), filename="empty.docx")
    assert "“empty.docx” has no text in it" in caught.value.message


def test_it_refuses_an_empty_file_and_blank_text():
    with pytest.raises(NoReadableText, match="is empty"):
        extract_text(b"", filename="cv.txt")
    with pytest.raises(NoReadableText, match="only blank space"):
        extract_text(b"  \n\t ", filename="cv.txt")


def test_it_refuses_types_it_cannot_read_by_content():
    with pytest.raises(UnsupportedDocumentType) as caught:
        extract_text(png(), filename="photo.png")
    assert caught.value.message == ("“photo.png” is a .png file. Upload a PDF, a Word (.docx) document "
                                    "or a plain text file.")
    old_word = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + b"\xec\xa5\xc1\x00" + b"\x00" * 600
    with pytest.raises(UnsupportedDocumentType, match=r"save them as \.docx or PDF"):
        extract_text(old_word, filename="cv.doc")


def test_it_refuses_a_file_over_the_limit_before_parsing():
    with pytest.raises(DocumentTooLarge) as caught:
        extract_text(b"x" * (2 * 1024 * 1024 + 1), filename="big.txt", max_bytes=2 * 1024 * 1024)
    assert caught.value.message == "“big.txt” is 2.0 MB; the limit is 2.0 MB. Upload a smaller file."
    assert extract_text(b"small", max_bytes=10).text == "small"


def test_it_refuses_a_damaged_pdf_without_crashing():
    data = reportlab_pdf(*LINES)
    with pytest.raises(DocumentError) as caught:
        extract_text(data[: len(data) // 3], filename="cut.pdf")
    assert isinstance(caught.value, ValueError)
    assert caught.value.code in ("damaged", "no_text")
    assert "“cut.pdf”" in caught.value.message


def test_every_error_is_a_value_error_with_message_and_code():
    for cls in (UnsupportedDocumentType, DocumentTypeMismatch, EncryptedDocument, NoReadableText, DocumentTooLarge):
        error = cls("Do this.")
        assert isinstance(error, DocumentError) and isinstance(error, ValueError)
        assert error.message == str(error) == "Do this." and error.code and error.code != DocumentError.code
