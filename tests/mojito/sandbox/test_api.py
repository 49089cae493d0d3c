"""Behaviour of the sandbox API: batches, state machine, embed keys, pagination, quirks, credits."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from mojito.sandbox import Sandbox, credits
from mojito.sandbox.seed import TEMPLATE_IDS
from tests.mojito.sandbox.test_contract import (
    TOKEN,
    api,
    build_world,
    create_interview,
    register,
    submitted_result,
)


@pytest.fixture
def client(sb):
    return api(sb)


# --- register-users -----------------------------------------------------------------------------

def test_register_users_bad_rows_do_not_fail_the_good_ones(sb, client):
    interview_id = create_interview(client)
    response = client.post("/job-interview-register-users", json={"interview_id": interview_id, "users": [
        {"name": "Ada", "email": "ada@example.com", "external_id": "A1"},
        {"name": "Bad", "email": "not-an-email"},
        {"name": "No mail"},
        {"name": "Grace", "email": "grace@example.com"},
    ]})
    assert response.status_code == 200
    rows = response.json()
    assert [r["result"] for r in rows][0] == "ok"
    assert rows[1]["result"].startswith("Error: ") and "not-an-email" in rows[1]["result"]
    assert rows[2]["result"] == "Error: email is required"
    assert rows[3]["result"] == "ok"
    assert rows[0]["name"] == "Ada" and rows[0]["external_id"] == "A1" and rows[0]["email"] == "ada@example.com"
    assert "interview_url" not in rows[1]
    assert len(sb.state.enrolments) == 2


def test_register_users_urls_point_at_the_candidate_page_and_store_the_token(sb, client):
    interview_id = create_interview(client)
    row = register(client, interview_id, hide_menu=True, hide_iframe="true")
    url = urlparse(row["interview_url"])
    assert f"{url.scheme}://{url.netloc}" == "http://sandbox.test:8765"
    assert url.path == f"/interview/take/{row['profile_interview_id']}/"
    query = parse_qs(url.query)
    assert query["view_hm"] == ["true"] and query["view_hi"] == ["true"]
    assert sb.state.enrolments[row["profile_interview_id"]]["token"] == query["interview_token"][0]
    plain = register(client, interview_id, email="other@example.com")
    assert "view_hm" not in plain["interview_url"] and "view_hi" not in plain["interview_url"]


def test_registering_the_same_email_again_returns_the_same_enrolment_with_a_fresh_url(sb, client):
    interview_id = create_interview(client)
    first = register(client, interview_id, email="Ada@Example.com")
    second = register(client, interview_id, email="ada@example.com", name="Ada L.")
    assert second["profile_interview_id"] == first["profile_interview_id"]
    assert second["interview_url"] != first["interview_url"]
    assert len(sb.state.enrolments) == 1
    assert sb.state.profiles[sb.state.enrolments[second["profile_interview_id"]]["profile_id"]]["name"] == "Ada L."
    other = register(client, create_interview(client), email="ada@example.com")
    assert other["profile_interview_id"] != first["profile_interview_id"]


def test_register_users_for_an_unknown_interview_is_422(client):
    response = client.post("/job-interview-register-users", json={
        "interview_id": "00000000-0000-4000-8000-00000000ffff", "users": [{"email": "a@example.com"}]})
    assert response.status_code == 422
    assert response.json()["name"] == "interview_id"


def test_service_key_needs_merchant_id():
    sb = Sandbox(tokens=[TOKEN], service_keys=["service-key"])
    client = api(sb, token="service-key")
    interview_id = create_interview(api(sb))
    response = client.post("/job-interview-register-users",
                           json={"interview_id": interview_id, "users": [{"email": "a@example.com"}]})
    assert response.status_code == 422 and response.json()["name"] == "merchant_id"
    response = client.post("/job-interview-register-users", json={
        "interview_id": interview_id, "users": [{"email": "a@example.com"}], "merchant_id": sb.config.merchant_id})
    assert response.status_code == 200
    assert client.post("/invite-users", json={"users": []}).json()["name"] == "merchant_id"


# --- invite-users -------------------------------------------------------------------------------

def test_invite_users_rows(sb, client):
    interview_id = create_interview(client)
    rows = client.post("/invite-users", json={"users": [
        {"email": "cand@example.com", "name": "Cand", "type": "candidate", "interview_id": interview_id},
        {"email": "nointerview@example.com", "type": "candidate"},
        {"email": "ghost@example.com", "type": "candidate", "interview_id": "00000000-0000-4000-8000-00000000ffff"},
        {"email": "team@example.com", "type": "merchant"},
        {"email": "oops", "type": "merchant"},
        {"email": "who@example.com", "type": "wizard"},
    ]}).json()
    assert [r["result"][:6] for r in rows] == ["Invite", "Error:", "Error:", "Invite", "Error:", "Error:"]
    assert "interview_id" in rows[1]["result"]
    enrolment = sb.state.enrolments[rows[0]["profile_interview_id"]]
    assert enrolment["status"] == "invited" and enrolment["source"] == "invited"

    again = client.post("/invite-users", json={"users": [
        {"email": "cand@example.com", "type": "candidate", "interview_id": interview_id}]}).json()
    assert again[0]["result"] == "Skipped"
    forced = client.post("/invite-users", json={"force_invite": True, "users": [
        {"email": "cand@example.com", "type": "candidate", "interview_id": interview_id}]}).json()
    assert forced[0]["result"] == "Invited"
    assert forced[0]["profile_interview_id"] == rows[0]["profile_interview_id"]
    team_again = client.post("/invite-users", json={"users": [{"email": "team@example.com", "type": "mentor"}]}).json()
    assert team_again[0]["result"] == "CoachingAccessAdded"


def test_candidate_invitations_are_gated_by_credits():
    sb = Sandbox(tokens=[TOKEN], credits_interview_monthly=0.5)  # 4 x 0.5 = 2 invitations
    client = api(sb)
    interview_id = create_interview(client)
    users = [{"email": f"c{i}@example.com", "type": "candidate", "interview_id": interview_id} for i in range(3)]
    rows = client.post("/invite-users", json={"users": users}).json()
    assert [r["result"] for r in rows[:2]] == ["Invited", "Invited"]
    assert rows[2]["result"].startswith("Error: ") and "credits" in rows[2]["result"]
    status = client.get("/merchant-status").json()
    assert status["invitations_limit"] == 2 and status["invitations_sent"] == 2
    assert status["invitations_available"] == 0


def test_invite_users_unauthenticated_quirk():
    sb = Sandbox(tokens=[TOKEN], quirks_500_for_authorization=True)
    assert api(sb, token=None).post("/invite-users", json={"users": []}).status_code == 422
    assert api(sb, token="nope").post("/knowledge-base-document-upload", json={}).status_code == 500
    assert api(sb, token=None).get("/merchant-status").status_code == 401


# --- interviews: create, get, set-state, embed --------------------------------------------------

def test_legacy_and_unknown_templates_cannot_create(client):
    legacy = create_body(TEMPLATE_IDS["offline_elai"])
    response = client.post("/job-interview-create", json=legacy)
    assert response.status_code == 422 and response.json()["name"] == "interview_template_id"
    assert "legacy" in response.json()["error"]
    unknown = create_body("00000000-0000-4000-8000-00000000ffff")
    assert client.post("/job-interview-create", json=unknown).status_code == 422


def test_create_from_array_unknown_template_is_500_only_with_quirks():
    for quirks, status in ((False, 422), (True, 500)):
        sb = Sandbox(tokens=[TOKEN], quirks_500_for_authorization=quirks)
        response = api(sb).post("/job-interview-create-from-array", json={
            "name": "X", "location": "Y", "interview_template_id": "nope", "mojito_language_code": "en",
            "description": "d", "status": "draft", "type": "interview", "visibility": "merchant_invite",
            "questions": [{"question": "Q?"}]})
        assert response.status_code == status


def create_body(template_id, **extra):
    return {"name": "Support agent", "location": "Remote", "interview_template_id": template_id,
            "mojito_language_code": "en", "status": "draft", "type": "interview", "visibility": "merchant_invite",
            **extra}


def test_create_from_array_keeps_questions_verbatim_with_real_ids(client):
    interview_id = create_interview(client, questions=[
        {"question": "Main?", "id": "local-1", "external_id": "EXT-1"},
        {"question": "Follow-up?", "is_conditional": True, "conditional_question_main_id": "local-1"}])
    body = client.get("/job-interview-get", params={"position_id": interview_id}).json()
    first, second = body["questions"]
    assert first["question"] == "Main?" and first["external_id"] == "EXT-1" and first["id"] != "local-1"
    assert second["conditional_question_main_id"] == first["id"]
    assert body["interview_template_type"] == "interactive_heygen" and body["is_voice_only"] is False
    assert body["is_multistage"] is False and body["status"] == "active"


def test_conditional_parent_must_come_earlier(client):
    response = client.post("/job-interview-create-from-array", json={
        "name": "X", "location": "Y", "interview_template_id": TEMPLATE_IDS["interactive_heygen"],
        "mojito_language_code": "en", "description": "d", "status": "draft", "type": "interview",
        "visibility": "merchant_invite", "questions": [{"question": "Q?", "conditional_question_main_id": "later"}]})
    assert response.status_code == 422
    assert response.json()["name"] == "questions[0].conditional_question_main_id"


def test_job_interview_get_accepts_post_with_interview_id_alias(client):
    interview_id = create_interview(client)
    response = client.post("/job-interview-get", json={"interview_id": interview_id})
    assert response.status_code == 200 and response.json()["name"] == "Python developer"


def test_job_interview_get_unknown_is_404_and_bad_uuid_is_422(client):
    assert client.get("/job-interview-get", params={"position_id": "00000000-0000-4000-8000-00000000ffff"}) \
        .status_code == 404
    response = client.get("/job-interview-get", params={"position_id": "abc"})
    assert response.status_code == 422 and response.json()["name"] == "position_id"


def test_set_state_transitions_and_deletion(client):
    interview_id = create_interview(client, status="draft")
    for status in ("active", "archived", "draft", "preparing", "completed", "active"):
        response = client.post("/job-interview-set-state", json={"position_id": interview_id, "status": status})
        assert response.json() == {"success": True}
        assert client.get("/job-interview-get", params={"position_id": interview_id}).json()["status"] == status
    assert [r["id"] for r in client.get("/merchant-interview-list").json()["data"]] == [interview_id]
    assert client.get("/merchant-interview-list", params={"status": "archived"}).json()["data"] == []
    client.post("/job-interview-set-state", json={"position_id": interview_id, "status": "deleted"})
    assert client.get("/job-interview-get", params={"position_id": interview_id}).status_code == 404
    assert client.get("/merchant-interview-list").json()["data"] == []
    again = client.post("/job-interview-set-state", json={"position_id": interview_id, "status": "active"})
    assert again.status_code == 404
    rows = client.post("/job-interview-register-users",
                       json={"interview_id": interview_id, "users": [{"email": "a@example.com"}]})
    assert rows.status_code == 422


def test_set_state_unknown_id_is_500_with_quirks():
    sb = Sandbox(tokens=[TOKEN], quirks_500_for_authorization=True)
    response = api(sb).post("/job-interview-set-state",
                            json={"position_id": "00000000-0000-4000-8000-00000000ffff", "status": "active"})
    assert response.status_code == 500


def test_embed_key_lifecycle(sb, client):
    created = client.post("/job-interview-create", json=create_body(TEMPLATE_IDS["interactive_heygen"],
                                                                   is_embedded=True)).json()
    interview_id = created["interview_def_set_id"]
    assert created["embed_id"] and len(created["embed_signing_key"]) >= 32
    assert sb.state.embeds[created["embed_id"]]["interview_id"] == interview_id
    again = client.post("/job-interview-set-state", json={"position_id": interview_id, "is_embedded": True}).json()
    assert again == {"embed_id": created["embed_id"], "embed_signing_key": created["embed_signing_key"]}
    removed = client.post("/job-interview-set-state", json={"position_id": interview_id, "is_embedded": False})
    assert removed.json() == {"success": True} and sb.state.embeds == {}
    fresh = client.post("/job-interview-set-state", json={"position_id": interview_id, "is_embedded": True}).json()
    assert fresh["embed_id"] != created["embed_id"]
    plain = client.post("/job-interview-create", json=create_body(TEMPLATE_IDS["interactive_heygen"])).json()
    assert "embed_id" not in plain


# --- job-interview-token ------------------------------------------------------------------------

def test_job_interview_token_urls(sb, client):
    world = build_world(sb)
    url = client.post("/job-interview-token", json={"type": "interview-for-profile",
                                                    "interview_profile_id": world["profile_id"],
                                                    "interview_id": world["interview_id"]}).json()
    assert url.startswith(f"http://sandbox.test:8765/interview/take/{world['profile_interview_id']}/?interview_token=")
    assert url.endswith("&view_hm=true")
    assert sb.state.enrolments[world["profile_interview_id"]]["url"] == url
    shown = client.post("/job-interview-token", json={"type": "interview-for-profile", "hide_menu": "false",
                                                      "interview_profile_id": world["profile_id"],
                                                      "interview_id": world["interview_id"]}).json()
    assert "view_hm" not in shown
    result_url = client.post("/job-interview-token", json={"type": "interview-result-talent-seeker",
                                                           "interview_result_id": world["result_id"]}).json()
    assert result_url.startswith(f"http://sandbox.test:8765/interview/result/{world['result_id']}/?interview_token=")
    unknown = client.post("/job-interview-token", json={"type": "interview-result-candidate",
                                                        "interview_result_id": "00000000-0000-4000-8000-00000000ffff"})
    assert unknown.status_code == 422 and unknown.json()["name"] == "interview_result_id"


# --- results ------------------------------------------------------------------------------------

def test_details_and_result_list(sb, client):
    world = build_world(sb)
    details = client.get("/job-interview-details", params={"interview_result_id": world["result_id"]}).json()
    assert details["score"] == 4.2 and details["status"] == "completed"
    assert [t["is_answer"] for t in details["transcript"]] == [False, True]
    assert "recording_url" not in details
    signed = client.post("/job-interview-details", json={"interview_result_id": world["result_id"],
                                                         "get_signed_recordings": True}).json()
    assert "recording_url" in signed
    rows = client.get("/merchant-result-list", params={"interview_id": world["interview_id"]}).json()["data"]
    assert len(rows) == 1
    row = rows[0]
    assert row["interview_result_id"] == world["result_id"] and row["id"] != world["result_id"]
    assert row["candidate_email"] == "ada@example.com" and row["position_name"] == "Python developer"
    assert client.get("/merchant-result-list", params={"tab": "undecided"}).json()["pagination"]["total"] == 1
    assert client.get("/merchant-result-list", params={"tab": "decided-selected"}).json()["data"] == []
    missing = client.get("/job-interview-details", params={"interview_result_id": "00000000-0000-4000-8000-00000000ffff"})
    assert missing.status_code == 404


def test_request_another_attempt(sb, client):
    world = build_world(sb)
    sb.state.results[world["result_id"]]["decision_status"] = "recruiter_accept"
    response = client.post("/job-interview-result-request-another-attempt",
                           json={"interview_result_id": world["result_id"]})
    assert response.status_code == 200 and response.json() == {}
    result = sb.state.results[world["result_id"]]
    assert result["status"] == "draft" and result["decision_status"] is None
    assert sb.state.enrolments[world["profile_interview_id"]]["attempts"] == 2
    again = client.post("/job-interview-result-request-another-attempt", json={"interview_result_id": world["result_id"]})
    assert again.status_code == 422
    unknown = client.post("/job-interview-result-request-another-attempt",
                          json={"interview_result_id": "00000000-0000-4000-8000-00000000ffff"})
    assert unknown.status_code == 422 and unknown.json()["name"] == "interview_result_id"
    ongoing = submitted_result(sb, world["profile_interview_id"], status="draft", coach_status="started")
    assert client.post("/job-interview-result-request-another-attempt",
                       json={"interview_result_id": ongoing["id"]}).status_code == 422


def test_pdf_unknown_result_is_422_and_translation_is_charged(sb, client):
    world = build_world(sb)
    unknown = client.post("/job-interview-pdf", json={"export_type": "html",
                                                      "interview_result_ids": ["00000000-0000-4000-8000-00000000ffff"]})
    assert unknown.status_code == 422 and unknown.json()["name"] == "interview_result_ids"
    before = credits.used(sb.state)
    response = client.post("/job-interview-pdf", json={"export_type": "json", "interview_result_id": world["result_id"],
                                                       "export_features_result": {"mojito_language_code": "de"}})
    assert response.status_code == 200
    assert credits.used(sb.state) == pytest.approx(before + 0.1)
    assert sb.state.credit_ledger[-1]["event"] == "candidate_report_translation"


# --- lists and pagination -----------------------------------------------------------------------

@pytest.mark.parametrize("endpoint", ["merchant-avatar-list", "merchant-result-list", "merchant-candidate-list",
                                      "merchant-interview-list"])
@pytest.mark.parametrize("params", [{"limit": "0"}, {"limit": "1001"}, {"limit": "ten"}, {"offset": "-1"}])
def test_pagination_limits_are_validated(client, endpoint, params):
    response = client.get(f"/{endpoint}", params=params)
    assert response.status_code == 422
    assert response.json()["name"] == next(iter(params))


def test_pagination_envelope(client):
    ids = [create_interview(client, name=f"Interview {i}") for i in range(5)]
    page = client.get("/merchant-interview-list", params={"limit": "2", "offset": "1"}).json()
    assert page["pagination"] == {"total": 5, "limit": 2, "offset": 1, "has_more": True}
    last = client.get("/merchant-interview-list", params={"limit": "2", "offset": "4"}).json()
    assert last["pagination"]["has_more"] is False and len(last["data"]) == 1
    default = client.get("/merchant-interview-list").json()["pagination"]
    assert default["limit"] == 50 and default["offset"] == 0
    everything = client.get("/merchant-interview-list", params={"limit": "1000"}).json()
    assert sorted(r["id"] for r in everything["data"]) == sorted(ids)
    filtered = client.get("/merchant-interview-list", params={"filter_text": "interview 3"}).json()["data"]
    assert [r["name"] for r in filtered] == ["Interview 3"]


def test_avatar_list_has_a_template_per_modality(client):
    rows = client.get("/merchant-avatar-list").json()["data"]
    assert {r["type"] for r in rows} == {"interactive_heygen", "interactive_elevenlabs", "offline_heygen", "offline_elai"}
    voice = client.get("/merchant-avatar-list", params={"type": "interactive_elevenlabs"}).json()["data"]
    assert [r["id"] for r in voice] == [TEMPLATE_IDS["interactive_elevenlabs"]]


def test_candidate_list(sb, client):
    interview_id = create_interview(client)
    register(client, interview_id, email="zed@example.com", name="Zed")
    register(client, interview_id, email="amy@example.com", name="Amy")
    client.post("/invite-users", json={"users": [{"email": "inv@example.com", "name": "Ivy", "type": "candidate",
                                                  "interview_id": interview_id}]})
    names = [r["name"] for r in client.get("/merchant-candidate-list",
                                           params={"order_by": "name_accending"}).json()["data"]]
    assert names == ["Amy", "Ivy", "Zed"]
    invited = client.get("/merchant-candidate-list", params={"source": "invited"}).json()["data"]
    assert [r["status"] for r in invited] == ["invited"]


# --- credits, status, transport details ---------------------------------------------------------

def test_interview_cost_follows_section_6(sb):
    cost = credits.interview_cost
    assert cost({"interview_template_type": "interactive_heygen", "max_duration": 1200}) == 2.5
    assert cost({"interview_template_type": "interactive_heygen", "recording": "video_all", "max_duration": 1800}) == 5.5
    assert cost({"interview_template_type": "interactive_elevenlabs", "recording_full_session": "audio_all",
                 "max_duration": 4800}) == 6.0
    assert cost({"interview_template_type": "offline_heygen", "max_duration": 2700}) == pytest.approx(1.05)
    assert cost({"interview_template_type": "interactive_heygen", "result_scoring": {"early_stop": True},
                 "max_duration": 3600}) == 6.0


def test_charge_interview_once_and_merchant_status(sb, client):
    world = build_world(sb)
    result = sb.state.results[world["result_id"]]
    before = client.get("/merchant-status").json()
    assert before["interviews_without_credits"] == 1
    assert credits.charge_interview(sb.state, result) == 2.5
    assert credits.charge_interview(sb.state, result) == 0.0
    after = client.get("/merchant-status").json()
    assert after["credits_interview_monthly"] == pytest.approx(before["credits_interview_monthly"] - 2.5)
    assert after["interviews_without_credits"] == 0
    assert after["invitations_limit"] == int(4 * after["credits_interview_monthly"])
    assert after["interview_results"] == 1 and after["candidates"] == 1 and len(after["candidates_history"]) == 14
    failed = submitted_result(sb, world["profile_interview_id"], status="draft", coach_status="abandoned")
    assert credits.charge_interview(sb.state, failed) == 0.0


def test_writes_need_post_and_unknown_paths_404(client):
    assert client.get("/job-interview-create").status_code == 405
    assert client.get("/no-such-function").status_code == 404


def test_invalid_json_body_is_422(client):
    response = client.post("/job-interview-create", content=b"{not json", headers={"Content-Type": "application/json"})
    assert response.status_code == 422


def test_state_persists_to_the_state_file(tmp_path):
    path = tmp_path / "sandbox.json"
    first = Sandbox(tokens=[TOKEN], state_file=path)
    interview_id = create_interview(api(first))
    second = Sandbox(tokens=[TOKEN], state_file=path)
    assert api(second).get("/job-interview-get", params={"position_id": interview_id}).status_code == 200


def test_non_merchant_users_get_403_or_the_documented_500_quirk():
    plain = Sandbox(tokens=[TOKEN], user_tokens=["learner"])
    assert api(plain, token="learner").get("/merchant-status").status_code == 403
    assert api(plain, token="learner").post("/job-interview-create", json={}).status_code == 403
    quirky = Sandbox(tokens=[TOKEN], user_tokens=["learner"], quirks_500_for_authorization=True)
    assert api(quirky, token="learner").get("/merchant-status").status_code == 403
    response = api(quirky, token="learner").post("/job-interview-create", json={})
    assert response.status_code == 500 and response.json()["error"]


def test_api_calls_are_recorded(sb, client):
    client.get("/merchant-status")
    client.post("/job-interview-create", json={})
    assert [(c["method"], c["endpoint"], c["status"]) for c in sb.state.api_calls] == [
        ("GET", "merchant-status", 200), ("POST", "job-interview-create", 422)]
