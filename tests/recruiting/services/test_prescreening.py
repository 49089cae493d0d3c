"""Positions and résumé pre-screenings against the in-process sandbox."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from mojito.errors import NotFound
from recruiting.models import Position, PreScreening
from recruiting.services import prescreening as svc

pytestmark = pytest.mark.django_db

RESUME = ("Senior Python engineer, 9 years of experience with Django, PostgreSQL, Celery and AWS. "
          "Masters in computer science. Led a team of six; built payment systems.")
RULES = [{"id": "resume_match", "resume_score_reject": 3, "resume_score_accept": 6}]


@pytest.fixture
def position(sandbox):
    return svc.position_upsert(name="Python engineer", location="Berlin", country_code="de",
                               mojito_language_code="en", status="active", assessment_rules=RULES,
                               description="Backend engineer for payments.")


def test_position_create_then_update(position, sandbox):
    remote = sandbox.state.positions[position.mojito_id]
    assert remote["name"] == position.name == "Python engineer"
    assert position.country_code == "DE" and position.status == "active"
    assert position.assessment_rules == RULES and position.interview_pre_screening_id

    updated = svc.position_upsert(position=position, name="Senior Python engineer")
    assert updated.pk == position.pk and Position.objects.count() == 1
    assert updated.name == sandbox.state.positions[position.mojito_id]["name"] == "Senior Python engineer"


def test_text_screening_stores_the_decision(position, sandbox):
    screening = svc.prescreening_run_text(position=position, name="Lin", email="Lin@Example.com", resume_text=RESUME,
                                          country_code="DE")
    remote = sandbox.state.prescreenings[screening.mojito_id]
    assert screening.recommendation == remote["recommendation"]
    assert screening.decision_status == remote["decision_status"]
    assert screening.score == pytest.approx(remote["pre_screening_score"])
    assert screening.candidate.normalised_email == "lin@example.com"
    assert screening.source == PreScreening.Source.TEXT
    assert RESUME not in str(screening.raw)


def test_same_resume_same_decision(position):
    first = svc.prescreening_run_text(position=position, name="A", email="a@example.com", resume_text=RESUME)
    second = svc.prescreening_run_text(position=position, name="B", email="b@example.com", resume_text=RESUME)
    assert (first.recommendation, first.decision_status, first.score) == (
        second.recommendation, second.decision_status, second.score)


def test_screening_twice_is_an_early_exit_not_an_error(position, sandbox):
    first = svc.prescreening_run_text(position=position, name="A", email="a@example.com", resume_text=RESUME)
    again = svc.prescreening_run_text(position=position, name="A", email="a@example.com", resume_text=RESUME)
    assert again.pk != first.pk and again.mojito_id is None
    assert again.decision_status == first.decision_status
    assert "already" in again.processing_reason
    assert len(sandbox.state.prescreenings) == 1


def test_file_screening_txt_matches_text_screening(position, sandbox):
    from_text = svc.prescreening_run_text(position=position, name="T", email="t@example.com", resume_text=RESUME)
    upload = SimpleUploadedFile("cv.txt", RESUME.encode(), content_type="text/plain")
    from_file = svc.prescreening_run_file(position=position, name="F", email="f@example.com", file=upload)
    assert from_file.source == PreScreening.Source.FILE and from_file.file_name == "cv.txt"
    assert from_file.mojito_id in sandbox.state.prescreenings
    assert (from_file.recommendation, from_file.score) == (from_text.recommendation, from_text.score)


def test_file_screening_pdf(position, sandbox):
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.drawString(72, 720, RESUME[:90])
    pdf.drawString(72, 700, RESUME[90:])
    pdf.save()
    screening = svc.prescreening_run_file(position=position, name="P", email="p@example.com",
                                          file=buffer.getvalue(), filename="cv.pdf")
    assert screening.mojito_id in sandbox.state.prescreenings and screening.decision_status


@pytest.mark.parametrize("name, data, code", [("cv.exe", b"MZ", "extension"), ("cv", b"x", "extension"),
                                              ("cv.txt", b"", "empty")])
def test_file_checks_happen_before_sending(position, spy, name, data, code):
    with pytest.raises(ValidationError) as exc:
        svc.prescreening_run_file(position=position, name="X", email="x@example.com", file=data, filename=name)
    assert exc.value.code == code
    assert spy.count("job-interview-pre-screening-api-resume-binary") == 0


def test_file_size_limit(position, spy, settings):
    settings.RESUME_MAX_BYTES = 10
    with pytest.raises(ValidationError) as exc:
        svc.prescreening_run_file(position=position, name="X", email="x@example.com", file=b"x" * 11,
                                  filename="cv.txt")
    assert exc.value.code == "too_large"
    upload = SimpleUploadedFile("cv.txt", b"x" * 11)
    with pytest.raises(ValidationError):
        svc.prescreening_run_file(position=position, name="X", email="x@example.com", file=upload)
    assert spy.count("job-interview-pre-screening-api-resume-binary") == 0


def test_unknown_position_propagates(sandbox, db):
    from tests.recruiting.conftest import make_position

    with pytest.raises(NotFound):
        svc.prescreening_run_text(position=make_position(), name="A", email="a@example.com", resume_text=RESUME)
