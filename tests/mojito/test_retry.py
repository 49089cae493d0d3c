"""Which failures are retried, how often, and how long the client waits (reliability.md 1.3, 1.5)."""

from __future__ import annotations

import statistics

import httpx
import pytest

from mojito.errors import (
    AuthenticationFailed,
    Conflict,
    InvalidRequest,
    MojitoOutcomeUnknown,
    MojitoTransportError,
    NotFound,
    PermissionDenied,
    ServerError,
)
from mojito.retry import RetryPolicy, is_repeatable
from tests.mojito.test_client_samples import (
    CALLS,
    INTERVIEW_ID,
    POSITION_ID,
    SAMPLES,
    FakeClock,
    Recorder,
    make_client,
)


def _req():
    return httpx.Request("POST", "https://jm.example.test/x")


def connect_error():
    return httpx.ConnectError("connection refused", request=_req())


def read_timeout():
    return httpx.ReadTimeout("timed out", request=_req())


def status(code, error="boom"):
    return httpx.Response(code, json={"error": error})


# --- classification ---------------------------------------------------------------------------

REPEATABLE_CASES = [
    ("job-interview-get", "GET", {}, True),
    ("job-interview-details", "GET", {}, True),
    ("merchant-result-list", "GET", {}, True),
    ("merchant-status", "GET", {}, True),
    ("job-interview-set-state", "POST", {"position_id": "p", "status": "active"}, True),
    ("job-interview-register-users", "POST", {"users": []}, True),
    ("job-interview-pdf", "POST", {"export_type": "pdf"}, True),
    ("job-interview-token", "POST", {"type": "interview-result-candidate"}, True),
    ("invite-users", "POST", {"users": []}, True),
    ("invite-users", "POST", {"users": [], "force_invite": False}, True),
    ("invite-users", "POST", {"users": [], "force_invite": True}, False),
    ("pre-screening-create", "POST", {"update_position_def_set_id": POSITION_ID}, True),
    ("pre-screening-create", "POST", {"position_name": "PM"}, False),
    ("pre-screening-create", "POST", {"update_position_def_set_id": ""}, False),
    ("job-interview-create-for-candidate-with-token", "POST", {"position_def_set_id": POSITION_ID}, True),
    ("job-interview-create-for-candidate-with-token", "POST", {"position_external_id": "JOB-1"}, True),
    ("job-interview-create-for-candidate-with-token", "POST", {"position_name": "PM"}, False),
    ("job-interview-create", "POST", {}, False),
    ("job-interview-create-from-array", "POST", {}, False),
    ("job-interview-pre-screening-api-resume-text", "POST", {}, False),
    ("job-interview-pre-screening-api-resume-binary", "POST", {}, False),
    ("knowledge-base-document-upload", "POST", {}, False),
    ("job-interview-result-request-another-attempt", "POST", {}, False),
]


@pytest.mark.parametrize("endpoint,method,payload,expected", REPEATABLE_CASES)
def test_repeatable_classification(endpoint, method, payload, expected):
    assert is_repeatable(endpoint, method, payload) is expected


# Non-repeatable calls as services make them (endpoint label, callable).
NON_REPEATABLE_CALLS = [
    ("create", CALLS["job-interview-create"]),
    ("create-from-array", CALLS["job-interview-create-from-array"]),
    ("create-for-candidate without ids", lambda c: c.create_interview_for_candidate(
        candidate_name="J", candidate_email="j@example.com", candidate_country_code="HR", candidate_resume="cv",
        position_name="PM", position_location="Zagreb", position_country_code="HR", mojito_language_code="hr")),
    ("pre-screening create mode", lambda c: c.upsert_pre_screening(
        position_name="PM", position_location="Zagreb", position_country_code="HR", mojito_language_code="hr")),
    ("resume text", CALLS["job-interview-pre-screening-api-resume-text"]),
    ("resume binary", CALLS["job-interview-pre-screening-api-resume-binary"]),
    ("kb upload", CALLS["knowledge-base-document-upload"]),
    ("invite with force", lambda c: c.invite_users([{"email": "a@example.com"}], force_invite=True)),
    ("another attempt", CALLS["job-interview-result-request-another-attempt"]),
]

REPEATABLE_CALLS = [
    ("register-users", CALLS["job-interview-register-users"]),
    ("set-state", CALLS["job-interview-set-state"]),
    ("pdf", CALLS["job-interview-pdf"]),
    ("invite without force", CALLS["invite-users"]),
    ("pre-screening update", CALLS["pre-screening-create"]),
    ("create-for-candidate with position id", CALLS["job-interview-create-for-candidate-with-token"]),
    ("create-for-candidate with external id", lambda c: c.create_interview_for_candidate(
        candidate_name="J", candidate_email="j@example.com", candidate_country_code="HR", candidate_resume="cv",
        position_external_id="JOB-1")),
    ("get", CALLS["job-interview-get"]),
    ("details", CALLS["job-interview-details"]),
    ("list", CALLS["merchant-result-list"]),
]


def _ok_reply(request):
    endpoint = request.url.path.rsplit("/", 1)[-1]
    return httpx.Response(200, json=SAMPLES[endpoint])


# --- request never left: retried for every call -----------------------------------------------

@pytest.mark.parametrize("endpoint", ["job-interview-register-users", "job-interview-create"])
def test_connect_error_twice_then_success_is_three_requests(endpoint):
    rec = Recorder(connect_error(), connect_error(), _ok_reply)
    client = make_client(rec)
    out = CALLS[endpoint](client)
    assert rec.count == 3
    assert out
    assert len(client.fake_clock.sleeps) == 2


@pytest.mark.parametrize("exc", [
    httpx.ConnectTimeout("t", request=_req()), httpx.PoolTimeout("t", request=_req()),
    httpx.ConnectError("e", request=_req()),
])
@pytest.mark.parametrize("label,call", NON_REPEATABLE_CALLS + REPEATABLE_CALLS)
def test_never_sent_failures_are_retried_for_all_calls(label, call, exc):
    rec = Recorder(exc, _ok_reply)
    call(make_client(rec))
    assert rec.count == 2


def test_connect_errors_until_the_bound_raise_a_transport_error_not_outcome_unknown():
    rec = Recorder(connect_error())
    with pytest.raises(MojitoTransportError) as info:
        CALLS["job-interview-create"](make_client(rec, max_attempts=3))
    assert not isinstance(info.value, MojitoOutcomeUnknown)
    assert rec.count == 3


# --- request may have arrived ----------------------------------------------------------------------

MAYBE_SENT = [
    httpx.ReadTimeout("t", request=_req()),
    httpx.RemoteProtocolError("server disconnected", request=_req()),
    httpx.ReadError("reset", request=_req()),
    httpx.WriteError("broken pipe", request=_req()),
    httpx.WriteTimeout("t", request=_req()),
]


@pytest.mark.parametrize("exc", MAYBE_SENT, ids=lambda e: type(e).__name__)
@pytest.mark.parametrize("label,call", NON_REPEATABLE_CALLS)
def test_no_answer_on_a_non_repeatable_call_is_outcome_unknown_after_one_request(label, call, exc):
    rec = Recorder(exc, _ok_reply)
    client = make_client(rec)
    with pytest.raises(MojitoOutcomeUnknown):
        call(client)
    assert rec.count == 1
    assert client.fake_clock.sleeps == []


def test_read_timeout_on_create_interview_is_exactly_one_request():
    rec = Recorder(read_timeout(), _ok_reply)
    with pytest.raises(MojitoOutcomeUnknown) as info:
        CALLS["job-interview-create"](make_client(rec))
    assert rec.count == 1
    assert info.value.endpoint == "job-interview-create"
    assert "Look the object up" in info.value.message


def test_an_undecodable_answer_to_a_create_is_outcome_unknown():
    rec = Recorder(httpx.DecodingError("bad gzip", request=_req()))
    with pytest.raises(MojitoOutcomeUnknown):
        CALLS["job-interview-create"](make_client(rec))
    assert rec.count == 1


@pytest.mark.parametrize("exc", [httpx.UnsupportedProtocol("ftp"), httpx.LocalProtocolError("bad header")])
def test_a_request_that_could_not_be_sent_is_a_plain_transport_error(exc):
    rec = Recorder(exc)
    with pytest.raises(MojitoTransportError) as info:
        CALLS["job-interview-create"](make_client(rec))
    assert not isinstance(info.value, MojitoOutcomeUnknown)
    assert rec.count == 1


def test_connect_error_then_read_timeout_on_create_is_outcome_unknown_after_two_requests():
    rec = Recorder(connect_error(), read_timeout(), _ok_reply)
    with pytest.raises(MojitoOutcomeUnknown):
        CALLS["job-interview-create"](make_client(rec))
    assert rec.count == 2


@pytest.mark.parametrize("exc", MAYBE_SENT, ids=lambda e: type(e).__name__)
@pytest.mark.parametrize("label,call", REPEATABLE_CALLS)
def test_no_answer_on_a_repeatable_call_is_retried(label, call, exc):
    rec = Recorder(exc, exc, _ok_reply)
    call(make_client(rec))
    assert rec.count == 3


def test_no_answer_on_a_repeatable_call_gives_up_at_max_attempts():
    rec = Recorder(read_timeout())
    with pytest.raises(MojitoTransportError) as info:
        CALLS["job-interview-register-users"](make_client(rec, max_attempts=4))
    assert not isinstance(info.value, MojitoOutcomeUnknown)
    assert rec.count == 4


# --- 5xx -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("code", [500, 502, 503, 504])
@pytest.mark.parametrize("label,call", REPEATABLE_CALLS)
def test_5xx_on_a_safe_call_is_retried_within_the_bound_then_raises(label, call, code):
    rec = Recorder(status(code))
    client = make_client(rec, max_attempts=3)
    with pytest.raises(ServerError) as info:
        call(client)
    assert rec.count == 3
    assert info.value.status_code == code
    assert len(client.fake_clock.sleeps) == 2


def test_5xx_then_success_on_a_safe_call():
    rec = Recorder(status(503), status(502), _ok_reply)
    rows = CALLS["job-interview-register-users"](make_client(rec))
    assert rec.count == 3 and rows[0].ok


@pytest.mark.parametrize("label,call", NON_REPEATABLE_CALLS)
def test_5xx_on_a_non_repeatable_call_is_one_request(label, call):
    rec = Recorder(status(500, "Internal error"), _ok_reply)
    with pytest.raises(ServerError) as info:
        call(make_client(rec))
    assert rec.count == 1
    assert info.value.message == "Internal error"


# --- 4xx -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("code,cls", [(401, AuthenticationFailed), (403, PermissionDenied), (404, NotFound),
                                      (409, Conflict), (422, InvalidRequest)])
@pytest.mark.parametrize("endpoint", ["job-interview-get", "job-interview-register-users",
                                      "job-interview-create", "job-interview-set-state"])
def test_4xx_is_never_retried(endpoint, code, cls):
    rec = Recorder(httpx.Response(code, json={"error": "nope", "name": "position_id"}), _ok_reply)
    client = make_client(rec)
    with pytest.raises(cls) as info:
        CALLS[endpoint](client)
    assert rec.count == 1
    assert client.fake_clock.sleeps == []
    assert (info.value.message, info.value.field) == ("nope", "position_id")


# --- backoff -----------------------------------------------------------------------------------

def test_backoff_is_full_jitter_and_capped():
    client = make_client(Recorder({}), backoff_base=0.5, backoff_cap=5.0)
    for attempt, ceiling in [(1, 0.5), (2, 1.0), (3, 2.0), (4, 4.0), (5, 5.0), (12, 5.0)]:
        samples = [client.backoff_delay(attempt) for _ in range(1000)]
        assert all(0 <= s <= ceiling for s in samples)
        mean = statistics.mean(samples)
        assert max(samples) - min(samples) > 0.1 * mean  # jittered, not all equal
        assert 0.4 * ceiling < mean < 0.6 * ceiling  # uniform over [0, ceiling]
        assert len(set(samples)) > 900


def test_backoff_uses_random_uniform(monkeypatch):
    calls = []
    monkeypatch.setattr("mojito.retry.random.uniform", lambda a, b: calls.append((a, b)) or b)
    policy = RetryPolicy(base=0.5, cap=5.0)
    assert [policy.backoff_delay(n) for n in (1, 2, 3, 4, 5, 6)] == [0.5, 1.0, 2.0, 4.0, 5.0, 5.0]
    assert all(a == 0 for a, _ in calls)


def test_sleeps_use_the_backoff_delays(monkeypatch):
    monkeypatch.setattr("mojito.retry.random.uniform", lambda a, b: b)
    rec = Recorder(status(503))
    client = make_client(rec, max_attempts=4, backoff_base=0.5, backoff_cap=5.0)
    with pytest.raises(ServerError):
        client.get_merchant_status()
    assert client.fake_clock.sleeps == [0.5, 1.0, 2.0]


def test_deadline_bounds_total_sleep(monkeypatch):
    monkeypatch.setattr("mojito.retry.random.uniform", lambda a, b: b)  # worst case: longest waits
    clock = FakeClock()

    def slow_503(request):
        clock.now += 0.3  # each attempt takes time too
        return status(503)
    rec = Recorder(slow_503)
    client = make_client(rec, clock=clock, max_attempts=100, retry_deadline=10.0, backoff_base=1.0,
                         backoff_cap=4.0)
    start = clock.now
    with pytest.raises(ServerError):
        client.get_merchant_status()
    assert sum(clock.sleeps) <= 10.0
    # the last sleep ended before the deadline: no sleeping past it
    assert clock.now - start - 0.3 < 10.0
    assert rec.count < 100


def test_deadline_with_jitter_never_sleeps_past_it():
    for _ in range(50):
        clock = FakeClock()
        rec = Recorder(connect_error())
        client = make_client(rec, clock=clock, max_attempts=1000, retry_deadline=3.0, backoff_base=0.5,
                             backoff_cap=2.0)
        with pytest.raises(MojitoTransportError):
            client.get_merchant_status()
        assert sum(clock.sleeps) < 3.0


def test_max_attempts_one_means_no_retry():
    rec = Recorder(connect_error(), _ok_reply)
    with pytest.raises(MojitoTransportError):
        make_client(rec, max_attempts=1).get_merchant_status()
    assert rec.count == 1


def test_real_sleep_is_not_used_in_tests(monkeypatch):
    monkeypatch.setattr("time.sleep", lambda s: pytest.fail("real sleep"))
    rec = Recorder(connect_error(), _ok_reply)
    make_client(rec).get_interview_definition(INTERVIEW_ID)
    assert rec.count == 2
