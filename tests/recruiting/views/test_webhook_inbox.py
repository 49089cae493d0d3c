"""/webhooks/: the inbox, one delivery's body, replaying one delivery and every failed one."""

import json

import pytest
from django.urls import reverse

from mojito.models import WebhookDelivery
from recruiting import webhooks
from recruiting.models import InterviewResult
from recruiting.selectors.webhook_inbox import SUMMARY_CAP
from tests.recruiting.test_webhook_handlers import completed, deliver  # noqa: F401 - the fixture
from tests.recruiting.views.test_prescreening import messages_of

pytestmark = pytest.mark.django_db

LIST = reverse("webhook_inbox:list")
State = WebhookDelivery.State


def make_delivery(state=State.PROCESSED, event="interview_result", body=None, **kw):
    n = WebhookDelivery.objects.count() + 1
    body = body if body is not None else json.dumps({"id": f"result-{n}", "status": "active"})
    return WebhookDelivery.objects.create(state=state, event=event, body=body, dedup_key=f"key-{n}-{state}",
                                          result_mojito_id=kw.pop("result_mojito_id", f"result-{n}"), **kw)


def failed_delivery(client, completed, sandbox):  # noqa: F811
    """A real delivery whose processing failed because JobMojito was down (the worker gave up)."""
    result_id, events = completed()
    delivery = deliver(client, events["interview_result"])
    sandbox.state.config.fault_rate, sandbox.state.config.fault_kinds = 1.0, ("503",)
    with pytest.raises(Exception):
        webhooks.process_delivery(delivery.pk)
    webhooks.mark_failed(delivery.pk, "ServerError: JobMojito did not answer")
    sandbox.state.config.fault_rate = 0.0
    delivery.refresh_from_db()
    assert delivery.state == State.FAILED
    return delivery, result_id


@pytest.mark.parametrize("url", [LIST, "/webhooks/1/"])
def test_it_sends_anonymous_visitors_to_the_login(client, url):
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize("url", ["/webhooks/1/replay/", "/webhooks/replay-failed/"])
def test_replays_need_a_login(client, url):
    response = client.post(url)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert not WebhookDelivery.objects.exists()


@pytest.mark.parametrize("url", ["/webhooks/1/replay/", "/webhooks/replay-failed/"])
def test_replays_are_post_only(recruiter_client, url):
    assert recruiter_client.get(url).status_code == 405


def test_it_lists_deliveries_with_state_event_result_attempts_and_error(recruiter_client):
    make_delivery(State.FAILED, "interview_failed", attempts=9, last_error="ServerError: 503 from JobMojito",
                  result_mojito_id="3f1c-result")
    make_delivery(State.IGNORED, "", last_error="result state matches no webhook event")
    page = recruiter_client.get(LIST).content.decode()
    rows = page[page.index("<tbody>"):]
    assert "Interview failed</a>" in rows and "(no event)</a>" in rows
    assert "Failed" in rows and "3f1c-result" in rows and ">9<" in rows
    assert "ServerError: 503 from JobMojito" in page and "Ignored" in page
    assert "1 failed" in page and "Replay 1 failed" in page and "last delivery" in page


def test_it_filters_by_state_event_and_result(recruiter_client):
    make_delivery(State.FAILED, "interview_failed", result_mojito_id="r-1")
    make_delivery(State.PROCESSED, "interview_result", result_mojito_id="r-2")
    make_delivery(State.PENDING, "interview_collected", result_mojito_id="r-3")
    ids = lambda q: [d.result_mojito_id for d in recruiter_client.get(LIST + q).context["page"]]  # noqa: E731
    assert ids("?state=failed") == ["r-1"]
    assert ids("?event=interview_collected") == ["r-3"]
    assert ids("?q=r-2") == ["r-2"]
    assert ids("?period=1h&sort=received") == ["r-1", "r-2", "r-3"]
    assert "No deliveries match" in recruiter_client.get(LIST + "?q=nothing").content.decode()


def test_the_empty_inbox_says_how_webhooks_arrive(recruiter_client):
    page = recruiter_client.get(LIST).content.decode()
    assert "No webhooks received yet" in page and "/mojito/webhooks/" in page and "Replay" not in page


def test_a_delivery_page_pretty_prints_the_body_and_hides_secrets(recruiter_client, settings):
    secret = settings.MOJITO_WEBHOOK_SECRETS[0]
    delivery = make_delivery(body=json.dumps({"id": "r-9", "candidate_name": "Ada", "note": f"echo {secret}"}),
                             headers={"Content-Type": "application/json", "User-Agent": "JobMojito"})
    page = recruiter_client.get(reverse("webhook_inbox:detail", args=[delivery.pk])).content.decode()
    assert '  &quot;candidate_name&quot;: &quot;Ada&quot;,\n' in page  # indented, one key a line
    assert "JobMojito" in page and secret not in page and "[redacted]" in page


def test_a_body_that_is_not_json_is_shown_as_it_came(recruiter_client):
    delivery = make_delivery(State.IGNORED, body="<xml>nope</xml>")
    page = recruiter_client.get(reverse("webhook_inbox:detail", args=[delivery.pk])).content.decode()
    assert "&lt;xml&gt;nope&lt;/xml&gt;" in page and "(not JSON)" in page


def test_missing_deliveries_are_404(recruiter_client):
    assert recruiter_client.get("/webhooks/999/").status_code == 404
    assert recruiter_client.post("/webhooks/999/replay/").status_code == 404


def test_replaying_a_failed_delivery_processes_it(recruiter_client, client, completed, sandbox):  # noqa: F811
    delivery, result_id = failed_delivery(client, completed, sandbox)
    assert not InterviewResult.objects.filter(mojito_id=result_id, score__isnull=False).exists()
    response = recruiter_client.post(reverse("webhook_inbox:replay", args=[delivery.pk]), follow=True)
    delivery.refresh_from_db()
    assert delivery.state == State.PROCESSED and delivery.last_error == ""
    assert InterviewResult.objects.get(mojito_id=result_id).score is not None
    assert f"Delivery #{delivery.pk} was replayed and processed." in messages_of(response)


def test_a_replay_that_fails_again_says_so_and_stays_failed(recruiter_client, client, completed, sandbox):  # noqa: F811
    delivery, _ = failed_delivery(client, completed, sandbox)
    sandbox.state.config.fault_rate, sandbox.state.config.fault_kinds = 1.0, ("500",)
    response = recruiter_client.post(reverse("webhook_inbox:replay", args=[delivery.pk]), follow=True)
    delivery.refresh_from_db()
    assert delivery.state == State.FAILED and "ServerError" in delivery.last_error
    assert f"Delivery #{delivery.pk} failed again" in messages_of(response)


def test_replaying_an_unknown_event_marks_it_ignored(recruiter_client, sandbox):
    delivery = make_delivery(State.FAILED, event="", body=json.dumps({"id": "x", "status": "draft"}))
    response = recruiter_client.post(reverse("webhook_inbox:replay", args=[delivery.pk]), follow=True)
    delivery.refresh_from_db()
    assert delivery.state == State.IGNORED
    assert "replayed and ignored: result state matches no webhook event" in messages_of(response)


def test_replay_all_failed_queues_one_background_job(recruiter_client, monkeypatch, django_capture_on_commit_callbacks):
    sent = []
    monkeypatch.setattr("recruiting.tasks.webhook_deliveries_replay_task.delay", lambda **kw: sent.append(kw))
    make_delivery(State.FAILED)
    make_delivery(State.FAILED)
    make_delivery(State.PROCESSED)
    with django_capture_on_commit_callbacks(execute=True):
        response = recruiter_client.post(reverse("webhook_inbox:replay_failed"))
    assert response.status_code == 302 and response.url == f"{LIST}?state=failed&replaying=1"
    assert sent == [{"failed": True}]
    page = recruiter_client.get(response.url).content.decode()
    assert "Replaying 2 failed deliveries in the background" in page


def test_replay_all_failed_with_nothing_failed(recruiter_client, monkeypatch):
    monkeypatch.setattr("recruiting.tasks.webhook_deliveries_replay_task.delay", lambda **kw: pytest.fail("sent"))
    response = recruiter_client.post(reverse("webhook_inbox:replay_failed"), follow=True)
    assert "No failed deliveries to replay." in messages_of(response)


def test_the_background_job_replays_every_failed_delivery(client, completed, sandbox):  # noqa: F811
    from recruiting.tasks import webhook_deliveries_replay_task

    delivery, result_id = failed_delivery(client, completed, sandbox)
    ignored = make_delivery(State.FAILED, event="", body="{}")
    summary = webhook_deliveries_replay_task.apply(kwargs={"failed": True}).get()
    assert summary == {"processed": 1, "ignored": 1}
    assert WebhookDelivery.objects.get(pk=delivery.pk).state == State.PROCESSED
    assert WebhookDelivery.objects.get(pk=ignored.pk).state == State.IGNORED


def test_the_list_makes_the_same_queries_for_1_and_50_deliveries(assert_same_queries):
    def make_rows(n):
        for i in range(n):
            make_delivery([State.FAILED, State.PROCESSED, State.PENDING, State.IGNORED][i % 4],
                          last_error="boom" if i % 4 == 0 else "")

    assert_same_queries(LIST, make_rows)


def test_a_delivery_links_its_result_when_the_app_has_it(recruiter_client):
    from tests.recruiting.conftest import make_result

    result = make_result()
    delivery = make_delivery(result_mojito_id=result.mojito_id)
    make_delivery(result_mojito_id="not-here-yet")
    link = reverse("results:detail", args=[result.pk])
    assert recruiter_client.get(LIST).content.decode().count(f'href="{link}"') == 1
    assert f'href="{link}"' in recruiter_client.get(reverse("webhook_inbox:detail", args=[delivery.pk])).content.decode()


def test_the_rows_refresh_themselves_while_deliveries_are_processed(recruiter_client):
    make_delivery(State.PROCESSED)
    assert "hx-trigger" not in recruiter_client.get(LIST).content.decode()
    pending = make_delivery(State.PENDING)
    rows = recruiter_client.get(LIST, headers={"HX-Request": "true"}).content.decode()
    assert rows.lstrip().startswith('<div id="delivery-rows" hx-get="/webhooks/" hx-trigger="every 4s"')
    assert "<html" not in rows
    WebhookDelivery.objects.filter(pk=pending.pk).update(state=State.FAILED)
    assert "hx-trigger" not in recruiter_client.get(LIST).content.decode()
    replaying = recruiter_client.get(LIST + "?state=failed&replaying=1").content.decode()
    assert 'hx-trigger="every 4s"' in replaying and "refreshes by itself" in replaying


def test_replaying_a_delivery_a_worker_holds_says_it_is_being_processed(recruiter_client):
    from datetime import timedelta

    from django.utils import timezone

    delivery = make_delivery(State.PENDING, claimed_until=timezone.now() + timedelta(minutes=5))
    response = recruiter_client.post(reverse("webhook_inbox:replay", args=[delivery.pk]), follow=True)
    assert "is being processed by the worker right now" in messages_of(response)
    assert WebhookDelivery.objects.get(pk=delivery.pk).state == State.PENDING


def test_the_inbox_and_the_overview_say_more_than_the_cap_as_cap_plus(recruiter_client):
    WebhookDelivery.objects.bulk_create([WebhookDelivery(event="interview_result", dedup_key=f"k{i}", body="{}",
                                                         state="failed") for i in range(SUMMARY_CAP + 1)])
    html = recruiter_client.get("/webhooks/").content.decode()
    assert "1,000+ failed</a>" in html and "Replay 1,000+ failed" in html
    assert "1,000+ failed deliveries" in recruiter_client.get("/").content.decode()
