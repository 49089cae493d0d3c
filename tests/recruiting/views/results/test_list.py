"""The results list: filters, search, sort, pagination, the review queue, the new-results poll."""

import datetime as dt

import pytest
from django.utils import timezone

from recruiting.models import InterviewResult
from tests.recruiting.conftest import make_candidate, make_interview, make_invitation
from tests.recruiting.views.results.conftest import decide, failed, in_progress, scored

pytestmark = pytest.mark.django_db


def names(response):
    return [r.candidate.name for r in response.context["page"].object_list]


def person(name, **kw):
    return make_invitation(candidate=make_candidate(name=name, email=f"{name.lower()}@example.com"), **kw)


def test_it_requires_a_login(client):
    for url in ("/results/", "/results/new/?after=0", "/results/export.csv"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_it_lists_results_newest_first_with_state_score_and_decision(recruiter_client, recruiter):
    old = scored(invitation=person("Ada"), score=8.4, remote_updated_at=timezone.now() - dt.timedelta(days=2))
    scored(invitation=person("Grace"), score=6.0)
    decide(old, "advance", recruiter)
    response = recruiter_client.get("/results/")
    html = response.content.decode()
    assert names(response) == ["Grace", "Ada"]
    assert "8.4" in html and "Advance" in html and "Scored" in html and "Not decided" in html


def test_it_filters_by_interview_state_decision_score_date_and_test(recruiter_client, recruiter):
    backend, support = make_interview(name="Backend"), make_interview(name="Support")
    a = scored(invitation=person("Ada", interview=backend), score=9.0)
    scored(invitation=person("Bob", interview=support), score=4.0, is_test=True,
           remote_updated_at=timezone.now() - dt.timedelta(days=10))
    failed(invitation=person("Cy", interview=backend))
    in_progress(invitation=person("Di", interview=support))
    decide(a, "shortlist", recruiter)

    def get(query):
        return names(recruiter_client.get("/results/?" + query))

    assert get(f"interview={backend.pk}") == ["Cy", "Ada"]
    assert get("state=failed") == ["Cy"]
    assert get("state=in_progress") == ["Di"]
    assert set(get("state=scored")) == {"Ada", "Bob"}
    assert get("decision=shortlist") == ["Ada"]
    assert "Ada" not in get("decision=none")
    assert get("score_min=5") == ["Ada"]
    assert get("score_max=5") == ["Bob"]
    assert get("test=test") == ["Bob"]
    assert "Bob" not in get("test=live")
    since = (timezone.localdate() - dt.timedelta(days=3)).isoformat()
    assert "Bob" not in get(f"date_from={since}")
    assert get(f"date_to={since}") == ["Bob"]


def test_it_searches_by_candidate_name_or_email(recruiter_client):
    scored(invitation=person("Ada"))
    scored(invitation=make_invitation(candidate=make_candidate(name="Someone", email="grace@hopper.org")))
    assert names(recruiter_client.get("/results/?q=ada")) == ["Ada"]
    assert names(recruiter_client.get("/results/?q=HOPPER")) == ["Someone"]


def test_it_sorts_by_score_both_ways(recruiter_client):
    for name, score in (("Low", 2.0), ("High", 9.0), ("Mid", 5.0)):
        scored(invitation=person(name), score=score)
    assert names(recruiter_client.get("/results/?sort=-score")) == ["High", "Mid", "Low"]
    assert names(recruiter_client.get("/results/?sort=score")) == ["Low", "Mid", "High"]
    assert names(recruiter_client.get("/results/?sort=nonsense"))[0] == "Mid"  # default: newest first


def test_it_paginates_keeping_the_filters(recruiter_client, settings):
    settings.DASHBOARD_PAGE_SIZE = 2
    interview = make_interview()
    for i in range(5):
        scored(invitation=person(f"P{i}", interview=interview))
    response = recruiter_client.get(f"/results/?interview={interview.pk}&page=2")
    assert len(response.context["page"].object_list) == 2
    assert f"interview={interview.pk}&amp;page=3" in response.content.decode()
    assert "5 results" in response.content.decode()


def test_a_bad_filter_value_is_named_and_not_applied(recruiter_client):
    scored(invitation=person("Ada"))
    response = recruiter_client.get("/results/?score_min=lots")
    html = response.content.decode()
    assert response.status_code == 200 and "Score from: Enter a number." in html and "not applied" in html
    assert names(response) == ["Ada"]


def test_the_review_queue_shows_scored_undecided_results_oldest_first(recruiter_client, recruiter):
    now = timezone.now()
    scored(invitation=person("Newer"), remote_updated_at=now - dt.timedelta(hours=1))
    scored(invitation=person("Oldest"), remote_updated_at=now - dt.timedelta(days=3))
    decide(scored(invitation=person("Decided"), remote_updated_at=now - dt.timedelta(days=5)), "hold", recruiter)
    failed(invitation=person("Failed"))
    in_progress(invitation=person("Running"))
    response = recruiter_client.get("/results/?review=pending")
    html = response.content.decode()
    assert names(response) == ["Oldest", "Newer"]
    assert "<h1>To review</h1>" in html and 'aria-current="page" class="current">To review' in html
    assert "Start reviewing" in html and "?queue=1" in html
    assert '<span class="count" title="2 waiting">2</span>' in html  # the navigation badge
    assert 'name="review" value="pending"' in html  # the filter bar keeps the queue


def test_empty_states_say_what_to_do(recruiter_client):
    assert "No results yet" in recruiter_client.get("/results/").content.decode()
    assert "Nothing to review" in recruiter_client.get("/results/?review=pending").content.decode()
    scored(invitation=person("Ada"))
    assert "No results match these filters" in recruiter_client.get("/results/?q=zzz").content.decode()


def test_the_list_polls_for_new_results_and_the_poll_counts_only_newer_matching_ones(recruiter_client):
    interview = make_interview()
    first = scored(invitation=person("Ada", interview=interview))
    html = recruiter_client.get(f"/results/?interview={interview.pk}").content.decode()
    assert f'hx-get="/results/new/?after={first.pk}&amp;interview={interview.pk}"' in html
    assert 'hx-trigger="every 4s"' in html

    assert recruiter_client.get(f"/results/new/?after={first.pk}").content.decode().strip() == ""
    scored(invitation=person("Bob", interview=interview))
    scored(invitation=person("Elsewhere"))
    notice = recruiter_client.get(f"/results/new/?after={first.pk}&interview={interview.pk}").content.decode()
    assert "1 new result." in notice and f'hx-get="/results/?interview={interview.pk}"' in notice
    assert "2 new results" in recruiter_client.get(f"/results/new/?after={first.pk}").content.decode()


def test_htmx_gets_only_the_table_fragment(recruiter_client):
    scored(invitation=person("Ada"))
    response = recruiter_client.get("/results/", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert 'id="results-table"' in html and "<html" not in html and "Ada" in html


def test_the_list_makes_the_same_number_of_queries_for_1_and_50_results(assert_same_queries, recruiter):
    interview = make_interview()

    def make_rows(n):
        for _ in range(n):
            result = scored(invitation=make_invitation(interview=interview))
            decide(result, "advance", recruiter)

    assert_same_queries("/results/", make_rows)
    assert_same_queries("/results/?review=pending&sort=score", make_rows)


def test_post_is_not_allowed_on_the_list(recruiter_client):
    assert recruiter_client.post("/results/").status_code == 405
    assert InterviewResult.objects.count() == 0


def test_the_navigation_badge_counts_cheaply_up_to_99_plus(recruiter_client):
    from recruiting.selectors.results import BADGE_CAP, results_pending_review_count

    interview = make_interview()
    for _ in range(BADGE_CAP + 2):
        scored(invitation=make_invitation(interview=interview))
    assert results_pending_review_count() == BADGE_CAP + 2
    assert results_pending_review_count(cap=BADGE_CAP) == BADGE_CAP
    html = recruiter_client.get("/results/?review=pending").content.decode()
    assert '<span class="count" title="99+ waiting">99+</span>' in html
    assert f"{BADGE_CAP + 2} results" in html  # the queue itself has the exact total
