"""Review decisions, another attempt (recruiter or automatic, once per candidate), merchant status."""

import json

import pytest
from django.core.cache import cache

from mojito.models import WebhookDelivery
from recruiting import webhooks
from recruiting.models import AttemptRequest, ResultReview
from recruiting.services import merchant, reviews
from tests.recruiting.conftest import make_interview, make_invitation
from tests.recruiting.views.results.conftest import failed, in_progress, scored

pytestmark = pytest.mark.django_db


@pytest.fixture
def remote_interview(sandbox):
    from mojito.sandbox.seed import TEMPLATE_IDS
    from recruiting.services.interviews import interview_create_from_questions

    return interview_create_from_questions(
        name="Support", location="Remote", interview_template_id=TEMPLATE_IDS["interactive_heygen"],
        description="Help customers.", questions=["Why support?"], status="active", interview_attempts=3)


def abandon(sandbox, interview, email="quit@example.com"):
    from recruiting.services.candidates import candidates_register

    invitation = candidates_register(interview=interview, email=email, name="Quitter")
    result_id = sandbox.complete(invitation.mojito_id, outcome="abandon")
    payload = next(d["payload"] for d in sandbox.state.webhook_deliveries if d["payload"]["id"] == result_id)
    return invitation, result_id, payload


def store(payload, key):
    return WebhookDelivery.objects.create(event="interview_failed", result_mojito_id=payload["id"], dedup_key=key,
                                          body=json.dumps(payload))


def test_review_set_records_who_and_when_and_replaces_the_decision(django_user_model):
    user = django_user_model.objects.create_user("r", "r@example.com", "pw-long-enough")
    result = scored()
    reviews.result_review_set(result=result, decision="hold", note="later", user=user)
    review = reviews.result_review_set(result=result, decision="advance", user=user)
    assert ResultReview.objects.count() == 1 and review.decision == "advance" and review.note == ""
    with pytest.raises(ValueError):
        reviews.result_review_set(result=result, decision="maybe")


def test_retry_is_refused_with_the_reason_when_it_does_not_apply():
    with pytest.raises(reviews.AttemptNotAllowed, match="once the candidate has submitted"):
        reviews.result_request_retry(result=in_progress())
    no_invitation = failed()
    no_invitation.invitation = None
    no_invitation.save()
    with pytest.raises(reviews.AttemptNotAllowed, match="not linked to an invitation"):
        reviews.result_request_retry(result=no_invitation)
    with pytest.raises(reviews.AttemptNotAllowed, match="the interview allows 1 attempt and 1 has been used"):
        reviews.result_request_retry(result=failed(invitation=make_invitation()))
    assert not AttemptRequest.objects.exists()


def test_an_interview_failed_webhook_retries_automatically_once_when_the_interview_says_so(sandbox, remote_interview):
    remote_interview.auto_retry_failed = True
    remote_interview.save()
    invitation, result_id, payload = abandon(sandbox, remote_interview)
    def registrations():
        return sum(1 for c in sandbox.state.api_calls if c["endpoint"] == "job-interview-register-users")

    sent_before = registrations()

    assert webhooks.process_delivery(store(payload, "one").pk) == "processed"
    request = AttemptRequest.objects.get()
    assert (request.automatic, request.kind, request.invitation_id) == (True, "resend", invitation.pk)
    assert registrations() == sent_before + 1  # the invitation went out again

    # The candidate abandons again: no second automatic attempt for this candidate.
    sandbox.complete(invitation.mojito_id, outcome="abandon")
    again = [d["payload"] for d in sandbox.state.webhook_deliveries if d["payload"]["id"] == result_id][-1]
    assert webhooks.process_delivery(store(again, "two").pk) == "processed"
    assert AttemptRequest.objects.count() == 1 and registrations() == sent_before + 1


def test_no_automatic_retry_by_default(sandbox, remote_interview):
    _, _, payload = abandon(sandbox, remote_interview)
    assert webhooks.process_delivery(store(payload, "one").pk) == "processed"
    assert not AttemptRequest.objects.exists()


def test_an_automatic_retry_that_jobmojito_refuses_is_retried_with_the_delivery(sandbox, remote_interview):
    from recruiting.services import client as client_service
    from tests.recruiting.views.results.conftest import FaultTransport

    remote_interview.auto_retry_failed = True
    remote_interview.save()
    _, _, payload = abandon(sandbox, remote_interview)
    client_service.use_transport(FaultTransport(sandbox.transport(), {"job-interview-register-users": 500}))
    delivery = store(payload, "one")
    with pytest.raises(Exception):
        webhooks.process_delivery(delivery.pk)
    assert not AttemptRequest.objects.exists()  # the claim is released, the delivery stays pending
    client_service.use_transport(sandbox.transport())
    assert webhooks.process_delivery(delivery.pk) == "processed"
    assert AttemptRequest.objects.filter(automatic=True).count() == 1


def test_merchant_status_is_cached_and_errors_are_returned_not_cached(sandbox, settings):
    cache.clear()
    first = merchant.merchant_status_get()
    assert first.ok and "credits_interview_monthly" in first.data
    sandbox.state.config.tokens.pop(settings.MOJITO_API_TOKEN)
    assert merchant.merchant_status_get().ok  # from the cache
    refreshed = merchant.merchant_status_get(refresh=True)
    assert not refreshed.ok and refreshed.error is not None
    cache.clear()
    assert not merchant.merchant_status_get().ok
    cache.clear()
