"""Interview services against the in-process sandbox: local rows AND the sandbox's state."""

import pytest

from mojito.errors import InvalidRequest
from recruiting.models import CreationMethod, Interview
from recruiting.services import interviews as svc

pytestmark = pytest.mark.django_db


def test_create_from_description_stores_definition_and_questions(sandbox, template_id):
    interview = svc.interview_create_from_description(
        name="Data analyst", location="Berlin", interview_template_id=template_id, interview_length=4)

    remote = sandbox.state.interviews[interview.mojito_id]
    assert remote["name"] == "Data analyst"
    assert interview.name == "Data analyst"
    assert interview.status == "draft" == remote["status"]
    assert interview.creation_method == CreationMethod.FROM_DESCRIPTION
    assert interview.template.mojito_id == template_id
    assert interview.questions.count() == len(remote["questions"]) > 0
    assert list(interview.questions.values_list("text", flat=True)) == [q["question"] for q in remote["questions"]]


def test_create_from_questions_keeps_our_questions_in_order(sandbox, template_id):
    interview = svc.interview_create_from_questions(
        name="Support agent", location="Remote", interview_template_id=template_id,
        description="Customer support.", questions=["Why support?", {"question": "A hard ticket?", "duration": 90}])

    assert list(interview.questions.values_list("text", flat=True)) == ["Why support?", "A hard ticket?"]
    assert interview.questions.get(position=1).duration == 90
    assert interview.creation_method == CreationMethod.FROM_QUESTIONS
    assert [q["question"] for q in sandbox.state.interviews[interview.mojito_id]["questions"]] == [
        "Why support?", "A hard ticket?"]


def test_create_with_embedding_stores_encrypted_key(sandbox, template_id):
    interview = svc.interview_create_from_questions(
        name="Embedded", location="Remote", interview_template_id=template_id, description="x",
        questions=["Q?"], is_embedded=True)
    interview = Interview.objects.get(pk=interview.pk)
    assert interview.is_embedded
    assert interview.embed_id in sandbox.state.embeds
    assert sandbox.state.embeds[interview.embed_id]["embed_signing_key"] == interview.embed_signing_key
    assert "embed_signing_key" not in str(interview.raw)


def test_invalid_request_propagates_with_field_and_stores_nothing(sandbox):
    with pytest.raises(InvalidRequest) as exc:
        svc.interview_create_from_questions(
            name="Bad", location="Remote", interview_template_id="not-a-template", description="x", questions=["Q?"])
    assert exc.value.field == "interview_template_id"
    assert Interview.objects.count() == 0
    assert not sandbox.state.interviews


@pytest.mark.parametrize("action, status", [("publish", "active"), ("unpublish", "draft"),
                                            ("archive", "archived"), ("delete", "deleted")])
def test_set_state(remote_interview, sandbox, action, status):
    interview = svc.interview_set_state(interview=remote_interview, status=action)
    assert interview.status == status
    assert Interview.objects.get(pk=remote_interview.pk).status == status
    assert sandbox.state.interviews[remote_interview.mojito_id]["status"] == status


def test_set_state_rejects_unknown_status(remote_interview):
    with pytest.raises(ValueError):
        svc.interview_set_state(interview=remote_interview, status="published")


def test_enable_then_disable_embedding(remote_interview, sandbox):
    interview = svc.interview_set_embedding(interview=remote_interview, enabled=True)
    interview = Interview.objects.get(pk=interview.pk)
    assert interview.is_embedded
    assert sandbox.state.embeds[interview.embed_id]["interview_id"] == remote_interview.mojito_id

    interview = svc.interview_set_embedding(interview=interview, enabled=False)
    interview = Interview.objects.get(pk=interview.pk)
    assert not interview.is_embedded and interview.embed_id == "" and interview.embed_signing_key == ""
    assert not [e for e in sandbox.state.embeds.values() if e.get("interview_id") == remote_interview.mojito_id]


def test_refresh_reads_remote_changes(remote_interview, sandbox):
    sandbox.state.interviews[remote_interview.mojito_id]["name"] = "Renamed remotely"
    interview = svc.interview_refresh(interview=remote_interview)
    assert interview.name == "Renamed remotely"
    assert interview.questions.count() == 2


def test_create_for_candidate_stores_position_candidate_invitation_and_decision(sandbox, template_id):
    outcome = svc.interview_create_for_candidate(
        candidate_name="Ada Lovelace", candidate_email="Ada@Example.com", candidate_country_code="GB",
        candidate_resume="Ten years of Python and Django, PostgreSQL, Celery; led a team of five engineers.",
        position_name="Python developer", position_location="London", position_country_code="GB",
        mojito_language_code="en", interview_template_id=template_id)

    assert outcome.status
    assert outcome.invitation is not None and outcome.interview is not None
    invitation = outcome.invitation
    assert invitation.candidate.normalised_email == "ada@example.com"
    assert invitation.mojito_id in sandbox.state.enrolments
    assert invitation.interview_url == outcome.interview_url
    assert outcome.interview.creation_method == CreationMethod.FOR_CANDIDATE
    assert outcome.interview.mojito_id in sandbox.state.interviews
    assert outcome.interview.position is not None
    assert outcome.interview.position.mojito_id in sandbox.state.positions
    assert outcome.prescreening.decision_status == outcome.status


def test_create_for_candidate_is_repeatable_so_a_lost_answer_is_retried_safely(sandbox, template_id, spy):
    endpoint = "job-interview-create-for-candidate-with-token"
    spy.faults[endpoint] = ["timeout_after_send"]
    outcome = svc.interview_create_for_candidate(
        candidate_name="Alan Turing", candidate_email="alan@example.com", candidate_country_code="GB",
        candidate_resume="Mathematician; Python since 2001; distributed systems; led research teams.",
        position_name="Research engineer", position_location="Manchester", position_country_code="GB",
        mojito_language_code="en", interview_template_id=template_id)

    bodies = spy.bodies(endpoint)
    assert len(bodies) == 2 and bodies[0]["position_external_id"] == bodies[1]["position_external_id"]
    assert len(sandbox.state.positions) == 1
    assert len([e for e in sandbox.state.enrolments.values() if e["position_id"] or e["interview_id"]]) == 1
    assert outcome.invitation.mojito_id in sandbox.state.enrolments
