"""The sandbox's /embed entry: signed links (mojito.embed) open the candidate page."""

from __future__ import annotations

import base64
from urllib.parse import parse_qs, urlsplit

import pytest

from mojito import embed
from mojito.sandbox import Sandbox

from .test_lifecycle_support import answer_fields, api, create_interview, form_of, in_process_client


@pytest.fixture
def setup():
    sb = Sandbox(tokens=["sandbox-token"])
    client = in_process_client(sb)
    interview_id = create_interview(sb, client)
    response = api(client, "job-interview-set-state", {"position_id": interview_id, "is_embedded": True})
    assert response.status_code == 200, response.text
    keys = response.json()
    yield sb, client, interview_id, keys["embed_id"], keys["embed_signing_key"]
    client.close()
    sb.close()


def get(client, url):
    parts = urlsplit(url)
    return client.get(parts.path, params={k: v[0] for k, v in parse_qs(parts.query).items()})


def test_signed_url_opens_the_candidate_page_and_enrols(setup):
    sb, client, interview_id, embed_id, key = setup
    url = embed.build_embed_url(sb.base_url, embed_id, "Grace Hopper", "Grace@Example.com", key)
    page = get(client, url)
    assert page.status_code == 200
    assert "Tell me about a data pipeline" in page.text and "Grace Hopper" in page.text
    assert answer_fields(page.text) == ["answer_0", "answer_1", "answer_2"]
    (enrolment,) = [e for e in sb.state.enrolments.values() if e["interview_id"] == interview_id]
    assert sb.state.profiles[enrolment["profile_id"]]["email"] == "grace@example.com"
    # the same person again: same enrolment, and the page's form submits the interview
    page = get(client, url)
    assert len([e for e in sb.state.enrolments.values() if e["interview_id"] == interview_id]) == 1
    action, hidden = form_of(page.text)
    done = client.post(action, data=dict(hidden, action="submit", answer_0="An answer with 3 numbers: 1 2 3."))
    assert done.status_code == 200 and "Thank you" in done.text
    (result,) = sb.state.results.values()
    assert result["status"] == "active" and result["candidate_email"] == "grace@example.com"


def _tamper(value: str) -> str:
    return value[:-1] + ("A" if value[-1] != "A" else "B")


@pytest.mark.parametrize("field", ["name", "email", "signature"])
def test_one_changed_character_is_refused(setup, field):
    sb, client, interview_id, embed_id, key = setup
    url = embed.build_embed_url(sb.base_url, embed_id, "Grace Hopper", "grace@example.com", key)
    params = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    if field == "signature":
        params["signature"] = params["signature"][:-1] + ("0" if params["signature"][-1] != "0" else "1")
    else:
        decoded = base64.b64decode(params[field]).decode()
        changed = decoded[:2] + ("x" if decoded[2] != "x" else "y") + decoded[3:]
        params[field] = base64.b64encode(changed.encode()).decode()
    response = client.get("/embed", params=params)
    assert response.status_code == 403
    assert not sb.state.results
    assert not [e for e in sb.state.enrolments.values() if e["interview_id"] == interview_id]


def test_missing_signature_and_unknown_embed(setup):
    sb, client, interview_id, embed_id, key = setup
    url = embed.build_embed_url(sb.base_url, embed_id, "Grace Hopper", "grace@example.com", key)
    params = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    params.pop("signature")
    assert client.get("/embed", params=params).status_code == 403
    assert client.get("/embed", params={"embed_id": "00000000-0000-4000-8000-0000000000ee"}).status_code == 404
    other_key = embed.build_embed_url(sb.base_url, embed_id, "Grace Hopper", "grace@example.com", "wrong-key")
    assert get(client, other_key).status_code == 403


def test_disabled_embedding_refuses_old_links(setup):
    sb, client, interview_id, embed_id, key = setup
    url = embed.build_embed_url(sb.base_url, embed_id, "Grace Hopper", "grace@example.com", key)
    assert api(client, "job-interview-set-state", {"position_id": interview_id, "is_embedded": False}).status_code == 200
    assert get(client, url).status_code == 404


def test_unsigned_embed_asks_for_name_and_email(setup):
    sb, client, interview_id, embed_id, key = setup
    form = client.get("/embed", params={"embed_id": embed_id})
    assert form.status_code == 200 and 'name="email_plain"' in form.text
    bad = client.post("/embed", data={"embed_id": embed_id, "name_plain": "X", "email_plain": "not-an-email"})
    assert bad.status_code == 422
    page = client.post("/embed", data={"embed_id": embed_id, "name_plain": "Alan Turing", "email_plain": "alan@example.com"})
    assert page.status_code == 200 and "Alan Turing" in page.text and 'name="answer_0"' in page.text


def test_embed_key_never_appears_in_pages(setup):
    sb, client, interview_id, embed_id, key = setup
    page = get(client, embed.build_embed_url(sb.base_url, embed_id, "Grace Hopper", "grace@example.com", key))
    assert key not in page.text
    assert key not in client.get("/sandbox/").text
