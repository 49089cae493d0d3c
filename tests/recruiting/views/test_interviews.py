"""The interview list and the interview page."""

import itertools
import re

import pytest
from django.utils import timezone

from recruiting.models import (
    Candidate,
    CreationMethod,
    Interview,
    InterviewResult,
    InterviewTemplate,
    Invitation,
    KnowledgeDocument,
    PreScreening,
    Position,
    Question,
    ResultRank,
)

pytestmark = pytest.mark.django_db
_ids = itertools.count(1)


def make_interview(**fields) -> Interview:
    n = next(_ids)
    defaults = {"mojito_id": f"iv-{n}", "name": f"Interview {n}", "status": "active", "type": "interview",
                "language": "en", "visibility": "merchant_invite", "remote_created_at": timezone.now()}
    return Interview.objects.create(**(defaults | fields))


def make_candidate(**fields) -> Candidate:
    n = next(_ids)
    return Candidate.objects.create(**({"email": f"person{n}@example.com", "name": f"Person {n}"} | fields))


def make_result(interview, candidate=None, **fields) -> InterviewResult:
    n = next(_ids)
    return InterviewResult.objects.create(**({"mojito_id": f"res-{n}", "interview": interview, "candidate": candidate,
                                              "state_rank": ResultRank.FINAL, "status": "active",
                                              "coach_status": "completed", "score": 7.5,
                                              "remote_updated_at": timezone.now()} | fields))


# --- the list ------------------------------------------------------------------------------------

def test_it_lists_interviews_with_their_columns(recruiter_client):
    interview = make_interview(name="Backend engineer", status="draft", location="Berlin")
    Question.objects.create(interview=interview, position=0, text="Q1")
    Question.objects.create(interview=interview, position=1, text="Q2")
    person = make_candidate()
    Invitation.objects.create(candidate=person, interview=interview)
    make_result(interview, person)
    response = recruiter_client.get("/interviews/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Interviews · JobMojito Recruiter</title>" in html
    assert f'href="/interviews/{interview.pk}/">Backend engineer</a>' in html
    assert 'badge badge-neutral">Draft' in html
    row = html[html.index("Backend engineer"):html.index("</tr>", html.index("Backend engineer"))]
    assert '<td class="num hide-phone">2</td>' in row  # questions
    assert row.count('<td class="num">1</td>') == 2  # one invitation, one result
    assert "1 interview" in html


def test_it_filters_by_status_type_language_and_creation_method_and_searches_by_name(recruiter_client):
    make_interview(name="Data analyst", status="active", creation_method=CreationMethod.FROM_QUESTIONS)
    make_interview(name="Data engineer", status="archived", language="de")
    make_interview(name="Nurse", status="active")
    html = recruiter_client.get("/interviews/", {"q": "data"}).content.decode()
    assert "Data analyst" in html and "Data engineer" in html and "Nurse" not in html
    html = recruiter_client.get("/interviews/", {"q": "data", "status": "archived"}).content.decode()
    assert "Data engineer" in html and "Data analyst" not in html
    html = recruiter_client.get("/interviews/", {"language": "de"}).content.decode()
    assert "Data engineer" in html and "Nurse" not in html
    html = recruiter_client.get("/interviews/", {"creation_method": "from_questions", "type": "interview"}).content.decode()
    assert "Data analyst" in html and "Nurse" not in html
    html = recruiter_client.get("/interviews/", {"visibility": "merchant_invite"}).content.decode()
    assert "Nurse" in html


def test_it_sorts_by_the_number_of_invitations(recruiter_client):
    few, many = make_interview(name="Few"), make_interview(name="Many")
    for _ in range(3):
        Invitation.objects.create(candidate=make_candidate(), interview=many)
    Invitation.objects.create(candidate=make_candidate(), interview=few)
    html = recruiter_client.get("/interviews/", {"sort": "-invitations"}).content.decode()
    assert html.index(">Many<") < html.index(">Few<")
    html = recruiter_client.get("/interviews/", {"sort": "invitations"}).content.decode()
    assert html.index(">Few<") < html.index(">Many<")


def test_it_pages_through_the_query_string(recruiter_client, settings):
    settings.DASHBOARD_PAGE_SIZE = 2
    for i in range(5):
        make_interview(name=f"Role {i}")
    html = recruiter_client.get("/interviews/", {"page": 3, "status": "active"}).content.decode()
    assert "Page 3 of 3" in html and "5 interviews" in html
    assert "status=active" in html  # the previous-page link keeps the filter


def test_it_says_what_to_do_when_there_are_none(recruiter_client):
    html = recruiter_client.get("/interviews/").content.decode()
    assert "No interviews yet" in html and 'href="/interviews/new/"' in html
    html = recruiter_client.get("/interviews/", {"q": "nothing like this"}).content.decode()
    assert "No interview matches these filters" in html


def test_it_answers_htmx_with_the_rows_only(recruiter_client):
    make_interview(name="Fragment")
    html = recruiter_client.get("/interviews/", HTTP_HX_REQUEST="true").content.decode()
    assert "Fragment" in html and "<html" not in html and 'id="interview-rows"' in html


def test_the_list_makes_the_same_queries_for_1_and_50_interviews(assert_same_queries):
    template = InterviewTemplate.objects.create(mojito_id="tpl", name="Anna", type="interactive_heygen")

    def make_rows(n):
        for _ in range(n):
            interview = make_interview(template=template)
            Question.objects.create(interview=interview, position=0, text="Q")
            person = make_candidate()
            Invitation.objects.create(candidate=person, interview=interview)
            make_result(interview, person)
    assert_same_queries("/interviews/", make_rows)


def test_an_anonymous_request_goes_to_login(client):
    for url in ("/interviews/", "/interviews/1/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


# --- the interview page --------------------------------------------------------------------------

@pytest.fixture
def full_interview():
    template = InterviewTemplate.objects.create(mojito_id="tpl-voice", name="Sam - voice only",
                                                type="interactive_elevenlabs")
    interview = make_interview(name="Support lead", template=template, template_type="interactive_elevenlabs",
                               max_duration=1800, interview_style="second-interview", seniority="senior",
                               creation_method=CreationMethod.FROM_QUESTIONS, description="Lead our support team.")
    KnowledgeDocument.objects.create(mojito_id="kb-1", store_id="store", name="Returns policy.pdf")
    Question.objects.create(interview=interview, position=0, text="Which channel do you prefer?", mojito_id="m-1",
                            is_multiple_choice=True, alternatives=["Email", "Phone"], duration=60)
    Question.objects.create(interview=interview, position=1, text="Why that one?", mojito_id="m-2",
                            conditional_question_main_id="m-1", is_without_scoring=True)
    Question.objects.create(interview=interview, position=2, text="Explain our returns policy.", mojito_id="m-3",
                            knowledge_base_id="kb-1", duration=120)
    return interview


def test_the_page_shows_settings_questions_template_and_counts(recruiter_client, full_interview):
    person = make_candidate(name="Ada Lovelace")
    Invitation.objects.create(candidate=person, interview=full_interview, delivery_state="registered")
    result = make_result(full_interview, person, score=8.0)
    response = recruiter_client.get(f"/interviews/{full_interview.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Support lead · Interviews · JobMojito Recruiter</title>" in html
    assert "Sam - voice only" in html and "Voice only" in html
    assert "2 credits per interview taken" in html  # voice 1 credit x2 for a 30-minute limit
    assert "Second interview" in html and "Senior" in html and "30 min" in html
    # questions in order, with their details
    assert html.index("Which channel") < html.index("Why that one?") < html.index("Explain our returns")
    assert "Answer time 1 min" in html and "Multiple choice" in html and "<li>Email</li>" in html
    assert 'Follow-up of <a href="#q-1">question 1</a>' in html and "Not scored" in html
    assert "Knowledge: Returns policy.pdf" in html
    # embed, counts, latest results, actions
    assert "Turn embedding on" in html
    assert 'badge badge-neutral">Registered</span></td><td class="num">1' in html
    assert f'href="/results/{result.pk}/">Ada Lovelace</a>' in html
    assert f'href="/interviews/{full_interview.pk}/invite/"' in html
    assert "Unpublish to draft" in html and "Archive" in html and "Delete" in html and "Re-sync" in html
    assert "Publish</button>" not in html  # already active


def test_the_page_offers_the_actions_that_apply_to_a_draft(recruiter_client):
    interview = make_interview(status="draft")
    html = recruiter_client.get(f"/interviews/{interview.pk}/").content.decode()
    assert ">Publish</button>" in html and "Unpublish" not in html


def test_the_page_never_shows_the_embed_signing_key(recruiter_client):
    interview = make_interview(embed_id="emb-1", embed_signing_key="super-secret-signing-key")
    html = recruiter_client.get(f"/interviews/{interview.pk}/").content.decode()
    assert "Turn embedding off" in html and "super-secret-signing-key" not in html


def test_the_page_shows_the_decision_and_link_of_a_create_for_a_candidate(recruiter_client):
    position = Position.objects.create(mojito_id="pos-1", name="Barista")
    interview = make_interview(position=position, creation_method=CreationMethod.FOR_CANDIDATE)
    person = make_candidate(name="Jo Doe")
    Invitation.objects.create(candidate=person, interview=interview, interview_url="https://jm.example/i/tok")
    screening = PreScreening.objects.create(position=position, candidate=person, decision_status="recruiter_action",
                                            processing_reason="Two years of experience; three wanted.")
    html = recruiter_client.get(f"/interviews/{interview.pk}/", {"created_for": screening.pk}).content.decode()
    assert "Created for" in html and "Jo Doe" in html
    assert 'badge badge-warn">Needs recruiter review' in html
    assert "Two years of experience; three wanted." in html
    assert 'value="https://jm.example/i/tok"' in html and 'data-copy="candidate-interview-link"' in html
    # without the marker (or for another interview) the link is not on the page
    assert "https://jm.example/i/tok" not in recruiter_client.get(f"/interviews/{interview.pk}/").content.decode()
    other = make_interview()
    assert "Created for" not in recruiter_client.get(f"/interviews/{other.pk}/",
                                                     {"created_for": screening.pk}).content.decode()


def test_the_page_has_the_careers_include(recruiter_client):
    interview = make_interview()
    response = recruiter_client.get(f"/interviews/{interview.pk}/")
    assert "dashboard/interviews/_candidate_pages.html" in [t.name for t in response.templates]


def test_an_unknown_interview_is_404(recruiter_client):
    assert recruiter_client.get("/interviews/999999/").status_code == 404


def test_the_page_makes_the_same_queries_for_1_and_50_rows(assert_same_queries, full_interview):
    def make_rows(n):
        for i in range(n):
            person = make_candidate()
            Invitation.objects.create(candidate=person, interview=full_interview)
            make_result(full_interview, person)
            Question.objects.create(interview=full_interview, position=100 + Question.objects.count(), text="More?",
                                    knowledge_base_id="kb-1", mojito_id=f"x-{next(_ids)}")
    assert_same_queries(f"/interviews/{full_interview.pk}/", make_rows)


def test_the_page_counts_and_labels_results_in_the_results_areas_states(recruiter_client, full_interview):
    """One name per state: the same states, words and badges as the results area (never "Processed / failed")."""
    make_result(full_interview, make_candidate(name="Scored Sam"))
    make_result(full_interview, make_candidate(name="Scored Sue"))
    make_result(full_interview, make_candidate(name="Quit Quinn"), coach_status="abandoned", score=None)
    make_result(full_interview, make_candidate(name="Busy Bo"), state_rank=ResultRank.PROCESSING,
                coach_status="completed", processing_status="processing", score=None)
    make_result(full_interview, make_candidate(name="Live Lu"), state_rank=ResultRank.ONGOING,
                coach_status="ongoing", status="draft", score=None)
    html = recruiter_client.get(f"/interviews/{full_interview.pk}/").content.decode()
    assert "Processed / failed" not in html and "Ongoing" not in html
    base = f'href="/results/?interview={full_interview.pk}&amp;state='
    html = re.sub(r"\s*</a>", "</a>", html)  # the shared badge include ends with a newline
    assert f'{base}scored"><span class="badge badge-good">Scored</span></a></td><td class="num">2' in html
    assert f'{base}failed"><span class="badge badge-bad">Failed</span></a></td><td class="num">1' in html
    assert f'{base}processing">' in html and f'{base}in_progress">' in html
    assert f'{base}collected"' not in html  # states with no result are left out
    counts = html[html.index('id="results-heading"'):html.index('id="latest-heading"')]
    assert counts.index("In progress") < counts.index("Processing") < counts.index("Scored") < counts.index("Failed")
    latest = html[html.index('id="latest-heading"'):]
    row = latest[latest.index("Quit Quinn"):]
    assert row.index('badge-bad">Failed') < row.index("</tr>")
    row = latest[latest.index("Busy Bo"):]
    assert row.index(">Processing<") < row.index("</tr>")


def test_the_page_prices_early_stop_as_the_sandbox_charges_it(recruiter_client):
    template = InterviewTemplate.objects.create(mojito_id="tpl-avatar", name="Anna", type="interactive_heygen")
    interview = make_interview(template=template, template_type="interactive_heygen", max_duration=1200,
                               raw={"result_scoring": {"early_stop": True}})
    html = recruiter_client.get(f"/interviews/{interview.pk}/").content.decode()
    assert "1.5 credits per interview taken" in html


@pytest.mark.django_db
def test_the_page_sets_the_automatic_retry_of_failed_interviews(recruiter_client):
    from django.urls import reverse

    from tests.recruiting.conftest import make_interview

    interview = make_interview()
    page_url = f"/interviews/{interview.pk}/"
    html = recruiter_client.get(page_url).content.decode()
    action = reverse("results:auto_retry", args=[interview.pk])
    assert f'action="{action}"' in html and 'id="id_auto_retry" value="1">' in html  # off by default
    response = recruiter_client.post(action,
                                      {"enabled": "1", "next": page_url})
    assert response.status_code == 302 and response["Location"] == page_url
    interview.refresh_from_db()
    assert interview.auto_retry_failed is True
    assert 'id="id_auto_retry" value="1" checked' in recruiter_client.get(page_url).content.decode()
