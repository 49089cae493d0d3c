"""Error statuses, bad 200 bodies, configuration mistakes, timeouts and null tolerance."""

from __future__ import annotations

import copy

import httpx
import pytest
from django.core.exceptions import ImproperlyConfigured

from mojito.client import MojitoClient
from mojito.errors import (
    AuthenticationFailed,
    Conflict,
    InvalidRequest,
    MojitoAPIError,
    MojitoError,
    MojitoTransportError,
    NotFound,
    PermissionDenied,
    ServerError,
)
from tests.mojito.test_client_samples import (
    BASE_URL,
    CALLS,
    ENDPOINTS,
    SAMPLES,
    TOKEN,
    Recorder,
    make_client,
    validate,
)

STATUS_CLASSES = [
    (401, AuthenticationFailed),
    (403, PermissionDenied),
    (404, NotFound),
    (409, Conflict),
    (422, InvalidRequest),
    (500, ServerError),
    (502, ServerError),
    (503, ServerError),
]


@pytest.mark.parametrize("status,cls", STATUS_CLASSES)
def test_error_status_maps_to_its_class_with_message_and_field(status, cls):
    envelope = {"error": "Field is required.", "name": "interview_template_id"}
    rec = Recorder(httpx.Response(status, json=envelope))
    client = make_client(rec, max_attempts=1)
    with pytest.raises(cls) as info:
        CALLS["job-interview-create"](client)
    err = info.value
    assert err.status_code == status
    assert err.message == "Field is required."
    assert err.field == "interview_template_id"
    assert err.endpoint == "job-interview-create"
    assert "422" in str(InvalidRequest("x", status_code=422)) and TOKEN not in str(err)


@pytest.mark.parametrize("endpoint", sorted(ENDPOINTS))
def test_every_documented_error_status_of_every_endpoint(endpoint):
    for status in ENDPOINTS[endpoint]["responses"]:
        if status == "200":
            continue
        envelope = {"error": f"problem {status}", "name": "position_id"}
        validate(endpoint, envelope, status)
        rec = Recorder(httpx.Response(int(status), json=envelope))
        with pytest.raises(MojitoAPIError) as info:
            CALLS[endpoint](make_client(rec, max_attempts=1))
        assert info.value.status_code == int(status)
        assert (info.value.message, info.value.field) == (f"problem {status}", "position_id")


def test_envelope_without_name_has_no_field():
    rec = Recorder(httpx.Response(403, json={"error": "Not a merchant user"}))
    with pytest.raises(PermissionDenied) as info:
        make_client(rec).get_merchant_status()
    assert info.value.field is None and info.value.message == "Not a merchant user"


@pytest.mark.parametrize("response", [
    httpx.Response(502, text="<html>Bad gateway</html>", headers={"content-type": "text/html"}),
    httpx.Response(500, json={"message": "no error key"}),
    httpx.Response(500, json=["not", "an", "object"]),
    httpx.Response(404, content=b""),
])
def test_error_without_a_usable_envelope_gets_a_generic_message(response):
    rec = Recorder(response)
    with pytest.raises(MojitoAPIError) as info:
        make_client(rec, max_attempts=1).get_interview_definition("x")
    assert info.value.status_code == response.status_code
    assert str(response.status_code) in info.value.message
    assert "Bad gateway" not in info.value.message


def test_other_4xx_is_a_plain_api_error():
    rec = Recorder(httpx.Response(418, json={"error": "teapot"}))
    with pytest.raises(MojitoAPIError) as info:
        make_client(rec).get_merchant_status()
    assert type(info.value) is MojitoAPIError and info.value.status_code == 418


@pytest.mark.parametrize("response,fragment", [
    (httpx.Response(200, text="<html>login</html>", headers={"content-type": "text/html"}), "not JSON"),
    (httpx.Response(200, content=b""), "not JSON"),
    (httpx.Response(200, json=["a", "list"]), "expected a JSON dict"),
    (httpx.Response(200, json="a string"), "expected a JSON dict"),
])
def test_bad_200_body_raises_a_clear_api_error(response, fragment):
    rec = Recorder(response)
    with pytest.raises(MojitoAPIError) as info:
        make_client(rec).get_interview_definition("x")
    assert fragment in info.value.message
    assert "login" not in info.value.message  # no body contents
    assert info.value.status_code == 200


@pytest.mark.parametrize("call,body", [
    (lambda c: c.generate_interview_url("interview-result-candidate", interview_result_id="r"), {"url": "x"}),
    (lambda c: c.register_users_for_interview("i", [{"email": "a@b.c"}]), {"result": "ok"}),
    (lambda c: c.invite_users([{"email": "a@b.c"}]), ["Invited"]),
    (lambda c: c.list_avatars(), ["row"]),
    (lambda c: c.list_avatars(), {"data": {"id": "x"}, "pagination": None}),
    (lambda c: c.list_avatars(), {"data": [], "pagination": "none"}),
])
def test_wrongly_shaped_200_raises(call, body):
    with pytest.raises(MojitoAPIError, match="unexpected 200 body"):
        call(make_client(Recorder(body)))


@pytest.mark.parametrize("base_url,token", [("", TOKEN), (None, TOKEN), (BASE_URL, ""), (BASE_URL, None)])
def test_missing_configuration_is_improperly_configured(base_url, token):
    with pytest.raises(ImproperlyConfigured) as info:
        MojitoClient(base_url, token)
    assert not isinstance(info.value, MojitoError)


@pytest.mark.parametrize("base_url,token", [
    ("cool.jobmojito.com/functions/v1", TOKEN), (BASE_URL, "two words"), (BASE_URL, "tok\u00e9n"),
])
def test_malformed_configuration_is_improperly_configured_without_echoing_the_token(base_url, token):
    with pytest.raises(ImproperlyConfigured) as info:
        MojitoClient(base_url, token)
    assert token not in str(info.value)


def test_token_with_a_trailing_newline_is_stripped():
    rec = Recorder({})
    client = MojitoClient(BASE_URL, TOKEN + "\n", transport=httpx.MockTransport(rec), record_calls=False)
    client.request_another_interview_attempt("r")
    assert rec.last.headers["authorization"] == f"Bearer {TOKEN}"


def test_unusable_transport_failure_is_a_transport_error_without_retry():
    rec = Recorder(httpx.UnsupportedProtocol("bad scheme"))
    with pytest.raises(MojitoTransportError):
        make_client(rec).get_merchant_status()
    assert rec.count == 1


def test_trailing_slash_in_base_url():
    rec = Recorder(SAMPLES["merchant-status"])
    client = MojitoClient(BASE_URL + "/", TOKEN, transport=httpx.MockTransport(rec), record_calls=False)
    client.get_merchant_status()
    assert rec.last.url.path == "/functions/v1/merchant-status"


def test_repr_never_shows_the_token():
    client = make_client(Recorder({}))
    assert TOKEN not in repr(client)


# --- timeouts -----------------------------------------------------------------------------------

def _timeouts_seen(call, **kwargs):
    seen = []

    def reply(request):
        seen.append(request.extensions["timeout"])
        return httpx.Response(200, json=copy.deepcopy(SAMPLES[endpoint]))
    for endpoint, fn in CALLS.items():
        if fn is call:
            break
    call(make_client(Recorder(reply), **kwargs))
    return seen[0]


AI = {"job-interview-create", "job-interview-create-from-array", "job-interview-create-for-candidate-with-token",
      "job-interview-pdf", "pre-screening-create", "job-interview-pre-screening-api-resume-text",
      "job-interview-pre-screening-api-resume-binary", "knowledge-base-document-upload"}


@pytest.mark.parametrize("endpoint", sorted(CALLS))
def test_every_call_has_explicit_finite_timeouts(endpoint):
    timeout = _timeouts_seen(CALLS[endpoint])
    assert timeout["connect"] == 5.0
    assert timeout["read"] == (60.0 if endpoint in AI else 15.0)
    assert all(isinstance(timeout[k], float) and timeout[k] > 0 for k in ("connect", "read", "write", "pool"))


def test_timeouts_are_configurable():
    timeout = _timeouts_seen(CALLS["job-interview-create"], connect_timeout=2.0, ai_read_timeout=90.0)
    assert (timeout["connect"], timeout["read"]) == (2.0, 90.0)
    timeout = _timeouts_seen(CALLS["merchant-status"], read_timeout=7.0)
    assert timeout["read"] == 7.0


# --- null tolerance -------------------------------------------------------------------------------

def _nulled(value):
    """Each variant of ``value`` with one field (top level, or inside a row / transcript item) set to None,
    plus one with every field None."""
    if isinstance(value, dict):
        for key in value:
            yield {**value, key: None}
            if isinstance(value[key], list):
                for i, item in enumerate(value[key]):
                    if isinstance(item, dict):
                        for sub in item:
                            rows = copy.deepcopy(value[key])
                            rows[i][sub] = None
                            yield {**value, key: rows}
        yield {key: None for key in value}
    elif isinstance(value, list):
        for i, row in enumerate(value):
            for key in row:
                rows = copy.deepcopy(value)
                rows[i][key] = None
                yield rows
        yield [{key: None for key in row} for row in value]
        yield [None for _ in value]


@pytest.mark.parametrize("endpoint", sorted(set(SAMPLES) - {"job-interview-token"}))
def test_null_in_any_field_still_parses(endpoint):
    variants = list(_nulled(SAMPLES[endpoint]))
    assert variants
    for variant in variants:
        out = CALLS[endpoint](make_client(Recorder(variant)))
        assert out is not None


def test_null_pagination_and_data_still_give_a_page():
    page = make_client(Recorder({"data": None, "pagination": None})).list_interviews()
    assert (page.data, page.total, page.has_more) == ([], 0, False)
    page = make_client(Recorder({"data": [{"id": "a"}], "pagination": {"total": None, "limit": None,
                                                                        "offset": None, "has_more": None}}))
    page = page.list_interviews(limit=10, offset=20)
    assert (page.total, page.limit, page.offset, page.has_more) == (21, 10, 20, False)


def test_null_rows_in_batch_results_are_failed_rows():
    rows = make_client(Recorder([None, {"email": None, "result": None}])).invite_users([{}, {}])
    assert [r.ok for r in rows] == [False, False]
    assert all(r.error for r in rows)


def test_unknown_keys_everywhere_are_kept():
    body = {"data": [{"id": "a", "brand_new": {"x": 1}}], "pagination": {"total": 1, "limit": 1, "offset": 0,
                                                                         "has_more": False, "cursor": "z"},
            "meta": 1}
    page = make_client(Recorder(body)).list_candidates()
    assert page.data[0]["brand_new"] == {"x": 1}
