"""A recruiter creates interviews three ways and archives one, in Chromium, against the sandbox."""

import re

import pytest

from recruiting.models import CreationMethod, Interview

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def csp_violations(page):
    return [m.text for m in page.console_messages if "Content Security Policy" in m.text or "Refused to" in m.text]


def fetch_templates(page):
    """The first run: no templates known yet; the form page offers to fetch them."""
    page.click("text=Fetch templates from JobMojito")
    page.wait_for_selector("text=interviewer templates synced from JobMojito")


def fill_basics(page, name, *, template="Sam - voice only"):
    page.fill("#id_name", name)
    page.fill("#id_location", "Leeds")
    page.select_option("#id_language", "en")
    page.get_by_label(re.compile(re.escape(template))).check()


def test_create_an_interview_from_questions_add_three_reorder_and_make_one_multiple_choice(recruiter_page, live_sandbox):
    page = recruiter_page
    page.goto(page.live_url + "/interviews/new/")
    page.click("text=From your own questions")
    fetch_templates(page)
    fill_basics(page, "Support lead")
    page.fill("#id_description", "Lead our customer support team.")
    page.fill("#id_questions-0-text", "Tell us about a difficult customer.")
    page.click("button[name=add_question]")
    page.fill("#id_questions-1-text", "Why did you handle it that way?")
    page.select_option("#id_questions-1-follows_up", "q1")
    page.click("button[name=add_question]")
    page.fill("#id_questions-2-text", "Which channel do you prefer?")
    page.check("#id_questions-2-is_multiple_choice")
    page.fill("#id_questions-2-alternatives", "Email\nPhone\nChat")
    page.fill("#id_questions-2-duration", "45")
    assert page.input_value("#id_name") == "Support lead"  # adding rows kept what was typed
    page.click("button[name=up_2]")  # the multiple-choice question moves above the follow-up
    assert page.input_value("#id_questions-1-text") == "Which channel do you prefer?"
    assert page.is_checked("#id_questions-1-is_multiple_choice")
    assert page.input_value("#id_questions-2-follows_up") == "q1"  # the follow-up link survived the move
    page.click("form#questions-form .form-actions button[name=create]")
    page.wait_for_url(re.compile(r"/interviews/\d+/$"))

    interview = Interview.objects.get(name="Support lead")
    assert interview.creation_method == CreationMethod.FROM_QUESTIONS
    texts = [q.text for q in interview.questions.order_by("position")]
    assert texts == ["Tell us about a difficult customer.", "Which channel do you prefer?",
                     "Why did you handle it that way?"]
    assert page.locator("h1").inner_text().startswith("Support lead")
    items = page.locator("ol.question-view > li")
    assert items.count() == 3
    assert "Multiple choice" in items.nth(1).inner_text() and "Phone" in items.nth(1).inner_text()
    assert "Follow-up of question 1" in items.nth(2).inner_text()
    assert csp_violations(page) == []


def test_create_an_interview_from_a_description(recruiter_page, live_sandbox):
    page = recruiter_page
    page.goto(page.live_url + "/interviews/new/from-description/")
    fetch_templates(page)
    fill_basics(page, "Backend engineer", template="Anna - interactive video avatar")
    page.fill("#id_description", "Python, Django and PostgreSQL for our payments team.")
    page.select_option("#id_seniority", "senior")
    page.fill("#id_length", "4")
    page.click("text=Create interview")
    page.wait_for_url(re.compile(r"/interviews/\d+/$"))
    assert "created with questions written from the description" in page.inner_text(".messages")
    assert page.locator("ol.question-view > li").count() == Interview.objects.get().questions.count() > 0
    assert "2.5 credits per interview taken" in page.inner_text("body")


def test_create_an_interview_for_a_candidate_and_see_the_decision_and_link(recruiter_page, live_sandbox):
    page = recruiter_page
    page.goto(page.live_url + "/interviews/new/for-candidate/")
    fetch_templates(page)
    page.fill("#id_candidate_name", "Jo Doe")
    page.fill("#id_candidate_email", "jo@example.com")
    page.fill("#id_candidate_country_code", "GB")
    page.fill("#id_resume_text", "Barista for 6 years: espresso, latte art, customer service, coffee shop shifts.")
    page.fill("#id_position_name", "Barista")
    page.fill("#id_position_location", "London")
    page.fill("#id_position_country_code", "GB")
    page.click("text=Screen and create")
    page.wait_for_url(re.compile(r"/interviews/\d+/\?created_for=\d+$"))
    panel = page.locator("section.created-for")
    assert "Created for Jo Doe" in panel.inner_text()
    decision = panel.locator(".badge").inner_text()
    assert decision in ("AI accept", "Needs recruiter review", "AI reject")
    link = page.input_value("#candidate-interview-link")
    invitation = Interview.objects.get().invitations.get()
    assert link == invitation.interview_url and link.startswith("http")
    page.click("button[data-copy=candidate-interview-link]")
    page.wait_for_selector("button.copied")  # the copy button confirms


def test_archive_an_interview_through_its_confirmation(recruiter_page, live_sandbox):
    from mojito.sandbox.seed import TEMPLATE_IDS
    from recruiting.services.interviews import interview_create_from_questions

    interview = interview_create_from_questions(
        name="Night shift lead", location="Leeds", interview_template_id=TEMPLATE_IDS["offline_heygen"],
        description="Run the night shift.", questions=["How do you plan a shift?"], status="active")
    page = recruiter_page
    page.goto(f"{page.live_url}/interviews/{interview.pk}/")
    page.click('.page-header .actions a:has-text("Archive")')
    page.wait_for_url(f"**/interviews/{interview.pk}/archive/")
    assert "Archive this interview?" in page.inner_text("h1")
    assert "candidates can no longer start it" in page.inner_text("main")
    page.click("text=Archive interview")
    page.wait_for_url(f"**/interviews/{interview.pk}/")
    assert "archived" in page.inner_text(".messages")
    assert page.locator("h1 .badge").inner_text() == "Archived"
    assert live_sandbox.state.interviews[interview.mojito_id]["status"] == "archived"
    assert page.locator(".page-header .actions a", has_text="Archive").count() == 0  # no longer offered
