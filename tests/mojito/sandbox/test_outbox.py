"""Invitation emails: the sandbox's outbox, invitations_sent and the invitation headroom (API reference 6)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from mojito.sandbox import Sandbox, outbox

from .test_contract import TOKEN, api, create_interview


@pytest.fixture
def client(sb):
    return api(sb)


def register_users(client, interview_id, *emails, **fields):
    response = client.post("/job-interview-register-users", json={
        "interview_id": interview_id, "users": [{"name": f"Person {i}", "email": e} for i, e in enumerate(emails)],
        **fields})
    assert response.status_code == 200, response.text
    return response.json()


def status(client) -> dict:
    return client.get("/merchant-status").json()


def sandbox_page(sb, path, **params):
    import httpx

    with httpx.Client(transport=sb.transport(), base_url=sb.base_url) as raw:
        return raw.get(path, params=params)


# --- register-users -----------------------------------------------------------------------------

def test_type_invitation_emails_each_candidate_their_link(sb, client):
    interview_id = create_interview(client)
    rows = register_users(client, interview_id, "ada@example.com", "grace@example.com", type="invitation",
                          hide_menu=False)
    mails = outbox.emails(sb.state)
    assert [(m["recipient"], m["kind"]) for m in mails] == [
        ("ada@example.com", "interview_invitation"), ("grace@example.com", "interview_invitation")]
    for mail, row in zip(mails, rows):
        assert mail["link"] == row["interview_url"] and mail["interview_id"] == interview_id
        assert mail["profile_interview_id"] == row["profile_interview_id"] and mail["sent_at"]
    assert status(client)["invitations_sent"] == 2


@pytest.mark.parametrize("fields", [{"type": "url"}, {}, {"send_email": False}, {"type": "url", "send_email": True}])
def test_links_only_sends_nothing(sb, client, fields):
    register_users(client, create_interview(client), "ada@example.com", **fields)
    assert outbox.emails(sb.state) == []
    assert status(client)["invitations_sent"] == 0


def test_send_email_true_is_the_specs_way_to_ask_for_the_invitation(sb, client):
    register_users(client, create_interview(client), "ada@example.com", send_email=True)
    assert [m["kind"] for m in outbox.emails(sb.state)] == ["interview_invitation"]
    assert sb.emails(recipient="ada@example.com") == outbox.emails(sb.state)
    assert sb.emails(kind="team_invitation") == []


@pytest.mark.parametrize("bad", ["email", "sms", "URL", ""])
def test_an_unknown_type_is_refused_naming_the_field(sb, client, bad):
    response = client.post("/job-interview-register-users", json={
        "interview_id": create_interview(client), "type": bad, "users": [{"email": "ada@example.com"}]})
    assert response.status_code == 422
    assert response.json()["name"] == "type"
    assert "'invitation', 'url'" in response.json()["error"]
    assert not sb.state.enrolments and outbox.emails(sb.state) == []


def test_invitations_lower_the_headroom_and_stop_at_the_limit():
    sb = Sandbox(tokens=[TOKEN], credits_interview_monthly=0.5)  # 4 x 0.5 = 2 invitations
    client = api(sb)
    interview_id = create_interview(client)
    before = status(client)
    assert (before["invitations_limit"], before["invitations_available"], before["invitations_sent"]) == (2, 2, 0)
    rows = register_users(client, interview_id, "a@example.com", type="invitation")
    middle = status(client)
    assert (middle["invitations_sent"], middle["invitations_available"]) == (1, 1)
    rows += register_users(client, interview_id, "b@example.com", "c@example.com", type="invitation")
    assert [r["result"] for r in rows[:2]] == ["ok", "ok"]
    assert rows[2]["result"].startswith("Error: ") and "invitations limit 2" in rows[2]["result"]
    assert "interview_url" not in rows[2]
    after = status(client)
    assert (after["invitations_sent"], after["invitations_available"]) == (2, 0)
    links = register_users(client, interview_id, "d@example.com", type="url")
    assert links[0]["result"] == "ok", "links without email are not gated"
    assert [m["recipient"] for m in outbox.emails(sb.state)] == ["a@example.com", "b@example.com"]


def test_special_plans_have_no_invitation_limit():
    sb = Sandbox(tokens=[TOKEN], subscription_type="Special", credits_interview_monthly=0)
    client = api(sb)
    rows = register_users(client, create_interview(client), "a@example.com", type="invitation")
    assert rows[0]["result"] == "ok"
    body = status(client)
    assert body["invitations_limit"] is None and body["invitations_available"] is None
    assert body["invitations_sent"] == 1


def test_the_email_chain_ends_with_a_completion_notice(sb, client):
    interview_id = create_interview(client)
    invited, = register_users(client, interview_id, "ada@example.com", type="invitation")
    plain, = register_users(client, interview_id, "bob@example.com", type="url")
    for row in (invited, plain):
        sb.complete(row["profile_interview_id"])
    notices = outbox.emails(sb.state, kind="completion_notice")
    assert [m["recipient"] for m in notices] == ["ada@example.com"]
    assert status(client)["invitations_sent"] == 1


# --- invite-users -------------------------------------------------------------------------------

def test_invite_users_emails_each_person_and_force_invite_resends(sb, client):
    interview_id = create_interview(client)
    rows = client.post("/invite-users", json={
        "message_from_recruiter": "We'd love you to complete this short interview.", "mojito_language_code": "de",
        "users": [{"email": "cand@example.com", "name": "Cand", "type": "candidate", "interview_id": interview_id},
                  {"email": "team@example.com", "type": "merchant"},
                  {"email": "learner@example.com", "type": "user"},
                  {"email": "oops", "type": "merchant"}]}).json()
    assert [r["result"] for r in rows[:3]] == ["Invited"] * 3
    mails = outbox.emails(sb.state)
    assert [(m["recipient"], m["kind"]) for m in mails] == [
        ("cand@example.com", "candidate_invitation"), ("team@example.com", "team_invitation"),
        ("learner@example.com", "coaching_invitation")]
    candidate_mail = mails[0]
    assert candidate_mail["link"] == sb.state.enrolments[rows[0]["profile_interview_id"]]["url"]
    assert candidate_mail["message"] == "We'd love you to complete this short interview."
    assert candidate_mail["language"] == "de" and candidate_mail["resent"] is False
    assert status(client)["invitations_sent"] == 1  # only candidate invitations count

    again = client.post("/invite-users", json={"users": [
        {"email": "cand@example.com", "type": "candidate", "interview_id": interview_id}]}).json()
    assert again[0]["result"] == "Skipped" and len(outbox.emails(sb.state)) == 3
    forced = client.post("/invite-users", json={"force_invite": True, "users": [
        {"email": "cand@example.com", "type": "candidate", "interview_id": interview_id}]}).json()
    assert forced[0]["result"] == "Invited"
    resent = outbox.emails(sb.state, recipient="CAND@example.com")
    assert len(resent) == 2 and resent[1]["resent"] is True and resent[1]["link"] == candidate_mail["link"]
    assert status(client)["invitations_sent"] == 2


def test_the_emailed_candidate_link_opens_the_interview(sb, client):
    interview_id = create_interview(client)
    client.post("/invite-users", json={"users": [
        {"email": "cand@example.com", "type": "candidate", "interview_id": interview_id}]})
    link = urlsplit(outbox.emails(sb.state)[0]["link"])
    page = sandbox_page(sb, link.path, **dict(p.split("=", 1) for p in link.query.split("&")))
    assert page.status_code == 200 and "<form" in page.text


# --- where people see it ------------------------------------------------------------------------

def test_the_overview_shows_the_emails_sent(sb, client):
    interview_id = create_interview(client, name="Backend engineer")
    register_users(client, interview_id, "ada@example.com", type="invitation")
    page = sandbox_page(sb, "/sandbox/")
    assert page.status_code == 200
    section = page.text.split("<h2>Emails sent</h2>", 1)[1].split("<h2>", 1)[0]
    assert "ada@example.com" in section and "Interview invitation" in section and "Backend engineer" in section
    assert ">open</a>" in section
    assert "1 of 400 candidate invitations emailed this month" in section


def test_the_outbox_endpoint_returns_the_emails_and_the_headroom(sb, client):
    interview_id = create_interview(client)
    register_users(client, interview_id, "ada@example.com", "bob@example.com", type="invitation")
    body = sandbox_page(sb, "/sandbox/api/outbox", recipient="bob@example.com").json()
    assert [m["recipient"] for m in body["emails"]] == ["bob@example.com"]
    assert set(body["emails"][0]) == {"id", "kind", "recipient", "name", "interview_id", "profile_interview_id",
                                      "link", "message", "language", "resent", "sent_at"}
    assert (body["invitations_sent"], body["invitations_limit"], body["invitations_available"]) == (2, 400, 398)
    bad = sandbox_page(sb, "/sandbox/api/outbox", kind="fax")
    assert bad.status_code == 422 and bad.json()["name"] == "kind"


def test_the_outbox_is_saved_with_the_state(tmp_path):
    state_file = tmp_path / "state.json"
    first = Sandbox(tokens=[TOKEN], state_file=state_file)
    register_users(api(first), create_interview(api(first)), "ada@example.com", type="invitation")
    first.state.save()
    first.close()
    again = Sandbox(tokens=[TOKEN], state_file=state_file)
    try:
        assert [m["recipient"] for m in outbox.emails(again.state)] == ["ada@example.com"]
    finally:
        again.close()
