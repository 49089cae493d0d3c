"""recruiting.forms.uploads: the upload checks every document form shares, on real files."""

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile

from recruiting.forms.uploads import DocumentField, UploadedDocument, check_document
from tests.mojito.test_documents import png, reportlab_pdf, scanned_pdf, word_docx


class ResumeForm(forms.Form):
    resume = DocumentField(max_bytes_setting="RESUME_MAX_BYTES")


def submit(name: str, data: bytes, content_type: str = "application/octet-stream") -> ResumeForm:
    form = ResumeForm(data={}, files={"resume": SimpleUploadedFile(name, data, content_type=content_type)})
    form.is_valid()
    return form


def error_of(form) -> str:
    return " ".join(form.errors["resume"])


def test_it_accepts_a_pdf_a_docx_and_text_with_their_text():
    pdf = submit("cv.pdf", reportlab_pdf("Python developer, 8 years"))
    assert pdf.is_valid(), pdf.errors
    document = pdf.cleaned_data["resume"]
    assert isinstance(document, UploadedDocument)
    assert (document.kind, document.filename, document.content_type) == ("pdf", "cv.pdf", "application/pdf")
    assert "Python developer" in document.text and document.data.startswith(b"%PDF")

    word = submit("cv.docx", word_docx("Nurse, 4 years on intensive care"))
    assert word.is_valid() and word.cleaned_data["resume"].kind == "docx"
    text = submit("cv.txt", "Teacher, 12 years of experience".encode())
    assert text.is_valid() and text.cleaned_data["resume"].text == "Teacher, 12 years of experience"


def test_it_checks_the_type_by_content_not_by_name():
    renamed = submit("photo.png", reportlab_pdf("Accountant, 3 years"), content_type="image/png")
    assert renamed.is_valid(), renamed.errors
    assert renamed.cleaned_data["resume"].filename == "photo.pdf"  # sent under the name of what it is

    no_extension = submit("resume", "Plain text résumé".encode())
    assert no_extension.is_valid() and no_extension.cleaned_data["resume"].filename == "resume.txt"

    fake = submit("cv.pdf", png(), content_type="application/pdf")
    assert not fake.is_valid()
    assert "named like a PDF but is a .png file" in error_of(fake)
    assert fake.errors.as_data()["resume"][0].code == "type_mismatch"


@pytest.mark.parametrize(("name", "data", "code", "words"), [
    ("picture.png", png(), "unsupported_type", "is a .png file. Upload a PDF, a Word (.docx) document"),
    ("scan.pdf", scanned_pdf(), "no_text", "no readable text: it looks like a scanned image"),
    ("locked.pdf", reportlab_pdf("secret", encrypt="pw"), "encrypted", "password-protected"),
    ("blank.txt", b"   \n\t ", "no_text", "no text in it"),
    ("broken.pdf", b"%PDF-1.4\nnot really a pdf", "damaged", "damaged and cannot be read"),
])
def test_each_refusal_has_its_own_message(name, data, code, words):
    form = submit(name, data)
    assert not form.is_valid()
    assert words in error_of(form)
    assert form.errors.as_data()["resume"][0].code == code


def test_an_empty_file_is_refused_by_name():
    form = submit("cv.pdf", b"")
    assert not form.is_valid() and "empty" in error_of(form)


def test_the_size_limit_comes_from_the_setting(settings):
    settings.RESUME_MAX_BYTES = 2000
    form = submit("cv.txt", b"x" * 2001)
    assert not form.is_valid()
    assert "the limit is 2 KB" in error_of(form)
    assert form.errors.as_data()["resume"][0].code == "too_large"
    assert submit("cv.txt", b"x" * 2000).is_valid()


def test_an_oversized_upload_is_not_read_whole(settings):
    settings.RESUME_MAX_BYTES = 1000

    class Counting(SimpleUploadedFile):
        asked = []

        def read(self, size=-1):
            self.asked.append(size)
            return super().read(size)

    upload = Counting("big.txt", b"y" * 5000)
    upload.size = None  # a stream whose size the server did not declare
    with pytest.raises(forms.ValidationError) as caught:
        check_document(upload, max_bytes=1000)
    assert caught.value.code == "too_large"
    assert Counting.asked == [1001]


def test_the_widget_says_what_it_accepts():
    html = str(ResumeForm()["resume"])
    assert 'accept=".pdf,.docx,.txt' in html
    assert "up to 10.0 MB" in ResumeForm().fields["resume"].help_text
