"""Every interview URL the sandbox mints carries interview_token=<JWT>, checked by the candidate page."""

from __future__ import annotations

import base64
import json
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest

from mojito.sandbox import Sandbox, tokens

from .test_contract import STRONG_RESUME, create_position
from .test_contract import api as api_client
from .test_lifecycle_support import api, create_interview, in_process_client, register


def token_of(url: str) -> str:
    return parse_qs(urlsplit(url).query)["interview_token"][0]


def open_page(client, url: str, token: str | None = None):
    parts = urlsplit(url)
    params = {k: v[0] for k, v in parse_qs(parts.query).items()}
    if token is not None:
        params["interview_token"] = token
    return client.get(parts.path, params=params)


def segment(token: str, i: int) -> dict:
    part = token.split(".")[i]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def minted_urls(sb) -> dict[str, tuple[str, str]]:
    """url kind -> (interview URL, its profile_interview_id), one per minting endpoint."""
    client = in_process_client(sb)
    interview_id = create_interview(sb, client)
    registered = register(client, interview_id)
    other = register(client, interview_id, email="grace@example.com", name="Grace Hopper")
    by_token = api(client, "job-interview-token", {"type": "interview-for-profile", "interview_id": interview_id,
                                                   "interview_profile_id": other["profile_interview_id"]})
    assert by_token.status_code == 200, by_token.text
    raw = api_client(sb)
    position_id = create_position(raw)
    created = raw.post("/job-interview-create-for-candidate-with-token", json={
        "position_def_set_id": position_id, "candidate_name": "Jane Doe", "candidate_email": "jane@example.com",
        "candidate_country_code": "US", "candidate_resume": STRONG_RESUME}).json()
    return {"register-users": (registered["interview_url"], registered["profile_interview_id"]),
            "job-interview-token": (by_token.json(), other["profile_interview_id"]),
            "create-for-candidate": (created["interview_url"], created["profile_interview_id"])}


@pytest.mark.parametrize("source", ["register-users", "job-interview-token", "create-for-candidate"])
def test_every_minted_url_carries_a_signed_jwt_for_its_profile_interview(sb, source):
    url, profile_interview_id = minted_urls(sb)[source]
    token = token_of(url)
    assert token.count(".") == 2
    assert segment(token, 0) == {"alg": "HS256", "typ": "JWT"}
    claims = jwt.decode(token, tokens.signing_key(sb.state), algorithms=["HS256"], audience="interview")
    assert claims["sub"] == profile_interview_id and claims["iss"] == "jobmojito-sandbox"
    assert claims["exp"] - claims["iat"] == 30 * 24 * 3600
    page = open_page(in_process_client(sb), url)
    assert page.status_code == 200 and "<form" in page.text


def test_result_urls_carry_a_jwt_too(sb):
    client = in_process_client(sb)
    interview_id = create_interview(sb, client)
    url = api(client, "job-interview-token", {"type": "interview-results-for-position", "interview_id": interview_id}).json()
    claims = jwt.decode(token_of(url), tokens.signing_key(sb.state), algorithms=["HS256"], audience="result")
    assert claims["sub"] == interview_id and claims["typ"] == "interview-results-for-position"
    assert open_page(client, url).status_code == 200
    forged = jwt.encode({**claims, "sub": "someone-else"}, "not-the-sandbox-signing-key-but-long-enough", algorithm="HS256")
    assert open_page(client, url, forged).status_code == 403


def tampered_variants(sb, token: str, profile_interview_id: str) -> dict[str, str]:
    header, payload, signature = token.split(".")
    claims = segment(token, 1)
    other_payload = base64.urlsafe_b64encode(json.dumps({**claims, "exp": claims["exp"] + 10**6}).encode()).rstrip(b"=")
    flipped = signature[:-2] + ("A" if signature[-2] != "A" else "B") + signature[-1]
    return {
        "payload edited": f"{header}.{other_payload.decode()}.{signature}",
        "signature changed": f"{header}.{payload}.{flipped}",
        "signed with another key": jwt.encode(claims, "an-attacker-signing-key-of-adequate-length", algorithm="HS256"),
        "alg none": jwt.encode(claims, None, algorithm="none"),
        "not a jwt": "nope",
        "right key, other subject": jwt.encode({**claims, "sub": "00000000-0000-4000-8000-00000000beef"},
                                                tokens.signing_key(sb.state), algorithm="HS256"),
        "right key, result audience": jwt.encode({**claims, "aud": "result"}, tokens.signing_key(sb.state),
                                                  algorithm="HS256"),
    }


def test_a_tampered_token_shows_an_error_page_not_the_interview(sb):
    client = in_process_client(sb)
    row = register(client, create_interview(sb, client))
    for how, bad in tampered_variants(sb, token_of(row["interview_url"]), row["profile_interview_id"]).items():
        page = open_page(client, row["interview_url"], bad)
        assert page.status_code == 403, how
        assert "Interview unavailable" in page.text and "not valid" in page.text and "<form" not in page.text, how
        posted = client.post(urlsplit(row["interview_url"]).path, data={"interview_token": bad, "action": "submit"})
        assert posted.status_code == 403, how
    assert not sb.state.results


def test_an_expired_token_shows_an_error_page(sb):
    client = in_process_client(sb)
    row = register(client, create_interview(sb, client))
    enrolment = sb.state.enrolments[row["profile_interview_id"]]
    expired = tokens.mint(sb.state, audience="interview", subject=enrolment["id"],
                          token_type="interview-for-profile", ttl_s=-60)
    enrolment["token"] = expired  # the current link, genuinely signed, but past its exp
    page = open_page(client, row["interview_url"], expired)
    assert page.status_code == 410
    assert "expired" in page.text and "<form" not in page.text
    assert not sb.state.results


def test_token_lifetime_is_a_sandbox_setting(sb):
    client = in_process_client(sb)
    assert client.post("/sandbox/api/config", json={"interview_token_ttl_s": 3600}).status_code == 200
    row = register(client, create_interview(sb, client))
    claims = segment(token_of(row["interview_url"]), 1)
    assert claims["exp"] - claims["iat"] == 3600


def test_a_newer_link_replaces_the_older_one(sb):
    client = in_process_client(sb)
    interview_id = create_interview(sb, client)
    first = register(client, interview_id)
    second = register(client, interview_id)
    assert first["profile_interview_id"] == second["profile_interview_id"]
    page = open_page(client, first["interview_url"])
    assert page.status_code == 403 and "replaced by a newer one" in page.text
    assert open_page(client, second["interview_url"]).status_code == 200


def test_links_survive_a_restart_with_the_state_file(tmp_path):
    state_file = tmp_path / "sandbox.json"
    first = Sandbox(tokens=["sandbox-token"], base_url="http://sandbox.test:8765", state_file=state_file)
    client = in_process_client(first)
    row = register(client, create_interview(first, client))
    first.state.save()
    first.close()
    again = Sandbox(tokens=["sandbox-token"], base_url="http://sandbox.test:8765", state_file=state_file)
    try:
        assert open_page(in_process_client(again), row["interview_url"]).status_code == 200
    finally:
        again.close()
