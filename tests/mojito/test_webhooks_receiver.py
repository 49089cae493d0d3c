"""POST /mojito/webhooks/: authenticate, limit, validate, store, hand over (reliability.md 2.5)."""

import json
import threading
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from mojito import webhooks
from mojito.models import WebhookDelivery

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "webhooks"
URL = "/mojito/webhooks/"
HEADER = "X-Mojito-Webhook-Secret"


def fixture(name: str) -> dict:
    return json.loads((FIXTURES / f"{name}.json").read_text())


@pytest.fixture
def handed_over(monkeypatch):
    """Ids handed to the processing queue (the real enqueue is replaced)."""
    ids: list[int] = []
    monkeypatch.setattr("recruiting.tasks.webhooks.webhook_process.delay", lambda pk: ids.append(pk))
    return ids


def post(client, payload, secret="test-webhook-secret", **extra):
    body = payload if isinstance(payload, (bytes, str)) else json.dumps(payload)
    headers = {HEADER: secret} if secret is not None else {}
    headers.update(extra)
    return client.post(URL, data=body, content_type="application/json", headers=headers)


def test_url_name_resolves():
    assert reverse("mojito-webhooks") == URL


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name, event",
    [("interview_collected", "interview_collected"), ("interview_result", "interview_result"),
     ("interview_failed", "interview_failed"), ("legacy_envelope", "interview_result")],
)
def test_each_fixture_is_stored_with_its_event(client, handed_over, django_capture_on_commit_callbacks, name, event):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, fixture(name))
    assert response.status_code == 202
    delivery = WebhookDelivery.objects.get()
    assert delivery.event == event
    assert delivery.result_mojito_id == (fixture(name).get("record") or fixture(name))["id"]
    assert delivery.state == WebhookDelivery.State.PENDING
    assert json.loads(delivery.body) == fixture(name)
    assert handed_over == [delivery.pk]


@pytest.mark.django_db
@pytest.mark.parametrize("secret", [None, "", "wrong", "test-webhook-secret-but-longer", "TEST-WEBHOOK-SECRET"])
def test_missing_or_wrong_secret_is_401_without_a_write(client, handed_over, django_assert_num_queries, secret):
    with django_assert_num_queries(0):
        response = post(client, fixture("interview_result"), secret=secret)
    assert response.status_code == 401
    assert not WebhookDelivery.objects.exists()
    assert handed_over == []


@pytest.mark.django_db
def test_both_rotation_secrets_accepted_and_removed_one_rejected(client, handed_over, settings):
    assert post(client, fixture("interview_result"), secret="old-webhook-secret").status_code == 202
    assert post(client, fixture("interview_collected"), secret="test-webhook-secret").status_code == 202
    settings.MOJITO_WEBHOOK_SECRETS = ["test-webhook-secret"]
    assert post(client, fixture("interview_failed"), secret="old-webhook-secret").status_code == 401
    assert WebhookDelivery.objects.count() == 2


@pytest.mark.django_db
def test_no_secret_configured_rejects_everything(client, handed_over, settings):
    settings.MOJITO_WEBHOOK_SECRETS = []
    assert post(client, fixture("interview_result"), secret="").status_code == 401


def test_secret_comparison_is_constant_time(monkeypatch):
    calls = []
    real = webhooks.constant_time_compare
    monkeypatch.setattr(webhooks, "constant_time_compare", lambda a, b: calls.append((a, b)) or real(a, b))
    assert webhooks.secret_is_valid("b", ["a", "b", "c"])
    assert len(calls) == 3  # every configured secret is compared, no early exit


@pytest.mark.django_db
def test_custom_header_name(client, handed_over, settings):
    settings.MOJITO_WEBHOOK_HEADER = "Authorization"
    settings.MOJITO_WEBHOOK_SECRETS = ["Bearer s3cret"]
    response = client.post(URL, data=json.dumps(fixture("interview_result")), content_type="application/json",
                           headers={"Authorization": "Bearer s3cret"})
    assert response.status_code == 202
    assert "Authorization" not in WebhookDelivery.objects.get().headers


@pytest.mark.django_db
def test_secrets_and_cookies_are_not_stored(client, handed_over):
    post(client, fixture("interview_result"), Cookie="sessionid=abc", Authorization="Bearer x", X_Trace="t-1")
    headers = {k.lower(): v for k, v in WebhookDelivery.objects.get().headers.items()}
    assert HEADER.lower() not in headers
    assert "cookie" not in headers and "authorization" not in headers
    assert headers.get("x-trace") == "t-1"
    assert "test-webhook-secret" not in json.dumps(headers)


@pytest.mark.django_db
def test_body_over_the_cap_is_413_before_parsing(client, handed_over, settings, monkeypatch):
    settings.MOJITO_WEBHOOK_MAX_BYTES = 1000
    body = json.dumps(dict(fixture("interview_result"), ai_analysis="x" * 2000))
    monkeypatch.setattr(webhooks.json, "loads", lambda *a, **k: pytest.fail("parsed an oversized body"))
    assert post(client, body).status_code == 413
    assert not WebhookDelivery.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("body", [b"{not json", b"[]", b'"text"', b"{}", b'{"id": ""}', b'{"id": 42}', b"\xff\xfe"])
def test_malformed_bodies_are_400(client, handed_over, body):
    assert post(client, body).status_code == 400
    assert not WebhookDelivery.objects.exists()


@pytest.mark.django_db
def test_unknown_fields_are_accepted_and_stored(client, handed_over):
    payload = dict(fixture("interview_result"), brand_new_field={"nested": [1, None, "ü"]})
    assert post(client, payload).status_code == 202
    assert json.loads(WebhookDelivery.objects.get().body)["brand_new_field"] == {"nested": [1, None, "ü"]}


@pytest.mark.django_db
def test_identical_redelivery_collapses_with_200(client, handed_over):
    first = post(client, fixture("interview_result"))
    # Same content, different key order and whitespace: still the same delivery.
    again = post(client, json.dumps(fixture("interview_result"), indent=2, sort_keys=True))
    assert (first.status_code, again.status_code) == (202, 200)
    assert WebhookDelivery.objects.count() == 1


@pytest.mark.django_db
def test_genuine_update_is_a_new_delivery(client, handed_over):
    post(client, fixture("interview_result"))
    post(client, dict(fixture("interview_result"), score=7.5, reason="score"))
    assert WebhookDelivery.objects.filter(result_mojito_id=fixture("interview_result")["id"]).count() == 2


@pytest.mark.django_db
def test_state_without_event_is_stored_with_blank_event(client, handed_over):
    payload = dict(fixture("interview_result"), status="draft", interview_status="ongoing")
    assert post(client, payload).status_code == 202
    assert WebhookDelivery.objects.get().event == ""


@pytest.mark.django_db
def test_only_post_is_allowed(client):
    assert client.get(URL).status_code == 405


@pytest.mark.django_db
def test_csrf_is_not_required_and_login_is_not_required(handed_over):
    strict = Client(enforce_csrf_checks=True)
    assert post(strict, fixture("interview_result")).status_code == 202


@pytest.mark.django_db(transaction=True)
def test_the_view_stays_outside_atomic_requests(client, handed_over, monkeypatch):
    """With ATOMIC_REQUESTS on, the INSERT still commits on its own (the hand-over needs the row
    committed, and the view's health check of the connection needs to be outside a transaction)."""
    from django.db import connections

    from mojito.webhooks import WebhookReceiver

    monkeypatch.setitem(connections.settings["default"], "ATOMIC_REQUESTS", True)
    inside = []
    original = WebhookReceiver._insert_or_find.__func__
    monkeypatch.setattr(WebhookReceiver, "_insert_or_find",
                        classmethod(lambda cls, fields: inside.append(connection.in_atomic_block) or original(cls, fields)))
    assert post(client, fixture("interview_result")).status_code == 202
    assert inside == [False] and len(handed_over) == 1


@pytest.mark.django_db
def test_enqueue_failure_does_not_fail_the_sender(client, monkeypatch, django_capture_on_commit_callbacks):
    def broken(pk):
        raise ConnectionError("broker down")

    monkeypatch.setattr("recruiting.tasks.webhooks.webhook_process.delay", broken)
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, fixture("interview_result"))
    assert response.status_code == 202
    assert WebhookDelivery.objects.get().state == WebhookDelivery.State.PENDING


@pytest.mark.django_db
def test_redelivery_of_a_pending_row_hands_it_over_again(client, handed_over, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        post(client, fixture("interview_result"))
        post(client, fixture("interview_result"))
    delivery = WebhookDelivery.objects.get()
    assert handed_over == [delivery.pk, delivery.pk]
    WebhookDelivery.objects.update(state=WebhookDelivery.State.PROCESSED)
    with django_capture_on_commit_callbacks(execute=True):
        assert post(client, fixture("interview_result")).status_code == 200
    assert handed_over == [delivery.pk, delivery.pk]


@pytest.mark.django_db(transaction=True)
def test_at_most_three_queries_and_no_outbound_http(client, handed_over, django_assert_max_num_queries, monkeypatch):
    import httpx

    def no_http(*args, **kwargs):
        raise AssertionError("the webhook view made an outbound HTTP call")

    monkeypatch.setattr(httpx.Client, "send", no_http)
    with django_assert_max_num_queries(3):
        assert post(client, fixture("interview_result")).status_code == 202
    with django_assert_max_num_queries(3):
        assert post(client, fixture("interview_result")).status_code == 200
    assert handed_over  # on_commit ran after the real commit


@pytest.mark.django_db(transaction=True)
def test_concurrent_identical_deliveries_store_one_row(handed_over):
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith(("file:", ":memory:")):
        pytest.skip("concurrent writers need a file SQLite database or PostgreSQL")
    results = []

    def deliver():
        try:
            results.append(post(Client(), fixture("interview_result")).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [200, 200, 202]
    assert WebhookDelivery.objects.count() == 1


json_values = None
try:
    from hypothesis import HealthCheck, given, settings as hypothesis_settings, strategies as st

    json_values = st.recursive(
        st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70)
        | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=40),
        lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
        max_leaves=20,
    )
except ImportError:  # pragma: no cover
    pass


@pytest.mark.skipif(json_values is None, reason="hypothesis is not installed")
@pytest.mark.django_db
def test_any_json_object_gets_2xx_or_4xx_never_5xx(handed_over):
    @hypothesis_settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(payload=st.dictionaries(st.sampled_from(["id", "status", "interview_status", "processing_status",
                                                    "record", "table", "score", "x"]) | st.text(max_size=8),
                                   json_values, max_size=8))
    def check(payload):
        response = post(Client(), payload)
        assert response.status_code < 500, (payload, response.content)

    check()


def test_only_the_webhooks_and_the_signed_apply_form_skip_csrf():
    """The webhooks authenticate by their secret header; the public apply form (framed by an employer's
    site, where third-party cookies may be blocked) carries its own signed, expiring form token,
    tested in tests/recruiting/views/test_careers.py. Every other POST route keeps Django's CSRF check."""
    from django.urls import get_resolver
    from django.urls.resolvers import URLPattern, URLResolver

    def walk(patterns, prefix=""):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                if getattr(entry.urlconf_module, "__name__", "").startswith("django.contrib.admin"):
                    continue
                yield from walk(entry.url_patterns, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern):
                yield prefix + str(entry.pattern), entry.callback

    exempt = sorted(route for route, view in walk(get_resolver().url_patterns) if getattr(view, "csrf_exempt", False))
    # The webhook URLs (shared and per event: a secret header instead of a CSRF token) and the
    # candidates' apply form (framed by other sites; it carries its own signed token), nothing else.
    assert exempt == ["jobs/<slug:slug>/apply/", "mojito/webhooks/", "mojito/webhooks/<str:event>/"]


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["status", "interview_status", "processing_status"])
@pytest.mark.parametrize("value", [[], {}, 3, True])
def test_state_fields_of_the_wrong_type_are_stored_without_an_event(client, handed_over, field, value):
    assert post(client, {"id": "r-1", field: value}).status_code == 202
    assert WebhookDelivery.objects.get().event == ""


@pytest.mark.django_db(transaction=True)
def test_a_new_delivery_costs_one_round_trip_and_survives_a_dead_connection(handed_over, caplog):
    """The INSERT is the connection's health check (no SELECT 1 first); a connection the database
    dropped is replaced and the delivery stored once."""
    if connection.vendor != "postgresql":
        pytest.skip("persistent connections with health checks are PostgreSQL's setting here")
    from django.db import connections
    from django.test.utils import CaptureQueriesContext

    web = Client()
    assert post(web, fixture("interview_result")).status_code == 202  # opens the persistent connection
    backend_pid = connection.connection.info.backend_pid
    connection.health_check_enabled, connection.health_check_done = True, False  # as at a request's start
    checks = []
    original = connection.is_usable
    connection.is_usable = lambda: checks.append(1) or original()
    payload = fixture("interview_result") | {"score": 1.5}
    with CaptureQueriesContext(connection) as captured:
        assert post(web, payload).status_code == 202
    del connection.is_usable
    assert [q["sql"].split()[0] for q in captured.captured_queries] == ["INSERT"]
    assert checks == []  # no health-check query (SELECT 1) went out

    killer = connections.create_connection("default")
    with killer.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [backend_pid])
    killer.close()
    connection.health_check_enabled, connection.health_check_done = True, False
    assert post(web, fixture("interview_result") | {"score": 2.5}).status_code == 202
    assert "connection was unusable (OperationalError); retrying" in caplog.text
    assert WebhookDelivery.objects.count() == 3 and len(handed_over) == 3
    connection.close()


@pytest.mark.django_db
def test_a_redelivery_is_one_insert_that_does_nothing_and_no_error(client, handed_over):
    from django.test.utils import CaptureQueriesContext

    assert post(client, fixture("interview_result"), **{"X-Request-Id": "abc"}).status_code == 202
    stored = WebhookDelivery.objects.get()
    assert stored.state == "pending" and stored.attempts == 0 and stored.received_at is not None
    assert stored.headers.get("X-Request-Id") == "abc" and stored.event == "interview_result"
    with CaptureQueriesContext(connection) as captured:
        assert post(client, fixture("interview_result")).status_code == 200
    statements = [q["sql"].split()[0].upper() for q in captured.captured_queries]
    assert statements == ["INSERT", "SELECT"]  # no savepoint, no rollback: nothing raised
    assert "ON CONFLICT" in captured.captured_queries[0]["sql"]
    assert WebhookDelivery.objects.count() == 1
