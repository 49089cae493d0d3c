import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mojito.vocabulary import CoachStatus, ProcessingStatus, ResultStatus
from recruiting.models import (
    Candidate,
    Interview,
    InterviewResult,
    InterviewTemplate,
    Invitation,
    Position,
    PreScreening,
    ResultRank,
    TranscriptRow,
)
from recruiting.services.upserts import (
    UpsertError,
    candidate_upsert,
    interview_upsert_from_payload,
    invitation_upsert,
    knowledge_document_upsert_from_payload,
    parse_remote_datetime,
    position_upsert_from_payload,
    prescreening_upsert_from_payload,
    result_upsert_from_payload,
    strip_secrets,
    template_upsert_from_payload,
)

from .conftest import make_candidate, make_interview, make_invitation, make_position, uid

pytestmark = pytest.mark.django_db

INTERVIEW_ID = "0b6b2a4e-1111-4c2d-9a51-000000000001"
RESULT_ID = "0b6b2a4e-2222-4c2d-9a51-000000000002"


def interview_get_payload(**over):
    payload = {
        "name": "Backend engineer",
        "created_at": "2026-11-01T10:00:00Z",
        "updated_at": "2026-11-02T10:00:00Z",
        "questions": [
            {"id": "q-1", "question": "Tell me about a hard bug.", "duration": 120},
            {"id": "q-2", "question": "Pick one", "is_multiple_choice": True, "question_alternatives": ["A", "B"]},
        ],
        "is_multistage": False,
        "status": "active",
        "visibility": "merchant_invite",
        "stage": None,
        "type": "interview",
        "interview_location": "Remote",
        "interview_template_id": "tmpl-1",
        "interview_template_type": "interactive_elevenlabs",
        "mojito_language_code": "en",
        "description": "Python and Django.",
        "max_duration": 1800,
        "creation_parameters": {"interview_type": "second-interview", "seniority_level": "senior"},
        "some_future_key": {"x": 1},
    }
    payload.update(over)
    return payload


def webhook_payload(**over):
    payload = {
        "id": RESULT_ID,
        "interview_id": INTERVIEW_ID,
        "question_set_id": INTERVIEW_ID,
        "status": "active",
        "interview_status": "completed",
        "processing_status": "completed",
        "profile_interview_id": "pi-1",
        "profile_id": "prof-1",
        "score": 5.12,
        "ai_analysis_recruiter_score": 4.212,
        "ai_analysis": "Good.",
        "ai_analysis_recruiter": "Strong hire.",
        "recruiter_go_next_round": None,
        "pdf_export_url": None,
        "candidate_email": " Ada@Example.com ",
        "candidate_name": "Ada",
        "candidate_external_id": "ext-1",
        "ai_analysis_recruiter_why_hire": ["Clear", "Fast"],
        "ai_analysis_recruiter_why_not_hire": [],
    }
    payload.update(over)
    return payload


def details_payload(**over):
    payload = {
        "score": 6.0,
        "status": "completed",
        "start": "2026-11-03T10:00:00Z",
        "end": "2026-11-03T10:20:00Z",
        "duration": 12000,
        "ai_analysis": "Solid.",
        "ai_analysis_recruiter": "Hire.",
        "ai_analysis_other": {"hiring_reasons": {"reasons_to_hire": ["Depth"], "reasons_not_to_hire": ["Speed"]}},
        "recording_url": "https://signed.example/rec?sig=abc",
        "transcript": [
            {"id": "t-1", "is_answer": False, "question_asked": "Hello?", "duration": 30},
            {"id": "t-2", "is_answer": True, "question_asked": "Hello?", "answer": "Hi", "score": 7,
             "answer_assessment_raw_data": {"huge": "blob"}},
        ],
    }
    payload.update(over)
    return payload


# --- interviews ---------------------------------------------------------------------------------


def test_interview_create_then_update_and_questions():
    interview = interview_upsert_from_payload(interview_get_payload(), mojito_id=INTERVIEW_ID)
    assert interview.name == "Backend engineer"
    assert interview.interview_style == "second-interview" and interview.seniority == "senior"
    assert interview.template.mojito_id == "tmpl-1" and interview.template_type == "interactive_elevenlabs"
    assert interview.location == "Remote" and interview.max_duration == 1800
    assert list(interview.questions.values_list("text", flat=True)) == ["Tell me about a hard bug.", "Pick one"]
    assert interview.questions.get(position=1).alternatives == ["A", "B"]
    assert interview.raw["some_future_key"] == {"x": 1}

    updated = interview_upsert_from_payload(
        interview_get_payload(name="Senior backend engineer", questions=[{"question": "Only one?"}]),
        mojito_id=INTERVIEW_ID,
    )
    assert updated.pk == interview.pk and updated.name == "Senior backend engineer"
    assert list(updated.questions.values_list("text", "mojito_id")) == [("Only one?", None)]
    assert Interview.objects.count() == 1 and InterviewTemplate.objects.count() == 1


def test_interview_second_identical_run_changes_nothing():
    interview_upsert_from_payload(interview_get_payload(), mojito_id=INTERVIEW_ID)
    before = Interview.objects.get()
    with CaptureQueriesContext(connection) as ctx:
        again = interview_upsert_from_payload(interview_get_payload(), mojito_id=INTERVIEW_ID)
    assert not again._upsert_changed
    assert not [q for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT", "DELETE"))]
    assert Interview.objects.get().updated_at == before.updated_at


def test_interview_embed_key_is_encrypted_and_kept_out_of_raw():
    interview = interview_upsert_from_payload(
        {"interview_def_set_id": INTERVIEW_ID, "embed_id": "emb-1", "embed_signing_key": "sk-secret", "questions_generated": 6},
        creation_method="from_description",
    )
    interview.refresh_from_db()
    assert interview.embed_signing_key == "sk-secret" and interview.is_embedded
    assert "sk-secret" not in str(interview.raw)
    assert interview.creation_method == "from_description" and interview.questions_generated == 6
    # a later get (no embed keys in it) keeps the key
    interview = interview_upsert_from_payload(interview_get_payload(), mojito_id=INTERVIEW_ID)
    interview.refresh_from_db()
    assert interview.embed_signing_key == "sk-secret" and interview.creation_method == "from_description"


def test_strip_secrets_is_recursive():
    assert strip_secrets({"a": [{"embed_signing_key": "x", "b": 1}], "embed_signing_key": "y"}) == {"a": [{"b": 1}]}


def test_interview_without_id_is_rejected():
    with pytest.raises(UpsertError):
        interview_upsert_from_payload({"name": "x"})


# --- templates, positions, knowledge ----------------------------------------------------------


def test_template_upsert_from_avatar_row():
    row = {"id": "tmpl-9", "name": "Eva", "type": "offline_synthesia", "status": "active",
           "mojito_language_code": "de", "video_voice_language_name": "German", "updated_at": "2026-11-01T00:00:00Z"}
    template = template_upsert_from_payload(row)
    assert template.is_legacy and template.language == "de" and template.voice_language_name == "German"
    template = template_upsert_from_payload({**row, "type": "interactive_heygen", "name": "Eva 2"})
    assert not template.is_legacy and template.name == "Eva 2"
    assert InterviewTemplate.objects.count() == 1


def test_position_upsert_from_request_and_answer():
    request = {"position_name": "Nurse", "position_location": "Berlin", "position_country_code": "de",
               "mojito_language_code": "de", "type": "resume_with_form", "status": "active",
               "assessment_rules": [{"id": "resume_match", "resume_score_reject": 3}],
               "form_fields": [{"id": "form_education", "mandatory": True}]}
    answer = {"created": True, "position_def_set_id": "pos-1", "interview_pre_screening_id": "ips-1"}
    position = position_upsert_from_payload({**request, **answer})
    assert position.country_code == "DE" and position.interview_pre_screening_id == "ips-1"
    assert position.assessment_rules[0]["id"] == "resume_match"
    position = position_upsert_from_payload({"position_name": "Nurse (night)"}, mojito_id="pos-1")
    assert position.name == "Nurse (night)" and position.location == "Berlin"
    assert Position.objects.count() == 1


def test_knowledge_document_upsert():
    doc = knowledge_document_upsert_from_payload({"knowledge_base_id": "kb-1"}, store_id="store-1",
                                                 name="handbook.pdf", size=1234, content_type="application/pdf")
    assert doc.mojito_id == "kb-1" and doc.uploaded_at is not None and doc.size == 1234


# --- candidates, invitations, pre-screening --------------------------------------------------


def test_candidate_upsert_by_normalised_email():
    first = candidate_upsert(email=" Ada@Example.com", name="Ada")
    second = candidate_upsert(email="ada@example.COM ", external_id="ext-1", profile_id="prof-1")
    assert first.pk == second.pk and Candidate.objects.count() == 1
    second.refresh_from_db()
    assert second.name == "Ada" and second.external_id == "ext-1" and second.profile_id == "prof-1"
    assert candidate_upsert(email="ada@example.com", name="")._upsert_changed is False


def test_invitation_upsert_from_register_row():
    candidate, interview = make_candidate(), make_interview()
    row = {"email": candidate.email, "result": "ok", "interview_url": "https://x/i/one-time", "profile_interview_id": "pi-7"}
    invitation = invitation_upsert(candidate=candidate, interview=interview, payload=row, count_attempt=True)
    assert invitation.profile_interview_id == "pi-7" and invitation.interview_url == "https://x/i/one-time"
    assert invitation.delivery_state == Invitation.DeliveryState.REGISTERED and invitation.attempts == 1
    assert "one-time" not in str(invitation.raw)
    failed = invitation_upsert(candidate=make_candidate(), interview=interview,
                               payload={"email": "bad", "result": "Error: invalid email"})
    assert failed.delivery_state == Invitation.DeliveryState.FAILED and failed.last_error == "invalid email"
    again = invitation_upsert(candidate=candidate, interview=interview, payload=row)
    assert again.pk == invitation.pk and not again._upsert_changed


def test_prescreening_upsert_never_stores_the_resume():
    position, candidate = make_position(), make_candidate()
    answer = {"success": True, "decision_status": "recruiter_action", "recommendation": "recruiter_action",
              "profile_interview_id": "pi-3", "interview_result_pre_screening_id": "prs-1", "interview_file_id": "f-1",
              "pre_screening_score": 6.5, "resume_ai_analysis": "Fits", "resume_ai_education": "masters",
              "resume_ai_technical_experience": 4, "resume_ai_is_switching_profession": False,
              "processing_reason": None, "candidate_resume": "MY WHOLE CV"}
    ps = prescreening_upsert_from_payload(answer, position=position, candidate=candidate, source="text")
    assert ps.mojito_id == "prs-1" and ps.score == 6.5 and ps.technical_experience_years == 4
    assert "MY WHOLE CV" not in str(ps.raw)
    again = prescreening_upsert_from_payload(answer, position=position, candidate=candidate, source="text")
    assert again.pk == ps.pk and PreScreening.objects.count() == 1
    early = prescreening_upsert_from_payload({"decision_status": "unknown", "message": "Already screened"},
                                             position=position, candidate=candidate)
    assert early.mojito_id is None and early.processing_reason == "Already screened"


# --- results ---------------------------------------------------------------------------------


def test_result_create_from_webhook_links_candidate_and_invitation():
    interview = make_interview(mojito_id=INTERVIEW_ID)
    invitation = make_invitation(interview=interview, mojito_id="pi-1", candidate=make_candidate(email="ada@example.com"))
    result = result_upsert_from_payload(webhook_payload())
    assert result.interview == interview and result.invitation == invitation
    assert result.candidate == invitation.candidate
    assert result.state_rank == ResultRank.FINAL and result.score == 5.12 and result.score_recruiter_ai == 4.212
    assert result.why_hire == ["Clear", "Fast"]


def test_result_unknown_interview_gets_a_stub_and_candidate_is_created():
    result = result_upsert_from_payload(webhook_payload())
    assert result.interview.mojito_id == INTERVIEW_ID
    assert result.candidate.normalised_email == "ada@example.com" and result.candidate.profile_id == "prof-1"


def test_result_details_fill_transcript_and_replace_it():
    result_upsert_from_payload(webhook_payload())
    result = result_upsert_from_payload(webhook_payload(), details=details_payload())
    assert result.score == 6.0 and result.duration_ds == 12000 and result.started_at is not None
    assert result.why_hire == ["Depth"] and result.why_not_hire == ["Speed"]
    rows = list(result.transcript_rows.values_list("mojito_id", "is_answer", "answer"))
    assert rows == [("t-1", False, ""), ("t-2", True, "Hi")]
    assert "signed.example" not in str(result.raw) and "huge" not in str(result.raw)

    details = details_payload(transcript=[{"id": "t-9", "is_answer": True, "answer": "Only"}])
    result = result_upsert_from_payload(details=details, mojito_id=RESULT_ID)
    assert list(result.transcript_rows.values_list("mojito_id", flat=True)) == ["t-9"]
    assert TranscriptRow.objects.count() == 1


def test_result_idempotent_second_run_writes_nothing():
    result_upsert_from_payload(webhook_payload(), details=details_payload())
    before = InterviewResult.objects.get()
    with CaptureQueriesContext(connection) as ctx:
        again = result_upsert_from_payload(webhook_payload(), details=details_payload())
    assert not again._upsert_changed
    writes = [q["sql"] for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT", "DELETE"))]
    assert writes == []
    assert InterviewResult.objects.get().updated_at == before.updated_at


def test_result_is_monotonic_stale_collected_does_not_regress():
    result_upsert_from_payload(webhook_payload())  # active + processing completed
    stale = webhook_payload(status="draft", interview_status="completed", processing_status="new", score=None)
    result = result_upsert_from_payload(stale)
    assert result.status == ResultStatus.ACTIVE and result.processing_status == ProcessingStatus.COMPLETED
    assert result.score == 5.12 and result.state_rank == ResultRank.FINAL


def test_result_moves_forward():
    result = result_upsert_from_payload(webhook_payload(status="draft", processing_status="new", score=None))
    assert result.state_rank == ResultRank.COLLECTED
    result = result_upsert_from_payload(webhook_payload(processing_status="processing", score=None))
    assert result.state_rank == ResultRank.PROCESSING
    result = result_upsert_from_payload(webhook_payload())
    assert result.state_rank == ResultRank.FINAL and result.score == 5.12
    result = result_upsert_from_payload(webhook_payload(status="archived"))
    assert result.state_rank == ResultRank.ARCHIVED


def test_result_force_resets_after_another_attempt():
    result_upsert_from_payload(webhook_payload())
    reopened = webhook_payload(status="draft", interview_status="ongoing", processing_status="new", score=None)
    assert result_upsert_from_payload(reopened).state_rank == ResultRank.FINAL
    result = result_upsert_from_payload(reopened, force=True)
    assert result.state_rank == ResultRank.ONGOING and result.coach_status == CoachStatus.ONGOING
    assert result.score is None


def test_result_same_rank_uses_remote_timestamp():
    row = {"id": "row-1", "interview_result_id": RESULT_ID, "definition_id": INTERVIEW_ID, "status": "active",
           "coach_status": "completed", "processing_status": "completed", "score": 5.0,
           "updated_at": "2026-11-05T10:00:00Z"}
    result = result_upsert_from_payload(row)
    assert result.score == 5.0 and result.coach_status == "completed"
    older = {**row, "score": 1.0, "updated_at": "2026-11-04T10:00:00Z"}
    assert result_upsert_from_payload(older).score == 5.0
    newer = {**row, "score": 9.0, "updated_at": "2026-11-06T10:00:00Z"}
    assert result_upsert_from_payload(newer).score == 9.0
    # same rank, no timestamp, different content: applies
    assert result_upsert_from_payload(webhook_payload(score=3.3)).score == 3.3


def test_result_legacy_envelope():
    envelope = {"table": "interview_result", "schema": "public",
                "record": {"id": RESULT_ID, "question_set_id": INTERVIEW_ID, "status": "active",
                           "processing_status": "processing", "score": 2.0}}
    result = result_upsert_from_payload(envelope)
    assert result.mojito_id == RESULT_ID and result.state_rank == ResultRank.PROCESSING


def test_result_new_without_interview_is_rejected():
    with pytest.raises(UpsertError):
        result_upsert_from_payload(details=details_payload(), mojito_id=uid())


def test_a_result_starts_its_invitation_once():
    interview = make_interview(mojito_id=INTERVIEW_ID)
    invitation = make_invitation(interview=interview, mojito_id="pi-1", candidate=make_candidate(email="ada@example.com"))
    assert invitation.started_at is None
    result_upsert_from_payload(webhook_payload(created_at="2026-11-30T10:00:00Z"))
    invitation.refresh_from_db()
    assert invitation.started_at == parse_remote_datetime("2026-11-30T10:00:00Z")
    # a later attempt (another result of the same invitation) keeps the first start
    result_upsert_from_payload(webhook_payload(id="later-attempt", created_at="2026-12-01T10:00:00Z"))
    invitation.refresh_from_db()
    assert invitation.started_at == parse_remote_datetime("2026-11-30T10:00:00Z")
