"""A result's page: scores, analyses, reasons, risks, coverage, transcript, attempts; the stored report."""

import pytest
from django.core.files.base import ContentFile

from recruiting.models import AttemptRequest, TranscriptRow
from tests.recruiting.conftest import make_interview, make_invitation
from tests.recruiting.views.results.conftest import decide, failed, in_progress, scored, with_transcript

pytestmark = pytest.mark.django_db


def test_it_requires_a_login(client):
    result = scored()
    for url in (f"/results/{result.pk}/", f"/results/{result.pk}/report.pdf", f"/results/{result.pk}/report/"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_it_shows_scores_analyses_reasons_risks_coverage_and_the_transcript(recruiter_client):
    result = with_transcript(scored(
        score=7.8, score_recruiter_ai=3.9, decision_status="ai_accept", recruiter_go_next_round=True,
        ai_analysis_recruiter="Strong systems thinking.", ai_analysis="Well structured answers.",
        why_hire=["Built a payments system"], why_not_hire=["Little testing"], duration_ds=4800,
        raw={"details": {"ai_interview_coverage_percentage": 87, "ai_completion_reason": "all questions answered",
                         "recruiter_risks": {"reading_answers": True, "vpn": False}}}), n=2)
    html = recruiter_client.get(f"/results/{result.pk}/").content.decode()
    for text in ("7.8", "Strong systems thinking.", "Well structured answers.", "Built a payments system",
                 "Little testing", "reading answers", "87% of the planned interview", "all questions answered",
                 "8 min", "Question 0?", "Answer 1", "Analysis 1", "AI accept", "Next round", "Not decided yet",
                 "Your team", "AI recommendation", "JobMojito decision"):
        assert text in html, text
    assert "vpn" not in html


def test_it_shows_the_review_beside_the_other_decisions(recruiter_client, recruiter):
    result = scored(recruiter_go_next_round=False)
    decide(result, "hold", recruiter, note="Wait for the second round")
    html = recruiter_client.get(f"/results/{result.pk}/").content.decode()
    assert "Hold" in html and "by recruiter" in html and "Wait for the second round" in html
    assert "Not next round" in html


def test_a_failed_attempt_says_so_and_offers_another_when_attempts_remain(recruiter_client):
    interview = make_interview(raw={"interview_attempts": 2})
    result = failed(invitation=make_invitation(interview=interview))
    html = recruiter_client.get(f"/results/{result.pk}/").content.decode()
    assert "This attempt did not complete" in html and "abandoned" in html
    assert "allows 2 attempts; 1 used" in html
    assert f'action="/results/{result.pk}/another-attempt/"' in html


def test_a_failed_attempt_without_attempts_left_explains_why(recruiter_client):
    interview = make_interview(raw={"result_scoring": {"max_retries": 2}})
    result = failed(invitation=make_invitation(interview=interview))
    AttemptRequest.objects.create(result=result, invitation=result.invitation, kind="resend")
    html = recruiter_client.get(f"/results/{result.pk}/").content.decode()
    assert "No attempts left: the interview allows 2 attempts and 2 have been used" in html
    assert f'action="/results/{result.pk}/another-attempt/"' not in html


def test_an_attempt_in_progress_explains_the_precondition(recruiter_client):
    result = in_progress()
    html = recruiter_client.get(f"/results/{result.pk}/").content.decode()
    assert "once the candidate has submitted the interview" in html
    assert f'action="/results/{result.pk}/another-attempt/"' not in html


def test_it_lists_the_candidates_other_attempts_at_this_interview(recruiter_client):
    invitation = make_invitation()
    first = failed(invitation=invitation)
    second = scored(invitation=invitation)
    scored()  # someone else
    response = recruiter_client.get(f"/results/{second.pk}/")
    assert [r.pk for r in response.context["history"]] == [second.pk, first.pk]
    assert f'href="/results/{first.pk}/"' in response.content.decode()


def test_in_the_queue_it_offers_shortcuts_and_the_next_result(recruiter_client):
    import datetime as dt

    from django.utils import timezone

    now = timezone.now()
    current = scored(remote_updated_at=now - dt.timedelta(days=2))
    following = scored(remote_updated_at=now - dt.timedelta(days=1))
    html = recruiter_client.get(f"/results/{current.pk}/?queue=1").content.decode()
    assert f'href="/results/{following.pk}/?queue=1" data-shortcut="n"' in html
    assert 'data-shortcut="a"' in html and 'value="queue"' in html
    assert "/static/js/review.js" in html and "<script>" not in html and "style=" not in html


def test_an_unknown_result_is_404(recruiter_client):
    assert recruiter_client.get("/results/999999/").status_code == 404


def test_the_page_makes_the_same_number_of_queries_for_1_and_50_transcript_rows(assert_same_queries):
    invitation = make_invitation()
    result = scored(invitation=invitation)

    def make_rows(n):
        start = TranscriptRow.objects.filter(result=result).count()
        for i in range(start, start + n):
            TranscriptRow.objects.create(result=result, position=i, is_answer=True, question="Q?", answer="A")
            failed(invitation=invitation)  # more attempts in the history too
            AttemptRequest.objects.create(result=result, invitation=invitation, kind="resend")

    assert_same_queries(f"/results/{result.pk}/", make_rows)


def test_the_stored_pdf_is_served_to_logged_in_users(recruiter_client, media):
    result = scored()
    result.report.save("report.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    response = recruiter_client.get(f"/results/{result.pk}/report.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert "attachment" in response["Content-Disposition"]
    assert f'href="/results/{result.pk}/report.pdf"' in recruiter_client.get(f"/results/{result.pk}/").content.decode()


def test_no_report_is_404_with_a_reason(recruiter_client):
    result = scored()
    assert recruiter_client.get(f"/results/{result.pk}/report.pdf").status_code == 404
    assert recruiter_client.get(f"/results/{result.pk}/report/").status_code == 404


def test_the_html_report_is_shown_sanitised(recruiter_client, media):
    result = scored()
    result.report.save("report.html", ContentFile(
        b'<h1>Report</h1><p onclick="steal()">Fine <a href="javascript:alert(1)">x</a></p>'
        b'<script>alert(1)</script><style>body{display:none}</style><iframe src="https://evil.example"></iframe>'
        b'<img src=x onerror=alert(1)><table><tr><td>Score 7</td></tr></table>'), save=True)
    html = recruiter_client.get(f"/results/{result.pk}/report/").content.decode()
    assert "<h1>Report</h1>" in html and "<td>Score 7</td>" in html and "Fine" in html
    for bad in ("onclick", "javascript:", "<script>alert", "display:none", "<iframe", "onerror"):
        assert bad not in html, bad


def test_a_decision_made_in_jobmojito_is_labelled_as_jobmojitos_not_the_ais(recruiter_client):
    result = scored(decision_status="recruiter_reject")
    response = recruiter_client.get(f"/results/{result.pk}/")
    assert response.context["ai_recommendation"] == "" and response.context["mojito_decision"] == "recruiter_reject"
    html = response.content.decode()
    facts = html.split("JobMojito decision</dt>")[1].split("</dd>")[0]
    assert "Recruiter reject" in facts
