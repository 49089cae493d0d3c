"""The candidate list (search, sort, pages) and a person's page with everything they have."""

import itertools

import pytest
from django.utils import timezone

from recruiting.models import Candidate, Interview, InterviewResult, Invitation, Position, PreScreening, ResultRank

pytestmark = pytest.mark.django_db
_ids = itertools.count(1)


def make_candidate(**fields):
    n = next(_ids)
    return Candidate.objects.create(**({"email": f"p{n}@example.com", "name": f"Person {n}"} | fields))


@pytest.fixture
def interview():
    return Interview.objects.create(mojito_id="iv-c", name="Night nurse", status="active")


def test_it_lists_people_with_their_counts(recruiter_client, interview):
    ada = make_candidate(name="Ada Lovelace", email="ada@example.com")
    Invitation.objects.create(candidate=ada, interview=interview)
    InterviewResult.objects.create(mojito_id="r-1", interview=interview, candidate=ada)
    html = recruiter_client.get("/candidates/").content.decode()
    assert "<title>Candidates · JobMojito Recruiter</title>" in html
    assert f'href="/candidates/{ada.pk}/">Ada Lovelace</a>' in html and "ada@example.com" in html
    assert "1 candidate" in html


def test_it_searches_by_name_or_email(recruiter_client):
    make_candidate(name="Ada Lovelace", email="ada@example.com")
    make_candidate(name="Grace Hopper", email="grace@navy.example")
    html = recruiter_client.get("/candidates/", {"q": "navy"}).content.decode()
    assert "Grace Hopper" in html and "Ada Lovelace" not in html
    html = recruiter_client.get("/candidates/", {"q": "lovelace"}).content.decode()
    assert "Ada Lovelace" in html and "Grace Hopper" not in html
    html = recruiter_client.get("/candidates/", {"q": "nobody"}).content.decode()
    assert "Nobody matches this search" in html


def test_it_sorts_and_pages(recruiter_client, settings):
    settings.DASHBOARD_PAGE_SIZE = 2
    for name in ("Cleo", "Ann", "Bob"):
        make_candidate(name=name)
    html = recruiter_client.get("/candidates/", {"sort": "name"}).content.decode()
    assert html.index(">Ann<") < html.index(">Bob<") and "Cleo" not in html and "Page 1 of 2" in html


def test_the_empty_list_says_how_people_get_here(recruiter_client):
    html = recruiter_client.get("/candidates/").content.decode()
    assert "No candidates yet" in html and "invite them to an interview" in html


def test_a_person_page_links_every_invitation_result_and_prescreening(recruiter_client, interview):
    person = make_candidate(name="Ada Lovelace", country_code="GB", external_id="ATS-7")
    invitation = Invitation.objects.create(candidate=person, interview=interview, delivery_state="failed",
                                           last_error="Mailbox full", interview_url="https://secret.example/link")
    result = InterviewResult.objects.create(mojito_id="r-9", interview=interview, candidate=person, invitation=invitation,
                                            score=8.2, state_rank=ResultRank.FINAL, coach_status="completed",
                                            remote_updated_at=timezone.now())
    position = Position.objects.create(mojito_id="pos-9", name="Ward nurse")
    screening = PreScreening.objects.create(position=position, candidate=person, decision_status="ai_accept",
                                            score=7.0, processing_reason="Strong match.")
    response = recruiter_client.get(f"/candidates/{person.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Ada Lovelace · Candidates · JobMojito Recruiter</title>" in html
    assert f'href="/interviews/{interview.pk}/">Night nurse</a>' in html and "Mailbox full" in html
    assert f'href="/results/{result.pk}/">Night nurse</a>' in html and ">8<" in html
    assert f'href="/prescreening/?position={position.pk}">Ward nurse</a>' in html
    assert 'badge badge-good">AI accept' in html and "Strong match." in html and screening.pk
    assert "ATS-7" in html and "GB" in html
    assert "https://secret.example/link" not in html  # an invitation link is a credential
    assert "dashboard/candidates/_applications.html" in [t.name for t in response.templates]


def test_a_person_with_nothing_yet_says_so(recruiter_client):
    person = make_candidate()
    html = recruiter_client.get(f"/candidates/{person.pk}/").content.decode()
    assert "Not invited to any interview yet." in html and "No résumé screened yet." in html


def test_an_unknown_person_is_404(recruiter_client):
    assert recruiter_client.get("/candidates/999999/").status_code == 404


def test_the_list_makes_the_same_queries_for_1_and_50_people(assert_same_queries, interview):
    def make_rows(n):
        for _ in range(n):
            person = make_candidate()
            Invitation.objects.create(candidate=person, interview=interview)
            InterviewResult.objects.create(mojito_id=f"r-{next(_ids)}", interview=interview, candidate=person)
    assert_same_queries("/candidates/", make_rows)


def test_the_person_page_makes_the_same_queries_for_1_and_50_rows(assert_same_queries):
    person = make_candidate()
    position = Position.objects.create(mojito_id="pos-q", name="Position")

    def make_rows(n):
        for _ in range(n):
            interview = Interview.objects.create(mojito_id=f"iv-{next(_ids)}", name="I")
            invitation = Invitation.objects.create(candidate=person, interview=interview)
            InterviewResult.objects.create(mojito_id=f"r-{next(_ids)}", interview=interview, candidate=person,
                                           invitation=invitation)
            PreScreening.objects.create(position=position, candidate=person)
    assert_same_queries(lambda: f"/candidates/{person.pk}/", make_rows)


def test_an_anonymous_request_goes_to_login(client):
    for url in ("/candidates/", "/candidates/1/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_person_page_labels_results_in_the_results_areas_states(recruiter_client, interview):
    person = make_candidate()
    InterviewResult.objects.create(mojito_id="r-s", interview=interview, candidate=person, score=8.2,
                                   state_rank=ResultRank.FINAL, coach_status="completed", status="active")
    InterviewResult.objects.create(mojito_id="r-c", interview=interview, candidate=person,
                                   state_rank=ResultRank.COLLECTED, coach_status="completed", status="draft")
    html = recruiter_client.get(f"/candidates/{person.pk}/").content.decode()
    results = html[html.index('id="results-heading"'):html.index('id="failed-attempts-h"')]
    assert "Processed / failed" not in html
    assert 'badge-good">Scored</span>' in results and ">Collected</span>" in results


def test_a_person_page_lists_failed_attempts_with_another_attempt(recruiter_client, interview, django_user_model):
    from recruiting.models import AttemptRequest

    person = make_candidate()
    invitation = Invitation.objects.create(candidate=person, interview=interview)
    quit_ = InterviewResult.objects.create(mojito_id="r-q", interview=interview, candidate=person, invitation=invitation,
                                           state_rank=ResultRank.FINAL, coach_status="abandoned")
    asked = InterviewResult.objects.create(mojito_id="r-a", interview=interview, candidate=person, invitation=invitation,
                                           state_rank=ResultRank.FINAL, coach_status="failed")
    AttemptRequest.objects.create(result=asked, invitation=invitation, kind="resend", coach_status="failed")
    InterviewResult.objects.create(mojito_id="r-ok", interview=interview, candidate=person,
                                   state_rank=ResultRank.FINAL, coach_status="completed", status="active")
    response = recruiter_client.get(f"/candidates/{person.pk}/")
    html = response.content.decode()
    assert "dashboard/results/_attempts_for_candidate.html" in [t.name for t in response.templates]
    attempts = html[html.index('id="failed-attempts-h"'):html.index('id="prescreenings-heading"')]
    assert f'href="/results/{quit_.pk}/#failed-attempt">Request one</a>' in attempts
    assert f'href="/results/{asked.pk}/#failed-attempt"' not in attempts and "Requested" in attempts
    assert attempts.count("<tr>") == 3  # the header and the two failed attempts, not the scored one


def test_a_person_without_failed_attempts_says_so(recruiter_client):
    html = recruiter_client.get(f"/candidates/{make_candidate().pk}/").content.decode()
    assert "No failed or abandoned attempts." in html


def test_the_person_page_makes_the_same_queries_for_1_and_50_failed_attempts(assert_same_queries):
    from recruiting.models import AttemptRequest

    person = make_candidate()

    def make_rows(n):
        for _ in range(n):
            interview = Interview.objects.create(mojito_id=f"iv-{next(_ids)}", name="I")
            invitation = Invitation.objects.create(candidate=person, interview=interview)
            failed = InterviewResult.objects.create(mojito_id=f"r-{next(_ids)}", interview=interview, candidate=person,
                                                    invitation=invitation, state_rank=ResultRank.FINAL,
                                                    coach_status="abandoned")
            AttemptRequest.objects.create(result=failed, invitation=invitation, kind="resend", coach_status="abandoned")
    assert_same_queries(lambda: f"/candidates/{person.pk}/", make_rows)
