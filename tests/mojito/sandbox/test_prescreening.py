"""Pre-screening: deterministic decisions, rules, early exit, create-for-candidate, binary résumés."""

from __future__ import annotations

import io
import json

import pytest
from reportlab.pdfgen import canvas

from mojito.documents import extract_text
from mojito.sandbox import Sandbox, credits
from tests.mojito.sandbox.test_contract import (
    STRONG_RESUME,
    TOKEN,
    api,
    create_position,
)

WEAK_RESUME = "I enjoy gardening and painting watercolours on weekends."
MIDDLE_RESUME = "Python developer with 3 years of Django and PostgreSQL."


@pytest.fixture
def client(sb):
    return api(sb)


def screen(client, position_id, resume, email="jane@example.com", **extra):
    response = client.post("/job-interview-pre-screening-api-resume-text", json={
        "position_id": position_id, "candidate_name": "Jane Doe", "candidate_email": email,
        "candidate_resume": resume, **extra})
    assert response.status_code == 200, response.text
    return response.json()


def test_same_resume_and_position_give_the_same_decision_every_run(client):
    position_id = create_position(client)
    outcomes = [screen(client, position_id, STRONG_RESUME, email=f"run{i}@example.com") for i in range(3)]
    assert {(o["decision_status"], o["pre_screening_score"], o["resume_ai_analysis"]) for o in outcomes} == {
        (outcomes[0]["decision_status"], outcomes[0]["pre_screening_score"], outcomes[0]["resume_ai_analysis"])}
    other = api(Sandbox(tokens=[TOKEN]))
    again = screen(other, create_position(other), STRONG_RESUME)
    assert again["pre_screening_score"] == outcomes[0]["pre_screening_score"]


def test_strong_resume_accepts_weak_rejects_middle_needs_review(client):
    position_id = create_position(client)
    strong = screen(client, position_id, STRONG_RESUME, email="strong@example.com")
    weak = screen(client, position_id, WEAK_RESUME, email="weak@example.com")
    middle = screen(client, position_id, MIDDLE_RESUME, email="middle@example.com")
    assert strong["decision_status"] == strong["recommendation"] == "ai_accept"
    assert weak["decision_status"] == "ai_reject"
    assert middle["decision_status"] == "recruiter_action"
    assert strong["pre_screening_score"] > middle["pre_screening_score"] > weak["pre_screening_score"]
    assert 0 <= weak["pre_screening_score"] <= strong["pre_screening_score"] <= 10
    assert strong["resume_ai_technical_experience"] == 8 and strong["resume_ai_education"] == "masters"
    assert "django" in strong["resume_ai_analysis"].lower()
    assert weak["processing_reason"]


def test_technical_experience_rule(client):
    position_id = create_position(client, assessment_rules=[
        {"id": "resume_match", "resume_score_reject": 1, "resume_score_accept": 5},
        {"id": "resume_technical_experience", "technical_experience_years": 10, "action": "reject"}])
    outcome = screen(client, position_id, STRONG_RESUME)
    assert outcome["decision_status"] == "ai_reject"
    assert "10 required" in outcome["processing_reason"]


def test_form_rules_on_a_resume_with_form_position(client):
    position_id = create_position(client, type="resume_with_form", assessment_rules=[
        {"id": "resume_match", "resume_score_reject": 0, "resume_score_accept": 1},
        {"id": "form_residency", "type": "screening", "country": ["US"], "country_eu": True, "action": "reject"},
        {"id": "form_languages", "type": "screening", "languages": [{"code": "en", "level": "advanced"}]},
        {"id": "form_education", "type": "screening", "education": "bachelors", "action": "reject"}],
        form_fields=[{"id": "form_residency", "mandatory": True}, {"id": "form_languages", "mandatory": True},
                     {"id": "form_education", "mandatory": True}])
    good_form = {"education": "masters", "languages": [{"code": "en", "level": "fluent"}]}
    assert screen(client, position_id, STRONG_RESUME, email="a@example.com", candidate_country_code="DE",
                  form=good_form)["decision_status"] == "ai_accept"
    assert screen(client, position_id, STRONG_RESUME, email="b@example.com", candidate_country_code="BR",
                  form=good_form)["decision_status"] == "ai_reject"
    review = screen(client, position_id, STRONG_RESUME, email="c@example.com", candidate_country_code="US",
                    form={"education": "masters", "languages": [{"code": "en", "level": "beginner"}]})
    assert review["decision_status"] == "recruiter_action"
    low = screen(client, position_id, STRONG_RESUME, email="d@example.com", candidate_country_code="US",
                 form={"education": "high school", "languages": [{"code": "en", "level": "fluent"}]})
    assert low["decision_status"] == "ai_reject"


def test_screening_twice_gives_the_early_exit_and_charges_once(sb, client):
    position_id = create_position(client)
    first = screen(client, position_id, STRONG_RESUME)
    second = screen(client, position_id, WEAK_RESUME, email="JANE@example.com ")
    assert set(second) == {"decision_status", "message"}
    assert second["decision_status"] == first["decision_status"]
    ledger = [row for row in sb.state.credit_ledger if row["event"] == "pre_screening"]
    assert len(ledger) == 1 and ledger[0]["credit_amount"] == 0.25
    status = client.get("/merchant-status").json()
    assert status["credits_interview_monthly"] == pytest.approx(sb.config.credits_interview_monthly - 0.25)


def test_unknown_position_is_404(client):
    response = client.post("/job-interview-pre-screening-api-resume-text", json={
        "position_id": "00000000-0000-4000-8000-00000000ffff", "candidate_name": "J",
        "candidate_email": "j@example.com", "candidate_resume": "text"})
    assert response.status_code == 404 and response.json()["name"] == "position_id"


def test_pre_screening_create_update_and_validation(client):
    position_id = create_position(client)
    updated = client.post("/pre-screening-create", json={"update_position_def_set_id": position_id, "status": "active"})
    assert updated.json()["updated"] is True and updated.json()["position_def_set_id"] == position_id
    missing = client.post("/pre-screening-create", json={"update_position_def_set_id": "00000000-0000-4000-8000-00000000ffff"})
    assert missing.status_code == 404
    bad_rule = client.post("/pre-screening-create", json={
        "position_name": "X", "position_location": "Y", "position_country_code": "US", "mojito_language_code": "en",
        "assessment_rules": [{"id": "resume_match", "resume_score_accept": 11}]})
    assert bad_rule.status_code == 422 and bad_rule.json()["name"] == "assessment_rules[0].resume_score_accept"
    no_form = client.post("/pre-screening-create", json={
        "position_name": "X", "position_location": "Y", "position_country_code": "US", "mojito_language_code": "en",
        "type": "form"})
    assert no_form.status_code == 422 and no_form.json()["name"] == "form_fields"
    unknown_id = client.post("/pre-screening-create", json={  # a plain string in the spec (issue 12)
        "position_name": "X", "position_location": "Y", "position_country_code": "US", "mojito_language_code": "en",
        "assessment_rules": [{"id": "form_shoe_size"}]})
    assert unknown_id.status_code == 200, unknown_id.text


# --- create-for-candidate -----------------------------------------------------------------------

def for_candidate(client, resume, email="cand@example.com", **extra):
    body = {"candidate_name": "Cand Idate", "candidate_email": email, "candidate_country_code": "HR",
            "candidate_resume": resume, "position_name": "Python developer", "position_location": "Zagreb",
            "position_country_code": "HR", "mojito_language_code": "en",
            "position_description": "Python developer building Django REST APIs with PostgreSQL, Celery and Docker",
            **extra}
    response = client.post("/job-interview-create-for-candidate-with-token", json=body)
    assert response.status_code == 200, response.text
    return response.json()


def test_create_for_candidate_screens_enrols_and_links(sb, client):
    accepted = for_candidate(client, STRONG_RESUME, position_external_id="JOB-1", is_embedded=True)
    assert accepted["status"] == "ai_accept"
    assert accepted["interview_url"].startswith(
        f"{sb.base_url}/interview/take/{accepted['profile_interview_id']}/?interview_token=")
    assert accepted["embed_id"] and accepted["embed_signing_key"]
    enrolment = sb.state.enrolments[accepted["profile_interview_id"]]
    assert enrolment["interview_id"] == accepted["interview_def_set_id"]
    assert enrolment["position_id"] == accepted["position_def_set_id"]
    interview = api(sb).get("/job-interview-get", params={"position_id": accepted["interview_def_set_id"]}).json()
    assert interview["questions"]

    rejected = for_candidate(client, WEAK_RESUME, email="weak@example.com", position_external_id="JOB-1")
    assert rejected["status"] == "ai_reject" and rejected["reason"]
    assert rejected["position_def_set_id"] == accepted["position_def_set_id"]

    again = for_candidate(client, STRONG_RESUME, position_def_set_id=accepted["position_def_set_id"])
    assert again["status"] == "already-applied" and "already applied" in again["reason"]
    assert again["profile_interview_id"] == accepted["profile_interview_id"]
    assert len([r for r in sb.state.credit_ledger if r["event"] == "pre_screening"]) == 2


def test_create_for_candidate_unknown_position_is_404(client):
    response = client.post("/job-interview-create-for-candidate-with-token", json={
        "candidate_name": "C", "candidate_email": "c@example.com", "candidate_country_code": "HR",
        "candidate_resume": "r", "position_def_set_id": "00000000-0000-4000-8000-00000000ffff"})
    assert response.status_code == 404 and response.json()["name"] == "position_def_set_id"


# --- binary résumés -----------------------------------------------------------------------------

def binary(client, position_id, content: bytes, filename="cv.txt", content_type="text/plain", **fields):
    return client.post("/job-interview-pre-screening-api-resume-binary",
                       data={"position_id": position_id, "candidate_name": "Bin Ary",
                             "candidate_email": fields.pop("email", "bin@example.com"), **fields},
                       files={"file": (filename, content, content_type)})


def make_pdf(text: str, compress: bool) -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pageCompression=int(compress))
    pdf.drawString(72, 720, text)
    pdf.save()
    return buffer.getvalue()


def test_binary_resume_text_and_pdf_match_the_text_endpoint(sb, client):
    position_id = create_position(client)
    expected = screen(client, position_id, STRONG_RESUME, email="text@example.com")
    for i, (content, name, kind) in enumerate([
        (STRONG_RESUME.encode("utf-8"), "cv.txt", "text/plain"),
        (make_pdf(STRONG_RESUME, compress=False), "cv.pdf", "application/pdf"),
        (make_pdf(STRONG_RESUME, compress=True), "cv.pdf", "application/pdf"),
    ]):
        response = binary(client, position_id, content, name, kind, email=f"bin{i}@example.com",
                          form=json.dumps({"education": "masters"}))
        assert response.status_code == 200, response.text
        assert response.json()["pre_screening_score"] == expected["pre_screening_score"]
        assert response.json()["decision_status"] == expected["decision_status"]


def test_binary_resume_validation(client):
    position_id = create_position(client)
    no_file = client.post("/job-interview-pre-screening-api-resume-binary",
                          data={"position_id": position_id, "candidate_name": "B", "candidate_email": "b@example.com"},
                          files={"other": ("x.txt", b"x", "text/plain")})
    assert no_file.status_code == 422 and no_file.json()["name"] == "file"
    bad_form = binary(client, position_id, b"resume", form="{not json")
    assert bad_form.status_code == 422 and bad_form.json()["name"] == "form"
    as_json = client.post("/job-interview-pre-screening-api-resume-binary", json={"position_id": position_id})
    assert as_json.status_code == 422


def test_extract_text_is_lenient():
    assert extract_text(b"caf\xe9 latte").text == "café latte"
    assert "Hello (world)" in extract_text(make_pdf("Hello (world)", compress=True)).text
    assert extract_text("žlica".encode("utf-16")).text == "žlica"


def test_pre_screening_cost_is_a_quarter_credit(sb, client):
    before = client.get("/merchant-status").json()
    screen(client, create_position(client), STRONG_RESUME, email="quarter@example.com")
    after = client.get("/merchant-status").json()
    spent = (before["credits_interview_monthly"] + before["credits_interview_extra"]) - (
        after["credits_interview_monthly"] + after["credits_interview_extra"])
    assert spent == pytest.approx(0.25)
    assert credits.used(sb.state) == pytest.approx(0.25)


def test_pdf_text_handles_kerned_text_and_separate_lines():
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    text = pdf.beginText(72, 720)
    text.setCharSpace(0.5)
    text.textLine("Python")
    text.textLine("Django 8 years")
    pdf.drawText(text)
    pdf.save()
    assert extract_text(buffer.getvalue()).text == "Python\nDjango 8 years"


@pytest.mark.parametrize("compression", [0, 1])
def test_reportlab_pdf_resumes_are_read(compression):
    import io

    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pageCompression=compression)
    pdf.drawString(72, 720, "Senior Python developer, 8 years (Django)")
    pdf.drawString(72, 700, "MSc Computer Science")
    pdf.save()
    assert extract_text(buffer.getvalue(), filename="cv.pdf").text == \
        "Senior Python developer, 8 years (Django)\nMSc Computer Science"


@pytest.mark.parametrize("content, filename, says", [
    (b"plain words, renamed", "cv.pdf", "is named like a PDF but is a plain text file"),
    ("docx-empty", "cv.docx", "has no text in it"),
    ("scanned", "scan.pdf", "has no readable text: it looks like a scanned image"),
    ("locked", "locked.pdf", "is password-protected"),
])
def test_binary_resume_refuses_files_the_parsers_cannot_read_on_the_file_field(client, content, filename, says):
    from tests.mojito.test_documents import reportlab_pdf, scanned_pdf, word_docx

    content = {"docx-empty": word_docx, "scanned": scanned_pdf,
               "locked": lambda: reportlab_pdf("x", encrypt="pw")}.get(content, lambda: content)()
    response = binary(client, create_position(client), content, filename, "application/octet-stream")
    assert response.status_code == 422
    assert response.json()["name"] == "file" and says in response.json()["error"]


def test_binary_resume_reads_a_docx(client):
    from tests.mojito.test_documents import word_docx

    position_id = create_position(client)
    expected = screen(client, position_id, STRONG_RESUME, email="text@example.com")
    response = binary(client, position_id, word_docx(STRONG_RESUME), "cv.docx",
                      "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    assert response.status_code == 200, response.text
    assert response.json()["pre_screening_score"] == expected["pre_screening_score"]
