"""Every client method sends exactly the request the spec describes and parses the reply."""

from __future__ import annotations

import json

import httpx
import pytest

import mojito
from mojito.client import InviteUserRow, Page, RegisterUserRow
from tests.mojito.test_client_samples import (
    BASE_URL,
    EMBED_ID,
    INTERVIEW_ID,
    INTERVIEW_URL,
    KB_STORE_ID,
    MERCHANT_ID,
    PDF_HTML,
    PDF_JSON,
    POSITION_ID,
    PRESCREEN_EARLY_EXIT,
    PROFILE_INTERVIEW_ID,
    RESULT_ID,
    SAMPLES,
    SET_STATE_EMBED,
    SIGNING_KEY,
    TEMPLATE_ID,
    TOKEN,
    Recorder,
    make_client,
    parse_multipart,
    validate_request,
)


def sent_json(request: httpx.Request) -> dict:
    assert request.headers["content-type"] == "application/json"
    return json.loads(request.content)


def assert_common(request: httpx.Request, method: str, endpoint: str) -> None:
    assert request.method == method
    assert request.url.scheme == "https" and request.url.host == "jm.example.test"
    assert request.url.path == f"/functions/v1/{endpoint}"
    assert request.headers["authorization"] == f"Bearer {TOKEN}"
    assert request.headers["user-agent"] == f"jobmojito-recruiter/{mojito.__version__} httpx/{httpx.__version__}"
    if method == "GET":
        assert request.content == b""


def query(request: httpx.Request) -> dict:
    return dict(request.url.params.multi_items())


# --- interviews ---------------------------------------------------------------------------------

def test_create_interview():
    rec = Recorder(SAMPLES["job-interview-create"])
    client = make_client(rec)
    out = client.create_interview(
        name="Project manager", location="remote", interview_template_id=TEMPLATE_ID, mojito_language_code="en",
        status="active", type="interview", visibility="merchant_public", interview_type="pre-screening",
        interview_length=8, is_embedded=True, recording=None, hiring_for_company={"name": None},
    )
    assert_common(rec.last, "POST", "job-interview-create")
    body = sent_json(rec.last)
    assert body == {
        "name": "Project manager", "location": "remote", "interview_template_id": TEMPLATE_ID,
        "mojito_language_code": "en", "status": "active", "type": "interview", "visibility": "merchant_public",
        "interview_type": "pre-screening", "interview_length": 8, "is_embedded": True,
        "hiring_for_company": {"name": None},  # nested nulls are meaningful and kept
    }
    validate_request("job-interview-create", body)
    assert out["interview_def_set_id"] == INTERVIEW_ID
    assert out["questions_generated"] == 8
    assert out["embed_signing_key"] == SIGNING_KEY
    assert out["unknown_future_key"] == {"a": 1}


def test_create_interview_from_questions():
    rec = Recorder(SAMPLES["job-interview-create-from-array"])
    client = make_client(rec)
    questions = [{"id": "a", "question": "Why us?"},
                 {"id": "b", "question": "Tell more", "is_conditional": True, "conditional_question_main_id": "a"}]
    out = client.create_interview_from_questions(
        name="PM", location="remote", interview_template_id=TEMPLATE_ID, mojito_language_code="en",
        description="PM role", status="draft", type="interview", visibility="merchant_invite",
        questions=questions, disable_deduplication=True)
    assert_common(rec.last, "POST", "job-interview-create-from-array")
    body = sent_json(rec.last)
    assert body["questions"] == questions and body["disable_deduplication"] is True
    validate_request("job-interview-create-from-array", body)
    assert out == {"interview_def_set_id": INTERVIEW_ID}


def test_create_interview_for_candidate():
    rec = Recorder(SAMPLES["job-interview-create-for-candidate-with-token"])
    client = make_client(rec)
    out = client.create_interview_for_candidate(
        candidate_name="John", candidate_email="john@example.com", candidate_country_code="HR",
        candidate_resume="Curriculum Vitae ...", position_external_id="JOB-7", position_name="PM",
        position_location="remote", position_country_code="HR", mojito_language_code="en",
        candidate_linkedin_url=None)
    assert_common(rec.last, "POST", "job-interview-create-for-candidate-with-token")
    body = sent_json(rec.last)
    assert "candidate_linkedin_url" not in body
    assert body["position_external_id"] == "JOB-7"
    validate_request("job-interview-create-for-candidate-with-token", body)
    assert out["status"] == "ai_accept"
    assert out["interview_url"] == INTERVIEW_URL
    assert out["profile_interview_id"] == PROFILE_INTERVIEW_ID


def test_get_interview_definition_is_a_get_with_query():
    rec = Recorder(SAMPLES["job-interview-get"])
    client = make_client(rec)
    out = client.get_interview_definition(INTERVIEW_ID)
    assert_common(rec.last, "GET", "job-interview-get")
    assert query(rec.last) == {"position_id": INTERVIEW_ID}
    assert out["name"] == "Project manager"
    assert [q["id"] for q in out["questions"]] == ["q1", "q2"]
    assert out["status"] == "active"


@pytest.mark.parametrize("kwargs,expected_body,reply", [
    ({"status": "archived"}, {"position_id": INTERVIEW_ID, "status": "archived"}, {"success": True}),
    ({"is_embedded": True}, {"position_id": INTERVIEW_ID, "is_embedded": True}, SET_STATE_EMBED),
    ({"is_embedded": False}, {"position_id": INTERVIEW_ID, "is_embedded": False}, {"success": True}),
])
def test_set_interview_state(kwargs, expected_body, reply):
    rec = Recorder(reply)
    client = make_client(rec)
    out = client.set_interview_state(INTERVIEW_ID, **kwargs)
    assert_common(rec.last, "POST", "job-interview-set-state")
    assert sent_json(rec.last) == expected_body
    validate_request("job-interview-set-state", expected_body)
    assert out == reply
    if kwargs.get("is_embedded"):
        assert out["embed_id"] == EMBED_ID and out["embed_signing_key"] == SIGNING_KEY


@pytest.mark.parametrize("hide_menu,sent", [(None, None), (False, "false"), (True, "true"), ("false", "false")])
def test_generate_interview_url_returns_the_bare_string(hide_menu, sent):
    rec = Recorder(SAMPLES["job-interview-token"])
    client = make_client(rec)
    url = client.generate_interview_url("interview-for-profile", interview_profile_id=PROFILE_INTERVIEW_ID,
                                        interview_id=INTERVIEW_ID, hide_menu=hide_menu)
    assert_common(rec.last, "POST", "job-interview-token")
    body = sent_json(rec.last)
    expected = {"type": "interview-for-profile", "interview_profile_id": PROFILE_INTERVIEW_ID,
                "interview_id": INTERVIEW_ID}
    if sent is not None:
        expected["hide_menu"] = sent  # only the string "false" shows the menu upstream
    assert body == expected
    validate_request("job-interview-token", body)
    assert url == INTERVIEW_URL and isinstance(url, str)


# --- candidates -----------------------------------------------------------------------------------

def test_register_users_for_interview():
    rec = Recorder(SAMPLES["job-interview-register-users"])
    client = make_client(rec)
    users = [{"name": "Peter Parker", "email": "peter.parker@example.com", "external_id": "abcd"},
             {"name": "Bad", "email": "bad@"}]
    rows = client.register_users_for_interview(INTERVIEW_ID, users, send_email=False, is_test=True,
                                               hide_menu=None, merchant_id=MERCHANT_ID)
    assert_common(rec.last, "POST", "job-interview-register-users")
    body = sent_json(rec.last)
    assert body == {"interview_id": INTERVIEW_ID, "users": users, "send_email": False, "is_test": True,
                    "merchant_id": MERCHANT_ID}
    validate_request("job-interview-register-users", body)
    assert all(isinstance(r, RegisterUserRow) for r in rows)
    ok, bad = rows
    assert ok.ok and ok.error is None
    assert ok.interview_url == INTERVIEW_URL and ok.profile_interview_id == PROFILE_INTERVIEW_ID
    assert ok.email == "peter.parker@example.com" and ok.external_id == "abcd" and ok.name == "Peter Parker"
    assert not bad.ok and bad.error == "invalid email" and bad.interview_url is None
    assert bad.raw == SAMPLES["job-interview-register-users"][1]


def test_invite_users():
    rec = Recorder(SAMPLES["invite-users"])
    client = make_client(rec)
    users = [{"email": "ann@example.com", "name": "Ann", "type": "candidate", "interview_id": INTERVIEW_ID}]
    rows = client.invite_users(users, force_invite=True, mojito_language_code="de",
                               message_from_recruiter="Welcome!")
    assert_common(rec.last, "POST", "invite-users")
    body = sent_json(rec.last)
    assert body == {"users": users, "force_invite": True, "mojito_language_code": "de",
                    "message_from_recruiter": "Welcome!"}
    validate_request("invite-users", body)
    assert all(isinstance(r, InviteUserRow) for r in rows)
    invited, bad, skipped = rows
    assert invited.ok and invited.result == "Invited" and invited.profile_id and invited.error is None
    assert invited.type == "candidate" and invited.interview_id == INTERVIEW_ID
    assert not bad.ok and bad.error == "invalid email"
    assert skipped.ok and skipped.result == "Skipped" and skipped.raw["extra"] == 1


def test_batch_with_error_rows_returns_rows_not_an_exception():
    rows = []
    for i in range(100):
        if i in (3, 57):
            rows.append({"email": f"bad{i}", "result": "Error: invalid email"})
        else:
            rows.append({"email": f"u{i}@example.com", "result": "ok", "interview_url": f"{INTERVIEW_URL}&n={i}"})
    rec = Recorder(rows)
    client = make_client(rec)
    out = client.register_users_for_interview(INTERVIEW_ID, [{"email": r["email"]} for r in rows])
    assert len(out) == 100
    assert [i for i, r in enumerate(out) if not r.ok] == [3, 57]
    assert {out[3].error, out[57].error} == {"invalid email"}
    assert sum(r.ok for r in out) == 98
    assert rec.count == 1

    rec = Recorder([{**r, "result": "Invited" if r["result"] == "ok" else r["result"]} for r in rows])
    client = make_client(rec)
    invites = client.invite_users([{"email": r["email"]} for r in rows])
    assert [i for i, r in enumerate(invites) if not r.ok] == [3, 57]
    assert invites[57].error == "invalid email"


def test_row_without_result_is_not_ok_and_says_why():
    rec = Recorder([{"email": "a@example.com"}, None])
    rows = make_client(rec).register_users_for_interview(INTERVIEW_ID, [{"email": "a@example.com"}, {}])
    assert [r.ok for r in rows] == [False, False]
    assert rows[0].error and rows[1].error
    assert rows[1].raw == {}


# --- results ----------------------------------------------------------------------------------------

def test_request_another_interview_attempt():
    rec = Recorder({})
    out = make_client(rec).request_another_interview_attempt(RESULT_ID)
    assert_common(rec.last, "POST", "job-interview-result-request-another-attempt")
    assert sent_json(rec.last) == {"interview_result_id": RESULT_ID}
    assert out == {}


@pytest.mark.parametrize("flag,sent", [(False, "false"), (True, "true")])
def test_get_interview_result_details(flag, sent):
    rec = Recorder(SAMPLES["job-interview-details"])
    out = make_client(rec).get_interview_result_details(RESULT_ID, get_signed_recordings=flag)
    assert_common(rec.last, "GET", "job-interview-details")
    assert query(rec.last) == {"interview_result_id": RESULT_ID, "get_signed_recordings": sent}
    assert out["score"] == 7.5
    assert [t["id"] for t in out["transcript"]] == ["t1", "t2"]
    assert out["transcript"][1]["future"] == "x"


@pytest.mark.parametrize("reply", [SAMPLES["job-interview-pdf"], PDF_HTML, PDF_JSON])
def test_generate_interview_report(reply):
    rec = Recorder(reply)
    client = make_client(rec)
    features = {"transcript": True, "analytics": False, "mojito_language_code": "de"}
    out = client.generate_interview_report(export_type="pdf", interview_result_ids=[RESULT_ID, INTERVIEW_ID],
                                           export_features_result=features, template="modern", store_file=True)
    assert_common(rec.last, "POST", "job-interview-pdf")
    body = sent_json(rec.last)
    assert body == {"export_type": "pdf", "interview_result_ids": [RESULT_ID, INTERVIEW_ID],
                    "export_features_result": features, "template": "modern", "store_file": True}
    validate_request("job-interview-pdf", body)
    assert out == reply


# --- pre-screening and knowledge base ---------------------------------------------------------------

def test_upsert_pre_screening():
    rec = Recorder(SAMPLES["pre-screening-create"])
    rules = [{"id": "resume_match", "resume_score_reject": 3, "resume_score_accept": 7}]
    out = make_client(rec).upsert_pre_screening(
        position_name="PM", position_location="Zagreb", position_country_code="HR", mojito_language_code="hr",
        type="resume", status="active", assessment_rules=rules, update_position_def_set_id=None)
    assert_common(rec.last, "POST", "pre-screening-create")
    body = sent_json(rec.last)
    assert body == {"position_name": "PM", "position_location": "Zagreb", "position_country_code": "HR",
                    "mojito_language_code": "hr", "type": "resume", "status": "active", "assessment_rules": rules}
    validate_request("pre-screening-create", body)
    assert out["created"] is True and out["position_def_set_id"] == POSITION_ID


@pytest.mark.parametrize("reply", [SAMPLES["job-interview-pre-screening-api-resume-text"], PRESCREEN_EARLY_EXIT])
def test_pre_screen_resume_text(reply):
    rec = Recorder(reply)
    form = {"education": "masters", "languages": [{"code": "en", "level": "fluent"}], "residency": "US"}
    out = make_client(rec).pre_screen_resume_text(
        position_id=POSITION_ID, candidate_name="Jane Doe", candidate_email="jane@example.com",
        candidate_resume="Jane Doe\nPython, 10 years", candidate_country_code="US", form=form)
    assert_common(rec.last, "POST", "job-interview-pre-screening-api-resume-text")
    body = sent_json(rec.last)
    assert body == {"position_id": POSITION_ID, "candidate_name": "Jane Doe", "candidate_email": "jane@example.com",
                    "candidate_resume": "Jane Doe\nPython, 10 years", "candidate_country_code": "US", "form": form}
    validate_request("job-interview-pre-screening-api-resume-text", body)
    assert out == reply


def test_pre_screen_resume_binary_is_multipart_with_form_as_json_string():
    rec = Recorder(SAMPLES["job-interview-pre-screening-api-resume-binary"])
    form = {"education": "masters", "languages": [{"code": "en", "level": "fluent"}], "residency": "US"}
    pdf = b"%PDF-1.4\n\x00\xff binary resume"
    out = make_client(rec).pre_screen_resume_binary(
        position_id=POSITION_ID, candidate_name="Jane Doe", candidate_email="jane@example.com", file=pdf,
        filename="jane.pdf", content_type="application/pdf", form=form, candidate_country_code="US",
        candidate_external_id="ext-9", candidate_linkedin_url=None)
    assert_common(rec.last, "POST", "job-interview-pre-screening-api-resume-binary")
    assert rec.last.headers["content-type"].startswith("multipart/form-data; boundary=")
    parts = parse_multipart(rec.last)
    assert parts["file"] == ("jane.pdf", "application/pdf", pdf)
    assert {k: v[2].decode() for k, v in parts.items() if k != "file"} == {
        "position_id": POSITION_ID, "candidate_name": "Jane Doe", "candidate_email": "jane@example.com",
        "candidate_country_code": "US", "candidate_external_id": "ext-9", "form": json.dumps(form)}
    assert json.loads(parts["form"][2]) == form
    assert all(parts[k][0] is None for k in parts if k != "file")  # plain fields, not files
    assert out["decision_status"] == "ai_accept" and out["recommendation"] is None


def test_pre_screen_resume_binary_without_form():
    rec = Recorder(PRESCREEN_EARLY_EXIT)
    out = make_client(rec).pre_screen_resume_binary(
        position_id=POSITION_ID, candidate_name="Jane", candidate_email="jane@example.com", file=b"text cv",
        filename="cv.txt")
    parts = parse_multipart(rec.last)
    assert set(parts) == {"position_id", "candidate_name", "candidate_email", "file"}
    assert parts["file"] == ("cv.txt", "application/octet-stream", b"text cv")
    assert out == PRESCREEN_EARLY_EXIT


def test_upload_knowledge_base_document():
    rec = Recorder(SAMPLES["knowledge-base-document-upload"])
    out = make_client(rec).upload_knowledge_base_document(
        knowledge_base_store_id=KB_STORE_ID, file=b"Policy: be kind.", filename="policy.txt", name="Policy.txt",
        merchant_id=MERCHANT_ID)
    assert_common(rec.last, "POST", "knowledge-base-document-upload")
    parts = parse_multipart(rec.last)
    assert parts["file"][0] == "policy.txt" and parts["file"][2] == b"Policy: be kind."
    assert parts["file"][1] == "text/plain"
    assert {k: v[2].decode() for k, v in parts.items() if k != "file"} == {
        "knowledge_base_store_id": KB_STORE_ID, "name": "Policy.txt", "merchant_id": MERCHANT_ID}
    assert out == SAMPLES["knowledge-base-document-upload"]


def test_upload_knowledge_base_document_minimal_fields():
    rec = Recorder(SAMPLES["knowledge-base-document-upload"])
    make_client(rec).upload_knowledge_base_document(knowledge_base_store_id=KB_STORE_ID, file=b"x",
                                                    filename="a.bin")
    assert set(parse_multipart(rec.last)) == {"knowledge_base_store_id", "file"}


# --- lists --------------------------------------------------------------------------------------------

LIST_METHODS = [
    ("list_avatars", "merchant-avatar-list",
     {"type": "interactive_heygen", "include_public": True, "include_archived": False, "limit": 2, "offset": 0,
      "filter_text": None},
     {"type": "interactive_heygen", "include_public": "true", "include_archived": "false", "limit": "2",
      "offset": "0"}),
    ("list_interview_results", "merchant-result-list",
     {"tab": "undecided", "interview_id": INTERVIEW_ID, "risks": ["tab_switch", "voice"], "order_by": "score",
      "limit": 50},
     {"tab": "undecided", "interview_id": INTERVIEW_ID, "risks": "tab_switch,voice", "order_by": "score",
      "limit": "50"}),
    ("list_candidates", "merchant-candidate-list",
     {"tab": "interview", "order_by": "name_accending", "source": "invited"},
     {"tab": "interview", "order_by": "name_accending", "source": "invited"}),
    ("list_interviews", "merchant-interview-list",
     {"type": "interview", "status": "active", "show_public": False, "show_demo": True},
     {"type": "interview", "status": "active", "show_public": "false", "show_demo": "true"}),
]


@pytest.mark.parametrize("method,endpoint,filters,expected_query", LIST_METHODS)
def test_list_methods(method, endpoint, filters, expected_query):
    rec = Recorder(SAMPLES[endpoint])
    page = getattr(make_client(rec), method)(**filters)
    assert_common(rec.last, "GET", endpoint)
    assert query(rec.last) == expected_query
    assert isinstance(page, Page)
    sample = SAMPLES[endpoint]
    assert page.data == sample["data"]
    assert (page.total, page.limit, page.offset, page.has_more) == tuple(
        sample["pagination"][k] for k in ("total", "limit", "offset", "has_more"))


@pytest.mark.parametrize("merchant_id,expected", [(None, {}), (MERCHANT_ID, {"merchant_id": MERCHANT_ID})])
def test_get_merchant_status(merchant_id, expected):
    rec = Recorder(SAMPLES["merchant-status"])
    out = make_client(rec).get_merchant_status(merchant_id)
    assert_common(rec.last, "GET", "merchant-status")
    assert query(rec.last) == expected
    assert out["invitations_available"] == 155 and len(out["candidates_history"]) == 14


def _pages(total, page_size_seen=None, *, never_done=False):
    rows = [{"id": f"r{i}"} for i in range(total)]

    def reply(request):
        offset = int(request.url.params["offset"])
        limit = int(request.url.params["limit"])
        if page_size_seen is not None:
            page_size_seen.append(limit)
        chunk = rows[offset:offset + limit]
        return {"data": chunk, "pagination": {"total": total, "limit": limit, "offset": offset,
                                              "has_more": True if never_done else offset + len(chunk) < total}}
    return reply


def test_iter_all_pages_with_offset_until_has_more_is_false():
    seen = []
    rec = Recorder(_pages(250, seen))
    client = make_client(rec)
    rows = list(client.iter_all(client.list_interview_results, page_size=100, tab="completed"))
    assert [r["id"] for r in rows] == [f"r{i}" for i in range(250)]
    assert rec.count == 3
    assert [query(r)["offset"] for r in rec.requests] == ["0", "100", "200"]
    assert all(query(r)["tab"] == "completed" for r in rec.requests)
    assert seen == [100, 100, 100]


def test_iter_all_stops_on_an_empty_page_when_has_more_never_turns_false():
    rec = Recorder(_pages(30, never_done=True))
    client = make_client(rec)
    rows = list(client.iter_all(client.list_candidates, page_size=10))
    assert len(rows) == 30
    assert rec.count == 4  # the 4th page is empty


def test_iter_all_uses_the_rows_returned_when_the_server_caps_the_page():
    rows = [{"id": f"r{i}"} for i in range(7)]

    def reply(request):
        offset = int(request.url.params["offset"])
        chunk = rows[offset:offset + 3]  # server caps at 3 whatever we ask
        return {"data": chunk, "pagination": {"total": 7, "limit": 3, "offset": offset,
                                              "has_more": offset + len(chunk) < 7}}
    rec = Recorder(reply)
    client = make_client(rec)
    assert [r["id"] for r in client.iter_all(client.list_avatars, page_size=100)] == [f"r{i}" for i in range(7)]


def test_one_http_client_is_reused_across_calls():
    rec = Recorder(SAMPLES["merchant-status"])
    client = make_client(rec)
    http = client._http
    client.get_merchant_status()
    client.get_merchant_status()
    assert client._http is http and rec.count == 2
    client.close()
    assert http.is_closed
