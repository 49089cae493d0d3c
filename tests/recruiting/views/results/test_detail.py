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


def banner_of(html):
    return html.split('id="failed-attempt"', 1)[1].split("</div>", 1)[0]


def test_the_failed_banner_says_what_happened_in_the_recruiters_words(recruiter_client):
    """Not "did not complete (failed: completed)": JobMojito's status values stay out of the sentence."""
    cases = {
        "abandoned the interview before finishing": failed(coach_status="abandoned", raw={"details": {"ai_completion_reason": "abandoned"}}),
        "heard no speech": failed(coach_status="terminated, no speech detected"),
        "broke off at JobMojito": failed(coach_status="failed", raw={"details": {"ai_completion_reason": "completed"}}),
        "could not score the answers": scored(processing_status="failed", raw={"details": {"ai_completion_reason": "completed"}}),
    }
    for words, result in cases.items():
        banner = banner_of(recruiter_client.get(f"/results/{result.pk}/").content.decode())
        assert "This attempt did not complete." in banner and words in banner
        assert "(" not in banner.split("</p>", 1)[0] and ": completed" not in banner and "failed:" not in banner


def test_each_question_shows_once_with_its_answer_score_and_analysis(recruiter_client):
    """JobMojito's transcript has a row for the question asked, then a row for the answer."""
    result = scored()
    rows = [(False, "Tell us about a system you built?", "", None, ""),
            (True, "Tell us about a system you built?", "A queue.", 7.0, "Clear."),
            (False, "How do you test?", "", None, ""),
            (True, "", "With pytest.", 6.0, "Concrete."),
            (False, "Anything else?", "", None, "")]
    for position, (is_answer, question, answer, score, analysis) in enumerate(rows):
        TranscriptRow.objects.create(result=result, position=position, is_answer=is_answer, question=question,
                                     answer=answer, score=score, ai_analysis_recruiter=analysis)
    html = recruiter_client.get(f"/results/{result.pk}/").content.decode()
    transcript = html.split('id="transcript-h"', 1)[1].split("</section>", 1)[0]
    assert transcript.count("<li") == 3
    assert transcript.count("Tell us about a system you built?") == 1 and transcript.count("How do you test?") == 1
    first, second, third = transcript.split("<li")[1:]
    assert "A queue." in first and "Score 7.0" in first and "Clear." in first
    assert "How do you test?" in second and "With pytest." in second and "Concrete." in second
    assert "Anything else?" in third and "Not answered" in third


def test_a_synced_sandbox_transcript_lists_each_question_once(recruiter_client, taken):
    result = taken("submit")
    assert result.transcript_rows.filter(is_answer=False).exists()  # the question rows JobMojito sends
    html = recruiter_client.get(f"/results/{result.pk}/").content.decode()
    transcript = html.split('id="transcript-h"', 1)[1].split("</section>", 1)[0]
    for question in ("Tell us about a system you built.", "How do you test?"):
        assert transcript.count(question) == 1
    assert transcript.count("<li") == 2 and "Not answered" not in transcript


def test_a_result_whose_details_are_still_to_come_says_so(recruiter_client):
    result = scored(score=6.5, details_pending=True)
    html = recruiter_client.get(f"/results/{result.pk}/").content.decode()
    assert 'id="details-pending"' in html and "still being fetched from JobMojito" in html and "6.5" in html
    result.details_pending = False
    result.save(update_fields=["details_pending"])
    assert 'id="details-pending"' not in recruiter_client.get(f"/results/{result.pk}/").content.decode()
