"""The overview: counts that lead somewhere, the account from merchant-status, webhooks, charts."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone

from mojito.models import WebhookDelivery
from recruiting.models import Interview, InterviewResult
from recruiting.selectors import overview as selectors
from tests.recruiting.conftest import make_interview, make_invitation
from tests.recruiting.views.results.conftest import decide, failed, scored

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def test_it_requires_a_login(client):
    for url in ("/", "/account-status/"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_counts_lead_to_the_lists_they_count(recruiter_client, recruiter, sandbox):
    make_interview(status="active")
    make_interview(status="draft")
    make_invitation(delivery_state="invited")
    started = make_invitation(delivery_state="invited")
    scored(invitation=started)
    decide(scored(), "advance", recruiter)
    failed()
    failed(remote_updated_at=timezone.now() - dt.timedelta(days=9))
    response = recruiter_client.get("/")
    counts = response.context["counts"]
    assert counts.to_review == 1 and counts.failed_this_week == 1 and counts.invitations_pending == 1
    assert counts.interviews_live == Interview.objects.filter(status="active").count()
    assert Interview.objects.filter(status="draft").count() == 1
    html = response.content.decode()
    assert 'href="/results/?review=pending"' in html
    assert f'href="/results/?state=failed&amp;date_from={counts.week_start:%Y-%m-%d}"' in html


def test_it_shows_credits_and_invitation_headroom_from_merchant_status(recruiter_client, sandbox):
    sandbox.state.config.credits_interview_monthly = 40
    html = recruiter_client.get("/account-status/", headers={"HX-Request": "true"}).content.decode()
    assert "Interview credits" in html and "credits</strong>" in html and "Invitations left" in html
    assert "this period" in html


def test_merchant_status_is_cached_between_loads(recruiter_client, sandbox):
    def calls():
        return sum(1 for c in sandbox.state.api_calls if c["endpoint"] == "merchant-status")

    html = recruiter_client.get("/").content.decode()
    assert calls() == 0 and 'hx-get="/account-status/" hx-trigger="load"' in html  # the page never waits on it
    recruiter_client.get("/account-status/", headers={"HX-Request": "true"})
    recruiter_client.get("/account-status/", headers={"HX-Request": "true"})
    assert calls() == 1
    html = recruiter_client.get("/").content.decode()
    assert calls() == 1 and "Interview credits" in html and 'hx-trigger="load"' not in html


def test_without_javascript_the_account_link_fetches_and_goes_back_to_the_overview(recruiter_client, sandbox):
    response = recruiter_client.get("/account-status/")
    assert response.status_code == 302 and response["Location"] == "/"
    assert "Interview credits" in recruiter_client.get("/").content.decode()


@pytest.mark.parametrize("what,words", [("token", "Check MOJITO_API_TOKEN"), ("forbidden", "not allowed to do this"),
                                        ("5xx", "JobMojito did not answer"), ("drop", "JobMojito did not answer")])
def test_a_jobmojito_failure_is_said_on_the_card_and_the_rest_of_the_page_works(recruiter_client, sandbox, settings,
                                                                               what, words):
    config = sandbox.state.config
    if what == "token":
        config.tokens.pop(settings.MOJITO_API_TOKEN, None)
    elif what == "forbidden":
        config.tokens[settings.MOJITO_API_TOKEN] = {"role": "user"}
    else:
        config.fault_rate, config.fault_kinds = 1.0, ("500",) if what == "5xx" else ("drop",)
    scored()
    response = recruiter_client.get("/")
    assert response.status_code == 200 and "Recent results" in response.content.decode()
    card = recruiter_client.get("/account-status/", headers={"HX-Request": "true"})
    assert card.status_code == 200 and words in card.content.decode()


def test_webhook_health_shows_the_last_delivery_and_failures(recruiter_client, sandbox):
    WebhookDelivery.objects.create(event="interview_result", dedup_key="a", body="{}", state="failed")
    WebhookDelivery.objects.create(event="interview_result", dedup_key="b", body="{}", state="processed")
    html = recruiter_client.get("/").content.decode()
    assert "1 failed delivery" in html and 'href="/webhooks/?state=failed"' in html
    assert "None yet" not in html


def test_the_charts_are_svg_with_the_numbers_as_text(recruiter_client, sandbox):
    scored(score=7.2)
    scored(score=7.9)
    scored(score=10.0)
    failed()
    html = recruiter_client.get("/").content.decode()
    assert html.count("<svg") == 2 and 'role="img"' in html
    assert "Results per day, last 30 days" in html and "Score distribution" in html
    assert "<td>7–8</td><td>2</td>" in html and "<td>9–10</td><td>1</td>" in html
    assert "4 results in all" in html


def test_chart_data_is_aggregated_in_the_database():
    now = timezone.now()
    for days_ago, score in ((0, 1.5), (0, 9.99), (3, 5.0), (40, 5.0)):
        result = scored(score=score)
        # the attempt's time at JobMojito counts, not when the local row was written (all "now" here)
        InterviewResult.objects.filter(pk=result.pk).update(remote_created_at=now - dt.timedelta(days=days_ago))
    per_day = selectors.results_per_day(now=now)
    assert len(per_day) == 30 and per_day[-1] == (timezone.localtime(now).date(), 2)
    assert sum(n for _, n in per_day) == 3
    bands = dict(selectors.score_distribution())
    assert bands["1–2"] == 1 and bands["9–10"] == 1 and bands["5–6"] == 2 and sum(bands.values()) == 4


def test_the_overview_makes_the_same_number_of_queries_for_1_and_50_results(assert_same_queries, recruiter_client,
                                                                           sandbox, recruiter):
    def make_rows(n):
        for i in range(n):
            result = scored(score=i % 10)
            if i % 2:
                decide(result, "hold", recruiter)
            failed()
            WebhookDelivery.objects.create(event="interview_result", dedup_key=f"k{result.pk}", body="{}")
    assert_same_queries("/", make_rows)


def test_counts_stop_just_past_their_cap_and_read_as_cap_plus(recruiter):
    from recruiting.templatetags.dashboard import capped

    for _ in range(4):
        scored()
        failed()
    counts = selectors.overview_counts(cap=2)
    assert (counts.to_review, counts.failed_this_week, counts.cap) == (3, 3, 2)  # cap + 1: "more than 2"
    assert capped(counts.to_review, counts.cap) == "2+" and capped(2, 2) == "2" and capped(1500, 1000) == "1,000+"
    assert selectors.overview_counts().to_review == 4  # under the default cap: exact


def test_the_charts_are_computed_once_a_minute_whoever_looks(recruiter_client, sandbox):
    scored(score=5.0)
    recruiter_client.get("/")
    scored(score=5.0)  # a new result: the cached charts still count one, the cards count both
    html = recruiter_client.get("/").content.decode()
    assert selectors.charts_cached()[1][5] == ("5–6", 1)
    cache.clear()
    assert selectors.charts_cached()[1][5] == ("5–6", 2)
    assert "Results to review" in html


def test_not_started_counts_invitations_without_an_attempt_through_their_own_index(recruiter_client, sandbox):
    waiting = make_invitation(delivery_state="registered")
    taken = make_invitation(delivery_state="invited")
    scored(invitation=taken)
    assert taken.started_at is not None and waiting.started_at is None
    assert selectors.overview_counts().invitations_pending == 1
    waiting.started_at = timezone.now()
    waiting.save(update_fields=["started_at"])
    assert selectors.overview_counts().invitations_pending == 0
