"""Every MojitoClient method against the in-process sandbox (the client tests' second run)."""

from __future__ import annotations

import pytest

from mojito.client import InviteUserRow, MojitoClient, Page, RegisterUserRow
from mojito.errors import AuthenticationFailed, InvalidRequest, NotFound
from mojito.sandbox.seed import TEMPLATE_IDS
from tests.mojito.sandbox.test_contract import STRONG_RESUME, submitted_result


@pytest.fixture
def client(sb):
    c = sb.client()
    yield c
    c.close()


def new_interview(client, **extra) -> str:
    body = client.create_interview_from_questions(
        name="Support agent", location="Remote", interview_template_id=TEMPLATE_IDS["interactive_heygen"],
        mojito_language_code="en", description="Customer support in English", status="active", type="interview",
        visibility="merchant_invite", questions=[{"question": "How do you calm an angry customer?"}], **extra)
    return body["interview_def_set_id"]


def test_sandbox_client_is_a_mojito_client(sb, client):
    assert isinstance(client, MojitoClient)


def test_create_interview_and_get_definition(client):
    body = client.create_interview(name="Data analyst", location="Remote", mojito_language_code="en",
                                   interview_template_id=TEMPLATE_IDS["interactive_elevenlabs"], status="draft",
                                   type="interview", visibility="merchant_invite", interview_length=4,
                                   description="SQL, dashboards and statistics")
    assert body["questions_generated"] == 4 and body["max_duration"] == 1200
    definition = client.get_interview_definition(body["interview_def_set_id"])
    assert definition["is_voice_only"] is True and len(definition["questions"]) == 4
    with pytest.raises(NotFound):
        client.get_interview_definition("00000000-0000-4000-8000-00000000ffff")


def test_create_interview_from_questions_and_set_state(sb, client):
    interview_id = new_interview(client, is_embedded=True)
    embed = client.set_interview_state(interview_id, is_embedded=True)
    assert embed["embed_id"] in sb.state.embeds
    assert client.set_interview_state(interview_id, status="archived") == {"success": True}
    assert client.get_interview_definition(interview_id)["status"] == "archived"
    with pytest.raises(InvalidRequest) as excinfo:
        client.set_interview_state(interview_id, status="bogus")
    assert excinfo.value.field == "status"


def test_create_interview_for_candidate(client):
    body = client.create_interview_for_candidate(
        candidate_name="Cand", candidate_email="cand@example.com", candidate_country_code="US",
        candidate_resume="Support agent with 6 years of customer support in English",
        position_name="Support agent", position_location="Remote", position_country_code="US",
        mojito_language_code="en", position_description="Customer support agent, English, ticketing")
    assert body["status"] in ("ai_accept", "recruiter_action", "ai_reject")
    assert body["interview_url"].startswith("http://sandbox.test:8765/interview/take/")


def test_generate_interview_url(client, sb):
    interview_id = new_interview(client)
    row = client.register_users_for_interview(interview_id, [{"email": "ada@example.com", "name": "Ada"}])[0]
    profile_id = sb.state.enrolments[row.profile_interview_id]["profile_id"]  # not in the register-users row
    url = client.generate_interview_url("interview-for-profile", interview_profile_id=profile_id,
                                        interview_id=interview_id, hide_menu=False)
    assert isinstance(url, str) and f"/interview/take/{row.profile_interview_id}/" in url
    assert "view_hm" not in url
    with pytest.raises(InvalidRequest) as excinfo:
        client.generate_interview_url("interview-for-profile", interview_id=interview_id)
    assert excinfo.value.field == "interview_profile_id"


def test_register_users_rows(client):
    interview_id = new_interview(client)
    rows = client.register_users_for_interview(
        interview_id, [{"email": "a@example.com", "name": "A", "external_id": "X1"}, {"email": "broken"}],
        hide_menu=True)
    assert all(isinstance(r, RegisterUserRow) for r in rows)
    assert rows[0].ok and rows[0].error is None and "view_hm=true" in rows[0].interview_url
    assert rows[0].external_id == "X1" and rows[0].profile_interview_id
    assert not rows[1].ok and "broken" in rows[1].error


def test_invite_users_rows(client):
    interview_id = new_interview(client)
    rows = client.invite_users([{"email": "c@example.com", "type": "candidate", "interview_id": interview_id},
                                {"email": "d@example.com", "type": "candidate"}])
    assert all(isinstance(r, InviteUserRow) for r in rows)
    assert rows[0].ok and rows[0].result == "Invited" and rows[0].profile_interview_id
    assert not rows[1].ok and "interview_id" in rows[1].error
    again = client.invite_users([{"email": "c@example.com", "type": "candidate", "interview_id": interview_id}],
                                force_invite=True)
    assert again[0].result == "Invited"


def test_results_details_report_and_another_attempt(sb, client):
    interview_id = new_interview(client)
    row = client.register_users_for_interview(interview_id, [{"email": "ada@example.com", "name": "Ada"}])[0]
    result = submitted_result(sb, row.profile_interview_id)
    details = client.get_interview_result_details(result["id"], get_signed_recordings=True)
    assert details["score"] == 4.2 and details["transcript"]
    report = client.generate_interview_report(export_type="json", interview_result_id=result["id"])
    assert report["json_export"]["results"]
    page = client.list_interview_results(interview_id=interview_id)
    assert isinstance(page, Page) and page.total == 1 and page.data[0]["interview_result_id"] == result["id"]
    assert client.request_another_interview_attempt(result["id"]) == {}
    with pytest.raises(InvalidRequest):
        client.request_another_interview_attempt(result["id"])


def test_pre_screening_text_and_binary(client):
    position = client.upsert_pre_screening(
        position_name="Python developer", position_location="Remote", position_country_code="US",
        mojito_language_code="en", position_description="Python Django PostgreSQL REST APIs Celery Docker")
    assert position["created"] is True
    updated = client.upsert_pre_screening(update_position_def_set_id=position["position_def_set_id"],
                                          status="active")
    assert updated["updated"] is True
    text = client.pre_screen_resume_text(position_id=position["position_def_set_id"], candidate_name="Jane",
                                         candidate_email="jane@example.com", candidate_resume=STRONG_RESUME)
    assert text["decision_status"] == "ai_accept" and text["pre_screening_score"] >= 7
    binary = client.pre_screen_resume_binary(position_id=position["position_def_set_id"], candidate_name="Joe",
                                             candidate_email="joe@example.com", file=STRONG_RESUME.encode(),
                                             filename="cv.txt", content_type="text/plain",
                                             form={"education": "masters"})
    assert binary["pre_screening_score"] == text["pre_screening_score"]
    early = client.pre_screen_resume_text(position_id=position["position_def_set_id"], candidate_name="Jane",
                                          candidate_email="jane@example.com", candidate_resume=STRONG_RESUME)
    assert set(early) == {"decision_status", "message"}


def test_upload_knowledge_base_document(sb, client):
    body = client.upload_knowledge_base_document(knowledge_base_store_id="store-1", file=b"Refund policy: 30 days",
                                                 filename="policy.txt")
    assert sb.state.knowledge_docs[body["knowledge_base_id"]]["text"] == "Refund policy: 30 days"


def test_lists_status_and_iter_all(client):
    avatars = client.list_avatars(type="offline_heygen")
    assert [r["id"] for r in avatars.data] == [TEMPLATE_IDS["offline_heygen"]]
    ids = {new_interview(client) for _ in range(5)}
    assert client.list_interviews(limit=2).has_more is True
    assert {row["id"] for row in client.iter_all(client.list_interviews, page_size=2)} == ids
    interview_id = next(iter(ids))
    client.register_users_for_interview(interview_id, [{"email": "x@example.com", "name": "X"}])
    candidates = client.list_candidates()
    assert candidates.total == 1 and candidates.data[0]["email"] == "x@example.com"
    status = client.get_merchant_status()
    assert status["candidates"] == 1 and status["credits_interview_monthly"] == 100.0


def test_unknown_token_raises_authentication_failed(sb):
    bad = sb.client(token="wrong")
    with pytest.raises(AuthenticationFailed):
        bad.list_avatars()
    bad.close()


def test_upload_knowledge_base_document_reads_docx_and_keeps_unreadable_files_with_the_reason(sb, client):
    from tests.mojito.test_documents import scanned_pdf, word_docx

    body = client.upload_knowledge_base_document(knowledge_base_store_id="store-1",
                                                 file=word_docx("Refund policy", "30 days"), filename="policy.docx")
    assert sb.state.knowledge_docs[body["knowledge_base_id"]]["text"] == "Refund policy\n30 days"
    body = client.upload_knowledge_base_document(knowledge_base_store_id="store-1", file=scanned_pdf(),
                                                 filename="scan.pdf")
    doc = sb.state.knowledge_docs[body["knowledge_base_id"]]
    assert doc["text"] == "" and "no readable text" in doc["processing_error"]
