"""/prescreening/: positions and their rules, screening a pasted or uploaded résumé, past screenings."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mojito.vocabulary import Recommendation
from recruiting.models import Candidate, Position, PreScreening
from recruiting.services import prescreening as services
from tests.mojito.test_documents import png, reportlab_pdf, scanned_pdf
from tests.recruiting.conftest import make_candidate, make_position

pytestmark = pytest.mark.django_db

LIST, NEW, SCREEN = reverse("prescreening:list"), reverse("prescreening:position_new"), reverse("prescreening:screen")
RESUME = ("Senior Python engineer with 9 years of experience: Django, PostgreSQL, Celery, payments. "
          "Masters in computer science.")
POSITION_FORM = {
    "name": "Python engineer", "location": "Berlin", "country_code": "de", "language": "en", "status": "active",
    "description": "Payments backend", "description_long": "Python, Django, PostgreSQL, Celery, payments.",
    "candidate_expectations": "", "resume_score_accept": "6", "resume_score_reject": "2",
    "experience_years": "", "experience_action": "mark_for_review", "education": "",
    "education_action": "mark_for_review", "residency": "", "residency_action": "mark_for_review",
    "language_action": "mark_for_review", "language_1": "", "level_1": "advanced", "language_2": "",
    "level_2": "advanced", "language_3": "", "level_3": "advanced",
}


@pytest.fixture
def position(sandbox):
    return services.position_upsert(name="Python engineer", location="Berlin", country_code="DE",
                                    mojito_language_code="en", status="active",
                                    description_long="Python Django PostgreSQL Celery payments",
                                    assessment_rules=[{"id": "resume_match", "resume_score_reject": 2,
                                                       "resume_score_accept": 6}])


def screen_data(position, **overrides):
    data = {"position": position.pk, "name": "Lin Park", "email": "lin@example.com", "country_code": "",
            "resume_text": RESUME, "residency": "", "education": "", "language_1": "", "level_1": "fluent",
            "language_2": "", "level_2": "fluent"}
    data.update(overrides)
    return data


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


# --- access -------------------------------------------------------------------------------------

@pytest.mark.parametrize("url", [LIST, NEW, SCREEN, "/prescreening/1/", "/prescreening/positions/1/edit/"])
def test_it_sends_anonymous_visitors_to_the_login(client, url):
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


# --- positions ----------------------------------------------------------------------------------

def test_it_creates_a_position_with_its_rules(recruiter_client, sandbox):
    data = {**POSITION_FORM, "experience_years": "5", "experience_action": "reject", "education": "bachelors",
            "residency": "de, fr", "residency_eu": "on", "language_1": "en", "level_1": "fluent",
            "language_2": "de", "level_2": "intermediate", "language_action": "reject"}
    response = recruiter_client.post(NEW, data)
    position = Position.objects.get()
    assert response.status_code == 302
    assert response.url == f"{SCREEN}?position={position.pk}"
    remote = sandbox.state.positions[position.mojito_id]
    rules = {r["id"]: r for r in remote["assessment_rules"]}
    assert rules["resume_match"] == {"id": "resume_match", "resume_score_accept": 6, "resume_score_reject": 2}
    assert rules["resume_technical_experience"]["technical_experience_years"] == 5
    assert rules["resume_technical_experience"]["action"] == "reject"
    assert rules["resume_education"]["education"] == "bachelors"
    assert rules["form_residency"]["country"] == ["DE", "FR"] and rules["form_residency"]["country_eu"] is True
    assert rules["form_languages"]["languages"] == [{"code": "en", "level": "fluent"},
                                                    {"code": "de", "level": "intermediate"}]
    assert remote["type"] == "resume_with_form"
    assert {f["id"] for f in remote["form_fields"]} == {"form_residency", "form_languages"}
    assert remote["country_code"] == "DE" and remote["status"] == "active"


def test_a_resume_only_position_stays_a_resume_position(recruiter_client, sandbox):
    recruiter_client.post(NEW, POSITION_FORM)
    remote = sandbox.state.positions[Position.objects.get().mojito_id]
    assert remote["type"] == "resume" and remote["form_fields"] == []


def test_the_edit_form_shows_the_rules_and_saves_changes(recruiter_client, sandbox):
    data = {**POSITION_FORM, "education": "masters", "language_1": "fr", "level_1": "beginner"}
    recruiter_client.post(NEW, data)
    position = Position.objects.get()
    url = reverse("prescreening:position_edit", args=[position.pk])
    page = recruiter_client.get(url).content.decode()
    assert 'value="Python engineer"' in page
    assert '<option value="masters" selected>' in page and '<option value="fr" selected>' in page

    response = recruiter_client.post(url, {**data, "name": "Senior Python engineer", "resume_score_accept": "8"})
    assert response.status_code == 302
    remote = sandbox.state.positions[position.mojito_id]
    assert remote["name"] == "Senior Python engineer"
    assert {r["id"]: r for r in remote["assessment_rules"]}["resume_match"]["resume_score_accept"] == 8
    assert Position.objects.count() == 1


def test_thresholds_that_contradict_each_other_are_refused_on_the_field(recruiter_client, sandbox):
    response = recruiter_client.post(NEW, {**POSITION_FORM, "resume_score_accept": "4", "resume_score_reject": "6"})
    assert response.status_code == 422
    assert "make it at most 4" in " ".join(response.context["form"].errors["resume_score_reject"])
    assert 'value="Python engineer"' in response.content.decode()  # what was typed is kept
    assert not sandbox.state.positions or Position.objects.count() == 0


def test_bad_country_codes_are_named(recruiter_client, sandbox):
    response = recruiter_client.post(NEW, {**POSITION_FORM, "residency": "Germany, FR"})
    assert response.status_code == 422
    assert "not understood: GERMANY" in " ".join(response.context["form"].errors["residency"])


def test_a_jobmojito_refusal_of_a_rule_lands_on_the_rule_field(recruiter_client, sandbox, monkeypatch):
    from mojito.sandbox.api import prescreening as remote
    from mojito.sandbox.validation import invalid

    def refuse(data):
        raise invalid("resume_score_reject must be a whole number of points.", "assessment_rules[0].resume_score_reject")

    monkeypatch.setattr(remote, "_check_rules", refuse)
    response = recruiter_client.post(NEW, POSITION_FORM)
    assert response.status_code == 422
    assert response.context["form"].errors["resume_score_reject"] == [
        "resume_score_reject must be a whole number of points."]
    assert 'value="Python engineer"' in response.content.decode()


def test_editing_a_position_deleted_in_jobmojito_says_so(recruiter_client, position, sandbox):
    del sandbox.state.positions[position.mojito_id]
    response = recruiter_client.post(reverse("prescreening:position_edit", args=[position.pk]), POSITION_FORM)
    assert response.status_code == 200
    assert "JobMojito no longer has this position" in messages_of(response)
    assert 'value="Python engineer"' in response.content.decode()


@pytest.mark.parametrize(("breakage", "words"), [
    ("wrong_token", "JobMojito refused the API token. Check MOJITO_API_TOKEN"),
    ("not_merchant", "The API token is not allowed to do this in JobMojito"),
    ("5xx", "JobMojito did not answer. Nothing was lost"),
])
def test_jobmojito_failures_keep_the_form_and_say_what_to_do(recruiter_client, sandbox, settings, breakage, words):
    break_sandbox(sandbox, settings, breakage)
    response = recruiter_client.post(NEW, POSITION_FORM)
    assert response.status_code == 200
    assert words in messages_of(response)
    assert 'value="Python engineer"' in response.content.decode()
    assert Position.objects.count() == 0


def break_sandbox(sandbox, settings, breakage):
    config = sandbox.state.config
    if breakage == "wrong_token":
        config.tokens.pop(settings.MOJITO_API_TOKEN)
    elif breakage == "not_merchant":
        config.tokens[settings.MOJITO_API_TOKEN] = {"merchant_id": config.merchant_id, "role": "user"}
    elif breakage == "5xx":
        config.fault_rate, config.fault_kinds = 1.0, ("503",)
    elif breakage == "timeout":
        config.fault_rate, config.fault_kinds, config.timeout_sleep_s = 1.0, ("timeout",), 0.01
    elif breakage == "drop":
        config.fault_rate, config.fault_kinds = 1.0, ("drop",)


# --- screening ----------------------------------------------------------------------------------

def test_it_screens_pasted_text_and_shows_the_recommendation(recruiter_client, position, sandbox):
    response = recruiter_client.post(SCREEN, screen_data(position))
    screening = PreScreening.objects.get()
    assert response.status_code == 302 and response.url == reverse("prescreening:detail", args=[screening.pk])
    remote = sandbox.state.prescreenings[screening.mojito_id]
    page = recruiter_client.get(response.url).content.decode()
    label = dict(Recommendation.choices)[remote["recommendation"]]
    assert label in page and f"{remote['pre_screening_score']:.1f}" in page
    assert remote["resume_ai_analysis"][:40] in page
    assert "9 years" in page or "9.0" in page or "Years of experience" in page
    assert "Pasted text" in page
    assert RESUME not in page  # the résumé itself is not kept or shown


def test_it_screens_an_uploaded_pdf(recruiter_client, position, sandbox):
    pdf = SimpleUploadedFile("lin-park.pdf", reportlab_pdf(*RESUME.split(": ")), content_type="application/pdf")
    response = recruiter_client.post(SCREEN, screen_data(position, resume_text="", resume_file=pdf))
    screening = PreScreening.objects.get()
    assert response.status_code == 302
    assert screening.source == "file" and screening.file_name == "lin-park.pdf"
    assert sandbox.state.prescreenings[screening.mojito_id]["_resume_text"].startswith("Senior Python engineer")
    assert "lin-park.pdf" in recruiter_client.get(response.url).content.decode()


def test_the_candidate_answers_go_along(recruiter_client, sandbox):
    recruiter_client.post(NEW, {**POSITION_FORM, "residency": "DE", "residency_action": "reject"})
    position = Position.objects.get()
    recruiter_client.post(SCREEN, screen_data(position, residency="fr"))
    screening = PreScreening.objects.get()
    assert screening.recommendation == "ai_reject"
    assert "residency" in (screening.processing_reason + screening.analysis).lower()


@pytest.mark.parametrize(("name", "data", "words"), [
    ("cv.pdf", png(), "named like a PDF but is a .png file"),
    ("scan.pdf", scanned_pdf(), "looks like a scanned image"),
    ("locked.pdf", reportlab_pdf("x", encrypt="pw"), "password-protected"),
    ("photo.png", png(), "is a .png file"),
])
def test_an_unusable_file_is_refused_on_the_file_field(recruiter_client, position, sandbox, name, data, words):
    upload = SimpleUploadedFile(name, data)
    response = recruiter_client.post(SCREEN, screen_data(position, resume_text="", resume_file=upload))
    assert response.status_code == 422
    assert words in " ".join(response.context["form"].errors["resume_file"])
    assert 'value="Lin Park"' in response.content.decode()
    assert not sandbox.state.prescreenings and PreScreening.objects.count() == 0


def test_a_file_over_the_limit_is_refused(recruiter_client, position, sandbox, settings):
    settings.RESUME_MAX_BYTES = 1024
    upload = SimpleUploadedFile("cv.txt", b"a" * 2048)
    response = recruiter_client.post(SCREEN, screen_data(position, resume_text="", resume_file=upload))
    assert response.status_code == 422
    assert "the limit is 1 KB" in " ".join(response.context["form"].errors["resume_file"])


def test_it_needs_a_resume_and_only_one(recruiter_client, position, sandbox):
    response = recruiter_client.post(SCREEN, screen_data(position, resume_text=""))
    assert "Paste the résumé here, or upload it" in " ".join(response.context["form"].errors["resume_text"])
    upload = SimpleUploadedFile("cv.txt", b"Teacher")
    response = recruiter_client.post(SCREEN, screen_data(position, resume_file=upload))
    assert "not both" in " ".join(response.context["form"].errors["resume_text"])


def test_a_jobmojito_field_refusal_lands_on_the_field(recruiter_client, position, sandbox):
    response = recruiter_client.post(SCREEN, screen_data(position, email="lin@localhost"))
    assert response.status_code == 422
    assert "is not a valid email address" in " ".join(response.context["form"].errors["email"])
    assert RESUME in response.content.decode()  # the pasted résumé is still there


def test_screening_against_a_position_deleted_in_jobmojito(recruiter_client, position, sandbox):
    del sandbox.state.positions[position.mojito_id]
    response = recruiter_client.post(SCREEN, screen_data(position))
    assert "no longer has this position" in messages_of(response)
    assert RESUME in response.content.decode()


@pytest.mark.parametrize(("breakage", "words"), [
    ("wrong_token", "Check MOJITO_API_TOKEN"),
    ("not_merchant", "The API token is not allowed to do this"),
    ("5xx", "JobMojito did not answer. Nothing was lost"),
    ("timeout", "JobMojito did not"),
    ("drop", "JobMojito did not"),
])
def test_screening_when_jobmojito_fails(recruiter_client, position, sandbox, settings, breakage, words):
    break_sandbox(sandbox, settings, breakage)
    response = recruiter_client.post(SCREEN, screen_data(position))
    assert response.status_code == 200
    assert words in messages_of(response)
    assert RESUME in response.content.decode() and 'value="Lin Park"' in response.content.decode()
    assert PreScreening.objects.count() == 0


def test_screening_the_same_candidate_twice_explains_the_early_exit(recruiter_client, position, sandbox):
    recruiter_client.post(SCREEN, screen_data(position))
    response = recruiter_client.post(SCREEN, screen_data(position), follow=True)
    page = response.content.decode()
    assert "Not screened again." in page and "already pre-screened" in page


def test_the_screen_page_without_positions_points_to_creating_one(recruiter_client):
    page = recruiter_client.get(SCREEN).content.decode()
    assert "Create a position first" in page and NEW in page


def test_the_screen_page_preselects_the_position(recruiter_client, position):
    page = recruiter_client.get(f"{SCREEN}?position={position.pk}").content.decode()
    assert f'<option value="{position.pk}" selected>' in page


# --- list ---------------------------------------------------------------------------------------

def make_screening(position=None, candidate=None, **kw):
    kw.setdefault("recommendation", Recommendation.AI_ACCEPT)
    kw.setdefault("score", 7.5)
    return PreScreening.objects.create(position=position or make_position(), candidate=candidate or make_candidate(),
                                       **kw)


def test_the_list_without_positions_invites_to_create_one(recruiter_client):
    page = recruiter_client.get(LIST).content.decode()
    assert "No positions yet" in page and NEW in page


def test_the_list_shows_positions_and_screenings(recruiter_client):
    position = make_position(name="Nurse")
    make_screening(position, make_candidate(name="Ada Obi", email="ada@example.com"), score=8.2)
    page = recruiter_client.get(LIST).content.decode()
    assert "Nurse" in page and "Ada Obi" in page and "8.2" in page and "AI accept" in page


def test_the_list_filters(recruiter_client):
    nurse, cook = make_position(name="Nurse"), make_position(name="Cook")
    make_screening(nurse, make_candidate(name="Ada Obi"), recommendation=Recommendation.AI_ACCEPT)
    make_screening(cook, make_candidate(name="Bo Lee", email="bo@example.org"), recommendation=Recommendation.AI_REJECT)
    names = lambda query: {s.candidate.name for s in recruiter_client.get(LIST + query).context["page"]}  # noqa: E731
    assert names(f"?position={nurse.pk}") == {"Ada Obi"}
    assert names("?recommendation=ai_reject") == {"Bo Lee"}
    assert names("?q=example.org") == {"Bo Lee"}
    assert names("?period=24h") == {"Ada Obi", "Bo Lee"}
    assert names("?sort=score") == {"Ada Obi", "Bo Lee"}
    response = recruiter_client.get(LIST + "?q=nobody")
    assert "No screenings match these filters" in response.content.decode()


def test_the_list_answers_htmx_with_the_rows_only(recruiter_client):
    make_screening()
    response = recruiter_client.get(LIST, headers={"HX-Request": "true"})
    page = response.content.decode()
    assert 'id="screening-rows"' in page and "<html" not in page


def test_the_list_makes_the_same_queries_for_1_and_50_screenings(assert_same_queries):
    position = make_position()

    def make_rows(n):
        for _ in range(n):
            make_screening(position)
            make_position()

    assert_same_queries(LIST, make_rows)


def test_a_screening_that_does_not_exist_is_a_404(recruiter_client):
    assert recruiter_client.get(reverse("prescreening:detail", args=[999])).status_code == 404
    assert recruiter_client.get(reverse("prescreening:position_edit", args=[999])).status_code == 404
    assert Candidate.objects.count() == 0
