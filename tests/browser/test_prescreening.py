"""A recruiter creates a pre-screening position and screens a résumé PDF in Chromium."""

import io

import pytest
from reportlab.pdfgen import canvas

from recruiting.models import Position, PreScreening

def page_errors(page) -> list[str]:
    """Console errors of the page (the browser's own favicon probe aside: base.html declares none)."""
    return [f"{m.text} {m.location.get('url')}" for m in page.console_messages
            if m.type == "error" and not m.location.get("url", "").endswith("/favicon.ico")]


pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RESUME_LINES = (
    "Lin Park - Senior Python engineer",
    "9 years of experience building payments backends with Python, Django, PostgreSQL and Celery.",
    "Masters in computer science, Technical University of Berlin.",
)


def resume_pdf(path) -> str:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    for i, line in enumerate(RESUME_LINES):
        pdf.drawString(60, 760 - 18 * i, line)
    pdf.save()
    path.write_bytes(buffer.getvalue())
    return str(path)


def test_recruiter_prescreens_a_resume_file(recruiter_page, live_sandbox, tmp_path):
    page = recruiter_page
    page.goto(f"{page.live_url}/prescreening/")
    assert "No positions yet" in page.locator("main").inner_text()
    page.get_by_role("link", name="New position").first.click()

    page.get_by_label("Position name").fill("Payments engineer")
    page.get_by_label("Location").fill("Berlin")
    page.get_by_label("Country", exact=True).fill("DE")
    page.get_by_label("Description", exact=True).fill("Python, Django, PostgreSQL, Celery, payments backends.")
    page.get_by_label("Accept from score").fill("6")
    page.get_by_label("Reject below score").fill("2")
    page.get_by_label("Minimum years of experience").fill("3")
    page.get_by_role("button", name="Create position").click()

    page.wait_for_url("**/prescreening/screen/?position=*")
    assert "Position “Payments engineer” created in JobMojito." in page.locator(".messages").inner_text()
    position = Position.objects.get()
    assert page.get_by_label("Position").input_value() == str(position.pk)
    page.get_by_label("Candidate name").fill("Lin Park")
    page.get_by_label("Candidate email").fill("lin.park@example.com")
    page.get_by_label("…or upload it").set_input_files(resume_pdf(tmp_path / "lin-park.pdf"))
    page.get_by_role("button", name="Screen résumé").click()

    page.wait_for_url("**/prescreening/*/")
    screening = PreScreening.objects.get()
    remote = live_sandbox.state.prescreenings[screening.mojito_id]
    verdict = page.locator(".verdict").inner_text()
    assert screening.get_recommendation_display() in verdict
    assert f"{remote['pre_screening_score']:.1f}" in verdict
    facts = page.locator(".facts").inner_text()
    assert "lin-park.pdf" in facts and "9 years" in facts
    assert "Analysis" in page.locator("main").inner_text()
    assert screening.file_name == "lin-park.pdf" and screening.source == "file"

    page.get_by_role("link", name="Pre-screening").first.click()
    row = page.locator("#screening-rows tbody tr").first
    assert "Lin Park" in row.inner_text() and screening.get_recommendation_display() in row.inner_text()
    assert not page_errors(page)


def test_a_fake_pdf_is_refused_with_a_clear_message(recruiter_page, live_sandbox, tmp_path):
    from recruiting.services.prescreening import position_upsert

    position_upsert(name="Cook", location="Lyon", country_code="FR", mojito_language_code="fr", status="active")
    fake = tmp_path / "cv.pdf"
    fake.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    page = recruiter_page
    page.goto(f"{page.live_url}/prescreening/screen/")
    page.get_by_label("Position").select_option(label="Cook")
    page.get_by_label("Candidate name").fill("Sam Roy")
    page.get_by_label("Candidate email").fill("sam@example.com")
    page.get_by_label("…or upload it").set_input_files(str(fake))
    page.get_by_role("button", name="Screen résumé").click()
    error = page.locator("#id_resume_file_error, .errorlist").first.inner_text()
    assert "named like a PDF but is" in error
    assert page.get_by_label("Candidate name").input_value() == "Sam Roy"
    assert not live_sandbox.state.prescreenings
