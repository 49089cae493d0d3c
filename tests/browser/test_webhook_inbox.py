"""A recruiter replays a failed webhook delivery in Chromium and sees it processed."""

import time

import pytest

from mojito.models import WebhookDelivery
from recruiting import webhooks
from recruiting.models import InterviewResult

def page_errors(page) -> list[str]:
    """Console errors of the page (the browser's own favicon probe aside: base.html declares none)."""
    return [f"{m.text} {m.location.get('url')}" for m in page.console_messages
            if m.type == "error" and not m.location.get("url", "").endswith("/favicon.ico")]


pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def wait_for(check, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError("timed out waiting")


def submitted_result(sandbox) -> str:
    """A candidate submits a real interview on the sandbox; its webhooks go to live_server."""
    from mojito.sandbox import lifecycle
    from recruiting.services.candidates import candidates_register
    from recruiting.services.interviews import interview_create_from_questions

    template = next(t for t in sandbox.client().list_avatars().data if t.get("type") == "interactive_heygen")
    interview = interview_create_from_questions(
        name="Support engineer", location="Remote", interview_template_id=template["id"],
        description="Help customers.", questions=["A hard customer problem you solved?"], status="active")
    invitation = candidates_register(interview=interview, email="ada@example.com", name="Ada Obi")
    result_id = sandbox.complete(invitation.mojito_id, "submit")
    lifecycle.wait_processing(sandbox, result_id)
    return result_id


def failed_result_delivery(sandbox) -> tuple[WebhookDelivery, str]:
    """A real interview_result delivery from the sandbox that failed while JobMojito was down."""
    result_id = submitted_result(sandbox)
    delivery = wait_for(lambda: WebhookDelivery.objects.filter(event="interview_result",
                                                               result_mojito_id=result_id).first())
    sandbox.state.config.fault_rate, sandbox.state.config.fault_kinds = 1.0, ("503",)
    with pytest.raises(Exception):
        webhooks.process_delivery(delivery.pk)
    webhooks.mark_failed(delivery.pk, "ServerError: JobMojito did not answer (503)")
    sandbox.state.config.fault_rate = 0.0
    return delivery, result_id


def test_recruiter_replays_a_failed_delivery(recruiter_page, live_sandbox):
    delivery, result_id = failed_result_delivery(live_sandbox)
    page = recruiter_page
    page.goto(f"{page.live_url}/webhooks/?state=failed")
    row = page.locator("#delivery-rows tbody tr", has_text=f"#{delivery.pk}")
    assert "Failed" in row.inner_text() and "JobMojito did not answer" in row.inner_text()
    row.get_by_role("link").first.click()

    page.wait_for_url(f"**/webhooks/{delivery.pk}/")
    assert f'"id": "{result_id}"' in page.locator("pre").first.inner_text()  # the body, pretty-printed
    page.get_by_role("button", name="Replay").click()

    page.wait_for_url(f"**/webhooks/{delivery.pk}/")
    assert f"Delivery #{delivery.pk} was replayed and processed." in page.locator(".messages").inner_text()
    assert "Processed" in page.locator("h1 .badge").inner_text()
    assert WebhookDelivery.objects.get(pk=delivery.pk).state == WebhookDelivery.State.PROCESSED
    assert InterviewResult.objects.get(mojito_id=result_id).score is not None

    page.goto(f"{page.live_url}/webhooks/?state=failed")
    assert "No deliveries match these filters" in page.locator("main").inner_text()
    assert not page_errors(page)


def test_replay_all_failed_runs_in_a_real_worker(recruiter_page, live_sandbox, live_worker):
    """The worker first processes the sandbox's deliveries as they arrive; then the local result is
    lost and its delivery marked failed (as after an outage), and "Replay all failed" brings it back."""
    result_id = submitted_result(live_sandbox)
    delivery = wait_for(lambda: WebhookDelivery.objects.filter(
        event="interview_result", result_mojito_id=result_id, state=WebhookDelivery.State.PROCESSED).first(), 60)
    wait_for(lambda: not WebhookDelivery.objects.filter(state=WebhookDelivery.State.PENDING).exists(), 60)
    InterviewResult.objects.filter(mojito_id=result_id).delete()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(state=WebhookDelivery.State.FAILED,
                                                          last_error="ServerError: JobMojito did not answer (503)")
    page = recruiter_page
    page.goto(f"{page.live_url}/webhooks/")
    page.get_by_role("button", name="Replay 1 failed").click()
    page.wait_for_url("**/webhooks/?state=failed&replaying=1")
    assert "Replaying 1 failed delivery in the background" in page.locator(".messages").inner_text()
    wait_for(lambda: WebhookDelivery.objects.get(pk=delivery.pk).state == WebhookDelivery.State.PROCESSED, 60)
    # the list notices by itself (htmx polling), without a reload
    page.get_by_text("No deliveries match these filters").wait_for(timeout=20_000)
    assert InterviewResult.objects.get(mojito_id=result_id).score is not None
    assert not page_errors(page)
