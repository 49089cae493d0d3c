"""/activity/: the ApiCall log, filtered by endpoint, status class and time; never a secret."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from mojito.models import ApiCall
from recruiting.models import PreScreening
from tests.recruiting.views.test_prescreening import RESUME, screen_data

pytestmark = pytest.mark.django_db

LIST = reverse("activity:list")


def make_call(endpoint="merchant-result-list", status=200, ago=None, **kw):
    kw.setdefault("method", "GET")
    kw.setdefault("ok", status is not None and 200 <= status < 300)
    call = ApiCall.objects.create(endpoint=endpoint, status_code=status, duration_ms=kw.pop("duration_ms", 120), **kw)
    if ago is not None:
        ApiCall.objects.filter(pk=call.pk).update(created_at=timezone.now() - ago)
    return call


def endpoints(client, query=""):
    return [c.endpoint for c in client.get(LIST + query).context["page"]]


def test_it_sends_anonymous_visitors_to_the_login(client):
    response = client.get(LIST)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_it_lists_calls_with_duration_attempts_and_error(recruiter_client):
    make_call("job-interview-create", 422, method="POST", duration_ms=1834, attempts=1,
              error="position_name is required", error_field="position_name")
    make_call("merchant-status", None, duration_ms=15012, attempts=3, error="ReadTimeout: timed out")
    page = recruiter_client.get(LIST).content.decode()
    assert "job-interview-create" in page and "1834 ms" in page and "position_name is required" in page
    assert "No answer" in page and "15012 ms" in page and ">3<" in page and "ReadTimeout" in page


def test_it_filters_by_endpoint_status_class_and_time(recruiter_client):
    make_call("merchant-status", 200)
    make_call("job-interview-create", 422, method="POST")
    make_call("job-interview-get", 503, ago=timedelta(days=3))
    make_call("job-interview-pdf", None, outcome_unknown=True, method="POST", ago=timedelta(days=40))
    assert endpoints(recruiter_client, "?endpoint=merchant-status") == ["merchant-status"]
    assert endpoints(recruiter_client, "?status=ok") == ["merchant-status"]
    assert endpoints(recruiter_client, "?status=4xx") == ["job-interview-create"]
    assert endpoints(recruiter_client, "?status=5xx") == ["job-interview-get"]
    assert endpoints(recruiter_client, "?status=none") == ["job-interview-pdf"]
    assert endpoints(recruiter_client, "?status=unknown") == ["job-interview-pdf"]
    assert set(endpoints(recruiter_client, "?period=24h")) == {"merchant-status", "job-interview-create"}
    assert set(endpoints(recruiter_client, "?period=7d")) == {"merchant-status", "job-interview-create",
                                                              "job-interview-get"}
    day = (timezone.localdate() - timedelta(days=3)).isoformat()
    assert endpoints(recruiter_client, f"?since={day}&until={day}") == ["job-interview-get"]
    assert endpoints(recruiter_client, "?sort=-duration") and "No calls match" in \
        recruiter_client.get(LIST + "?endpoint=merchant-status&status=5xx").content.decode()


def test_the_endpoint_filter_offers_what_was_called(recruiter_client):
    make_call("merchant-status")
    make_call("invite-users", method="POST")
    form = recruiter_client.get(LIST).context["filter"].form
    assert [c[0] for c in form.fields["endpoint"].choices] == ["", "invite-users", "merchant-status"]


def test_a_secret_echoed_in_an_error_is_never_shown(recruiter_client, settings):
    make_call("merchant-status", 401, error=f"Invalid token {settings.MOJITO_API_TOKEN} for merchant")
    make_call("merchant-status", 500, error=f"header had {settings.MOJITO_WEBHOOK_SECRETS[0]}")
    page = recruiter_client.get(LIST).content.decode()
    assert settings.MOJITO_API_TOKEN not in page and settings.MOJITO_WEBHOOK_SECRETS[0] not in page
    assert "Invalid token [redacted] for merchant" in page


def test_a_real_screening_shows_up_without_the_resume(recruiter_client, sandbox):
    from recruiting.services import prescreening as services

    position = services.position_upsert(name="Cook", location="Lyon", country_code="FR",
                                        mojito_language_code="fr", status="active")
    recruiter_client.post(reverse("prescreening:screen"), screen_data(position))
    assert PreScreening.objects.count() == 1
    page = recruiter_client.get(LIST).content.decode()
    assert "job-interview-pre-screening-api-resume-text" in page and "pre-screening-create" in page
    assert RESUME[:30] not in page


def test_the_empty_log_says_when_calls_appear(recruiter_client):
    assert "No calls to JobMojito yet" in recruiter_client.get(LIST).content.decode()


def test_the_list_makes_the_same_queries_for_1_and_50_calls(assert_same_queries):
    def make_rows(n):
        for i in range(n):
            make_call(f"endpoint-{i % 5}", 500 if i % 3 else 200, error="boom" if i % 3 else "")

    assert_same_queries(LIST, make_rows)
    assert_same_queries(LIST + "?status=5xx&period=24h", lambda n: [make_call(status=503) for _ in range(n)])
