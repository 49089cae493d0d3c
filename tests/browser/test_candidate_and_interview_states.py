"""The interview page and a candidate's page name result states as the results area does, and the
candidate page lists failed attempts, at desktop and phone widths, in Chromium."""

import os

import pytest
from django.utils import timezone

from recruiting.models import AttemptRequest, Candidate, Interview, InterviewResult, InterviewTemplate, Invitation, ResultRank

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("SCREENSHOT_DIR")


def _world():
    template = InterviewTemplate.objects.create(mojito_id="tpl-b", name="Anna - avatar", type="interactive_heygen")
    interview = Interview.objects.create(mojito_id="iv-b", name="Night nurse", status="active", template=template,
                                         template_type="interactive_heygen", remote_created_at=timezone.now())
    ada = Candidate.objects.create(email="ada@example.com", name="Ada Lovelace")
    invitation = Invitation.objects.create(candidate=ada, interview=interview, delivery_state="registered")
    now = timezone.now()
    InterviewResult.objects.create(mojito_id="r-1", interview=interview, candidate=ada, invitation=invitation,
                                   status="active", coach_status="completed", state_rank=ResultRank.FINAL, score=8.2,
                                   remote_updated_at=now)
    failed = InterviewResult.objects.create(mojito_id="r-2", interview=interview, candidate=ada, invitation=invitation,
                                            coach_status="abandoned", state_rank=ResultRank.FINAL,
                                            remote_updated_at=now)
    AttemptRequest.objects.create(result=failed, invitation=invitation, kind="resend", coach_status="abandoned")
    InterviewResult.objects.create(mojito_id="r-3", interview=interview, candidate=ada, invitation=invitation,
                                   coach_status="failed", state_rank=ResultRank.FINAL, remote_updated_at=now)
    bo = Candidate.objects.create(email="bo@example.com", name="Bo Busy")
    InterviewResult.objects.create(mojito_id="r-4", interview=interview, candidate=bo, status="active",
                                   coach_status="completed", processing_status="processing",
                                   state_rank=ResultRank.PROCESSING, remote_updated_at=now)
    return interview, ada


def _shoot(page, name):
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate("document.documentElement.scrollWidth") <= width  # nothing runs off the side
        if SHOTS:
            page.screenshot(path=os.path.join(SHOTS, f"{name}-{width}.png"), full_page=True)


def test_states_read_the_same_on_the_interview_and_candidate_pages(recruiter_page):
    interview, ada = _world()
    page = recruiter_page
    page.goto(f"{page.live_url}/interviews/{interview.pk}/")
    counts = page.locator("#results-heading").locator("xpath=ancestor::section[1]")
    assert counts.locator("tbody tr").all_inner_texts() == ["Processing\t1", "Scored\t1", "Failed\t2"]
    assert "Processed / failed" not in page.content()
    _shoot(page, "interview")
    counts.get_by_text("Failed").click()
    page.wait_for_url(f"**/results/?interview={interview.pk}&state=failed")
    assert page.locator("tbody tr").count() == 2

    page.goto(f"{page.live_url}/candidates/{ada.pk}/")
    results = page.locator("#results-heading").locator("xpath=ancestor::section[1]")
    assert sorted(results.locator(".badge").all_inner_texts()) == ["Failed", "Failed", "Scored"]
    attempts = page.locator("#failed-attempts")
    assert attempts.locator("tbody tr").count() == 2
    assert attempts.get_by_role("link", name="Request one").count() == 1
    assert "Requested" in attempts.inner_text()
    _shoot(page, "candidate")
