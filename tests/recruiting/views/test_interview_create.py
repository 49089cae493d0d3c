"""The three create forms against the sandbox: happy paths, validation, and every error path."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.html import escape

from mojito.sandbox.seed import TEMPLATE_IDS
from recruiting.models import CreationMethod, Interview, InterviewTemplate, KnowledgeDocument
from recruiting.services.templates import templates_sync
from tests.support.mojito_faults import MojitoFaults

pytestmark = pytest.mark.django_db
HEYGEN = TEMPLATE_IDS["interactive_heygen"]


@pytest.fixture
def templates(sandbox):
    templates_sync()
    return {t.type: t for t in InterviewTemplate.objects.all()}


def description_form(templates, **overrides):
    return {"name": "Backend engineer", "location": "Remote", "language": "en", "type": "interview",
            "visibility": "merchant_invite", "status": "draft", "template": templates["interactive_heygen"].pk,
            "description": "Python, Django and PostgreSQL for our payments team.",
            "candidate_expectations": "Has shipped Django apps.", "interview_style": "second-interview",
            "seniority": "senior", "length": "5"} | overrides


def questions_form(templates, rows, **overrides):
    data = {"name": "Support lead", "location": "Leeds", "language": "en", "type": "interview",
            "visibility": "merchant_invite", "status": "active", "template": templates["interactive_elevenlabs"].pk,
            "description": "Lead the support team.", "questions-TOTAL_FORMS": str(len(rows)),
            "questions-INITIAL_FORMS": "0"}
    for i, row in enumerate(rows):
        for key, value in row.items():
            if value is not False:
                data[f"questions-{i}-{key}"] = value
    return data | overrides


def candidate_form(**overrides):
    return {"candidate_name": "Jo Doe", "candidate_email": "jo@example.com", "candidate_country_code": "gb",
            "resume_text": "Barista for 6 years: espresso, latte art, customer service, coffee shop shifts.",
            "position_name": "Barista", "position_location": "London", "position_country_code": "GB",
            "language": "en"} | overrides


# --- the chooser ---------------------------------------------------------------------------------

def test_the_chooser_offers_the_three_ways(recruiter_client, templates):
    html = recruiter_client.get("/interviews/new/").content.decode()
    assert "<title>New interview · JobMojito Recruiter</title>" in html
    for url in ("/interviews/new/from-description/", "/interviews/new/from-questions/", "/interviews/new/for-candidate/"):
        assert f'href="{url}"' in html


def test_the_forms_offer_usable_templates_with_modality_and_cost(recruiter_client, templates):
    html = recruiter_client.get("/interviews/new/from-description/").content.decode()
    assert "Anna - interactive video avatar · Interactive video avatar · 2.5 credits per interview" in html
    assert "Sam - voice only · Voice only · 1 credit per interview" in html
    assert "Lena - pre-recorded avatar · Pre-recorded avatar · 0.35 credits per interview" in html
    assert "legacy Elai" not in html  # legacy templates cannot create


# --- from a description ----------------------------------------------------------------------------

def test_it_creates_from_a_description_and_lands_on_the_interview(recruiter_client, sandbox, templates):
    response = recruiter_client.post("/interviews/new/from-description/", description_form(templates))
    interview = Interview.objects.get(name="Backend engineer")
    assert response.status_code == 302 and response["Location"] == f"/interviews/{interview.pk}/"
    assert interview.creation_method == CreationMethod.FROM_DESCRIPTION
    remote = sandbox.state.interviews[interview.mojito_id]
    assert remote["creation_parameters"]["interview_type"] == "second-interview"
    assert remote["creation_parameters"]["seniority_level"] == "senior"
    assert remote["interview_template_id"] == HEYGEN
    assert interview.questions.count() == len(remote["questions"]) > 0
    html = recruiter_client.get(response["Location"]).content.decode()
    assert "created with questions written from the description" in html


def test_a_description_form_with_missing_fields_sends_nothing(recruiter_client, sandbox, settings, templates):
    faults = MojitoFaults(sandbox, settings)
    response = recruiter_client.post("/interviews/new/from-description/",
                                     description_form(templates, name="", description="", length="99"))
    html = response.content.decode()
    assert response.status_code == 200 and faults.calls("job-interview-create") == 0
    assert "This field is required." in html and "Ensure this value is less than or equal to 40." in html
    assert 'value="Remote"' in html  # what was typed stays


def test_a_422_from_jobmojito_lands_on_its_field_and_keeps_what_was_typed(recruiter_client, sandbox, settings,
                                                                          templates):
    MojitoFaults(sandbox, settings)
    sandbox.state.templates[HEYGEN]["status"] = "deleted"  # removed in JobMojito since the last sync
    response = recruiter_client.post("/interviews/new/from-description/", description_form(templates))
    html = response.content.decode()
    assert response.status_code == 200 and not Interview.objects.exists()
    form = response.context["form"]
    assert "does not match any avatar template" in form.errors["template"][0]
    assert "Python, Django and PostgreSQL" in html and 'value="Backend engineer"' in html


@pytest.mark.parametrize("fault, words", [
    ("refuse_token", "JobMojito refused the API token. Check MOJITO_API_TOKEN"),
    ("forbid_token", "The API token is not allowed to do this"),
    ("server_error", "JobMojito did not answer. Nothing was lost"),
])
@pytest.mark.parametrize("path", ["from-description", "from-questions", "for-candidate"])
def test_a_create_that_fails_says_what_to_do_and_keeps_the_form(recruiter_client, sandbox, settings, templates,
                                                                fault, words, path):
    faults = MojitoFaults(sandbox, settings)
    getattr(faults, fault)()
    data = {"from-description": description_form(templates),
            "from-questions": questions_form(templates, [{"key": "q1", "text": "Why support?"}]),
            "for-candidate": candidate_form()}[path]
    response = recruiter_client.post(f"/interviews/new/{path}/", data)
    html = response.content.decode()
    assert response.status_code == 200 and not Interview.objects.exists()
    assert words in html and "Sandbox fault" not in html
    assert ('value="Backend engineer"' in html or 'value="Support lead"' in html or 'value="Jo Doe"' in html)


@pytest.mark.parametrize("path", ["from-description", "from-questions"])
def test_a_create_with_no_answer_is_checked_not_resent(recruiter_client, sandbox, settings, templates, path,
                                                       django_capture_on_commit_callbacks):
    faults = MojitoFaults(sandbox, settings)
    endpoint = {"from-description": "job-interview-create", "from-questions": "job-interview-create-from-array"}[path]
    faults.outcome_unknown(endpoint)
    data = (description_form(templates) if path == "from-description"
            else questions_form(templates, [{"key": "q1", "text": "Why support?"}]))
    with django_capture_on_commit_callbacks() as callbacks:
        response = recruiter_client.post(f"/interviews/new/{path}/", data)
    html = response.content.decode()
    assert "the app is checking and it will appear here once it is found" in html
    assert "/interviews/?q=" in html and "the interview list" in html
    assert faults.calls(endpoint) == 2  # sent, looked up, sent once more: never a third time
    assert len(callbacks) == 1  # the reconcile that finds it is queued


def test_a_create_that_times_out_before_sending_says_nothing_was_lost(recruiter_client, sandbox, settings,
                                                                      templates):
    faults = MojitoFaults(sandbox, settings)
    faults.timeout()
    html = recruiter_client.post("/interviews/new/for-candidate/", candidate_form()).content.decode()
    assert "JobMojito did not answer. Nothing was lost" in html and 'value="jo@example.com"' in html


# --- from the recruiter's own questions --------------------------------------------------------------

def test_it_creates_from_questions_with_every_option(recruiter_client, sandbox, templates):
    KnowledgeDocument.objects.create(mojito_id="kb-77", store_id="store-1", name="Returns policy.pdf")
    doc = KnowledgeDocument.objects.get()
    rows = [
        {"key": "q1", "text": "Which channel do you prefer?", "duration": "60", "is_multiple_choice": "on",
         "alternatives": "Email\nPhone\n\nChat"},
        {"key": "q2", "text": "Why that one?", "follows_up": "q1", "is_without_scoring": "on"},
        {"key": "q3", "text": "Explain our returns policy.", "knowledge_document": str(doc.pk), "duration": "120"},
    ]
    response = recruiter_client.post("/interviews/new/from-questions/", questions_form(templates, rows, create="1"))
    interview = Interview.objects.get(name="Support lead")
    assert response.status_code == 302 and response["Location"] == f"/interviews/{interview.pk}/"
    assert interview.creation_method == CreationMethod.FROM_QUESTIONS and interview.status == "active"
    sent = sandbox.state.interviews[interview.mojito_id]["questions"]
    assert [q["question"] for q in sent] == ["Which channel do you prefer?", "Why that one?", "Explain our returns policy."]
    assert sent[0]["is_multiple_choice"] and sent[0]["question_alternatives"] == ["Email", "Phone", "Chat"]
    assert sent[0]["duration"] == 60 and sent[2]["knowledge_base_id"] == "kb-77"
    assert sent[1]["is_without_scoring"] and sent[1]["conditional_question_main_id"] == sent[0]["id"]
    local = list(interview.questions.order_by("position"))
    assert local[1].conditional_question_main_id == local[0].mojito_id and local[1].is_without_scoring
    assert local[2].knowledge_base_id == "kb-77" and local[0].alternatives == ["Email", "Phone", "Chat"]
    html = recruiter_client.get(response["Location"]).content.decode()
    assert 'Follow-up of <a href="#q-1">question 1</a>' in html and "Knowledge: Returns policy.pdf" in html


def test_the_empty_form_starts_with_one_question(recruiter_client, templates):
    response = recruiter_client.get("/interviews/new/from-questions/")
    assert len(response.context["formset"].forms) == 1
    assert 'name="add_question"' in response.content.decode()


def test_adding_a_question_keeps_everything_typed_and_shows_no_errors(recruiter_client, sandbox, settings,
                                                                      templates):
    faults = MojitoFaults(sandbox, settings)
    data = questions_form(templates, [{"key": "q1", "text": "First, typed by hand"}], name="Half-written",
                          add_question="1")
    response = recruiter_client.post("/interviews/new/from-questions/", data)
    html = response.content.decode()
    formset = response.context["formset"]
    assert len(formset.forms) == 2 and faults.calls("job-interview-create-from-array") == 0
    assert "First, typed by hand" in html and 'value="Half-written"' in html
    assert "This field is required" not in html  # the new blank row is not an error yet
    assert [f.initial["key"] for f in formset.forms] == ["q1", "q2"]


def test_removing_a_question_keeps_the_others_and_unlinks_its_follow_ups(recruiter_client, templates):
    rows = [{"key": "q1", "text": "One"}, {"key": "q2", "text": "Two"}, {"key": "q3", "text": "Three", "follows_up": "q2"}]
    response = recruiter_client.post("/interviews/new/from-questions/", questions_form(templates, rows, remove_1="1"))
    forms = response.context["formset"].forms
    assert [f.initial["text"] for f in forms] == ["One", "Three"]
    assert forms[1].initial["follows_up"] == ""


def test_moving_a_question_keeps_its_follow_up_link(recruiter_client, templates):
    rows = [{"key": "q1", "text": "One"}, {"key": "q2", "text": "Two"}, {"key": "q3", "text": "Three", "follows_up": "q1",
                                                                          "is_multiple_choice": "on",
                                                                          "alternatives": "a\nb"}]
    response = recruiter_client.post("/interviews/new/from-questions/", questions_form(templates, rows, up_2="1"))
    forms = response.context["formset"].forms
    assert [f.initial["text"] for f in forms] == ["One", "Three", "Two"]
    assert forms[1].initial["follows_up"] == "q1" and forms[1].initial["is_multiple_choice"] is True
    assert forms[1].initial["alternatives"] == "a\nb"
    assert ("q1", "Question 1: One") in forms[1].fields["follows_up"].choices
    response = recruiter_client.post("/interviews/new/from-questions/", questions_form(templates, rows, down_0="1"))
    assert [f.initial["text"] for f in response.context["formset"].forms] == ["Two", "One", "Three"]


def test_a_follow_up_moved_above_its_question_is_an_error_on_that_row(recruiter_client, sandbox, settings, templates):
    faults = MojitoFaults(sandbox, settings)
    rows = [{"key": "q2", "text": "Why?", "follows_up": "q1"}, {"key": "q1", "text": "Which one?"}]
    response = recruiter_client.post("/interviews/new/from-questions/", questions_form(templates, rows, create="1"))
    formset = response.context["formset"]
    assert "must come after the question it follows" in formset.forms[0].errors["follows_up"][0]
    assert faults.calls("job-interview-create-from-array") == 0


def test_a_multiple_choice_question_needs_two_options(recruiter_client, templates):
    rows = [{"key": "q1", "text": "Pick one", "is_multiple_choice": "on", "alternatives": "Only one"}]
    response = recruiter_client.post("/interviews/new/from-questions/", questions_form(templates, rows, create="1"))
    assert "at least two answer options" in response.context["formset"].forms[0].errors["alternatives"][0]
    assert not Interview.objects.exists()


def test_it_needs_at_least_one_question(recruiter_client, templates):
    response = recruiter_client.post("/interviews/new/from-questions/", questions_form(templates, [], create="1"))
    assert "Add at least one question." in response.content.decode()


def test_a_422_on_a_question_lands_on_that_questions_field(recruiter_client, sandbox, settings, templates):
    faults = MojitoFaults(sandbox, settings)
    faults.answer("job-interview-create-from-array", 422, "knowledge_base_id is not a document of this merchant.",
                  "questions[1].knowledge_base_id")
    KnowledgeDocument.objects.create(mojito_id="kb-x", store_id="s", name="Old doc")
    rows = [{"key": "q1", "text": "One"},
            {"key": "q2", "text": "Two", "knowledge_document": str(KnowledgeDocument.objects.get().pk)}]
    response = recruiter_client.post("/interviews/new/from-questions/", questions_form(templates, rows, create="1"))
    formset = response.context["formset"]
    assert formset.forms[1].errors["knowledge_document"] == ["knowledge_base_id is not a document of this merchant."]
    assert "Two" in response.content.decode() and not Interview.objects.exists()


def test_a_422_on_a_basic_field_lands_on_that_field(recruiter_client, sandbox, settings, templates):
    faults = MojitoFaults(sandbox, settings)
    faults.answer("job-interview-create-from-array", 422, "Unsupported language.", "mojito_language_code")
    response = recruiter_client.post("/interviews/new/from-questions/",
                                     questions_form(templates, [{"key": "q1", "text": "One"}], create="1"))
    assert response.context["form"].errors["language"] == ["Unsupported language."]


# --- for one candidate ---------------------------------------------------------------------------

def test_it_creates_for_a_candidate_and_shows_the_decision_and_link(recruiter_client, sandbox, templates):
    response = recruiter_client.post("/interviews/new/for-candidate/",
                                     candidate_form(template=templates["offline_heygen"].pk))
    interview = Interview.objects.get()
    assert response.status_code == 302
    assert response["Location"].startswith(f"/interviews/{interview.pk}/?created_for=")
    assert interview.creation_method == CreationMethod.FOR_CANDIDATE
    html = recruiter_client.get(response["Location"]).content.decode()
    invitation = interview.invitations.get()
    assert invitation.candidate.email == "jo@example.com" and invitation.candidate.country_code == "GB"
    assert "Created for" in html and "Jo Doe" in html and "Decision" in html
    assert f'value="{escape(invitation.interview_url)}"' in html and invitation.interview_url.startswith("http")
    decision = invitation.candidate.pre_screenings.get().decision_status
    assert decision in ("ai_accept", "recruiter_action", "ai_reject")


def test_a_rejected_candidate_shows_the_reason(recruiter_client, sandbox, templates):
    response = recruiter_client.post("/interviews/new/for-candidate/", candidate_form(
        resume_text="I like painting watercolours on weekends.", position_name="Senior Kubernetes platform engineer",
        candidate_email="painter@example.com"), follow=True)
    html = response.content.decode()
    assert 'badge badge-bad">AI reject' in html and "Reason" in html and "below" in html


def test_a_candidate_can_come_with_a_resume_file(recruiter_client, sandbox, templates):
    upload = SimpleUploadedFile("cv.txt", b"Barista, 6 years, espresso and latte art.", content_type="text/plain")
    data = candidate_form(resume_text="")
    data["resume_file"] = upload
    response = recruiter_client.post("/interviews/new/for-candidate/", data)
    assert response.status_code == 302
    record = next(iter(sandbox.state.prescreenings.values()))
    assert "latte art" in record["_resume_text"]


def test_a_bad_resume_file_is_an_error_on_that_field(recruiter_client, sandbox, templates):
    data = candidate_form(resume_text="")
    data["resume_file"] = SimpleUploadedFile("cv.pdf", b"not really a pdf", content_type="application/pdf")
    response = recruiter_client.post("/interviews/new/for-candidate/", data)
    assert "named like a PDF" in response.context["form"].errors["resume_file"][0]
    assert not sandbox.state.prescreenings


def test_a_new_position_needs_its_fields_and_a_resume(recruiter_client, sandbox, templates):
    response = recruiter_client.post("/interviews/new/for-candidate/", candidate_form(
        resume_text="", position_name="", position_country_code=""))
    errors = response.context["form"].errors
    assert "Paste the résumé" in errors["resume_text"][0]
    assert "Needed for a new position" in errors["position_name"][0] and "position_country_code" in errors
    assert not sandbox.state.positions


def test_an_existing_position_needs_no_position_fields(recruiter_client, sandbox, templates):
    recruiter_client.post("/interviews/new/for-candidate/", candidate_form())
    from recruiting.models import Position

    position = Position.objects.get()
    response = recruiter_client.post("/interviews/new/for-candidate/", candidate_form(
        candidate_email="second@example.com", position=position.pk, position_name="", position_location="",
        position_country_code="", language=""))
    assert response.status_code == 302
    assert Interview.objects.count() == 1  # the same position's interview


def test_an_unknown_position_in_jobmojito_is_an_error_on_the_position(recruiter_client, sandbox, settings, templates):
    recruiter_client.post("/interviews/new/for-candidate/", candidate_form())
    from recruiting.models import Position

    position = Position.objects.get()
    MojitoFaults(sandbox, settings)
    sandbox.state.positions[position.mojito_id]["status"] = "deleted"
    response = recruiter_client.post("/interviews/new/for-candidate/", candidate_form(
        candidate_email="second@example.com", position=position.pk))
    assert "No position with id" in response.context["form"].errors["position"][0]


def test_an_anonymous_create_goes_to_login(client):
    for path in ("new/", "new/from-description/", "new/from-questions/", "new/for-candidate/"):
        response = client.get(f"/interviews/{path}")
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_conflict_on_create_shows_jobmojitos_reason_and_keeps_the_form(recruiter_client, sandbox, settings,
                                                                         templates):
    faults = MojitoFaults(sandbox, settings)
    faults.answer("job-interview-create-for-candidate-with-token", 409, "This position is closed for applications.")
    response = recruiter_client.post("/interviews/new/for-candidate/", candidate_form())
    html = response.content.decode()
    assert "refused because of the current state: This position is closed for applications." in html
    assert 'value="jo@example.com"' in html and not Interview.objects.exists()


def test_a_junk_created_for_marker_is_ignored(recruiter_client, sandbox, templates):
    recruiter_client.post("/interviews/new/for-candidate/", candidate_form())
    interview = Interview.objects.get()
    for junk in ("abc", "999999", ""):
        response = recruiter_client.get(f"/interviews/{interview.pk}/", {"created_for": junk})
        assert response.status_code == 200 and "Created for" not in response.content.decode()
