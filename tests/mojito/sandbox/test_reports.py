"""job-interview-pdf in the sandbox: real PDFs, section toggles, templates, expiry, translation."""

from __future__ import annotations

import io
from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit

import pytest
from pypdf import PdfReader

from mojito.sandbox import Sandbox, reports

from .test_lifecycle_support import api, create_interview, in_process_client, register


@pytest.fixture
def done():
    sb = Sandbox(tokens=["sandbox-token"])
    client = in_process_client(sb)
    interview_id = create_interview(sb, client)
    pid = register(client, interview_id, name="Zoë Ærøskøbing", email="zoe@example.com")["profile_interview_id"]
    result_id = sb.complete(pid, answers=["In 2022 I built a pipeline in Airflow and measured 99.9% uptime over 6 months.",
                                          "Airflow", "I disagreed with the product owner; we agreed after a data review."])
    yield sb, client, result_id
    client.close()
    sb.close()


def pdf(sb, client, result_id, features=None, template=None):
    body = {"interview_result_id": result_id, "export_type": "pdf", "store_file": True}
    if features is not None:
        body["export_features_result"] = features
    if template:
        body["template"] = template
    response = api(client, "job-interview-pdf", body)
    assert response.status_code == 200, response.text
    answer = response.json()
    assert set(answer) == {"pdf_export_url", "pdf_export_valid_until"}
    fetched = client.get(urlsplit(answer["pdf_export_url"]).path)
    return answer, fetched


def text_of(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_pdf_is_a_real_pdf_with_name_and_score(done):
    sb, client, result_id = done
    answer, fetched = pdf(sb, client, result_id)
    assert fetched.status_code == 200 and fetched.headers["content-type"] == "application/pdf"
    assert answer["pdf_export_url"].startswith(sb.base_url + "/reports/")
    text = text_of(fetched.content)
    result = sb.state.results[result_id]
    assert "Zoë Ærøskøbing" in text
    assert f"{result['score']} / 10" in text
    for heading in ("Candidate", "AI recruiter assessment", "Analytics", "Transcript", "Files"):
        assert heading in text
    assert "Scoring rubric" not in text  # off by default
    assert "zoe@example.com" in text
    valid_until = datetime.fromisoformat(answer["pdf_export_valid_until"].replace("Z", "+00:00"))
    assert timedelta(hours=23) < valid_until - datetime.now(timezone.utc) <= timedelta(hours=24)


def test_toggles_remove_sections(done):
    sb, client, result_id = done
    features = {"contact_details": False, "ai_recruiter_assessment": False, "ai_scoring_rubric": True,
                "analytics": False, "transcript": False, "files": False}
    _, fetched = pdf(sb, client, result_id, features)
    text = text_of(fetched.content)
    assert "Zoë Ærøskøbing" in text
    for gone in ("zoe@example.com", "AI recruiter assessment", "Why hire", "Scoring rubric", "Analytics",
                 "Transcript", "Files", "Airflow and measured"):
        assert gone not in text
    _, fetched = pdf(sb, client, result_id, {"ai_scoring_rubric": True})
    assert "Scoring rubric" in text_of(fetched.content)


@pytest.mark.parametrize("template,title", [("classic", "Interview report"),
                                            ("modern", "Candidate interview report (modern)"),
                                            ("one_pager", "Interview one-pager")])
def test_templates_change_the_layout(done, template, title):
    sb, client, result_id = done
    _, fetched = pdf(sb, client, result_id, template=template)
    text = text_of(fetched.content)
    assert text.splitlines()[0].startswith(title)
    assert len(PdfReader(io.BytesIO(fetched.content)).pages) >= 1


def test_expired_report_is_gone(done):
    sb, client, result_id = done
    answer, fetched = pdf(sb, client, result_id)
    assert fetched.status_code == 200
    report_id = urlsplit(answer["pdf_export_url"]).path.rsplit("/", 1)[1][:-4]
    sb.state.reports[report_id]["valid_until"] = (datetime.now(timezone.utc) - timedelta(seconds=1)).isoformat()
    assert client.get(urlsplit(answer["pdf_export_url"]).path).status_code == 410
    assert client.get("/reports/00000000-0000-4000-8000-000000000000.pdf").status_code == 404


def test_translated_report_charges_credits(done):
    sb, client, result_id = done
    before = len(sb.state.credit_ledger)
    pdf(sb, client, result_id, {"mojito_language_code": "en"})
    assert len(sb.state.credit_ledger) == before  # same language: free
    answer, fetched = pdf(sb, client, result_id, {"mojito_language_code": "de"})
    rows = [r for r in sb.state.credit_ledger[before:] if r.get("event") == "candidate_report_translation"]
    assert len(rows) == 1 and rows[0]["credit_amount"] == pytest.approx(0.1)
    report_id = urlsplit(answer["pdf_export_url"]).path.rsplit("/", 1)[1][:-4]
    assert sb.state.reports[report_id]["translated"] is True
    assert "translated: de" in text_of(fetched.content)


def test_html_and_json_exports(done):
    sb, client, result_id = done
    html = api(client, "job-interview-pdf", {"interview_result_id": result_id, "export_type": "html"}).json()
    assert set(html) == {"html_export"}
    assert html["html_export"].startswith("<!DOCTYPE html>") and "Zoë Ærøskøbing" in html["html_export"]
    single = api(client, "job-interview-pdf", {"interview_result_id": result_id, "export_type": "json",
                                               "export_features_result": {"transcript": False}}).json()
    assert set(single) == {"json_export"}
    assert "table" not in single["json_export"]
    (item,) = single["json_export"]["results"]
    assert item["files"] == [] and item["data"]["score"] == sb.state.results[result_id]["score"]
    assert "transcript" not in item["data"]
    pid = register(client, sb.state.results[result_id]["interview_id"], name="Other", email="o@example.com")["profile_interview_id"]
    other = sb.complete(pid)
    multi = api(client, "job-interview-pdf", {"interview_result_ids": [result_id, other], "export_type": "json"}).json()
    assert "<table>" in multi["json_export"]["table"] and len(multi["json_export"]["results"]) == 2
    assert "transcript" in multi["json_export"]["results"][0]["data"]


def test_combined_pdf_for_several_results(done):
    sb, client, result_id = done
    pid = register(client, sb.state.results[result_id]["interview_id"], name="Second Person", email="s@example.com")["profile_interview_id"]
    other = sb.complete(pid)
    response = api(client, "job-interview-pdf", {"interview_result_ids": [result_id, other], "export_type": "pdf"})
    fetched = client.get(urlsplit(response.json()["pdf_export_url"]).path)
    text = text_of(fetched.content)
    assert "Zoë Ærøskøbing" in text and "Second Person" in text


def test_render_directly_marks_translation_and_charges_when_asked(done):
    sb, client, result_id = done
    before = len(sb.state.credit_ledger)
    answer = reports.render(sb, [sb.state.results[result_id]], "pdf", {"mojito_language_code": "fr"}, None,
                            charge_translation=True)
    assert answer["pdf_export_url"].endswith(".pdf")
    assert len(sb.state.credit_ledger) == before + 1
