"""A create whose answer was lost (MojitoOutcomeUnknown) is looked up before anything is sent again."""

import pytest

from mojito.errors import MojitoOutcomeUnknown
from recruiting.models import Interview
from recruiting.services import client as client_service
from recruiting.services import interviews as svc
from recruiting.services import create_recovery

from .conftest import SpyTransport

pytestmark = pytest.mark.django_db


def _route(sandbox, **faults):
    transport = SpyTransport(sandbox.transport(), faults)
    client_service.use_transport(transport)
    return transport


@pytest.mark.parametrize("endpoint, create", [
    ("job-interview-create-from-array", lambda t: svc.interview_create_from_questions(
        name="Night nurse", location="Leeds", interview_template_id=t, description="Care.", questions=["Why?"])),
    ("job-interview-create", lambda t: svc.interview_create_from_description(
        name="Night nurse", location="Leeds", interview_template_id=t)),
])
def test_timeout_after_the_create_landed_adopts_the_remote_interview(sandbox, template_id, endpoint, create):
    spy = _route(sandbox, **{endpoint: ["timeout_after_send"]})

    interview = create(template_id)

    assert spy.count(endpoint) == 1  # never sent a second time
    assert spy.count("merchant-interview-list") >= 1
    named = [i for i in sandbox.state.interviews.values() if i["name"] == "Night nurse"]
    assert len(named) == 1
    assert Interview.objects.count() == 1
    assert interview.mojito_id == named[0]["id"]
    assert interview.raw["local_reconciliation"]["how"] == create_recovery.ADOPTED
    assert interview.questions.count() >= 1


def test_timeout_before_the_create_landed_sends_once_more(sandbox, template_id):
    spy = _route(sandbox, **{"job-interview-create-from-array": ["timeout_before_send"]})

    interview = svc.interview_create_from_questions(
        name="Porter", location="York", interview_template_id=template_id, description="x", questions=["Q?"])

    assert spy.count("job-interview-create-from-array") == 2
    assert [i["id"] for i in sandbox.state.interviews.values() if i["name"] == "Porter"] == [interview.mojito_id]
    assert interview.raw["local_reconciliation"]["how"] == create_recovery.RESENT


def test_an_older_interview_with_the_same_name_that_we_know_is_not_adopted(sandbox, template_id):
    first = svc.interview_create_from_questions(
        name="Chef", location="York", interview_template_id=template_id, description="x", questions=["Q?"])
    spy = _route(sandbox, **{"job-interview-create-from-array": ["timeout_before_send"]})

    second = svc.interview_create_from_questions(
        name="Chef", location="York", interview_template_id=template_id, description="x", questions=["Q?"])

    assert second.pk != first.pk and second.mojito_id != first.mojito_id
    assert spy.count("job-interview-create-from-array") == 2
    assert len([i for i in sandbox.state.interviews.values() if i["name"] == "Chef"]) == 2


def test_adopting_an_embedded_interview_fetches_its_key(sandbox, template_id):
    _route(sandbox, **{"job-interview-create-from-array": ["timeout_after_send"]})
    interview = svc.interview_create_from_questions(
        name="Embedded adopt", location="York", interview_template_id=template_id, description="x",
        questions=["Q?"], is_embedded=True)
    interview = Interview.objects.get(pk=interview.pk)
    assert interview.is_embedded
    assert sandbox.state.embeds[interview.embed_id]["interview_id"] == interview.mojito_id


def test_a_second_unknown_outcome_propagates(sandbox, template_id):
    spy = _route(sandbox, **{"job-interview-create-from-array": ["timeout_before_send", "timeout_before_send"]})
    with pytest.raises(MojitoOutcomeUnknown):
        svc.interview_create_from_questions(
            name="Twice lost", location="York", interview_template_id=template_id, description="x", questions=["Q?"])
    assert spy.count("job-interview-create-from-array") == 2
    assert Interview.objects.count() == 0
