"""A recruiter follows candidates in Chromium: the candidate answers on the sandbox's page, the
webhook reaches live_server and a REAL Celery worker processes it, the result appears on the list
without a reload, the recruiter reads it, downloads its PDF, decides, filters; and a candidate who
abandoned gets another attempt in one click."""

import io
import time

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ANSWER = "I rebuilt our billing export in two weeks; support tickets fell by 40 percent."


@pytest.fixture
def interview(live_sandbox, settings):
    from mojito.sandbox.seed import TEMPLATE_IDS
    from recruiting.services.interviews import interview_create_from_questions

    settings.MOJITO_REPORT_HOSTS = ["127.0.0.1"]  # the sandbox serves its signed report URLs locally
    return interview_create_from_questions(
        name="Support Engineer", location="Remote", interview_template_id=TEMPLATE_IDS["interactive_heygen"],
        description="Help customers with our product.", status="active", interview_attempts=3,
        questions=["Tell us about a hard customer problem you solved.", "How do you keep calm with angry users?"])


def invite(interview, email, name):
    from recruiting.services.candidates import candidates_register

    invitation = candidates_register(interview=interview, email=email, name=name)
    assert invitation.interview_url, "the sandbox handed out an interview link"
    return invitation


def wait_for(page, check, *, timeout=45.0, reload=False, what="the page to update"):
    """Wait (without asserting on timing) until check() is true, reloading between tries if asked."""
    deadline = time.monotonic() + timeout
    while True:
        if check():
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"Gave up waiting for {what}")
        page.wait_for_timeout(500)
        if reload:
            page.reload()


def test_a_result_arrives_live_is_read_reported_and_decided(recruiter_page, live_worker, interview, browser, tmp_path):
    page = recruiter_page
    invitation = invite(interview, "ada@example.com", "Ada Lovelace")

    page.goto(page.live_url + "/results/")
    assert "No results yet" in page.content()

    # The candidate takes the interview in another window.
    candidate = browser.new_context(viewport={"width": 390, "height": 800}).new_page()
    candidate.goto(invitation.interview_url)
    assert candidate.locator("h1").inner_text() == "Support Engineer"
    candidate.locator("textarea").first.fill(ANSWER)
    candidate.locator("textarea").nth(1).fill("I listen first, then I repeat the problem back to them.")
    candidate.click("button[value=submit]")
    assert "Thank you" in candidate.locator("h1").inner_text()
    candidate.context.close()

    # The recruiter's list says so without a reload; one click shows it.
    notice = page.locator(".new-notice")
    notice.wait_for(state="visible", timeout=60_000)
    assert "new result" in notice.inner_text()
    url_before = page.url
    notice.locator("a").click()
    row = page.locator("#results-table tbody tr", has_text="Ada Lovelace")
    row.wait_for(state="visible")
    assert page.url == url_before  # swapped in place, not reloaded

    # Open it once it is scored (the interview_result webhook follows the collected one).
    row.locator("a").first.click()
    wait_for(page, lambda: page.locator("h1 .badge", has_text="Scored").count() == 1, reload=True,
             what="the scored result")
    assert ANSWER in page.locator(".transcript").inner_text()
    assert "Tell us about a hard customer problem you solved." in page.locator(".transcript").inner_text()

    # Generate the PDF and download it: a real PDF.
    page.select_option("#id_export_type", "pdf")
    page.click("text=Generate report")
    page.locator("text=The PDF report is ready").wait_for()
    with page.expect_download() as download_info:
        page.click("#download-report")
    content = open(download_info.value.path(), "rb").read()
    assert content.startswith(b"%PDF")
    from pypdf import PdfReader
    assert len(PdfReader(io.BytesIO(content)).pages) >= 1

    # Decide "advance" with a note; the list filter finds it.
    page.fill("#id_note", "Clear, calm answers. Next round.")
    page.click("button[value=advance]")
    page.locator("text=Decision saved: Advance for Ada Lovelace").wait_for()
    assert "Clear, calm answers. Next round." in page.content()

    page.goto(page.live_url + "/results/")
    page.select_option("#id_decision", "advance")
    page.click(".filter-bar button[type=submit]")
    assert "decision=advance" in page.url
    decided = page.locator("#results-table tbody tr")
    assert decided.count() == 1 and "Ada Lovelace" in decided.first.inner_text()
    assert "Advance" in decided.first.inner_text()
    page.goto(page.live_url + "/results/?review=pending")
    assert "Nothing to review" in page.content()


def test_an_abandoned_interview_gets_another_attempt_in_one_click(recruiter_page, live_worker, interview, browser):
    page = recruiter_page
    invitation = invite(interview, "grace@example.com", "Grace Hopper")

    candidate = browser.new_context().new_page()
    candidate.goto(invitation.interview_url)
    candidate.click("button[value=abandon]")
    candidate.context.close()

    page.goto(page.live_url + "/results/?state=failed")
    wait_for(page, lambda: page.locator("#results-table tbody tr", has_text="Grace Hopper").count() == 1,
             reload=True, what="the abandoned attempt on the list")
    page.locator("#results-table tbody tr", has_text="Grace Hopper").locator("a").first.click()
    assert "This attempt did not complete" in page.locator("#failed-attempt").inner_text()
    assert "abandoned" in page.locator("#failed-attempt").inner_text()

    page.locator("#failed-attempt button", has_text="Request another attempt").click()
    page.locator("text=the invitation was sent again to grace@example.com").wait_for()
    assert "invitation sent again" in page.locator("#attempts").inner_text()

    # The candidate's (fresh) link opens the interview again.
    from recruiting.models import Invitation

    fresh = Invitation.objects.get(pk=invitation.pk).interview_url
    candidate = browser.new_context().new_page()
    candidate.goto(fresh)
    assert candidate.locator("h1").inner_text() == "Support Engineer"
    assert candidate.locator("button[value=submit]").is_visible()
    candidate.context.close()


def test_the_review_queue_works_from_the_keyboard(recruiter_page, live_server):
    from tests.recruiting.views.results.conftest import scored
    from tests.recruiting.conftest import make_candidate, make_invitation
    import datetime as dt

    from django.utils import timezone

    now = timezone.now()
    first = scored(invitation=make_invitation(candidate=make_candidate(name="First Waiting")),
                   remote_updated_at=now - dt.timedelta(days=2))
    scored(invitation=make_invitation(candidate=make_candidate(name="Second Waiting")),
           remote_updated_at=now - dt.timedelta(days=1))
    page = recruiter_page
    page.goto(page.live_url + "/results/?review=pending")
    assert page.locator(".main-nav .count").inner_text() == "2"
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/results/{first.pk}/?queue=1")
    page.keyboard.press("/")
    page.keyboard.type("Good, but hold for now")
    page.locator("body").click(position={"x": 5, "y": 5})
    page.keyboard.press("h")
    page.locator("text=Decision saved: Hold for First Waiting").wait_for()
    assert "Second Waiting" in page.locator("h1").inner_text()
    page.keyboard.press("a")
    page.locator("text=Nothing else is waiting for review.").wait_for()
    from recruiting.models import ResultReview
    assert dict(ResultReview.objects.values_list("result__candidate__name", "decision")) == {
        "First Waiting": "hold", "Second Waiting": "advance"}
    assert ResultReview.objects.get(decision="hold").note == "Good, but hold for now"
    assert [m.text for m in page.console_messages if m.type == "error"] == []
