"""Helpers for the candidate-page tests: an interview with its page on, and résumés the
sandbox accepts, rejects or sends to review (its screening is deterministic: keywords of the
position found in the résumé, plus years of experience)."""

from __future__ import annotations

ACCEPTED_RESUME = ("Backend engineer with 10 years of experience building Python and Django systems: "
                   "APIs, PostgreSQL, testing and on-call for a payments platform.")
REVIEW_RESUME = "Backend engineer, Python, 5 years of experience in web shops and support."
REJECTED_RESUME = "I bake bread and cakes in a small bakery in the village and I love flour and ovens."


def make_interview(*, name="Backend engineer", description="Python and Django.", embedded=False, status="active"):
    from mojito.sandbox.seed import TEMPLATE_IDS
    from recruiting.services.interviews import interview_create_from_questions

    return interview_create_from_questions(
        name=name, location="Remote", interview_template_id=TEMPLATE_IDS["interactive_heygen"],
        description=description, questions=["Tell us about a system you built.", "How do you test?"],
        status=status, is_embedded=embedded or None, max_duration=900)


def make_page(interview=None, *, slug="backend-engineer", origins="", **kwargs):
    from recruiting.models import CareerPage

    interview = interview or make_interview(**kwargs)
    return CareerPage.objects.create(interview=interview, slug=slug, enabled=True, allowed_origins=origins,
                                     description_long="You will build our hiring platform.")


def apply_data(page, **overrides):
    from recruiting.forms.careers import issue_form_token

    data = {"name": "Ada Lovelace", "email": "ada@example.com", "country": "GB", "resume_text": ACCEPTED_RESUME,
            "consent": "on", "website": "", "form_token": issue_form_token(page.slug)}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def pdf_with_text(*lines: str) -> bytes:
    import io

    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    for i, line in enumerate(lines):
        pdf.drawString(72, 720 - 20 * i, line)
    pdf.save()
    return buffer.getvalue()


def scanned_pdf() -> bytes:
    """A PDF page that is only a picture: no text layer at all."""
    import io

    from PIL import Image
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    picture = Image.new("RGB", (200, 80), "white")
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.drawImage(ImageReader(picture), 72, 600, width=200, height=80)
    pdf.save()
    return buffer.getvalue()
